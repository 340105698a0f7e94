/**
 * One end-to-end journey per router, written against a plain `fetch` and a way to move time, so
 * the same journey runs through every mount (engine, fastify over loopback, msw).
 */
import { createFile, MP4BoxBuffer } from 'mp4box';
import type { Movie } from 'mp4box';
import { expect } from 'vitest';

/** What a journey needs from a mount. */
export interface Mount {
  /** The router's base URL on this mount, e.g. `http://127.0.0.1:4010/api/v1`. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** Moves simulated time forward. */
  advance(ms: number): Promise<void>;
}

export const AUTH = { authorization: 'Bearer sk-reelkit-test' };
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Parses an MP4 with mp4box and checks its duration (within 0.1 s) and exact size. */
export function expectMp4(
  bytes: Uint8Array,
  expected: { width: number; height: number; seconds: number },
): void {
  expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  const file = createFile();
  let movie: Movie | undefined;
  file.onReady = (info) => (movie = info);
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0));
  file.flush();
  expect(movie, 'mp4box could not read the video').toBeDefined();
  const m = movie as Movie;
  expect(Math.abs(m.duration / m.timescale - expected.seconds)).toBeLessThanOrEqual(0.1);
  expect(m.videoTracks[0]?.video).toMatchObject({ width: expected.width, height: expected.height });
}

/**
 * OpenRouter: submit → poll until completed → download; returns the statuses seen.
 * `parseMp4: false` only checks the first box (prism proxy re-encodes binary bodies).
 */
export async function openrouterJourney(
  mount: Mount,
  options: { parseMp4?: boolean } = {},
): Promise<string[]> {
  const submit = await mount.fetch(`${mount.baseUrl}/videos`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({
      model: 'google/veo-3.1',
      prompt: 'a lighthouse at dawn',
      duration: 4,
      resolution: '720p',
      aspect_ratio: '16:9',
    }),
  });
  expect(submit.status).toBe(202);
  const job = await json<{ id: string; polling_url: string }>(submit);
  const seen: string[] = [];
  let body: { status: string; unsigned_urls?: string[] } = { status: '' };
  for (let i = 0; i < 60 && body.status !== 'completed'; i++) {
    body = await json(await mount.fetch(`${mount.baseUrl}/videos/${job.id}`, { headers: AUTH }));
    seen.push(body.status);
    await mount.advance(15_000);
  }
  expect(body.status).toBe('completed');
  const content = await mount.fetch(`${mount.baseUrl}/videos/${job.id}/content?index=0`, {
    headers: AUTH,
  });
  expect(content.status).toBe(200);
  expect(content.headers.get('content-type')).toBe('video/mp4');
  const bytes = new Uint8Array(await content.arrayBuffer());
  if (options.parseMp4 === false) expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  else expectMp4(bytes, { width: 1280, height: 720, seconds: 4 });
  const models = await mount.fetch(`${mount.baseUrl}/videos/models`);
  expect(models.status).toBe(200);
  return seen;
}

/**
 * Resolves `work` while moving simulated time forward in steps, for synchronous routers that hold
 * the connection until the render is done. Bounded in steps.
 */
export async function whileAdvancing<T>(
  mount: Mount,
  work: Promise<T>,
  stepMs = 5_000,
  maxSteps = 400,
): Promise<T> {
  let done = false;
  const watched = work.finally(() => (done = true));
  for (let i = 0; i < maxSteps && !done; i++) {
    await new Promise((r) => setTimeout(r, 1));
    if (!done) await mount.advance(stepMs);
  }
  return watched;
}

/** ImageRouter: one long request with whitespace heartbeats, then the JSON; download the URL. */
export async function imagerouterJourney(mount: Mount): Promise<string[]> {
  const form = new FormData();
  form.append('model', 'google/veo-3.1');
  form.append('prompt', 'a lighthouse at dawn');
  form.append('seconds', '4');
  form.append(
    'image[]',
    new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }),
    'first.png',
  );
  const text = await whileAdvancing(
    mount,
    mount
      .fetch(`${mount.baseUrl}/v1/openai/videos/generations`, {
        method: 'POST',
        headers: AUTH,
        body: form,
      })
      .then(async (res) => {
        expect(res.status).toBe(200);
        return res.text();
      }),
  );
  expect(text).toMatch(/^ +\{/);
  const body = JSON.parse(text) as { data: { url: string }[]; cost: number; latency: number };
  expect(body.cost).toBeGreaterThan(0);
  const video = await mount.fetch(body.data[0]?.url as string);
  expect(video.status).toBe(200);
  // No size asked: veo-3.1's default (its first listed size).
  expectMp4(new Uint8Array(await video.arrayBuffer()), { width: 1280, height: 720, seconds: 4 });
  expect((await mount.fetch(`${mount.baseUrl}/v2/models`)).status).toBe(200);
  return ['rendering', 'succeeded'];
}

/** FastRouter: create a task, poll getVideoResponse until `succeed`, download the asset. */
export async function fastrouterJourney(mount: Mount): Promise<string[]> {
  const create = await mount.fetch(`${mount.baseUrl}/videos`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ model: 'google/veo3', prompt: 'a lighthouse at dawn', length: 8 }),
  });
  expect(create.status).toBe(200);
  const { data } = await json<{ data: { taskId: string; status: string } }>(create);
  const seen = [data.status];
  let poll: {
    data: { status: string; generations?: { url: string }[] };
    fastrouter_assets?: { urls: string[] };
  } = { data: { status: '' } };
  for (let i = 0; i < 60 && poll.data.status !== 'succeed'; i++) {
    await mount.advance(15_000);
    poll = await json(
      await mount.fetch(`${mount.baseUrl}/getVideoResponse`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ taskId: data.taskId, model: 'google/veo3' }),
      }),
    );
    seen.push(poll.data.status);
  }
  expect(poll.data.status).toBe('succeed');
  const url = poll.fastrouter_assets?.urls[0] ?? poll.data.generations?.[0]?.url;
  const video = await mount.fetch(url as string);
  expect(video.status).toBe(200);
  expectMp4(new Uint8Array(await video.arrayBuffer()), { width: 1280, height: 720, seconds: 8 });
  return seen;
}

/** rout.my: one synchronous request for two videos; download both. */
export async function routmyJourney(mount: Mount): Promise<string[]> {
  const res = await whileAdvancing(
    mount,
    mount.fetch(`${mount.baseUrl}/video/generations`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        model: 'google/veo-3.1',
        prompt: 'a lighthouse at dawn',
        duration: 4,
        resolution: '720p',
        n: 2,
      }),
    }),
  );
  expect(res.status).toBe(200);
  const body = await json<{ videos: { url: string; mime_type: string }[]; duration: number }>(res);
  expect(body.videos).toHaveLength(2);
  for (const v of body.videos) {
    const video = await mount.fetch(v.url);
    expectMp4(new Uint8Array(await video.arrayBuffer()), { width: 1280, height: 720, seconds: 4 });
  }
  return ['rendering', 'succeeded'];
}

/** Each router's journey, by router id. */
export const JOURNEYS = {
  openrouter: openrouterJourney,
  imagerouter: imagerouterJourney,
  fastrouter: fastrouterJourney,
  routmy: routmyJourney,
} as const;
