/**
 * `downloadVideo` through the fastify mount: to a file (written to `<path>.part`, then renamed),
 * the index checked, the key sent only where the router needs it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VideoResult } from '../src/index.js';
import { AuthenticationError, downloadVideo, InvalidRequestError } from '../src/index.js';
import { caught, expectMp4, mount, reelkitFor } from './harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelkit-download-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('writes to a file path, leaving no partial file, and checks the index', async () => {
  const m = await mount('fastify', 'routmy');
  try {
    const reelkit = reelkitFor(m);
    const result = await reelkit.generateVideo({
      provider: 'routmy',
      model: 'google/veo-3.1',
      prompt: 'a cat',
      count: 2,
    });
    expect(result.videos).toHaveLength(2);
    const path = join(dir, 'second.mp4');
    const saved = await reelkit.downloadVideo(result, { to: path, index: 1 });
    expect(saved).toMatchObject({ path, contentType: 'video/mp4' });
    const bytes = new Uint8Array(await readFile(path));
    expect(saved.bytes).toBe(bytes.byteLength);
    expectMp4(bytes);
    expect(await readdir(dir)).toEqual(['second.mp4']);
    const error = await caught(() => reelkit.downloadVideo(result, { to: path, index: 2 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
  } finally {
    await m.close();
  }
});

it('a result read back from JSON downloads public URLs and OpenRouter unsigned_urls, but not the bare content route without the key', async () => {
  const routmy = await mount('fastify', 'routmy');
  const openrouter = await mount('fastify', 'openrouter');
  try {
    const plain = (r: VideoResult) => JSON.parse(JSON.stringify(r)) as VideoResult;
    const fromRoutmy = await reelkitFor(routmy).generateVideo({
      provider: 'routmy',
      model: 'google/veo-3.1',
      prompt: 'a cat',
    });
    const path = join(dir, 'from-json.mp4');
    expect((await downloadVideo(plain(fromRoutmy), { to: path })).bytes).toBeGreaterThan(100);
    const fromOpenRouter = await reelkitFor(openrouter).generateVideo({
      provider: 'openrouter',
      model: 'google/veo-3.1',
      prompt: 'a cat',
    });
    // unsigned_urls carry a per-job token: the guide downloads them without a key (issue #11).
    const unsigned = plain(fromOpenRouter);
    expect(
      (await downloadVideo(unsigned, { to: join(dir, 'unsigned.mp4') })).bytes,
    ).toBeGreaterThan(100);
    const bare = new URL(unsigned.videos[0]!.url!);
    bare.searchParams.delete('token');
    const withoutToken = { ...unsigned, videos: [{ ...unsigned.videos[0]!, url: bare.href }] };
    const error = await caught(() => downloadVideo(withoutToken, { to: join(dir, 'nope.mp4') }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(await readdir(dir)).not.toContain('nope.mp4.part');
  } finally {
    await routmy.close();
    await openrouter.close();
  }
});
