import { routmySpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import type { ControllableClock } from '../../core/clock.js';
import { createManualClock } from '../../core/clock.js';
import type { MockEngineOptions } from '../../core/engine.js';
import { secondsUntilDailyReset } from '../../core/ledger.js';
import { createMockEngine } from '../../core/engine.js';
import type { RoutMyMockOptions } from './index.js';
import { createRoutMyMock, ROUTMY_DEFAULT_QUOTA_TOKENS } from './index.js';

const ORIGIN = 'https://api.rout.my';
const KEY = 'sk-routmy-test';
const START = Date.UTC(2026, 3, 24, 12);
const auth = { authorization: `Bearer ${KEY}` };

type Body = Record<string, unknown>;
interface ErrorBody {
  error: { message: string; type: string; code: string; param?: string };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(options: Partial<MockEngineOptions> = {}, mock: RoutMyMockOptions = {}) {
  const clock = createManualClock({ start: START });
  const provider = createRoutMyMock(mock);
  const engine = createMockEngine({ provider, clock, ...options });
  const call = (path: string, init: RequestInit = {}) =>
    engine.handle(
      new Request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string>) },
      }),
    );
  const submit = (body: Body, headers: Record<string, string> = {}) =>
    call('/v1/video/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { clock, engine, provider, call, submit };
}

/** Watches a promise without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

/** Lets the handler reach its sleep: the job exists once the body has been read and judged. */
async function untilJobs(engine: { jobs: { size: number } }, size: number) {
  for (let i = 0; i < 50 && engine.jobs.size < size; i++) await settle();
  expect(engine.jobs.size).toBe(size);
}

/** Advances virtual time until the held request answers. */
async function finish(clock: ControllableClock, promise: Promise<Response>, stepMs = 10_000) {
  const state = track(promise);
  for (let i = 0; i < 1000 && !state.done; i++) {
    await clock.advance(stepMs);
    await settle();
  }
  return promise;
}

/** Submits, and resolves the held request on virtual time. */
async function generate(
  ctx: ReturnType<typeof setup>,
  body: Body,
  headers: Record<string, string> = {},
) {
  return finish(ctx.clock, ctx.submit(body, headers));
}

describe('rout.my mock', () => {
  it('holds the connection for the render time, then answers 200 with an MP4', async () => {
    const { clock, engine, call, submit } = setup();
    const pending = submit({ model: 'google/veo-3.1', prompt: 'a cat', resolution: '720p' });
    const state = track(pending);
    await untilJobs(engine, 1);
    const [job] = engine.jobs.list();
    const held = (job?.timeline[1]?.at ?? 0) - START;
    expect(held).toBeGreaterThanOrEqual(65_000);
    expect(held).toBeLessThanOrEqual(135_000);

    // While rendering: no answer yet, and the control plane shows the open request.
    await clock.advance(held - 1);
    await settle();
    expect(state.done).toBe(false);
    const open = (await (await call(`/__reelkit/jobs/${job?.id}`)).json()) as { status: string };
    expect(open.status).toBe('rendering');

    await clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(200);
    const body = routmySpec.RoutMyVideoResponse.parse(await res.json());
    expect(body).toEqual({
      created: Math.floor((START + held) / 1000),
      model: 'google/veo-3.1',
      duration: 8,
      videos: [
        {
          url: expect.stringMatching(/^https:\/\/api\.rout\.my\/__reelkit\/media\//),
          mime_type: 'video/mp4',
        },
      ],
    });

    const detail = (await (await call(`/__reelkit/jobs/${job?.id}`)).json()) as {
      status: string;
      canonicalStatus: string;
      history: { status: string }[];
    };
    expect(detail.history.map((h) => h.status)).toEqual(['rendering', 'succeeded']);
    expect(detail.canonicalStatus).toBe('completed');

    const video = await engine.handle(new Request(body.videos[0]?.url ?? ''));
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await video.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
    expect(engine.diagnostics).toEqual([]);
  });

  it('runs the documented curl example unchanged on the docs placeholder model', async () => {
    const ctx = setup();
    const res = await generate(ctx, {
      model: 'provider/video-model-id',
      prompt: 'A slow camera move across a glass cube on a white table',
      duration: 5,
      resolution: '720p',
      aspect_ratio: '16:9',
      n: 1,
    });
    expect(res.status).toBe(200);
    const body = routmySpec.RoutMyVideoResponse.parse(await res.json());
    expect(body).toMatchObject({ model: 'provider/video-model-id', duration: 5 });
    const assetId = new URL(body.videos[0]?.url ?? '').pathname
      .split('/')
      .pop()
      ?.replace('.mp4', '');
    expect(ctx.engine.media.spec(assetId ?? '')).toEqual({
      width: 1280,
      height: 720,
      durationSeconds: 5,
    });
    expect(ctx.engine.diagnostics).toEqual([]);
  });

  it('returns n distinct downloadable videos with the resolved size', async () => {
    const ctx = setup();
    const res = await generate(ctx, {
      model: 'google/veo-3.1',
      prompt: 'two takes',
      n: 2,
      resolution: '1080p',
      aspect_ratio: '9:16',
      duration: 6,
    });
    const body = routmySpec.RoutMyVideoResponse.parse(await res.json());
    expect(body.videos).toHaveLength(2);
    const urls = body.videos.map((v) => v.url);
    expect(new Set(urls).size).toBe(2);
    for (const url of urls) {
      const id = new URL(url).pathname.split('/').pop()?.replace('.mp4', '') ?? '';
      expect(ctx.engine.media.spec(id)).toEqual({ width: 1080, height: 1920, durationSeconds: 6 });
      const video = await ctx.engine.handle(new Request(url));
      expect(video.status).toBe(200);
      const bytes = new Uint8Array(await video.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
    }
    expect(ctx.engine.diagnostics).toEqual([]);
  });

  it.each([
    ['above the maximum', 'google/veo-3.1', 20, 8],
    ['below the minimum', 'google/veo-3.1', 1, 4],
    ['missing (model default)', 'openai/sora-2', undefined, 4],
  ])('reports a duration %s after the server-side clamp', async (_, model, duration, expected) => {
    const ctx = setup();
    const res = await generate(ctx, { model, prompt: 'x', ...(duration ? { duration } : {}) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { duration: number }).duration).toBe(expected);
    const [job] = ctx.engine.jobs.list();
    expect(job?.generation.durationSeconds).toBe(expected);
    expect(ctx.engine.diagnostics).toEqual([]);
  });

  describe('quota', () => {
    it('charges the documented formula per API key after success', async () => {
      const ctx = setup();
      const { ledger } = ctx.engine;
      expect(ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS);
      // 8 s (default) × 60,000 × 720p 1.0 × audio on 1.3 × std 1.0 × no video 1.0 × n 1 × 2
      await generate(ctx, { model: 'google/veo-3.1', prompt: 'a cat', resolution: '720p' });
      expect(ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS - 1_248_000);
      // 6 s × 60,000 × 1080p 1.8 × audio off 1.0 × pro 1.5 × 1.0 × n 2 × 2
      await generate(ctx, {
        model: 'google/veo-3.1',
        prompt: 'a cat',
        duration: 6,
        resolution: '1080p',
        audio: false,
        quality: 'pro',
        n: 2,
      });
      expect(ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS - 1_248_000 - 3_888_000);
      expect(ledger.balanceOf('sk-someone-else')).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS);
      expect(ctx.engine.diagnostics).toEqual([]);
    });

    it('counts video input (edit mode) with its 1.7 factor', async () => {
      const ctx = setup();
      await generate(ctx, {
        model: 'provider/video-model-id',
        prompt: 'Make the camera movement smoother and keep the same subject.',
        input_video: 'https://example.com/source.mp4',
        duration: 5,
        resolution: '720p',
      });
      // 5 × 60,000 × 1.0 × audio on 1.3 × std 1.0 × video input 1.7 × 1 × 1
      expect(ctx.engine.ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS - 663_000);
    });

    it('answers 429 before generation when the worst case exceeds the balance', async () => {
      const { engine, submit } = setup();
      engine.ledger.set(KEY, 2_000_000);
      // Enough for what this request would really cost (1,248,000), not for its worst case:
      // 8 s × 60,000 × 1080p 1.8 × audio 1.3 × pro 1.5 × 1 × 2 = 3,369,600.
      const res = await submit({ model: 'google/veo-3.1', prompt: 'a cat' });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('43200');
      expect(await res.json()).toEqual({
        error: {
          message:
            'Insufficient quota: this request may use up to 3369600 tokens (worst-case estimate) ' +
            'and 2000000 remain. Wait for the reset window, reduce the request size, ' +
            'or check quota.',
          type: 'rate_limit_error',
          code: 'Too Many Requests',
        },
      });
      expect(engine.jobs.size).toBe(0);
      expect(engine.ledger.balanceOf(KEY)).toBe(2_000_000);
      expect(engine.diagnostics).toEqual([]);
    });

    it('lets the same request through once every parameter is given', async () => {
      const ctx = setup();
      ctx.engine.ledger.set(KEY, 2_000_000);
      const res = await generate(ctx, {
        model: 'google/veo-3.1',
        prompt: 'a cat',
        duration: 5,
        resolution: '720p',
        quality: 'std',
        audio: false,
      });
      expect(res.status).toBe(200);
      // 5 × 60,000 × 1.0 × 1.0 × 1.0 × 1.0 × 1 × 2
      expect(ctx.engine.ledger.balanceOf(KEY)).toBe(1_400_000);
    });

    it('takes each key balance from quotaTokens and resets it at 00:00 UTC', async () => {
      const ctx = setup({}, { quotaTokens: 1_000_000 });
      expect((await ctx.submit({ model: 'google/veo-3.1', prompt: 'x' })).status).toBe(429);
      ctx.engine.ledger.set(KEY, 0);
      await ctx.clock.advance(secondsUntilDailyReset(ctx.clock.now()) * 1000);
      const res = await generate(ctx, {
        model: 'bytedance/seedance-1-lite',
        prompt: 'x',
        duration: 5,
        resolution: '720p',
        quality: 'std',
      });
      expect(res.status).toBe(200);
      // 5 × 60,000 × 1.0 × no audio 1.0 × 1.0 × 1.0 × 1 × 0.5
      expect(ctx.engine.ledger.balanceOf(KEY)).toBe(1_000_000 - 150_000);
      expect(ctx.engine.diagnostics).toEqual([]);
    });

    it('does not charge a failed render (provisional)', async () => {
      const ctx = setup();
      const res = await generate(
        ctx,
        { model: 'google/veo-3.1', prompt: 'x' },
        { 'X-Reelkit-Scenario': 'failed' },
      );
      expect(res.status).toBe(502);
      expect(ctx.engine.ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS);
    });
  });

  describe('scenarios', () => {
    it.each([
      [
        'failed',
        502,
        'upstream_error',
        'Bad Gateway',
        'Upstream provider failed or no provider succeeded.',
      ],
      [
        'moderation',
        400,
        'invalid_request_error',
        'Bad Request',
        'The prompt was blocked by the content policy. Change the prompt and try again.',
      ],
    ])(
      '%s answers %i after the render time and ends the record failed',
      async (scenario, status, type, code, message) => {
        const { clock, engine, submit } = setup();
        const pending = submit(
          { model: 'google/veo-3.1', prompt: 'x' },
          { 'X-Reelkit-Scenario': scenario },
        );
        const state = track(pending);
        await untilJobs(engine, 1);
        const [job] = engine.jobs.list();
        const held = (job?.timeline[1]?.at ?? 0) - START;
        await clock.advance(held - 1);
        await settle();
        expect(state.done).toBe(false);
        await clock.advance(1);
        const res = await pending;
        expect(res.status).toBe(status);
        expect(await res.json()).toEqual({ error: { message, type, code } });
        expect(engine.jobs.statusOf(job!).status).toBe('failed');
        expect(job?.error).toBe(message);
        expect(job?.assets).toEqual([]);
        expect(engine.ledger.balanceOf(KEY)).toBe(ROUTMY_DEFAULT_QUOTA_TOKENS);
        expect(engine.diagnostics).toEqual([]);
      },
    );

    it('reads the scenario from a prompt token, in either prompt form', async () => {
      const ctx = setup();
      const res = await generate(ctx, {
        model: 'google/veo-3.1',
        prompt: { text: 'animate [reelkit:moderation]', image: 'https://example.com/a.png' },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/content policy/);
    });

    it('slow holds the connection five times longer', async () => {
      const held = async (scenario: string) => {
        const ctx = setup({ seed: 3 });
        await generate(
          ctx,
          { model: 'google/veo-3.1', prompt: 'x' },
          { 'X-Reelkit-Scenario': scenario },
        );
        const [job] = ctx.engine.jobs.list();
        expect(ctx.engine.jobs.statusOf(job!).status).toBe('succeeded');
        return (job?.timeline[1]?.at ?? 0) - (job?.timeline[0]?.at ?? 0);
      };
      expect(await held('slow')).toBe(5 * (await held('success')));
    });

    it.each([
      [
        'insufficient-credits',
        429,
        'rate_limit_error',
        'Too Many Requests',
        /^Insufficient quota/,
        '86400',
      ],
      ['rate-limit', 429, 'rate_limit_error', 'Too Many Requests', /^Rate limit exceeded/, '60'],
      [
        'server-error',
        500,
        'server_error',
        'Internal Server Error',
        /^Internal server error\.$/,
        null,
      ],
      ['provider-error', 502, 'upstream_error', 'Bad Gateway', /^Upstream provider failed/, null],
    ])(
      '%s answers %i at once in the envelope',
      async (scenario, status, type, code, message, retryAfter) => {
        const { engine, submit } = setup();
        const res = await submit(
          { model: 'google/veo-3.1', prompt: 'x' },
          { 'X-Reelkit-Scenario': scenario },
        );
        expect(res.status).toBe(status);
        const body = routmySpec.RoutMyErrorResponse.parse(await res.json());
        expect(body.error).toMatchObject({ type, code });
        expect(body.error.message).toMatch(message);
        expect(res.headers.get('retry-after')).toBe(retryAfter);
        if (scenario === 'rate-limit') expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(engine.jobs.size).toBe(0);
        expect(engine.diagnostics).toEqual([]);
      },
    );

    it('refuses scenarios rout.my cannot act out', async () => {
      const { submit } = setup();
      for (const scenario of ['cancelled', 'expired']) {
        const res = await submit(
          { model: 'google/veo-3.1', prompt: 'x' },
          { 'X-Reelkit-Scenario': scenario },
        );
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'MOCK_ERR_UNKNOWN_SCENARIO',
        );
      }
    });
  });

  describe('errors', () => {
    it('answers an unknown model with 404 model_not_found', async () => {
      const { engine, submit } = setup();
      const res = await submit({ model: 'nope/nope', prompt: 'x' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          message:
            "The model 'nope/nope' does not exist. " +
            'List models again (GET /v1/models) and copy the ID exactly.',
          type: 'invalid_request_error',
          code: 'model_not_found',
          param: 'model',
        },
      });
      expect(engine.jobs.size).toBe(0);
    });

    it('answers a model locked on the plan with 403, unless the plan unlocks it', async () => {
      const locked = await setup().submit({ model: 'openai/sora-2-pro', prompt: 'x' });
      expect(locked.status).toBe(403);
      expect(((await locked.json()) as ErrorBody).error).toMatchObject({
        type: 'permission_error',
        code: 'Forbidden',
        param: 'model',
      });
      const ctx = setup({}, { isAvailable: (_, key) => key === KEY });
      expect((await generate(ctx, { model: 'openai/sora-2-pro', prompt: 'x' })).status).toBe(200);
    });

    it.each([
      [{ resolution: '8K' }, 'resolution', /^resolution '8K' is not supported/],
      [
        { resolution: '480p' },
        'resolution',
        /not supported by google\/veo-3\.1; supported: 720p, 1080p/,
      ],
      [{ aspect_ratio: '1:1' }, 'aspect_ratio', /supported: 16:9, 9:16/],
      [{ n: 5 }, 'n', /^n 5 exceeds the maximum of 4/],
      [{ n: 0 }, 'n', /^n must be at least 1/],
      [{ quality: 'ultra' }, 'quality', /^quality 'ultra' is not supported/],
      [{ duration: -3 }, 'duration', /positive number/],
      [{ prompt: '  ' }, 'prompt', /^prompt is required/],
      [
        { input_video: 'https://example.com/a.mp4' },
        'input_video',
        /does not accept an input video/,
      ],
    ])('answers 400 for %o', async (fields, param, message) => {
      const { engine, submit } = setup();
      const res = await submit({ model: 'google/veo-3.1', prompt: 'x', ...fields });
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'Bad Request',
        param,
      });
      expect(body.error.message).toMatch(message);
      expect(engine.jobs.size).toBe(0);
      expect(engine.diagnostics).toEqual([]);
    });

    it('answers a body that fails the schema, or is not JSON, with the 400 pair', async () => {
      const { call, submit, engine } = setup();
      const missing = await submit({ model: 'google/veo-3.1' });
      expect(missing.status).toBe(400);
      const body = (await missing.json()) as ErrorBody;
      expect(body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'Bad Request',
        param: 'prompt',
      });
      expect(body.error.message).toMatch(/^Invalid request body: prompt: /);
      const notJson = await call('/v1/video/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      });
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as ErrorBody).error.message).toMatch(/could not be parsed/);
      expect(engine.diagnostics).toEqual([]);
    });

    it('answers 401 without a key, or with a key not on the list', async () => {
      const { engine } = setup({ apiKeys: [KEY] });
      const post = (headers: Record<string, string>) =>
        engine.handle(
          new Request(`${ORIGIN}/v1/video/generations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x' }),
          }),
        );
      const missing = await post({});
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as ErrorBody).error).toMatchObject({
        type: 'authentication_error',
        code: 'Unauthorized',
        message: expect.stringMatching(/^Missing API key/),
      });
      const wrong = await post({ authorization: 'Bearer sk-nope' });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as ErrorBody).error.message).toMatch(/^Invalid API key/);
      expect(engine.diagnostics).toEqual([]);
    });

    it('answers a wrong path with 404 Not Found', async () => {
      const res = await setup().call('/v1/videos');
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe('Not Found');
    });
  });

  describe('GET /v1/models', () => {
    it('serves the catalog without a key, with the catalog defaults', async () => {
      const { engine } = setup();
      const res = await engine.handle(new Request(`${ORIGIN}/v1/models`));
      expect(res.status).toBe(200);
      const list = routmySpec.RoutMyModelsListResponse.parse(await res.json());
      expect(list.data.map((m) => m.id)).toEqual(routmySpec.ROUTMY_CATALOG.map((e) => e.model.id));
      expect(list.data.find((m) => m.id === 'provider/video-model-id')).toEqual({
        id: 'provider/video-model-id',
        object: 'model',
        created: 1700000000,
        owned_by: 'provider',
        token_multiplier: 1,
        is_available: true,
      });
      expect(list.data.find((m) => m.id === 'openai/sora-2-pro')?.is_available).toBe(false);
      expect(engine.diagnostics).toEqual([]);
    });

    it('marks is_available from the plan of the key sent', async () => {
      const { engine, call } = setup(
        {},
        { isAvailable: (id, key) => key === KEY || id !== 'openai/sora-2-pro' },
      );
      const mine = routmySpec.RoutMyModelsListResponse.parse(
        await (await call('/v1/models')).json(),
      );
      expect(mine.data.every((m) => m.is_available)).toBe(true);
      const other = await engine.handle(
        new Request(`${ORIGIN}/v1/models`, { headers: { authorization: 'Bearer sk-other' } }),
      );
      const theirs = routmySpec.RoutMyModelsListResponse.parse(await other.json());
      expect(theirs.data.find((m) => m.id === 'openai/sora-2-pro')?.is_available).toBe(false);
    });

    it('refuses a key that is not accepted, and acts out the 429 and 500 scenarios', async () => {
      const { engine, call } = setup({ apiKeys: [KEY] });
      const wrong = await engine.handle(
        new Request(`${ORIGIN}/v1/models`, { headers: { authorization: 'Bearer sk-nope' } }),
      );
      expect(wrong.status).toBe(401);
      const limited = await call('/v1/models', { headers: { 'X-Reelkit-Scenario': 'rate-limit' } });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      const broken = await call('/v1/models', {
        headers: { 'X-Reelkit-Scenario': 'server-error' },
      });
      expect(broken.status).toBe(500);
      expect(engine.diagnostics).toEqual([]);
    });
  });

  it('gives the same urls, times and bodies for the same seed', async () => {
    const run = async () => {
      const ctx = setup({ seed: 7 });
      const res = await generate(ctx, { model: 'google/veo-3.1', prompt: 'x', n: 2 });
      return { body: await res.json(), timeline: ctx.engine.jobs.list()[0]?.timeline };
    };
    expect(await run()).toEqual(await run());
  });

  it('answers concurrent held requests independently', async () => {
    const ctx = setup();
    const a = ctx.submit({ model: 'bytedance/seedance-1-lite', prompt: 'a' });
    const b = ctx.submit({ model: 'openai/sora-2', prompt: 'b' });
    await untilJobs(ctx.engine, 2);
    const [ra, rb] = await Promise.all([finish(ctx.clock, a), finish(ctx.clock, b)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(ctx.engine.jobs.list().map((j) => ctx.engine.jobs.statusOf(j).status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(ctx.engine.diagnostics).toEqual([]);
  });
});
