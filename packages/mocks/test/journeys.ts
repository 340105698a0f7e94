/**
 * One end-to-end journey per router, written against a plain `fetch` and a way to move time, so
 * the same journey runs through every mount (engine, fastify over loopback, msw).
 */
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

/** Checks an MP4 by its first box; the MP4 module's own tests check duration and size. */
export function expectMp4(bytes: Uint8Array): void {
  expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
}

/** OpenRouter: submit → poll until completed → download; returns the statuses seen. */
export async function openrouterJourney(mount: Mount): Promise<string[]> {
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
  expectMp4(new Uint8Array(await content.arrayBuffer()));
  const models = await mount.fetch(`${mount.baseUrl}/videos/models`);
  expect(models.status).toBe(200);
  return seen;
}
