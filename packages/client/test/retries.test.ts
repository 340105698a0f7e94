/**
 * Retries through both mounts: what is retried, what is not, and that no retry ever leaves a
 * duplicate job behind (`engine.jobs.size`). Failures come from a wrapper `fetch` that fails the
 * first N matching requests, from the mocks' seeded fault rates, and from a real closed port.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listenMockServer } from '@reelkit/mocks/fastify';
import { createAutoClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import type { Reelkit } from '../src/index.js';
import {
  ConnectionError,
  createReelkit,
  GenerationFailedError,
  RateLimitError,
  ServerError,
} from '../src/index.js';
import type { Mount, MountName } from './harness.js';
import { caught, collector, expectMp4, MOUNT_NAMES, mount, reelkitFor } from './harness.js';

/** What the wrapper does with one request. */
type Fault =
  | { readonly kind: 'answer'; readonly status: number; readonly headers?: Record<string, string> }
  /** Fails before anything is sent (the connection is refused). */
  | { readonly kind: 'refuse' }
  /** Sends the request, then loses the answer (the connection is reset). */
  | { readonly kind: 'lose-answer' };

const networkError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} (test)`), { code }) });

/**
 * A fetch that applies `fault` to the first `times` requests matching `match`, and counts what
 * reaches the network.
 */
function flaky(match: (method: string, url: string) => boolean, fault: Fault, times: number) {
  const seen = { matching: 0, sent: 0, faults: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const matches = match(method, url);
    if (matches) seen.matching++;
    if (matches && seen.faults < times) {
      seen.faults++;
      switch (fault.kind) {
        case 'answer':
          return new Response(
            JSON.stringify({ error: { code: fault.status, message: `injected ${fault.status}` } }),
            {
              status: fault.status,
              headers: { 'content-type': 'application/json', ...fault.headers },
            },
          );
        case 'refuse':
          throw networkError('ECONNREFUSED');
        case 'lose-answer': {
          seen.sent++;
          const response = await fetch(input, init);
          await response.arrayBuffer();
          throw networkError('ECONNRESET');
        }
      }
    }
    seen.sent++;
    return fetch(input, init);
  };
  return { fetch: fetchFn, seen };
}

const isSubmit = (path: string) => (method: string, url: string) =>
  method === 'POST' && new URL(url).pathname.endsWith(path);
const isPoll = (method: string, url: string) =>
  method === 'GET' && /\/videos\/[^/]+$/.test(new URL(url).pathname) && !url.includes('/models');

const OPENROUTER = {
  provider: 'openrouter',
  model: 'google/veo-3.1',
  prompt: 'a lighthouse',
  duration: 4,
} as const;

describe.each(MOUNT_NAMES)('retries on %s', (mountName: MountName) => {
  describe('openrouter (asynchronous)', () => {
    let m: Mount;
    beforeAll(async () => {
      m = await mount(mountName, 'openrouter');
    });
    afterAll(() => m.close());
    beforeEach(() => m.engine.reset());
    afterEach(() => expect(m.engine.diagnostics).toEqual([]));

    const client = (fetchFn: typeof fetch): Reelkit => reelkitFor(m, { fetch: fetchFn });

    it('retries a submit answered 429, honouring Retry-After, and creates one job', async () => {
      const wrapper = flaky(
        isSubmit('/videos'),
        { kind: 'answer', status: 429, headers: { 'retry-after': '7' } },
        2,
      );
      const started = m.clock.now();
      const result = await client(wrapper.fetch).generateVideo(OPENROUTER);
      expect(result.status).toBe('completed');
      expect(wrapper.seen.matching).toBe(3);
      expect(result.timings.retries).toBe(2);
      expect(result.timings.submittedAt! - started).toBeGreaterThanOrEqual(14_000);
      expect(m.engine.jobs.size).toBe(1);
    });

    it('retries a submit whose connection was refused (nothing sent)', async () => {
      const wrapper = flaky(isSubmit('/videos'), { kind: 'refuse' }, 2);
      const result = await client(wrapper.fetch).generateVideo(OPENROUTER);
      expect(result.status).toBe('completed');
      expect(wrapper.seen.matching).toBe(3);
      expect(m.engine.jobs.size).toBe(1);
    });

    it('never repeats a submit whose answer was lost: no duplicate job', async () => {
      const wrapper = flaky(isSubmit('/videos'), { kind: 'lose-answer' }, 1);
      const error = await caught(() => client(wrapper.fetch).generateVideo(OPENROUTER));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ code: 'connection_failed', maybeSent: true, attempts: 1 });
      expect((error as ConnectionError).hint).toMatch(/may have reached the router/);
      expect(wrapper.seen.matching).toBe(1);
      expect(m.engine.jobs.size).toBe(1);
    });

    it('does not retry a submit answered 500 (the job may exist)', async () => {
      const wrapper = flaky(isSubmit('/videos'), { kind: 'answer', status: 500 }, 1);
      const error = await caught(() => client(wrapper.fetch).generateVideo(OPENROUTER));
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({ status: 500, attempts: 1, providerMessage: 'injected 500' });
      expect(m.engine.jobs.size).toBe(0);
    });

    it('retries a submit answered 503 (refused before processing)', async () => {
      const wrapper = flaky(isSubmit('/videos'), { kind: 'answer', status: 503 }, 1);
      const result = await client(wrapper.fetch).generateVideo(OPENROUTER);
      expect(result.status).toBe('completed');
      expect(m.engine.jobs.size).toBe(1);
    });

    it('gives up at once when Retry-After is longer than the client may wait', async () => {
      const wrapper = flaky(
        isSubmit('/videos'),
        { kind: 'answer', status: 429, headers: { 'retry-after': '3600' } },
        5,
      );
      const error = await caught(() => client(wrapper.fetch).generateVideo(OPENROUTER));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ attempts: 1, retryAfterMs: 3_600_000 });
      expect(m.engine.jobs.size).toBe(0);
    });

    it('keeps polling through 5xx answers and lost poll answers', async () => {
      const failing = flaky(isPoll, { kind: 'answer', status: 502 }, 4);
      const result = await client(failing.fetch).generateVideo(OPENROUTER);
      expect(result.status).toBe('completed');
      expect(failing.seen.faults).toBe(4);
      const losing = flaky(isPoll, { kind: 'lose-answer' }, 3);
      expect((await client(losing.fetch).generateVideo(OPENROUTER)).status).toBe('completed');
      expect(m.engine.jobs.size).toBe(2);
    });
  });

  describe('openrouter: faults on the wire of reads (engine fault rules)', () => {
    let m: Mount;
    beforeAll(async () => {
      m = await mount(mountName, 'openrouter');
    });
    afterAll(() => m.close());
    beforeEach(() => m.engine.reset());
    afterEach(() => expect(m.engine.diagnostics).toEqual([]));

    it('reads polls again after a reset, a cut body or garbled JSON', async () => {
      for (const kind of ['reset', 'truncate', 'malformed-json'] as const) {
        m.engine.faults.add({ kind, operationId: 'getVideos', times: 2 });
      }
      const result = await reelkitFor(m).generateVideo(OPENROUTER);
      expect(result.status).toBe('completed');
      expect(m.engine.faults.list().map((f) => f.fired)).toEqual([2, 2, 2]);
      expect(m.engine.jobs.size).toBe(1);
    });

    it('downloads again when the video body is cut short', async () => {
      const reelkit = reelkitFor(m);
      const result = await reelkit.generateVideo(OPENROUTER);
      m.engine.faults.add({ kind: 'truncate', operationId: 'listVideosContent', once: true });
      const sink = collector();
      const saved = await reelkit.downloadVideo(result, { to: sink.stream });
      expectMp4(sink.bytes());
      expect(saved.bytes).toBe(sink.bytes().byteLength);
      expect(m.engine.faults.list()[0]?.fired).toBe(1);
    });
  });

  describe('synchronous routers', () => {
    it('imagerouter: a submit answered 500 is retried (answered before generation starts)', async () => {
      const m = await mount(mountName, 'imagerouter');
      try {
        const wrapper = flaky(isSubmit('/generations'), { kind: 'answer', status: 500 }, 2);
        const result = await reelkitFor(m, { fetch: wrapper.fetch }).generateVideo({
          provider: 'imagerouter',
          model: 'google/veo-3.1',
          prompt: 'a cat',
        });
        expect(result.status).toBe('completed');
        expect(wrapper.seen.matching).toBe(3);
        expect(m.engine.jobs.size).toBe(1);
      } finally {
        await m.close();
      }
    });

    it('routmy: 503 is retried, 502 (the render failed) is not', async () => {
      const m = await mount(mountName, 'routmy');
      try {
        const request = { provider: 'routmy', model: 'google/veo-3.1', prompt: 'a cat' } as const;
        const unavailable = flaky(isSubmit('/generations'), { kind: 'answer', status: 503 }, 1);
        const result = await reelkitFor(m, { fetch: unavailable.fetch }).generateVideo(request);
        expect(result.status).toBe('completed');
        expect(unavailable.seen.matching).toBe(2);
        const upstream = flaky(isSubmit('/generations'), { kind: 'answer', status: 502 }, 1);
        const error = await caught(() =>
          reelkitFor(m, { fetch: upstream.fetch }).generateVideo(request),
        );
        expect(error).toBeInstanceOf(GenerationFailedError);
        expect(upstream.seen.matching).toBe(1);
        expect(m.engine.jobs.size).toBe(1);
      } finally {
        await m.close();
      }
    });
  });
});

describe('retries against real failures', () => {
  it('retries a refused connection on a closed loopback port, then reports it', async () => {
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createAutoClock(),
    });
    const server = await listenMockServer({ engine, port: 0 });
    const baseUrl = server.baseUrl;
    await server.close();
    const retries: string[] = [];
    const reelkit = createReelkit({
      clock: engine.clock,
      capabilities: 'off',
      onRetry: (e) => retries.push(e.reason),
      providers: { openrouter: { apiKey: 'k', baseUrl } },
    });
    const error = await caught(() => reelkit.generateVideo(OPENROUTER));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ maybeSent: false, attempts: 3 });
    expect(retries).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('no duplicate jobs under seeded random server errors (faultRates)', async () => {
    const m = await mount('fastify', 'openrouter', {
      faultRates: { 'server-error': 0.25 },
      seed: 3,
    });
    try {
      let accepted = 0;
      let faulted = 0;
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 202) accepted++;
        if (response.status === 500) faulted++;
        return response;
      };
      const reelkit = reelkitFor(m, { fetch: counting });
      const completed: string[] = [];
      let refused = 0;
      for (let i = 0; i < 12; i++) {
        try {
          completed.push((await reelkit.generateVideo(OPENROUTER)).id);
        } catch (error) {
          // Only a submit answered 500 may end a call: polls ride over the faults.
          expect(error).toBeInstanceOf(ServerError);
          expect(error).toMatchObject({ operationId: 'createVideos', attempts: 1 });
          refused++;
        }
      }
      // The faults hit both submits (refused calls) and polls (ridden over by retries).
      expect(refused).toBeGreaterThan(0);
      expect(faulted).toBeGreaterThan(refused);
      expect(completed.length).toBeGreaterThan(0);
      // Each completed call had a job of its own; no refused or retried request made another.
      expect(new Set(completed).size).toBe(completed.length);
      expect(accepted).toBe(completed.length);
      expect(m.engine.jobs.size).toBe(completed.length);
    } finally {
      await m.close();
    }
  });
});
