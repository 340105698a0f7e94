import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../src/adapters/fastify.js';
import { listenMockServer } from '../src/adapters/fastify.js';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { openrouterMock } from '../src/providers/openrouter.js';

const AUTH = { authorization: 'Bearer k' };
const clock = createManualClock();
const engine = createMockEngine({ provider: openrouterMock, clock });
let server: RunningMockServer;
let base: string;

beforeAll(async () => {
  server = await listenMockServer({ engine, port: 0 });
  base = server.baseUrl;
});
afterAll(() => server.close());
beforeEach(() => engine.reset());

const addFault = async (rule: Record<string, unknown>) => {
  const res = await fetch(`${server.origin}/__reelkit/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
};

async function completedJob(): Promise<string> {
  const res = await fetch(`${base}/videos`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'google/veo-3.1-lite', prompt: 'x', duration: 4 }),
  });
  const { id } = (await res.json()) as { id: string };
  await clock.advance(10 * 60_000);
  return id;
}

/** Resolves `work` while advancing the manual clock in steps; returns how much time passed. */
async function advancingUntil<T>(
  work: Promise<T>,
  stepMs: number,
): Promise<{ value: T; waitedMs: number }> {
  let done = false;
  const watched = work.finally(() => (done = true));
  let waited = 0;
  for (let i = 0; i < 200 && !done; i++) {
    await new Promise((r) => setTimeout(r, 2));
    if (!done) {
      await clock.advance(stepMs);
      waited += stepMs;
    }
  }
  return { value: await watched, waitedMs: waited };
}

describe('faults on the wire, seen by a plain fetch over HTTP', () => {
  it('latency: a fixed delay on the engine clock', async () => {
    await addFault({
      kind: 'latency',
      operationId: 'listVideosModels',
      latencyMs: 5000,
      once: true,
    });
    let done = false;
    const pending = fetch(`${base}/videos/models`).finally(() => (done = true));
    for (let i = 0; i < 50 && clock.pending === 0; i++) await new Promise((r) => setTimeout(r, 2));
    await clock.advance(4999);
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    await clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-reelkit-fault')).toMatch(/^latency; rule=/);
    // Once only: the next request answers without waiting for the clock.
    expect((await fetch(`${base}/videos/models`)).headers.get('x-reelkit-fault')).toBeNull();
  });

  it('latency drawn from a distribution repeats for the same seed', async () => {
    const draws = async () => {
      const c = createManualClock();
      const e = createMockEngine({
        provider: openrouterMock,
        clock: c,
        seed: 99,
        faults: [
          { kind: 'latency', latencyMs: { distribution: 'exponential', mean: 2000 }, times: 3 },
        ],
      });
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = c.now();
        let done = false;
        const pending = e
          .handle(new Request('https://openrouter.ai/api/v1/videos/models'))
          .finally(() => (done = true));
        for (let step = 0; step < 1000 && !done; step++) {
          await new Promise((r) => setImmediate(r));
          const next = c.nextAt();
          if (next !== undefined) await c.advance(next - c.now());
        }
        await pending;
        out.push(c.now() - start);
      }
      return out;
    };
    const a = await draws();
    expect(a.every((ms) => ms > 0)).toBe(true);
    expect(await draws()).toEqual(a);
  });

  it('rate-limit: 429 with Retry-After and rate-limit headers, in the envelope', async () => {
    await addFault({ kind: 'rate-limit', retryAfterSeconds: 7, once: true });
    const res = await fetch(`${base}/videos/models`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-reelkit-fault')).toMatch(/^rate-limit; rule=fault_\d+$/);
    expect(await res.json()).toEqual({ error: { code: 429, message: 'Rate limit exceeded' } });
  });

  it('server-error: a 500 in the envelope, a number of times', async () => {
    await addFault({ kind: 'server-error', operationId: 'listVideosModels', times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/videos/models`)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('reset: the connection drops mid-response', async () => {
    await addFault({ kind: 'reset', operationId: 'listVideosModels', once: true });
    await expect(fetch(`${base}/videos/models`).then((r) => r.arrayBuffer())).rejects.toThrow();
  });

  it('truncate: an MP4 download stops halfway', async () => {
    const id = await completedJob();
    await addFault({ kind: 'truncate', jobId: id, operationId: 'listVideosContent', once: true });
    await expect(
      fetch(`${base}/videos/${id}/content`, { headers: AUTH }).then((r) => r.arrayBuffer()),
    ).rejects.toThrow();
    const whole = await fetch(`${base}/videos/${id}/content`, { headers: AUTH });
    expect((await whole.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('stall: half the MP4, then nothing until the clock moves 10 minutes', async () => {
    const id = await completedJob();
    await addFault({ kind: 'stall', jobId: id, once: true });
    const res = await fetch(`${base}/videos/${id}/content`, { headers: AUTH });
    const { waitedMs, value } = await advancingUntil(res.arrayBuffer(), 60_000);
    expect(waitedMs).toBe(600_000);
    expect(new TextDecoder().decode(new Uint8Array(value).slice(4, 8))).toBe('ftyp');
  });

  it('malformed-json: the body does not parse', async () => {
    await addFault({ kind: 'malformed-json', operationId: 'listVideosModels', once: true });
    const res = await fetch(`${base}/videos/models`);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('probability draws from the seed, and rules can be listed and removed', async () => {
    const rule = await addFault({
      kind: 'server-error',
      operationId: 'listVideosModels',
      probability: 0.5,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fetch(`${base}/videos/models`)).status);
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    const listed = (await (await fetch(`${server.origin}/__reelkit/faults`)).json()) as {
      faults: { id: string; fired: number }[];
    };
    expect(listed.faults).toEqual([expect.objectContaining({ id: rule.id, fired: failures })]);
    expect(
      (await fetch(`${server.origin}/__reelkit/faults/${rule.id}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect((await fetch(`${base}/videos/models`)).status).toBe(200);
  });

  it('wire faults as scenarios, by header', async () => {
    const res = await fetch(`${base}/videos/models`, {
      headers: { 'X-Reelkit-Scenario': 'malformed-json' },
    });
    await expect(res.json()).rejects.toThrow(SyntaxError);
    const bad = await fetch(`${server.origin}/__reelkit/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /kind must be one of latency, rate-limit/,
    );
  });

  it('the same faults reach an in-process fetch (engine.fetch)', async () => {
    engine.faults.add({ kind: 'reset', operationId: 'listVideosModels', once: true });
    await expect(
      engine.fetch('https://openrouter.ai/api/v1/videos/models').then((r) => r.text()),
    ).rejects.toThrow(/fault 'reset'/);
    expect(engine.diagnostics).toEqual([]);
  });
});
