import { createMp4Generator } from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import { inspectMp4 } from './mp4.js';

describe('inspectMp4', () => {
  it('reads duration and size of a real MP4', async () => {
    const bytes = await createMp4Generator().generate({
      width: 720,
      height: 1280,
      durationSeconds: 4,
    });
    const info = inspectMp4(bytes);
    expect(info).toMatchObject({ ok: true, width: 720, height: 1280 });
    expect(info.ok && info.durationSeconds).toBeCloseTo(4, 2);
  });

  it('says what is wrong with something else', () => {
    expect(inspectMp4(new TextEncoder().encode('<html>nope</html>'))).toMatchObject({
      ok: false,
      problem: expect.stringContaining("not 'ftyp'"),
    });
    expect(inspectMp4(new Uint8Array(3))).toMatchObject({ ok: false });
    const ftypOnly = new Uint8Array([
      0, 0, 0, 16, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 0, 0,
    ]);
    expect(inspectMp4(ftypOnly)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('moov'),
    });
  });
});
