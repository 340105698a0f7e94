/**
 * `callRoute` against an injected `fetch` (no network, no mock engine): request building, schema
 * checks in both directions, error mapping, and the retry rules.
 */
import { fastrouter, imagerouter, openrouter } from '@reelkit/spec';
import { createManualClock } from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import type { Clock, SchemaDrift } from '../src/index.js';
import {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  callRoute,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  parseRetryAfter,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from '../src/index.js';
import { caught } from './harness.js';

const BASE = 'https://openrouter.ai/api/v1';
const JOB = { id: 'abc123', polling_url: `${BASE}/videos/abc123`, status: 'pending' } as const;

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fetch answering from a list (the last answer repeats), recording what was sent. */
function scripted(...answers: (Response | Error | (() => Response))[]) {
  const sent: Sent[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : (answer as Response).clone();
  };
  return { fetch: fetchFn, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** A clock that only records waits: every sleep returns at once and moves time. */
function recordingClock(): Clock & { waits: number[] } {
  let now = Date.UTC(2026, 0, 1);
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

const netError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

const noJitter = { jitter: 0 };

describe('callRoute: requests', () => {
  it('fills and percent-encodes path params, adds the query, the key and Accept', async () => {
    const api = scripted(new Response(new Uint8Array([0, 0, 0, 8]), { status: 200 }));
    const { data } = await callRoute(openrouter.routes.getVideoContent, {
      baseUrl: `${BASE}/`,
      apiKey: 'sk-or',
      fetch: api.fetch,
      params: { jobId: 'a/b c' },
      query: { index: 1 },
    });
    expect(data).toBeInstanceOf(Response);
    expect(api.sent[0]?.url).toBe(`${BASE}/videos/a%2Fb%20c/content?index=1`);
    expect(api.sent[0]?.headers.get('authorization')).toBe('Bearer sk-or');
    expect(api.sent[0]?.headers.get('accept')).toBe('video/mp4');
  });

  it('never sends the key to a route that reads none', async () => {
    const api = scripted(json(200, { object: 'list', data: [] }));
    await callRoute(fastrouter.routes.listModels, {
      baseUrl: 'https://go.fastrouter.ai/api/v1',
      apiKey: 'sk-v1-secret',
      fetch: api.fetch,
    });
    expect(api.sent[0]?.headers.has('authorization')).toBe(false);
  });

  it('sends JSON, or multipart when the body holds a file', async () => {
    const ok = () =>
      json(200, { created: 1, data: [{ url: 'https://x/v.mp4' }], latency: 0, cost: 0 });
    const api = scripted(ok);
    await callRoute(imagerouter.routes.createVideo, {
      baseUrl: 'https://api.imagerouter.io',
      fetch: api.fetch,
      body: { model: 'ir/test-video', prompt: 'a cat' },
    });
    expect(api.sent[0]?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(String(api.sent[0]?.body))).toEqual({
      model: 'ir/test-video',
      prompt: 'a cat',
    });
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'first.png', { type: 'image/png' });
    await callRoute(imagerouter.routes.createVideo, {
      baseUrl: 'https://api.imagerouter.io',
      fetch: api.fetch,
      body: { model: 'ir/test-video', prompt: 'a cat', seconds: 5, 'image[]': [file] },
    });
    const form = api.sent[1]?.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(form.get('seconds')).toBe('5');
    expect((form.getAll('image[]')[0] as File).name).toBe('first.png');
    expect(api.sent[1]?.headers.has('content-type')).toBe(false);
  });

  it('checks params, query and body first and sends nothing when they are invalid', async () => {
    const api = scripted(json(202, JOB));
    const error = await caught(() =>
      callRoute(openrouter.routes.createVideo, {
        baseUrl: BASE,
        fetch: api.fetch,
        body: { model: 'google/veo-3.1', resolution: '999p' as '720p', duration: 0 },
      }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path.join('.'))).toEqual([
      'body.duration',
      'body.resolution',
    ]);
    expect(api.sent).toHaveLength(0);
  });
});

describe('callRoute: answers', () => {
  it('parses strictly by default and reports drift in lenient mode', async () => {
    const drifted = { ...JOB, progress: 42 };
    const api = scripted(json(200, drifted));
    const options = {
      baseUrl: BASE,
      fetch: api.fetch,
      params: { jobId: 'abc123' },
    } as const;
    const strict = await caught(() => callRoute(openrouter.routes.getVideo, options));
    expect(strict).toBeInstanceOf(ResponseValidationError);
    expect((strict as ResponseValidationError).issues[0]?.code).toBe('unrecognized_keys');
    const drifts: SchemaDrift[] = [];
    const { data } = await callRoute(openrouter.routes.getVideo, {
      ...options,
      lenient: true,
      onSchemaDrift: (d) => drifts.push(d),
    });
    expect(data).toEqual(drifted);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({ operationId: 'getVideos', status: 200 });
  });

  it('treats an undeclared success status as drift', async () => {
    const api = scripted(json(201, JOB));
    const input = { baseUrl: BASE, fetch: api.fetch, body: { model: 'google/veo-3.1' } } as const;
    expect(await caught(() => callRoute(openrouter.routes.createVideo, input))).toBeInstanceOf(
      ResponseValidationError,
    );
    const drifts: SchemaDrift[] = [];
    const { data } = await callRoute(openrouter.routes.createVideo, {
      ...input,
      lenient: true,
      onSchemaDrift: (d) => drifts.push(d),
    });
    expect(data.id).toBe('abc123');
    expect(drifts[0]?.issues[0]?.code).toBe('undeclared_status');
  });

  it('reads whitespace-led JSON (heartbeats) whatever the content type says', async () => {
    const chunks = [
      '  ',
      ' ',
      '{"created":1,"data":[{"url":"https://x/v.mp4"}],"latency":9,"cost":0}',
    ];
    const api = scripted(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
              controller.close();
            },
          }),
          { status: 200, headers: { 'content-type': 'text/plain' } },
        ),
    );
    let beats = 0;
    const { data } = await callRoute(imagerouter.routes.createVideo, {
      baseUrl: 'https://api.imagerouter.io',
      fetch: api.fetch,
      body: { model: 'ir/test-video' },
      onHeartbeat: () => beats++,
    });
    expect(beats).toBe(2);
    expect(data).toMatchObject({ latency: 9 });
  });

  it.each([
    [400, { error: { code: 400, message: 'bad' } }, BadRequestError, 'bad_request'],
    [
      401,
      { error: { code: 401, message: 'Missing Authentication header' } },
      AuthenticationError,
      'authentication_failed',
    ],
    [
      402,
      { error: { code: 402, message: 'Insufficient credits' } },
      PaymentRequiredError,
      'insufficient_credits',
    ],
    [
      403,
      { error: { code: 403, message: 'Flagged', metadata: { reasons: ['violence'] } } },
      PermissionDeniedError,
      'content_moderated',
    ],
    [404, { error: { code: 404, message: 'Resource not found' } }, NotFoundError, 'not_found'],
    [409, { error: { code: 409, message: 'conflict' } }, APIError, 'api_error'],
    [
      429,
      {
        error: {
          message: 'Insufficient quota',
          type: 'rate_limit_error',
          code: 'Too Many Requests',
        },
      },
      PaymentRequiredError,
      'quota_exceeded',
    ],
    [500, { error: { code: 500, message: 'Internal Server Error' } }, ServerError, 'server_error'],
  ] as const)(
    'maps %i to its class, keeping the router words',
    async (status, body, type, code) => {
      const api = scripted(json(status, body));
      const error = await caught(() =>
        callRoute(openrouter.routes.createVideo, {
          baseUrl: BASE,
          fetch: api.fetch,
          body: { model: 'm' },
          retry: false,
        }),
      );
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ code, status, providerMessage: body.error.message });
      expect((error as APIError).hint).toBeTruthy();
    },
  );

  it('keeps a proxy HTML error page as the message', async () => {
    const api = scripted(new Response('<html>502 Bad Gateway</html>', { status: 502 }));
    const error = await caught(() =>
      callRoute(openrouter.routes.listModels, { baseUrl: BASE, fetch: api.fetch, retry: false }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).providerMessage).toBe('<html>502 Bad Gateway</html>');
  });

  it('reports an error body that breaks the error schema, without hiding the error', async () => {
    const api = scripted(json(404, { error: { message: 'gone' } }));
    const drifts: SchemaDrift[] = [];
    const error = await caught(() =>
      callRoute(openrouter.routes.getVideo, {
        baseUrl: BASE,
        fetch: api.fetch,
        params: { jobId: 'x' },
        onSchemaDrift: (d) => drifts.push(d),
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(drifts[0]?.issues[0]?.path).toEqual(['body', 'error', 'code']);
  });
});

describe('callRoute: retries', () => {
  const submit = (fetchFn: typeof fetch, clock: Clock, extra: object = {}) =>
    callRoute(openrouter.routes.createVideo, {
      baseUrl: BASE,
      fetch: fetchFn,
      clock,
      body: { model: 'google/veo-3.1', prompt: 'a cat' },
      retry: noJitter,
      ...extra,
    });
  const poll = (fetchFn: typeof fetch, clock: Clock) =>
    callRoute(openrouter.routes.getVideo, {
      baseUrl: BASE,
      fetch: fetchFn,
      clock,
      params: { jobId: 'abc123' },
      retry: noJitter,
    });

  it('honours retry-after-ms, Retry-After seconds and Retry-After dates', async () => {
    const clock = recordingClock();
    const api = scripted(
      json(429, {}, { 'retry-after-ms': '250' }),
      json(429, {}, { 'retry-after': '1.5' }),
      json(202, JOB),
    );
    const { attempts } = await submit(api.fetch, clock, { retry: { ...noJitter, maxRetries: 3 } });
    expect(attempts).toBe(3);
    expect(clock.waits).toEqual([250, 1500]);
    const date = new Date(clock.now() + 5000).toUTCString();
    const later = scripted(json(503, {}, { 'retry-after': date }), json(202, JOB));
    await submit(later.fetch, clock);
    expect(clock.waits.at(-1)).toBeGreaterThanOrEqual(4000);
  });

  it('backs off exponentially without Retry-After', async () => {
    const clock = recordingClock();
    const api = scripted(json(500, {}), json(502, {}), json(200, JOB));
    await poll(api.fetch, clock);
    expect(clock.waits).toEqual([500, 1000]);
  });

  it('retries reads on 5xx but a submit only on 429/503', async () => {
    const clock = recordingClock();
    const failing = scripted(json(500, { error: { code: 500, message: 'boom' } }));
    const error = await caught(() => submit(failing.fetch, clock));
    expect(error).toBeInstanceOf(ServerError);
    expect(failing.sent).toHaveLength(1);
    const read = scripted(json(500, { error: { code: 500, message: 'boom' } }));
    expect(await caught(() => poll(read.fetch, clock))).toMatchObject({ attempts: 3 });
    expect(read.sent).toHaveLength(3);
  });

  it('lets x-should-retry decide', async () => {
    const clock = recordingClock();
    const yes = scripted(json(500, {}, { 'x-should-retry': 'true' }), json(202, JOB));
    expect((await submit(yes.fetch, clock)).attempts).toBe(2);
    const no = scripted(json(503, {}, { 'x-should-retry': 'false' }));
    await caught(() => poll(no.fetch, clock));
    expect(no.sent).toHaveLength(1);
  });

  it('stops at once when Retry-After exceeds maxRetryAfterMs', async () => {
    const clock = recordingClock();
    const api = scripted(
      json(429, { error: { code: 429, message: 'slow down' } }, { 'retry-after': '120' }),
    );
    const error = await caught(() => submit(api.fetch, clock));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, attempts: 1 });
    expect(clock.waits).toEqual([]);
  });

  it('retries a submit only when the connection failed before sending', async () => {
    const clock = recordingClock();
    const refused = scripted(netError('ECONNREFUSED'), json(202, JOB));
    expect((await submit(refused.fetch, clock)).attempts).toBe(2);
    const reset = scripted(netError('ECONNRESET'), json(202, JOB));
    const error = await caught(() => submit(reset.fetch, clock));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ maybeSent: true, attempts: 1 });
    const readReset = scripted(netError('UND_ERR_SOCKET'), json(200, JOB));
    expect((await poll(readReset.fetch, clock)).attempts).toBe(2);
    const dns = scripted(netError('ENOTFOUND'));
    expect(await caught(() => poll(dns.fetch, clock))).toMatchObject({ attempts: 1 });
  });

  it('never waits past the deadline', async () => {
    const clock = recordingClock();
    const api = scripted(json(429, {}, { 'retry-after': '30' }));
    const error = await caught(() => submit(api.fetch, clock, { timeoutMs: 20_000 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(clock.waits).toEqual([]);
  });
});

describe('callRoute: abort and timeout', () => {
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });

  it('an aborted signal sends nothing', async () => {
    const api = scripted(json(200, JOB));
    const error = await caught(() =>
      callRoute(openrouter.routes.getVideo, {
        baseUrl: BASE,
        fetch: api.fetch,
        params: { jobId: 'x' },
        signal: AbortSignal.abort(),
      }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(api.sent).toHaveLength(0);
  });

  it('aborts a request in flight when the signal fires', async () => {
    const controller = new AbortController();
    const pending = caught(() =>
      callRoute(openrouter.routes.getVideo, {
        baseUrl: BASE,
        fetch: hanging,
        params: { jobId: 'x' },
        signal: controller.signal,
      }),
    );
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
  });

  it('times out on the timeout clock, in virtual time', async () => {
    const clock = createManualClock();
    const pending = caught(() =>
      callRoute(openrouter.routes.getVideo, {
        baseUrl: BASE,
        fetch: hanging,
        params: { jobId: 'x' },
        clock,
        timeoutClock: clock,
        timeoutMs: 5000,
      }),
    );
    await clock.advance(5000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 5000 });
  });
});

describe('callRoute: attempt timeouts', () => {
  /** Hangs on the first call (until aborted), answers after that. */
  function hangsOnce(answer: Response) {
    let calls = 0;
    const fetchFn: typeof fetch = (_input, init) => {
      calls++;
      if (calls > 1) return Promise.resolve(answer.clone());
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    return { fetch: fetchFn, calls: () => calls };
  }

  it('a read whose attempt runs out of time is tried again', async () => {
    const clock = createManualClock();
    const api = hangsOnce(json(200, JOB));
    const pending = callRoute(openrouter.routes.getVideo, {
      baseUrl: BASE,
      fetch: api.fetch,
      params: { jobId: 'abc123' },
      clock,
      timeoutClock: clock,
      timeoutMs: 60_000,
      attemptTimeoutMs: 5000,
    });
    await clock.advance(5000);
    expect((await pending).attempts).toBe(2);
    expect(api.calls()).toBe(2);
  });

  it('a submit whose attempt runs out of time is not repeated', async () => {
    const clock = createManualClock();
    const api = hangsOnce(json(202, JOB));
    const pending = caught(() =>
      callRoute(openrouter.routes.createVideo, {
        baseUrl: BASE,
        fetch: api.fetch,
        body: { model: 'google/veo-3.1' },
        clock,
        timeoutClock: clock,
        timeoutMs: 60_000,
        attemptTimeoutMs: 5000,
      }),
    );
    await clock.advance(5000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5000 });
    expect(api.calls()).toBe(1);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after': '30' }, 30_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': new Date(now + 9000).toUTCString() }, 9000],
    [{ 'retry-after': new Date(now - 9000).toUTCString() }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%o → %s', (headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), now)).toBe(expected);
  });
});
