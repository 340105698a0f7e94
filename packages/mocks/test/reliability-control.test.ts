/**
 * The control plane and Host handling under attack, over real HTTP on 127.0.0.1 (issue #13,
 * items 1–4 and 7). Each attack is sent as an attacker would send it, and each test asserts a
 * clear error (status, stable code, a message naming what was wrong), no stack trace or file path
 * in any answer, and the server still answering everyone else afterwards. Every exchange is
 * bounded: a raw socket gives up after {@link EXCHANGE_TIMEOUT_MS}, and a hang fails the test.
 */
import { connect } from 'node:net';
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../src/adapters/fastify.js';
import { listenMockServer } from '../src/adapters/fastify.js';
import { createManualClock, MAX_CLOCK_MS } from '../src/core/clock.js';
import type { MockEngine, MockEngineOptions } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';

const EXCHANGE_TIMEOUT_MS = 3_000;
const AUTH = { authorization: 'Bearer sk-reliability-0123456789' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** What came back on a raw connection, and whether the server closed it (rather than we). */
interface Exchange {
  readonly status: number;
  readonly text: string;
  readonly body: string;
  readonly closedByServer: boolean;
}

/**
 * Writes `head` (and `body`) on a fresh socket exactly as given (no Host rewriting, no path
 * normalisation) and reads until the server closes or the time is up.
 */
function exchange(port: number, head: string, body = ''): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closedByServer = true;
    const socket = connect(port, '127.0.0.1', () => socket.end(head + body));
    const timer = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, EXCHANGE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, body: text.slice(text.indexOf('\r\n\r\n') + 4), closedByServer });
    });
  });
}

/** A request head with `Connection: close`, so the server ends the exchange after answering. */
function head(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries({
    ...headers,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }).map(([name, value]) => `${name}: ${value}`);
  return [`${method} ${path} HTTP/1.1`, ...lines, '', ''].join('\r\n');
}

/** No stack frame, no absolute file path, no `file://` URL, and not the checkout's directory. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toMatch(/file:\/\//);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/\/(?:home|work|usr|tmp|root)\/[\w.-]+\//);
}

interface Mock {
  engine: MockEngine;
  server: RunningMockServer;
  port: number;
  logged: unknown[];
  url: (path: string) => string;
  /** A control call with JSON, as a script would make it. */
  control: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Response>;
  close: () => Promise<void>;
}

async function startMock(id: ProviderId, options: Partial<MockEngineOptions> = {}): Promise<Mock> {
  const logged: unknown[] = [];
  const engine = createMockEngine({
    provider: mockProviders[id]!,
    clock: createManualClock(),
    log: (message, error) => logged.push({ message, error }),
    ...options,
  });
  const server = await listenMockServer({ engine, port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  return {
    engine,
    server,
    port,
    logged,
    url,
    control: (method, path, body, headers = {}) =>
      fetch(url(path), {
        method,
        headers: { ...JSON_TYPE, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      }),
    close: () => server.close(),
  };
}

/** A control-plane error: status, stable code, a message matching `message`, nothing internal. */
async function expectControlError(
  response: Response,
  status: number,
  code: string,
  message?: RegExp,
): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  expectNoInternals(text);
  return body.error.message;
}

/** The mock still serves: health answers, and a router route answers as usual. */
async function expectStillServing(mock: Mock): Promise<void> {
  const health = await fetch(mock.url('/__reelkit/health'), {
    signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
  });
  expect(health.status).toBe(200);
  const body = (await health.json()) as { clock: { time: string } };
  expect(new Date(body.clock.time).getTime()).toBeGreaterThan(0);
}

describe('1. bad clock values cannot break the clock', () => {
  let mock: Mock;
  beforeAll(async () => (mock = await startMock('openrouter')));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  it.each([
    [{ ms: 1e300 }, /"ms" must be a number from 0 to \d+ ms/],
    [{ ms: 1e17 }, /"ms" must be a number from 0 to \d+ ms/],
    [{ ms: -5 }, /"ms" must be a number from 0/],
    [{ seconds: 1e14 }, /"seconds" must be a number from 0 to \d+ seconds/],
    [{ ms: '90000' }, /"ms" must be a number/],
    [{ ms: 1, seconds: 1 }, /either \{"ms"/],
  ])('refuses %j with a 400 naming the field and the range', async (body, message) => {
    const before = mock.engine.clock.now();
    await expectControlError(
      await mock.control('POST', '/__reelkit/clock/advance', body),
      400,
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      message,
    );
    expect(mock.engine.clock.now()).toBe(before);
  });

  it('refuses 1e309 (Infinity once parsed) as well', async () => {
    const res = await exchange(
      mock.port,
      head('POST', '/__reelkit/clock/advance', { host: '127.0.0.1', ...JSON_TYPE }, '{"ms":1e309}'),
      '{"ms":1e309}',
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatch(/\\"ms\\" must be a number .* got Infinity/);
  });

  it('moves to the very end of the Date range and no further; jobs keep working there', async () => {
    const limit = MAX_CLOCK_MS - mock.engine.clock.now();
    // Leave room for a job's render time before the end of the range.
    const advanced = await mock.control('POST', '/__reelkit/clock/advance', {
      ms: limit - 86_400_000,
    });
    expect(advanced.status).toBe(200);
    const created = await fetch(mock.url('/api/v1/videos'), {
      method: 'POST',
      headers: { ...AUTH, ...JSON_TYPE },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'at the end of time' }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(mock.url(`/api/v1/videos/${id}`), { headers: AUTH })).status).toBe(200);
    expect((await fetch(mock.url('/__reelkit/jobs'))).status).toBe(200);
    await expectControlError(
      await mock.control('POST', '/__reelkit/clock/advance', { ms: 86_400_001 }),
      400,
      'MOCK_ERR_BAD_CONTROL_REQUEST',
    );
    expect((await mock.control('POST', '/__reelkit/reset', {})).status).toBe(200);
  });
});

describe.each(PROVIDER_IDS)('2. %s: a malformed Host is answered at once, never hangs', (id) => {
  let mock: Mock;
  beforeAll(async () => (mock = await startMock(id)));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  it.each([
    'a b',
    '[zz]',
    'a%zz',
    'x/__reelkit/reset?',
    'user@127.0.0.1',
    '127.0.0.1:99999',
    '127.1',
  ])('Host %j gets 400 in the router envelope and the connection closes', async (host) => {
    for (const path of ['/__reelkit/health', mock.engine.provider.spec.basePath || '/']) {
      const res = await exchange(mock.port, head('GET', path, { host }));
      expect(res.closedByServer, `no answer to Host ${host}`).toBe(true);
      expect(res.status, res.text).toBe(400);
      expect(res.body).toMatch(/Host/);
      expect(mock.engine.provider.spec.errorSchema.safeParse(JSON.parse(res.body)).success).toBe(
        true,
      );
      expectNoInternals(res.text);
    }
  });

  it('serves an HTTP/1.0 request without Host as its own address', async () => {
    const res = await exchange(mock.port, 'GET /__reelkit/health HTTP/1.0\r\n\r\n');
    expect(res.text).toMatch(/^HTTP\/1\.[01] 200/);
  });

  it('answers 100 bad-Host connections at once, all of them', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        exchange(mock.port, head('GET', '/__reelkit/health', { host: `bad host ${i}` })),
      ),
    );
    expect(answers.filter((a) => a.status === 400 && a.closedByServer)).toHaveLength(100);
  });
});

describe('3. no request path but /__reelkit/... reaches the control plane', () => {
  let mock: Mock;
  beforeAll(async () => (mock = await startMock('openrouter')));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  const createJob = async () => {
    const res = await fetch(mock.url('/api/v1/videos'), {
      method: 'POST',
      headers: { ...AUTH, ...JSON_TYPE },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'kept' }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { id: string; polling_url: string };
  };

  it('a path smuggled in Host does not reset the mock', async () => {
    await createJob();
    const jobs = mock.engine.jobs.size;
    const res = await exchange(
      mock.port,
      head('POST', '/api/v1/videos', { host: 'x/__reelkit/reset?', ...JSON_TYPE, ...AUTH }, '{}'),
      '{}',
    );
    expect(res.status).toBe(400);
    expect(mock.engine.jobs.size).toBe(jobs);
  });

  it.each([
    '/api/v1/../../__reelkit/reset',
    '/api/v1/%2e%2e/%2e%2e/__reelkit/reset',
    '/api\\..\\..\\__reelkit/reset',
    '/%5F%5Freelkit/reset',
    '//__reelkit/reset',
  ])('%s is not the control plane', async (path) => {
    await createJob();
    const jobs = mock.engine.jobs.size;
    const res = await exchange(
      mock.port,
      head('POST', path, { host: `127.0.0.1:${mock.port}`, ...JSON_TYPE }, '{}'),
      '{}',
    );
    expect(res.closedByServer).toBe(true);
    expect(res.status, res.text).not.toBe(200);
    expect(res.body).not.toContain('"ok":true');
    expect(mock.engine.jobs.size).toBe(jobs);
  });

  it('on loopback, a foreign Host (DNS rebinding) is refused; URLs never echo it', async () => {
    const res = await exchange(
      mock.port,
      head(
        'POST',
        '/api/v1/videos',
        { host: 'evil.example', ...JSON_TYPE, ...AUTH },
        '{"model":"google/veo-3.1","prompt":"p"}',
      ),
      '{"model":"google/veo-3.1","prompt":"p"}',
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/loopback names/);
    expect(res.body).not.toMatch(/polling_url/);
  });

  it('URLs in answers come from the validated Host (localhost is a loopback name)', async () => {
    const body = '{"model":"google/veo-3.1","prompt":"p"}';
    const res = await exchange(
      mock.port,
      head(
        'POST',
        '/api/v1/videos',
        { host: `LOCALHOST:${mock.port}`, ...JSON_TYPE, ...AUTH },
        body,
      ),
      body,
    );
    expect(res.status).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({
      polling_url: expect.stringMatching(
        new RegExp(`^http://localhost:${mock.port}/api/v1/videos/`),
      ),
    });
  });

  it('with a public URL, answers name it whatever Host the request carried', async () => {
    const behindProxy = await startMock('openrouter', { publicUrl: 'https://mocks.example.com/' });
    try {
      const job = await fetch(behindProxy.url('/api/v1/videos'), {
        method: 'POST',
        headers: { ...AUTH, ...JSON_TYPE },
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'p' }),
      });
      expect(((await job.json()) as { polling_url: string }).polling_url).toMatch(
        /^https:\/\/mocks\.example\.com\/api\/v1\/videos\//,
      );
      // The proxy forwards its own name as Host: served, although it is not a loopback name.
      const proxied = await exchange(
        behindProxy.port,
        head('GET', '/__reelkit/health', { host: 'mocks.example.com' }),
      );
      expect(proxied.status).toBe(200);
      expect(behindProxy.server.origin).toBe('https://mocks.example.com');
    } finally {
      await behindProxy.close();
    }
    expect(() =>
      createMockEngine({ provider: mockProviders.openrouter, publicUrl: 'https://x.example/a?b' }),
    ).toThrow(/origin only/);
  });
});

describe('4. only the token holder drives the control plane', () => {
  const TOKEN = 'ctl-0123456789abcdef';
  let mock: Mock;
  beforeAll(async () => (mock = await startMock('openrouter', { controlToken: TOKEN })));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  it.each([
    ['POST', '/__reelkit/reset', {}],
    ['POST', '/__reelkit/clock/advance', { seconds: 1 }],
    ['PUT', '/__reelkit/balances/sk-a', { balance: 1 }],
    ['POST', '/__reelkit/faults', { kind: 'server-error' }],
    ['GET', '/__reelkit/balances', undefined],
    ['GET', '/__reelkit/jobs', undefined],
    ['GET', '/__reelkit/clock', undefined],
  ] as const)('%s %s without the token: 401', async (method, path, body) => {
    await expectControlError(
      await mock.control(method, path, body),
      401,
      'MOCK_ERR_CONTROL_UNAUTHORIZED',
      /X-Reelkit-Control-Token/,
    );
    await expectControlError(
      await mock.control(method, path, body, { authorization: 'Bearer wrong-token-000000' }),
      401,
      'MOCK_ERR_CONTROL_UNAUTHORIZED',
      /token is wrong/,
    );
    expect(mock.engine.faults.size).toBe(0);
  });

  it('accepts the token as a Bearer or in X-Reelkit-Control-Token; health and media need none', async () => {
    expect(
      (
        await mock.control('GET', '/__reelkit/jobs', undefined, {
          authorization: `Bearer ${TOKEN}`,
        })
      ).status,
    ).toBe(200);
    expect(
      (await mock.control('POST', '/__reelkit/reset', {}, { 'x-reelkit-control-token': TOKEN }))
        .status,
    ).toBe(200);
    expect((await fetch(mock.url('/__reelkit/health'))).status).toBe(200);
    // A media URL is what router answers hand out: a client downloads it without the token.
    expect((await fetch(mock.url('/__reelkit/media/nosuchmedia.mp4'))).status).toBe(404);
  });

  it('refuses a non-loopback address without a token, saying why', async () => {
    const engine = createMockEngine({ provider: mockProviders.openrouter });
    await expect(listenMockServer({ engine, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /Refusing to listen on 0\.0\.0\.0 without a control token.*--control-token/,
    );
  });
});

describe('4. a web page cannot drive the control plane; keys are masked', () => {
  let mock: Mock;
  beforeAll(async () => (mock = await startMock('openrouter')));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  it('refuses a simple cross-site request (text/plain, as a form or no-cors fetch sends)', async () => {
    const res = await fetch(mock.url('/__reelkit/reset'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    await expectControlError(res, 415, 'MOCK_ERR_UNSUPPORTED_MEDIA_TYPE', /application\/json/);
  });

  it.each([
    [{ origin: 'http://evil.example' }],
    [{ origin: 'null' }],
    [{ origin: 'http://localhost:3000' }],
    [{ 'sec-fetch-site': 'cross-site' }],
  ])('refuses a mutating call with %j', async (headers) => {
    await fetch(mock.url('/api/v1/videos'), {
      method: 'POST',
      headers: { ...AUTH, ...JSON_TYPE },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'kept' }),
    });
    const jobs = mock.engine.jobs.size;
    await expectControlError(
      await mock.control('POST', '/__reelkit/reset', {}, headers),
      403,
      'MOCK_ERR_CROSS_SITE_REFUSED',
      /another site/,
    );
    expect(mock.engine.jobs.size).toBe(jobs);
  });

  it('accepts its own origin', async () => {
    const res = await mock.control(
      'POST',
      '/__reelkit/reset',
      {},
      {
        origin: `http://127.0.0.1:${mock.port}`,
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(res.status).toBe(200);
  });

  it('never shows an API key whole', async () => {
    const key = 'sk-or-v1-secretsecretsecret42';
    await mock.control('PUT', `/__reelkit/balances/${key}`, { balance: 3 });
    await fetch(mock.url('/api/v1/videos'), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...JSON_TYPE },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'p' }),
    });
    for (const path of ['/__reelkit/balances', `/__reelkit/balances/${key}`, '/__reelkit/jobs']) {
      const text = await (await fetch(mock.url(path))).text();
      expect(text).not.toContain('secretsecret');
    }
    const listed = (await (await fetch(mock.url('/__reelkit/balances'))).json()) as {
      balances: { key: string; balance: number }[];
    };
    expect(listed.balances).toContainEqual({ key: 'sk-o…et42', balance: 3 });
  });
});

describe('7. bad control values are refused; crashes are reelkit bugs, not the caller', () => {
  let mock: Mock;
  beforeAll(async () => (mock = await startMock('openrouter')));
  afterAll(() => mock.close());
  afterEach(() => expectStillServing(mock));

  it('refuses a balance of 1e309 (Infinity), -1 or a string', async () => {
    for (const raw of [
      '{"balance":1e309}',
      '{"balance":-1}',
      '{"balance":"5"}',
      '{"balance":1e10}',
    ]) {
      const res = await fetch(mock.url('/__reelkit/balances/sk-a'), {
        method: 'PUT',
        headers: JSON_TYPE,
        body: raw,
      });
      await expectControlError(
        res,
        400,
        'MOCK_ERR_BAD_CONTROL_REQUEST',
        /"balance" must be a number from 0 to 1000000000 usd/,
      );
    }
    expect(mock.engine.ledger.balanceOf('sk-a')).toBe(mock.engine.ledger.config.defaultBalance);
  });

  it.each([
    [
      { kind: 'latency', latencyMs: 1e308 },
      /latencyMs must be a number of simulated ms from 0 to 3600000/,
    ],
    [{ kind: 'stall', stallMs: -1 }, /stallMs must be a number of simulated ms from 0 to 3600000/],
    [
      { kind: 'latency', latencyMs: { distribution: 'normal', mean: 5, stddev: -1 } },
      /latencyMs\.stddev/,
    ],
    [
      { kind: 'rate-limit', retryAfterSeconds: 1e12 },
      /retryAfterSeconds must be a number from 0 to 86400/,
    ],
  ])('refuses the fault rule %j', async (rule, message) => {
    await expectControlError(
      await mock.control('POST', '/__reelkit/faults', rule),
      400,
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      message,
    );
    expect(mock.engine.faults.size).toBe(0);
  });

  it('refuses a bad jobs limit and a malformed escape in a control path', async () => {
    await expectControlError(
      await fetch(mock.url('/__reelkit/jobs?limit=1e400')),
      400,
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      /"limit" must be a whole number from 1 to 1000/,
    );
    const res = await exchange(
      mock.port,
      head('GET', '/__reelkit/balances/%E0%A4%A', { host: `127.0.0.1:${mock.port}` }),
    );
    expect(res.status).toBe(400);
    expectNoInternals(res.text);
  });

  it('answers an engine crash 500 MOCK_ERR_INTERNAL, logs it, and shows no stack or path', async () => {
    const ledger = mock.engine.ledger as { entries: () => [string, number][] };
    const entries = ledger.entries;
    ledger.entries = () => {
      throw new Error(`cannot read ${process.cwd()}/src/core/ledger.ts`);
    };
    try {
      const message = await expectControlError(
        await fetch(mock.url('/__reelkit/balances')),
        500,
        'MOCK_ERR_INTERNAL',
        /reelkit bug.*logged on the server/,
      );
      expect(message).not.toMatch(/ledger\.ts/);
    } finally {
      ledger.entries = entries;
    }
    expect(mock.logged).toHaveLength(1);
    const diagnostics = await (await fetch(mock.url('/__reelkit/diagnostics'))).text();
    expect(diagnostics).toContain('cannot read <path>');
    expectNoInternals(diagnostics);
  });

  it('answers a handler crash in the router envelope (500) and logs it', async () => {
    const provider = mockProviders.openrouter;
    const crashing = await startMock('openrouter', {
      provider: {
        ...provider,
        handlers: {
          ...provider.handlers,
          listModels: () => {
            throw new Error(`broken at ${process.cwd()}/src/providers/openrouter.ts:1:1`);
          },
        },
      },
    });
    try {
      const res = await fetch(crashing.url('/api/v1/videos/models'));
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(provider.spec.errorSchema.safeParse(JSON.parse(text)).success).toBe(true);
      expectNoInternals(text);
      expect(crashing.logged).toHaveLength(1);
      expectNoInternals(await (await fetch(crashing.url('/__reelkit/diagnostics'))).text());
    } finally {
      await crashing.close();
    }
  });
});
