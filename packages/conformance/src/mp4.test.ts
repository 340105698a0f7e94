import { spawnSync } from 'node:child_process';
import { createMp4Generator } from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import { decodeMp4, describeMissingSamples, inspectMp4 } from './mp4.js';

const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;
const clip = () => createMp4Generator().generate({ width: 720, height: 1280, durationSeconds: 4 });

describe('inspectMp4', () => {
  it('reads duration and size of a real MP4, and finds every sample inside it', async () => {
    const bytes = await clip();
    const info = inspectMp4(bytes);
    expect(info).toMatchObject({ ok: true, width: 720, height: 1280, missing: [] });
    expect(info.ok && info.durationSeconds).toBeCloseTo(4, 2);
    // One frame per second: four samples in the index.
    expect(info.ok && info.samples).toBe(4);
    expect(describeMissingSamples(info)).toBeUndefined();
  });

  it('says which samples lie past the end of a file whose sample data is cut short', async () => {
    const bytes = await clip();
    const info = inspectMp4(bytes.subarray(0, bytes.byteLength - 200));
    // The header still reads: this is what a check of the header alone lets through.
    expect(info).toMatchObject({ ok: true, width: 720, height: 1280 });
    expect(info.ok && info.missing).toEqual([
      {
        trackId: 1,
        kind: 'video',
        total: 4,
        first: expect.any(Number),
        last: 4,
        count: expect.any(Number),
        missingBytes: 200,
      },
    ]);
    expect(describeMissingSamples(info)).toMatch(
      /^track 1 \(video\): samples? .*of 4 end past the file's \d+ bytes \(200 bytes of sample data missing\)$/,
    );
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

describe('decodeMp4', () => {
  it.skipIf(!hasFfprobe)('decodes every frame of a real MP4 (needs ffprobe on PATH)', async () => {
    expect(await decodeMp4(await clip())).toEqual({
      decoder: 'ffprobe',
      declaredFrames: 4,
      decodedFrames: 4,
      errors: [],
    });
  });

  it.skipIf(!hasFfprobe)(
    'reports the decoder errors of cut sample data (needs ffprobe)',
    async () => {
      const bytes = await clip();
      const decoding = await decodeMp4(bytes.subarray(0, bytes.byteLength - 200));
      expect(decoding).toMatchObject({ decoder: 'ffprobe', declaredFrames: 4 });
      expect('errors' in decoding && decoding.errors.join(' ')).toMatch(/partial file|NAL/);
      expect('decodedFrames' in decoding && decoding.decodedFrames).toBeLessThan(4);
    },
  );

  it('says when the decoder is not installed, or turned off', async () => {
    const bytes = await clip();
    expect(await decodeMp4(bytes, { ffprobe: 'reelkit-no-such-ffprobe' })).toEqual({
      unavailable: 'reelkit-no-such-ffprobe is not installed (Debian: apt-get install ffmpeg)',
    });
    expect(await decodeMp4(bytes, { ffprobe: false })).toEqual({
      unavailable: 'decoding is turned off (ffprobe: false)',
    });
  });
});
