/**
 * Reliability: the attacks of issue #13 (memory, callbacks, JSON, slow clients), each sent over
 * real HTTP to a mock on 127.0.0.1 (port 0), bounded in count and time. Each must get a clear
 * error in the router's own envelope, leave the server answering others, and keep the process's
 * RSS under {@link RSS_BOUND_BYTES}.
 *
 * The servers here use small limits so the suite stays fast (the defaults are documented in the
 * README's "Limits"): `maxJobs` 300, a 1 s header timeout, 2 s request timeout and 40 connections
 * per client address. Time of jobs is virtual (a manual clock); only the slow-client tests wait
 * for the server's real timeouts, bounded by `giveUpMs`.
 */
import { connect } from 'node:net';
import type { ProviderId, RouteDef } from '@reelkit/spec';
import { fullPath, PROVIDER_IDS, REQUEST_LIMITS } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../src/adapters/fastify.js';
import { listenMockServer } from '../src/adapters/fastify.js';
import type { ControllableClock } from '../src/core/clock.js';
import { createManualClock } from '../src/core/clock.js';
import type { MockEngine } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';
import type { RawResponse } from './support/http.js';
import { rawRequest, slowClient } from './support/http.js';

/** The RSS this test process must stay under through every attack (vitest itself included). */
const RSS_BOUND_BYTES = 768 * 1024 * 1024;
const MAX_JOBS = 300;
const MAX_CONNECTIONS = 40;
const AUTH = { authorization: 'Bearer sk-reliability' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** A valid create body for each router (its catalog's first model, the fewest fields). */
const CREATE: Record<ProviderId, Record<string, unknown>> = {
  openrouter: { model: 'google/veo-3.1', prompt: 'a lighthouse' },
  imagerouter: { model: 'google/veo-3.1', prompt: 'a lighthouse' },
  fastrouter: { model: 'google/veo3', prompt: 'a lighthouse' },
  routmy: { model: 'google/veo-3.1', prompt: 'a lighthouse', duration: 5 },
};

interface Mock {
  readonly engine: MockEngine;
  readonly clock: ControllableClock;
  readonly server: RunningMockServer;
  readonly port: number;
}

async function startMock(id: ProviderId, maxConnectionsPerClient = MAX_JOBS + 100): Promise<Mock> {
  const clock = createManualClock();
  const engine = createMockEngine({
    provider: mockProviders[id]!,
    clock,
    maxJobs: MAX_JOBS,
    webhooks: {
      secret: 'whsec_reliability',
      fetch: () => Promise.reject(new Error('this suite calls no receiver')),
    },
  });
  const server = await listenMockServer({
    engine,
    port: 0,
    headersTimeoutSeconds: 1,
    requestTimeoutSeconds: 2,
    maxConnectionsPerClient,
  });
  return { engine, clock, server, port: Number(new URL(server.origin).port) };
}

const createPath = (id: ProviderId) =>
  fullPath(mockProviders[id]!.spec, mockProviders[id]!.spec.routes.createVideo as RouteDef);

/** The answer is the router's own error body (its `errorSchema`), with the status and a message. */
function expectRouterError(id: ProviderId, res: RawResponse, status: number, message?: RegExp) {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  const body: unknown = JSON.parse(res.text);
  expect(mockProviders[id]!.spec.errorSchema.safeParse(body).success, res.text).toBe(true);
  if (message) expect(res.text).toMatch(message);
  expect(res.text).not.toMatch(/\n\s+at |\/work\/|node_modules/); // no stack, no file path
}

async function expectHealthy(port: number): Promise<void> {
  const res = await rawRequest(port, { path: '/__reelkit/health' });
  expect(res.status).toBe(200);
  expect(process.memoryUsage().rss).toBeLessThan(RSS_BOUND_BYTES);
}

describe.each(PROVIDER_IDS)('%s under attack', (id) => {
  let mock: Mock;
  const post = (path: string, body: string | Uint8Array, headers = JSON_TYPE, chunked = false) =>
    rawRequest(mock.port, {
      method: 'POST',
      path,
      headers: { ...AUTH, ...headers },
      body,
      chunked,
    });

  beforeAll(async () => {
    mock = await startMock(id);
  });
  afterAll(() => mock.server.close());
  afterEach(async () => {
    await expectHealthy(mock.port);
    expect(mock.engine.diagnostics).toEqual([]);
  });

  it('caps stored jobs: finished ones make room, and beyond the cap of live jobs a create gets the router 429', async () => {
    mock.engine.reset();
    // A new API key per create, as in the issue: every key gets a ledger entry where it is charged.
    const create = (n: number) =>
      rawRequest(mock.port, {
        method: 'POST',
        path: createPath(id),
        headers: { authorization: `Bearer sk-random-${n}`, ...JSON_TYPE },
        body: JSON.stringify(CREATE[id]),
      });
    // ImageRouter and rout.my hold the request until the render ends: do not wait for the answer.
    const held = mockProviders[id]!.spec.flow === 'sync';
    const answers: Promise<RawResponse>[] = [];
    for (let n = 0; n < MAX_JOBS; n++) answers.push(create(n));
    if (!held) for (const res of await Promise.all(answers)) expect(res.status).toBeLessThan(300);
    else await until(() => mock.engine.jobs.size === MAX_JOBS);
    expect(mock.engine.jobs.size).toBe(MAX_JOBS);
    const refused = await create(MAX_JOBS);
    expectRouterError(id, refused, 429, /max-jobs/);
    expect(mock.engine.jobs.size).toBe(MAX_JOBS);
    // Every job finishes: now the oldest finished jobs make room, and their keys' balances go with them.
    await mock.clock.advance(60 * 60_000);
    if (held) await Promise.all(answers);
    const next = create(MAX_JOBS + 1);
    if (held) {
      // Stored as soon as it is accepted; its answer comes when its render ends.
      await until(() =>
        mock.engine.jobs.list().some((j) => j.apiKey === `sk-random-${MAX_JOBS + 1}`),
      );
      await mock.clock.advance(60 * 60_000);
    }
    expect((await next).status).toBeLessThan(300);
    expect(mock.engine.jobs.size).toBe(MAX_JOBS);
    // One key per job: an evicted job's key took its balance with it (else 301 entries).
    expect(mock.engine.ledger.size).toBeLessThanOrEqual(mock.engine.jobs.size);
  }, 30_000);

  it('refuses a prompt over the router limit in its envelope, and stores no huge request', async () => {
    const limit = REQUEST_LIMITS[id].maxPromptChars;
    const res = await post(
      createPath(id),
      JSON.stringify({ ...CREATE[id], prompt: 'x'.repeat(limit + 1) }),
    );
    expectRouterError(id, res, 400, /prompt/);
  });

  it('refuses a 40 MB body declared by Content-Length before reading it, and a chunked one as it grows', async () => {
    const expected = mockProviders[id]!.error('payload_too_large').status;
    const declared = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(mock.port, '127.0.0.1', () =>
        socket.write(
          `POST ${createPath(id)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n{"model":`,
        ),
      );
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
      setTimeout(() => socket.destroy(), 5_000);
    });
    expect(declared).toMatch(new RegExp(`^HTTP/1.1 ${expected} `));
    const limit =
      REQUEST_LIMITS[id].routes[mockProviders[id]!.spec.routes.createVideo!.operationId]!
        .maxBodyBytes;
    // Chunked, no Content-Length: refused once the bytes pass the route's limit (sent in 16 KiB).
    if (limit <= 2 * 1024 * 1024) {
      const chunked = await post(createPath(id), 'x'.repeat(limit + 64 * 1024), JSON_TYPE, true);
      expectRouterError(id, chunked, expected);
    }
  });

  it('refuses a 10 MB JSON body to every route but the create (polls and listings take a few KiB)', async () => {
    const spec = mockProviders[id]!.spec;
    const small = Object.values(spec.routes).filter(
      (route) =>
        route.method === 'POST' && route.operationId !== spec.routes.createVideo!.operationId,
    );
    for (const route of small) {
      const res = await post(fullPath(spec, route), `{"taskId":"${'x'.repeat(10 * 1024 * 1024)}"}`);
      expectRouterError(id, res, mockProviders[id]!.error('payload_too_large').status);
    }
    const control = await post('/__reelkit/faults', `{"kind":"${'x'.repeat(1024 * 1024)}"}`);
    expect(control.status).toBe(mockProviders[id]!.error('payload_too_large').status);
  });

  it('refuses JSON nested 100,000 deep with a clear 400', async () => {
    const deep = `{"model":"m","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await post(createPath(id), deep);
    expectRouterError(id, res, 400, /nests deeper than/);
  });

  it('refuses invalid UTF-8 with a clear 400, on the router and on the control plane', async () => {
    const prefix = Buffer.from(`{"model":"${CREATE[id].model as string}","prompt":"`);
    const body = Buffer.concat([prefix, Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const res = await post(createPath(id), body);
    expectRouterError(id, res, 400, /not valid UTF-8/);
    const control = await rawRequest(mock.port, {
      method: 'PUT',
      path: '/__reelkit/scenarios/default',
      headers: JSON_TYPE,
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')]),
    });
    expect(control.status).toBe(400);
    expect(control.text).toMatch(/not valid UTF-8/);
  });

  it('cuts clients that dribble their headers or body, answering others meanwhile', async () => {
    const path = createPath(id);
    const slow = Array.from({ length: 20 }, (_, i) =>
      slowClient(mock.port, {
        head:
          i % 2
            ? `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`
            : `GET /__reelkit/health HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
        trickle: i % 2 ? 'x'.repeat(100_000) : 'X-Slow: 1\r\n'.repeat(1000),
        intervalMs: 100,
        giveUpMs: 15_000,
      }),
    );
    await expectHealthy(mock.port);
    const results = await Promise.all(slow);
    // Every one was closed by the server (the client gives up only after 15 s).
    for (const result of results) expect(result.closedAfterMs).toBeLessThan(15_000);
  }, 20_000);

  it(`closes connections beyond ${MAX_CONNECTIONS} from one address, and serves again once they go`, async () => {
    const capped = await startMock(id, MAX_CONNECTIONS);
    const sockets = await Promise.all(
      Array.from(
        { length: MAX_CONNECTIONS + 10 },
        () =>
          new Promise<{ closed: Promise<void>; destroy: () => void }>((resolve) => {
            const socket = connect(capped.port, '127.0.0.1');
            const closed = new Promise<void>((done) => socket.on('close', () => done()));
            socket.on('error', () => undefined);
            socket.on('connect', () => resolve({ closed, destroy: () => socket.destroy() }));
          }),
      ),
    );
    const closedByServer = await Promise.race([
      Promise.all(sockets.slice(MAX_CONNECTIONS).map((s) => s.closed)).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    expect(closedByServer).toBe(true);
    for (const socket of sockets) socket.destroy();
    await Promise.all(sockets.map((s) => s.closed));
    await expectHealthy(capped.port);
    await capped.server.close();
  });
});

describe('callback_url (OpenRouter)', () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock('openrouter');
  });
  afterAll(() => mock.server.close());

  const submit = (callbackUrl: string) =>
    rawRequest(mock.port, {
      method: 'POST',
      path: '/api/v1/videos',
      headers: { ...AUTH, ...JSON_TYPE },
      body: JSON.stringify({ ...CREATE.openrouter, callback_url: callbackUrl }),
    });

  it.each([
    'https://169.254.169.254/latest',
    'https://10.0.0.1/',
    'https://192.168.1.1/',
    'https://[::1]/',
    'https://0x7f000001/',
    'https://2130706433/',
    'https://127.1/',
    'https://user:pass@127.0.0.1/',
    'http://127.0.0.1:9/hook',
    `https://hooks.example.com/${'a'.repeat(1024 * 1024)}`,
  ])('refuses %.60s with OpenRouter 400, storing no job', async (url) => {
    const before = mock.engine.jobs.size;
    const res = await submit(url);
    expectRouterError('openrouter', res, 400, /callback_url/);
    expect(mock.engine.jobs.size).toBe(before);
    await expectHealthy(mock.port);
  });

  it('accepts a public HTTPS callback', async () => {
    expect((await submit('https://hooks.example.com/reelkit')).status).toBe(202);
  });
});

describe('bodies buffered at once', () => {
  it('answers the router 429 when a body would pass the server-wide budget', async () => {
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createManualClock(),
    });
    const server = await listenMockServer({ engine, port: 0, maxBufferedBodyBytes: 1024 * 1024 });
    try {
      const port = Number(new URL(server.origin).port);
      const body = JSON.stringify({ ...CREATE.openrouter, prompt: 'z'.repeat(2 * 1024 * 1024) });
      const res = await rawRequest(port, {
        method: 'POST',
        path: '/api/v1/videos',
        headers: { ...AUTH, ...JSON_TYPE },
        body,
      });
      expectRouterError('openrouter', res, 429, /too many large bodies/);
      expect(res.headers['retry-after']).toBeDefined();
      await expectHealthy(port);
    } finally {
      await server.close();
    }
  });
});

describe('the control plane job view', () => {
  it('shows a stored request of a few KiB, whatever the job was sent', async () => {
    const mock = await startMock('openrouter');
    try {
      const prompt = 'y'.repeat(REQUEST_LIMITS.openrouter.maxPromptChars);
      const created = await rawRequest(mock.port, {
        method: 'POST',
        path: '/api/v1/videos',
        headers: { ...AUTH, ...JSON_TYPE },
        body: JSON.stringify({ ...CREATE.openrouter, prompt }),
      });
      expect(created.status).toBe(202);
      const { id } = JSON.parse(created.text) as { id: string };
      const view = await rawRequest(mock.port, { path: `/__reelkit/jobs/${id}` });
      expect(view.status).toBe(200);
      expect(view.text.length).toBeLessThan(8 * 1024);
      expect(view.text).toContain(`[${prompt.length} characters]`);
    } finally {
      await mock.server.close();
    }
  });
});

/** Waits (real time, bounded) for something the server does as requests arrive. */
async function until(condition: () => boolean, giveUpMs = 10_000): Promise<void> {
  const deadline = performance.now() + giveUpMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
