import { imagerouterSpec } from '@reelkit/spec';
import { createFile, MP4BoxBuffer } from 'mp4box';
import type { Movie } from 'mp4box';
import { describe, expect, it } from 'vitest';
import type { ControllableClock } from '../../core/clock.js';
import { createManualClock } from '../../core/clock.js';
import { createMockEngine } from '../../core/engine.js';
import type { MockEngine } from '../../core/engine.js';
import type { Job } from '../../core/store.js';
import { createImageRouterMock, IMAGEROUTER_FAILURES, imagerouterMock } from './index.js';

const { IMAGEROUTER_MESSAGES: M, VideoGenerationResponse, VideoGenerationResult } = imagerouterSpec;

const ORIGIN = 'https://api.imagerouter.io';
const GENERATE = '/v1/openai/videos/generations';
const START = Date.UTC(2026, 3, 24, 12);
const auth = { authorization: 'Bearer ir-test-key' };

type EngineOptions = Parameters<typeof createMockEngine>[0];

function setup(options: Partial<EngineOptions> = {}) {
  const clock = createManualClock({ start: START });
  const engine = createMockEngine({ provider: imagerouterMock, clock, ...options });
  const call = (path: string, init: RequestInit = {}) =>
    engine.handle(
      new Request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string>) },
      }),
    );
  const generate = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(GENERATE, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const lastJob = (): Job => {
    const job = engine.jobs.list().at(-1);
    if (!job) throw new Error('no job was created');
    return job;
  };
  return { clock, engine, call, generate, lastJob };
}

/** How long the request is held: from the job's start to its terminal status. */
const waitOf = (job: Job): number => (job.timeline.at(-1)?.at ?? 0) - job.createdAt;

/** Reads the whole held-open body while the clock runs to the end of the job. */
async function finish(res: Response, clock: ControllableClock, ms: number): Promise<string> {
  const text = res.text();
  await clock.advance(ms);
  return text;
}

const leadingSpaces = (text: string): number => /^ */.exec(text)?.[0].length ?? 0;

function parseMp4(bytes: Uint8Array): Movie {
  const file = createFile();
  let movie: Movie | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0));
  file.flush();
  if (!movie) throw new Error('mp4box could not read the video');
  return movie;
}

function expectMp4(bytes: Uint8Array, size: { width: number; height: number; seconds: number }) {
  expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  const movie = parseMp4(bytes);
  expect(movie.duration / movie.timescale).toBeCloseTo(size.seconds, 1);
  expect(movie.videoTracks[0]?.video).toMatchObject({ width: size.width, height: size.height });
}

async function download(engine: MockEngine, url: string): Promise<Uint8Array> {
  const res = await engine.handle(new Request(url));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('video/mp4');
  return new Uint8Array(await res.arrayBuffer());
}

const png = () =>
  new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'cat.png', { type: 'image/png' });

describe('ImageRouter mock: the held-open generation request', () => {
  it('answers 200 at once, writes a space every 3 s, then the finished video', async () => {
    const { clock, engine, call, generate, lastJob } = setup();
    const res = await generate({ model: 'google/veo-3.1', prompt: 'a cat', seconds: 8 });
    // Status and headers are out before any simulated time has passed.
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const job = lastJob();
    const wait = waitOf(job);
    expect(wait).toBeGreaterThanOrEqual(65_000);
    expect(wait).toBeLessThanOrEqual(135_000);
    expect(engine.jobs.statusOf(job).status).toBe('rendering');

    const reader = res.body!.getReader();
    await clock.advance(3000);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(' ');
    const live = (await (await call(`/__reelkit/jobs/${job.id}`)).json()) as {
      status: string;
      canonicalStatus: string;
    };
    expect(live).toMatchObject({ status: 'rendering', canonicalStatus: 'in_progress' });

    await clock.advance(wait - 3000);
    let text = ' ';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += new TextDecoder().decode(chunk.value);
    }
    expect(leadingSpaces(text)).toBe(Math.floor(wait / 3000));
    const body = VideoGenerationResponse.parse(JSON.parse(text.trim()));
    expect(body).toEqual({
      created: START + wait,
      data: [
        {
          url: expect.stringMatching(
            /^https:\/\/api\.imagerouter\.io\/__reelkit\/media\/[a-z0-9]{24}\.mp4$/,
          ),
          revised_prompt: null,
        },
      ],
      latency: wait,
      cost: 3.2,
    });
    expect(engine.jobs.statusOf(job).status).toBe('succeeded');
    expect(job.assets).toHaveLength(1);
    expectMp4(await download(engine, body.data[0]!.url!), { width: 1280, height: 720, seconds: 8 });
    expect(engine.diagnostics).toEqual([]);
  });

  it('returns b64_json as the base64 of the MP4, and keeps the asset', async () => {
    const { clock, engine, generate, lastJob } = setup();
    const res = await generate({
      model: 'google/veo-3.1-fast',
      prompt: 'a dog',
      size: '720x1280',
      seconds: 6,
      response_format: 'b64_json',
    });
    const job = lastJob();
    const text = await finish(res, clock, waitOf(job));
    const body = VideoGenerationResponse.parse(JSON.parse(text.trim()));
    expect(body.data[0]).toEqual({ b64_json: expect.any(String), revised_prompt: null });
    expect(body.cost).toBe(0.9);
    expectMp4(new Uint8Array(Buffer.from(body.data[0]!.b64_json!, 'base64')), {
      width: 720,
      height: 1280,
      seconds: 6,
    });
    expect(job.assets).toHaveLength(1);
    expect(engine.diagnostics).toEqual([]);
  });

  it('returns b64_ephemeral as base64 too, without a stored asset', async () => {
    const { clock, engine, generate, lastJob } = setup();
    const res = await generate({
      model: 'openai/sora-2',
      prompt: 'a fox',
      response_format: 'b64_ephemeral',
    });
    const job = lastJob();
    const body = VideoGenerationResponse.parse(
      JSON.parse((await finish(res, clock, waitOf(job))).trim()),
    );
    expectMp4(new Uint8Array(Buffer.from(body.data[0]!.b64_json!, 'base64')), {
      width: 1280,
      height: 720,
      seconds: 4,
    });
    expect(job.assets).toEqual([]);
    expect(job.data).toMatchObject({ responseFormat: 'b64_ephemeral', cost: 0.4 });
    expect(engine.diagnostics).toEqual([]);
  });

  it('takes multipart with an image[] file; unsupported seconds fall back silently', async () => {
    const { clock, engine, call, lastJob } = setup();
    const form = new FormData();
    form.append('prompt', 'the cat starts to dance');
    form.append('model', 'google/veo-3.1');
    form.append('seconds', '5');
    form.append('response_format', 'url');
    form.append('image[]', png());
    const res = await call(GENERATE, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const job = lastJob();
    const body = VideoGenerationResponse.parse(
      JSON.parse((await finish(res, clock, waitOf(job))).trim()),
    );
    // 5 s is not offered by Veo 3.1 (4, 6, 8): the router makes its default 4 s, and bills 4 s.
    expect(body.cost).toBe(1.6);
    expectMp4(await download(engine, body.data[0]!.url!), { width: 1280, height: 720, seconds: 4 });
    const detail = (await (await call(`/__reelkit/jobs/${job.id}`)).json()) as {
      status: string;
      generation: { durationSeconds: number; adjustments: string[] };
      request: Record<string, unknown>;
    };
    expect(detail.status).toBe('succeeded');
    expect(detail.generation.durationSeconds).toBe(4);
    expect(detail.generation.adjustments).toContain(
      'seconds 5 is not offered by google/veo-3.1 (4, 6, 8); default_seconds 4 used',
    );
    expect(detail.request['image[]']).toEqual([{ file: 'cat.png', type: 'image/png', size: 8 }]);
    expect(engine.diagnostics).toEqual([]);
  });

  it("answers the docs' JSON sample (ir/test-video) at once: created in ms, cost 0, a 1280x720 5 s clip", async () => {
    const { clock, engine, generate, lastJob } = setup();
    // seeds/imagerouter-video-generation.txt, JSON endpoint, with only the host changed.
    const res = await generate({
      prompt: 'YOUR_PROMPT',
      model: 'ir/test-video',
      size: 'auto',
      seconds: 'auto',
      response_format: 'url',
    });
    expect(res.status).toBe(200);
    expect(clock.pending).toBe(0);
    const text = await res.text();
    expect(text.startsWith('{')).toBe(true);
    const body = VideoGenerationResponse.parse(JSON.parse(text));
    expect(body).toEqual({
      // The docs' unit, as for every other model (the docs show 1769286389027).
      created: START,
      data: [{ url: expect.stringContaining(`${ORIGIN}/__reelkit/media/`), revised_prompt: null }],
      latency: 0,
      cost: 0,
    });
    expect(engine.jobs.statusOf(lastJob()).status).toBe('succeeded');
    expectMp4(await download(engine, body.data[0]!.url!), { width: 1280, height: 720, seconds: 5 });
    expect(engine.diagnostics).toEqual([]);
  });

  it.each(['b64_json', 'b64_ephemeral'] as const)(
    'honours response_format %s on ir/test-video, so code decoding data[0].b64_json runs',
    async (format) => {
      const { generate } = setup();
      const res = await generate({
        prompt: 'YOUR_PROMPT',
        model: 'ir/test-video',
        response_format: format,
      });
      const body = VideoGenerationResponse.parse(JSON.parse(await res.text()));
      expect(body.created).toBe(START);
      const item = body.data[0]!;
      expect(item.url).toBeUndefined();
      expectMp4(new Uint8Array(Buffer.from(item.b64_json ?? '', 'base64')), {
        width: 1280,
        height: 720,
        seconds: 5,
      });
    },
  );

  it('answers in ms for the test model and a real one alike (no mixed units)', async () => {
    const { clock, generate } = setup();
    const test = VideoGenerationResponse.parse(
      JSON.parse(await (await generate({ model: 'ir/test-video', prompt: 'x' })).text()),
    );
    const veo = await generate({ model: 'google/veo-3.1', prompt: 'x' });
    const text = veo.text();
    await clock.advance(10 * 60_000);
    const real = VideoGenerationResponse.parse(JSON.parse((await text).trim()));
    expect(String(test.created)).toHaveLength(13);
    expect(String(real.created)).toHaveLength(13);
    expect(real.created - test.created).toBe(real.latency);
  });

  it("answers as the open-source generateTestVideo with testModels: 'source' (seconds, URL only)", async () => {
    const clock = createManualClock({ start: START });
    const engine = createMockEngine({
      provider: createImageRouterMock({ testModels: 'source' }),
      clock,
    });
    const res = await engine.handle(
      new Request(`${ORIGIN}${GENERATE}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'ir/test-video', prompt: 'x', response_format: 'b64_json' }),
      }),
    );
    const body = VideoGenerationResponse.parse(JSON.parse(await res.text()));
    expect(body.created).toBe(Math.floor(START / 1000));
    expect(body.data[0]?.url).toContain('/__reelkit/media/');
    expect(engine.diagnostics).toEqual([]);
  });

  it('finishes on its own on the auto clock (the default), as `--clock auto` serves it', async () => {
    const engine = createMockEngine({ provider: imagerouterMock });
    const res = await engine.handle(
      new Request(`${ORIGIN}${GENERATE}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1-fast', prompt: 'x' }),
      }),
    );
    const text = await res.text();
    const job = engine.jobs.list()[0]!;
    expect(leadingSpaces(text)).toBe(Math.floor(waitOf(job) / 3000));
    expect(VideoGenerationResponse.parse(JSON.parse(text.trim())).latency).toBe(waitOf(job));
    expect(engine.diagnostics).toEqual([]);
  });

  it('stops the heartbeat when the client goes away', async () => {
    const { clock, engine, generate } = setup();
    const res = await generate({ model: 'google/veo-3.1', prompt: 'x' });
    expect(clock.pending).toBe(1);
    await res.body!.cancel();
    expect(clock.pending).toBe(0);
    expect(engine.diagnostics).toEqual([]);
  });

  it('gives the same body for the same seed', async () => {
    const run = async () => {
      const { clock, generate, lastJob } = setup({ seed: 11 });
      const res = await generate({ model: 'kling/kling-2.5-turbo-pro', prompt: 'x' });
      return finish(res, clock, waitOf(lastJob()));
    };
    const [a, b] = [await run(), await run()];
    expect(a).toBe(b);
    expect(JSON.parse(a.trim())).toMatchObject({ cost: 0.35 });
  });
});

describe('ImageRouter mock: scenarios', () => {
  it.each([
    ['failed', IMAGEROUTER_FAILURES.provider, 'Video generation failed'],
    ['moderation', IMAGEROUTER_FAILURES.moderation, IMAGEROUTER_FAILURES.moderation.error.message],
  ])('%s: HTTP 200, heartbeat, then the error body', async (scenario, expected, message) => {
    const { clock, engine, generate, lastJob } = setup();
    const res = await generate(
      { model: 'google/veo-3.1', prompt: 'x' },
      { 'X-Reelkit-Scenario': scenario },
    );
    expect(res.status).toBe(200);
    const job = lastJob();
    const wait = waitOf(job);
    const text = await finish(res, clock, wait);
    expect(leadingSpaces(text)).toBe(Math.floor(wait / 3000));
    const body = VideoGenerationResult.parse(JSON.parse(text.trim()));
    expect(body).toEqual(expected);
    expect(engine.jobs.statusOf(job).status).toBe('failed');
    expect(job).toMatchObject({ error: message, assets: [], scenario });
    expect(engine.diagnostics).toEqual([]);
  });

  it('moderation from a prompt token in a multipart body', async () => {
    const { clock, call, lastJob } = setup();
    const form = new FormData();
    form.append('model', 'openai/sora-2');
    form.append('prompt', 'something [reelkit:moderation]');
    const res = await call(GENERATE, { method: 'POST', body: form });
    const text = await finish(res, clock, waitOf(lastJob()));
    expect(JSON.parse(text.trim())).toEqual(IMAGEROUTER_FAILURES.moderation);
  });

  it('slow: the same request held five times longer', async () => {
    const wait = async (headers: Record<string, string>) => {
      const { generate, lastJob } = setup({ seed: 3 });
      await generate({ model: 'google/veo-3.1', prompt: 'x' }, headers);
      return waitOf(lastJob());
    };
    const normal = await wait({});
    expect(await wait({ 'X-Reelkit-Scenario': 'slow' })).toBe(normal * 5);
  });

  it.each([
    [
      'insufficient-credits',
      200,
      { error: { message: M.insufficientCredits(3.2), type: 'internal_error' } },
    ],
    ['rate-limit', 429, { error: { message: M.keyRateLimited, type: 'rate_limit_error' } }],
    ['server-error', 500, { error: { message: 'Internal server error', type: 'internal_error' } }],
    ['provider-error', 200, IMAGEROUTER_FAILURES.forwarded],
  ])('%s answers %i at once in the router envelope', async (scenario, status, body) => {
    const { engine, generate } = setup();
    const res = await generate(
      { model: 'google/veo-3.1', prompt: 'x' },
      { 'X-Reelkit-Scenario': scenario },
    );
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
    expect(VideoGenerationResult.safeParse(body).success || status !== 200).toBe(true);
    if (status === 429) {
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'retry-after': '1',
        'ratelimit-limit': '20',
        'ratelimit-remaining': '0',
        'ratelimit-reset': '1',
        'ratelimit-policy': '20;w=1',
      });
    }
    expect(engine.jobs.size).toBe(0);
    expect(engine.diagnostics).toEqual([]);
  });

  it('refuses a paid model when the balance is below its price, naming the minimum', async () => {
    const { engine, generate, call, clock } = setup();
    engine.ledger.set('ir-broke', 1);
    const headers = { authorization: 'Bearer ir-broke' };
    const res = await generate({ model: 'google/veo-3.1', prompt: 'x', seconds: 8 }, headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      error: {
        message:
          'Insufficient credits (this model needs minimum $3.2 credits), please topup your ImageRouter account: https://imagerouter.io/pricing',
        type: 'internal_error',
      },
    });
    // A free model skips the check. ($1 allows one video request per second, so wait a second.)
    await clock.advance(1000);
    expect((await generate({ model: 'ir/test-video' }, headers)).status).toBe(200);
    expect(await (await call('/v1/credits', { headers })).json()).toEqual({
      remaining_credits: '1.0000',
      credit_usage: '999.0000',
      total_deposits: '1000.0000',
    });
    expect(engine.diagnostics).toEqual([]);
  });

  it('an image to a model without image input fails with HTTP 200 and an error body', async () => {
    const sora = imagerouterSpec.findEntry('openai/sora-2')!;
    const textOnly: imagerouterSpec.CatalogEntry = {
      ...sora,
      id: 'acme/text-only',
      model: { ...sora.model, supported_params: { mask: false, quality: false, edit: false } },
    };
    const { engine, call, lastJob } = setup({
      provider: createImageRouterMock({ catalog: [textOnly] }),
    });
    const form = new FormData();
    form.append('model', 'acme/text-only');
    form.append('image[]', png());
    const res = await call(GENERATE, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      error: { message: 'This model does not support image inputs', type: 'internal_error' },
    });
    expect(engine.jobs.statusOf(lastJob()).status).toBe('failed');
    expect(engine.diagnostics).toEqual([]);
  });
});

describe('ImageRouter mock: errors before generation', () => {
  it.each([
    [{ model: 'acme/nope' }, "model 'acme/nope' is not available"],
    [
      { model: 'test/test' },
      "'test/test' is an image model. Please use the image generation endpoint.",
    ],
    [{ prompt: 'x' }, 'Required'],
    [{ model: '' }, "'model' is a required parameter"],
    [{ model: 'google/veo-3.1', seconds: 0 }, "'seconds' must be at least 1"],
    [{ model: 'google/veo-3.1', size: '720p' }, M.sizeFormat],
    [
      { model: 'google/veo-3.1', response_format: 'mp4' },
      "Invalid enum value. Expected 'url' | 'b64_json' | 'b64_ephemeral', received 'mp4'",
    ],
  ])('400 for %j', async (body, message) => {
    const { engine, generate } = setup();
    const res = await generate(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message, type: 'invalid_request_error' } });
    expect(engine.jobs.size).toBe(0);
    expect(engine.diagnostics).toEqual([]);
  });

  it('400 for a multipart seconds over 60 and for an unaccepted content type', async () => {
    const { engine, call } = setup();
    const form = new FormData();
    form.append('model', 'google/veo-3.1');
    form.append('seconds', '61');
    const res = await call(GENERATE, { method: 'POST', body: form });
    expect(await res.json()).toEqual({
      error: { message: "'seconds' must be 60 or less", type: 'invalid_request_error' },
    });
    const text = await call(GENERATE, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(400);
    expect(engine.diagnostics).toEqual([]);
  });

  it('401 without a Bearer key, and for a key outside the configured list', async () => {
    const { engine } = setup({ apiKeys: ['ir-good'] });
    const post = (headers: Record<string, string>) =>
      engine.handle(
        new Request(`${ORIGIN}${GENERATE}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'ir/test-video' }),
        }),
      );
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: {
        message: 'Authorization header must be provided as Bearer token',
        type: 'unauthorized',
      },
    });
    const invalid = await post({ authorization: 'Bearer ir-bad' });
    expect(await invalid.json()).toEqual({
      error: { message: 'Invalid API key', type: 'unauthorized' },
    });
    expect((await post({ authorization: 'Bearer ir-good' })).status).toBe(200);
    const credits = await engine.handle(new Request(`${ORIGIN}/v1/credits`));
    expect(credits.status).toBe(401);
    expect(engine.diagnostics).toEqual([]);
  });

  it('errors of the failure families not met above keep the envelope', () => {
    expect(imagerouterMock.error('payload_too_large')).toEqual({
      status: 400,
      body: {
        error: { message: 'File upload error: File too large', type: 'invalid_request_error' },
      },
    });
    expect(imagerouterMock.error('moderation').status).toBe(200);
  });
});

describe('ImageRouter mock: models and credits', () => {
  const get = async (engine: MockEngine, path: string) => {
    const res = await engine.handle(new Request(`${ORIGIN}${path}`));
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('GET /v1/models: keyed by id, without a key, with filters', async () => {
    const { engine } = setup();
    const all = await get(engine, '/v1/models');
    expect(all.status).toBe(200);
    const listing = imagerouterSpec.ModelsV1Response.parse(all.body);
    expect(Object.keys(listing)).toEqual(imagerouterSpec.IMAGEROUTER_CATALOG.map((e) => e.id));
    expect(listing['google/veo-3.1']?.seconds).toEqual([4, 6, 8]);
    const runware = await get(engine, '/v1/models?provider=RUNWARE&limit=2');
    expect(Object.keys(runware.body as object)).toEqual(['openai/sora-2', 'openai/sora-2-pro']);
    expect(Object.keys((await get(engine, '/v1/models?type=image')).body as object)).toEqual([]);
    expect(engine.diagnostics).toEqual([]);
  });

  it('GET /v1/models/{id}: the raw model with inputs, or 404 model_not_found', async () => {
    const { engine } = setup();
    const veo = await get(engine, '/v1/models/google%2Fveo-3.1');
    expect(veo.status).toBe(200);
    expect(imagerouterSpec.ModelDetail.parse(veo.body)).toMatchObject({
      default_seconds: 4,
      inputs: { image: true, seconds: [4, 6, 8] },
    });
    const missing = await get(engine, '/v1/models/acme%2Fnope');
    expect(missing).toEqual({
      status: 404,
      body: {
        error: {
          message: "The model 'acme/nope' does not exist.",
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      },
    });
    expect(engine.diagnostics).toEqual([]);
  });

  it('GET /v2/models: an array, filtered, sorted, limited and trimmed to fields', async () => {
    const { engine } = setup();
    const all = imagerouterSpec.ModelsV2Response.parse((await get(engine, '/v2/models')).body);
    expect(all.map((m) => m.id)).toContain('ir/test-video');
    expect(all.find((m) => m.id === 'google/veo-3.1')?.price).toEqual({
      min: 1.2,
      average: 1.6,
      max: 3.2,
    });
    const free = (await get(engine, '/v2/models?free=true')).body as { id: string }[];
    expect(free.map((m) => m.id)).toEqual(['ir/test-video']);
    const alias = (await get(engine, '/v2/models?name=kwaivgi')).body as { id: string }[];
    expect(alias.map((m) => m.id)).toEqual(['kling/kling-2.5-turbo-pro']);
    const newest = (await get(engine, '/v2/models?outputType=video&sort=date&limit=2')).body as {
      release_date: string;
    }[];
    expect(newest.map((m) => m.release_date)).toEqual(['2025-10-15', '2025-10-15']);
    const cheapest = (await get(engine, '/v2/models?sort=price')).body as { id: string }[];
    expect(cheapest[0]?.id).toBe('ir/test-video');
    const trimmed = (await get(engine, '/v2/models?fields=name,aliases&limit=1')).body;
    expect(trimmed).toEqual([{ id: 'ir/test-video', name: 'ir/test-video', aliases: [] }]);
    const withImage = (await get(engine, '/v2/models?inputType=mask')).body as { id: string }[];
    expect(withImage.map((m) => m.id)).toEqual(['ir/test-video']);
    expect(engine.diagnostics).toEqual([]);
  });

  it('GET /v2/models/{id}: one model, aliases resolved, 404 otherwise', async () => {
    const { engine } = setup();
    const kling = await get(engine, '/v2/models/kwaivgi%2Fkling-2.5-turbo-pro');
    expect(kling.status).toBe(200);
    expect(imagerouterSpec.ModelV2.parse(kling.body).id).toBe('kling/kling-2.5-turbo-pro');
    expect((await get(engine, '/v2/models/nope')).status).toBe(404);
    expect(engine.diagnostics).toEqual([]);
  });

  it('GET /v1/credits: a generous balance as decimal strings, billed per video', async () => {
    const { engine, call, clock, generate, lastJob } = setup();
    const credits = async () =>
      imagerouterSpec.CreditsResponse.parse(await (await call('/v1/credits')).json());
    expect(await credits()).toEqual({
      remaining_credits: '1000.0000',
      credit_usage: '0.0000',
      total_deposits: '1000.0000',
    });
    await finish(
      await generate({ model: 'google/veo-3.1', prompt: 'x', seconds: 8 }),
      clock,
      waitOf(lastJob()),
    );
    const failed = await generate(
      { model: 'google/veo-3.1', prompt: 'x' },
      { 'X-Reelkit-Scenario': 'failed' },
    );
    await finish(failed, clock, waitOf(lastJob()));
    await (await generate({ model: 'ir/test-video' })).text();
    // Only the successful Veo video costs money; the failure is refunded, the test model is free.
    expect(await credits()).toEqual({
      remaining_credits: '996.8000',
      credit_usage: '3.2000',
      total_deposits: '1000.0000',
    });
    const balance = await call('/__reelkit/balances/ir-test-key');
    expect(await balance.json()).toMatchObject({ unit: 'usd', balance: 996.8 });
    expect(engine.diagnostics).toEqual([]);
  });
});
