/**
 * The ImageRouter mock: one synchronous `POST` that holds the connection open. As the real server
 * does, it sends HTTP 200 at once, writes a space every 3 s of (simulated) time while the video
 * renders, then the JSON body; a failure after that point arrives as HTTP 200 with an
 * `{"error": {...}}` body. Model listings (`/v1`, `/v2`) and credits complete the API.
 * @module
 */
import type { ResolvedGeneration, z } from '@reelkit/spec';
import { imagerouter, imagerouterSpec } from '@reelkit/spec';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type {
  ErrorDetail,
  ErrorKind,
  MockProvider,
  Reply,
  RequestContext,
  TimingProfile,
} from '../core/types.js';
import { drawMs } from './shared.js';

const {
  FALLBACK_SIZE,
  IMAGEROUTER_CATALOG,
  IMAGEROUTER_MESSAGES: M,
  effectiveResponseFormat,
  findEntry,
  imagerouterLifecycle,
  judgeImageRouter,
  modelsV1Listing,
  priceOf,
  priceRangeOf,
  resolveSeconds,
  toModelV2,
} = imagerouterSpec;

type CatalogEntry = imagerouterSpec.CatalogEntry;
type ModelV2 = imagerouterSpec.ModelV2;
type ErrorBody = imagerouterSpec.ErrorResponse;
type ResponseFormat = imagerouterSpec.VideoGenerationRequest['response_format'];
type ModelsV1Query = z.infer<typeof imagerouterSpec.ModelsV1Query>;
type ModelsV2Query = z.infer<typeof imagerouterSpec.ModelsV2Query>;

/**
 * Starting credit of a key the mock has not seen, in USD: generous, so that only a balance set
 * on purpose (`PUT /__reelkit/balances/<key>`) runs out.
 *
 * @example
 * engine.ledger.balanceOf('ir-new-key'); // IMAGEROUTER_DEFAULT_CREDITS
 */
export const IMAGEROUTER_DEFAULT_CREDITS = 1000;

/** Options of {@link createImageRouterMock}. */
export interface ImageRouterMockOptions {
  /** The models served and judged; defaults to the spec's catalog. Tests swap it. */
  readonly catalog?: readonly CatalogEntry[];
  /** Starting credit of every key, in USD. Default {@link IMAGEROUTER_DEFAULT_CREDITS}. */
  readonly credits?: number;
  /**
   * How test models (`ir/test-video`) answer. `docs` (default): as every docs sample shows, with
   * `created` in milliseconds and `response_format` honoured (`b64_json`, `b64_ephemeral`), so
   * code that decodes `data[0].b64_json` runs against the free model. `source`: as ImageRouter's
   * open-source `generateTestVideo` does, `created` in seconds and always a URL.
   */
  readonly testModels?: 'docs' | 'source';
}

/**
 * Failure bodies the router sends after validation (all with HTTP 200), verbatim where the
 * router's code or tests give them.
 *
 * @example
 * IMAGEROUTER_FAILURES.moderation.error.code; // 'moderation_blocked'
 */
export const IMAGEROUTER_FAILURES = {
  /** `test/api.test.js` (same wrapper as the video endpoint). */
  moderation: {
    error: {
      type: 'image_generation_user_error',
      code: 'moderation_blocked',
      message:
        'Request was rejected as a result of the safety system. Request may contain content that is not allowed by the safety system.',
      param: null,
    },
  },
  /** The fallback text of a forwarded provider error (`videoService.js`), wrapped as internal. */
  provider: { error: { message: 'Video generation failed', type: 'internal_error' } },
  /**
   * A provider error forwarded as-is (`error.errorResponse`): Gemini's overload answer, which the
   * wrapper retries once and then passes on.
   */
  forwarded: {
    status: 503,
    statusText: 'UNAVAILABLE',
    error: { message: 'The model is overloaded. Please try again later.', type: 'UNAVAILABLE' },
  },
} as const;

/**
 * The minimum the insufficient-credits message names when the engine answers the scenario before
 * the request is read (it cannot know the model): Veo 3.1 at 8 s, a typical paid video.
 * Provisional; the handler's own check names the requested model's price.
 */
const SCENARIO_MINIMUM_USD = 3.2;

/** The router writes a space this often while a video renders (`videoService.js`). */
const HEARTBEAT_MS = 3000;

/**
 * Simulated upstream queue and render times per model. ImageRouter sends no status while it
 * waits, so both phases are spent in `rendering`. Provisional: no published numbers.
 */
const TIMING: Record<string, TimingProfile> = {
  'ir/test-video': { queueMs: [0, 0], renderMs: [0, 0] },
  'google/veo-3.1': { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] },
  'google/veo-3.1-fast': { queueMs: [3_000, 10_000], renderMs: [30_000, 60_000] },
  'openai/sora-2': { queueMs: [10_000, 30_000], renderMs: [60_000, 150_000] },
  'openai/sora-2-pro': { queueMs: [10_000, 30_000], renderMs: [120_000, 300_000] },
  'kling/kling-2.5-turbo-pro': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
};
const DEFAULT_TIMING: TimingProfile = { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] };

const envelope = (
  status: number,
  message: string,
  type: string,
  extra: { code?: string; param?: string } = {},
): Reply => ({ status, body: { error: { message, type, ...extra } } });

const usd = (value: number): string => value.toFixed(4);

/** The documented video limit: balance / 6 requests per second, clamped to 1..20. */
const videoLimitPerSecond = (balanceUsd: number): number =>
  Math.min(20, Math.max(1, Math.floor(balanceUsd / 6)));

/** A v4-shaped UUID from the seeded random source, like the router's usage log ids. */
function uuid(random: Random): string {
  const h = random.string(32, '0123456789abcdef');
  const variant = '89ab'[random.int(0, 3)] ?? '8';
  const groups = [h.slice(0, 8), h.slice(8, 12), `4${h.slice(13, 16)}`, variant + h.slice(17, 20)];
  return `${groups.join('-')}-${h.slice(20)}`;
}

/** The request as the control plane shows it: uploaded files become their name, type and size. */
function describeRequest(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const describe = (value: unknown): unknown =>
    value instanceof File
      ? { file: value.name, type: value.type, size: value.size }
      : Array.isArray(value)
        ? value.map(describe)
        : value;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, describe(value)]));
}

/** The minimum credit `preCalcPrice` asks for: fixed price, per-second price, or the range top. */
function minimumCreditUsd(entry: CatalogEntry, seconds: number | 'auto' | undefined): number {
  const pricing = entry.model.providers[0]?.pricing;
  if (pricing?.type === 'post_generation') return pricing.range?.max ?? 0;
  return priceOf(entry.id, seconds, [entry]) ?? 0;
}

const encoder = new TextEncoder();

/**
 * The held-open body: a space at every heartbeat until `endAt`, then `final`. Waiting goes
 * through the clock only, so a manual clock controls when each byte appears; closing the
 * connection stops the heartbeat, as `res.on('close')` does.
 */
function heartbeatStream(
  clock: Clock,
  startAt: number,
  endAt: number,
  final: string,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const run = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      for (let beat = startAt + HEARTBEAT_MS; beat <= endAt; beat += HEARTBEAT_MS) {
        await clock.sleep(beat - clock.now(), abort.signal);
        controller.enqueue(encoder.encode(' '));
      }
      if (endAt > clock.now()) await clock.sleep(endAt - clock.now(), abort.signal);
      controller.enqueue(encoder.encode(final));
      controller.close();
    } catch (error) {
      if (!abort.signal.aborted) controller.error(error);
    }
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      void run(controller);
    },
    cancel() {
      abort.abort();
    },
  });
}

/**
 * The router's answer for every failure family:
 * - `validation` 400 `invalid_request_error`, with the first zod issue's message verbatim;
 * - `unauthorized` 401 `unauthorized`; `rate_limited` 429 `rate_limit_error` with draft-6
 *   `RateLimit-*` headers and `Retry-After` (express-rate-limit); `server_error` 500;
 * - `insufficient_credits`, `moderation` and `provider_error` happen after validation, where the
 *   router has already committed to HTTP 200, so they are 200 with an error body;
 * - `payload_too_large` is multer's 400 `File upload error: File too large`.
 */
function createError(credits: number) {
  return function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
    switch (kind) {
      case 'validation':
        return envelope(
          400,
          detail.message ?? detail.issues?.[0]?.message ?? 'Failed to generate',
          'invalid_request_error',
        );
      case 'unauthorized':
        return envelope(
          401,
          detail.message ?? (detail.reason === 'invalid' ? M.authInvalid : M.authMissing),
          'unauthorized',
        );
      case 'not_found':
        return envelope(
          404,
          detail.message ?? 'Not found',
          'invalid_request_error',
          detail.param === 'model' ? { param: 'model', code: 'model_not_found' } : {},
        );
      case 'insufficient_credits':
        return envelope(
          200,
          detail.message ?? M.insufficientCredits(SCENARIO_MINIMUM_USD),
          'internal_error',
        );
      case 'rate_limited': {
        // error() sees no key, so the limit is the one of a key at the starting balance.
        const limit = videoLimitPerSecond(credits);
        const reset = detail.retryAfterSeconds ?? 1;
        return {
          ...envelope(429, detail.message ?? M.keyRateLimited, 'rate_limit_error'),
          headers: {
            'ratelimit-policy': `${limit};w=1`,
            'ratelimit-limit': String(limit),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(reset),
            'retry-after': String(reset),
          },
        };
      }
      case 'server_error':
        return envelope(500, detail.message ?? M.internal, 'internal_error');
      case 'provider_error':
        return { status: 200, body: IMAGEROUTER_FAILURES.forwarded };
      case 'moderation':
        return { status: 200, body: IMAGEROUTER_FAILURES.moderation };
      case 'payload_too_large':
        return envelope(400, M.uploadError('File too large'), 'invalid_request_error');
    }
  };
}

/** The query parameters both listings understand (`/v1` says `type`, `/v2` says `outputType`). */
type ListingQuery = Omit<ModelsV2Query, 'sort'> & Pick<ModelsV1Query, 'type' | 'sort'>;

/** Filters, sorts and trims the catalog the way the listing query parameters ask. */
function selectEntries(catalog: readonly CatalogEntry[], query: ListingQuery): CatalogEntry[] {
  const has = (haystack: string, needle: string) =>
    haystack.toLowerCase().includes(needle.toLowerCase());
  const output = query.outputType ?? query.type;
  let entries = catalog.filter((e) => {
    const m = e.model;
    if (output && !m.output.includes(output)) return false;
    if (query.provider && !m.providers.some((p) => has(p.id, query.provider ?? ''))) return false;
    if (query.free && (priceRangeOf(m).max === 0) !== (query.free === 'true')) return false;
    if (query.name && ![e.id, ...e.aliases].some((n) => has(n, query.name ?? ''))) return false;
    switch (query.inputType) {
      case 'image':
        return m.supported_params.edit;
      case 'mask':
        return m.supported_params.mask;
      case 'quality':
        return m.supported_params.quality;
      case 'seconds':
        return (m.seconds?.length ?? 0) > 0;
      case 'size':
      case undefined:
        return true;
    }
  });
  // Sort orders are not documented: names and providers ascending, price cheapest first, date
  // newest first (provisional).
  // /v1 takes any sort word; unknown ones leave the catalog order.
  const firstProvider = (e: CatalogEntry) => e.model.providers[0]?.id ?? '';
  const comparators: Record<string, (a: CatalogEntry, b: CatalogEntry) => number> = {
    name: (a, b) => a.id.localeCompare(b.id),
    provider: (a, b) => firstProvider(a).localeCompare(firstProvider(b)),
    price: (a, b) => priceRangeOf(a.model).average - priceRangeOf(b.model).average,
    date: (a, b) => b.model.release_date.localeCompare(a.model.release_date),
  };
  // Own properties only: `?sort=valueOf` must not find Object.prototype's function.
  const compare =
    query.sort && Object.hasOwn(comparators, query.sort) ? comparators[query.sort] : undefined;
  if (compare) entries = entries.sort(compare);
  return query.limit ? entries.slice(0, query.limit) : entries;
}

/** A `/v2/models` entry with only the `fields` asked for (the id always stays). */
function pickFields(model: ModelV2, fields: string | undefined): ModelV2 {
  if (!fields) return model;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  const picked: Record<string, unknown> = { id: model.id };
  for (const [key, value] of Object.entries(model)) if (wanted.has(key)) picked[key] = value;
  return picked as ModelV2;
}

/**
 * Creates the ImageRouter mock provider.
 *
 * `ir/test-video` answers at once, as the real one does, with a URL to a 1280x720, 5 s clip. The
 * real URL points at a sample file on ImageRouter's own hosts; the mock points it at a registered
 * asset on its own media route instead, so the download works offline and is a valid MP4.
 *
 * @example
 * const clock = createManualClock();
 * const engine = createMockEngine({ provider: createImageRouterMock(), clock });
 * const url = 'https://api.imagerouter.io/v1/openai/videos/generations';
 * const res = await engine.handle(new Request(url, {
 *   method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }),
 * }));
 * res.status; // 200 at once; the body is spaces, then the JSON once the clock has moved on
 */
export function createImageRouterMock(
  options: ImageRouterMockOptions = {},
): MockProvider<typeof imagerouter> {
  const catalog = options.catalog ?? IMAGEROUTER_CATALOG;
  const credits = options.credits ?? IMAGEROUTER_DEFAULT_CREDITS;
  const error = createError(credits);

  /** How long the request is held and how it ends, from the model's timing and the scenario. */
  function plan(generation: ResolvedGeneration, ctx: RequestContext) {
    const { effect } = ctx.scenario;
    const timing = provider.timing(generation);
    const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
    const queue = drawMs(ctx.services.random, timing.queueMs) * factor;
    const render = drawMs(ctx.services.random, timing.renderMs) * factor;
    if (effect.kind === 'job' && effect.outcome === 'failed') {
      // Provisional: moderation refuses on submit, other failures come a third into the render.
      const waitMs = effect.cause === 'moderation' ? queue : queue + Math.round(render / 3);
      const failure: ErrorBody =
        effect.cause === 'moderation'
          ? IMAGEROUTER_FAILURES.moderation
          : IMAGEROUTER_FAILURES.provider;
      return { waitMs, failure };
    }
    return { waitMs: queue + render, failure: undefined };
  }

  function createJob(
    ctx: RequestContext,
    generation: ResolvedGeneration,
    end: { status: 'succeeded' | 'failed'; waitMs: number; error?: string },
    extra: { assets?: readonly string[]; data?: Record<string, unknown> } = {},
  ) {
    const { random, jobs } = ctx.services;
    return jobs.create({
      id: uuid(random),
      provider: 'imagerouter',
      lifecycle: imagerouterLifecycle,
      apiKey: ctx.apiKey,
      generation,
      request: describeRequest(ctx.body),
      scenario: ctx.scenario.name,
      path: [
        { status: 'rendering', forMs: end.waitMs },
        { status: end.status, forMs: 0 },
      ],
      ...(end.error !== undefined ? { error: end.error } : {}),
      assets: extra.assets ?? [],
      data: extra.data ?? {},
      ttlMs: provider.jobTtlMs,
    });
  }

  /** A generation answered with no wait: the test model, or an image refused by the model. */
  function immediate(
    ctx: RequestContext,
    generation: ResolvedGeneration,
    body: imagerouterSpec.VideoGenerationResult,
    assets: readonly string[] = [],
  ): Reply {
    const failed = 'error' in body;
    createJob(
      ctx,
      generation,
      {
        status: failed ? 'failed' : 'succeeded',
        waitMs: 0,
        ...(failed ? { error: body.error.message } : {}),
      },
      { assets },
    );
    return { status: 200, body };
  }

  async function createVideo(ctx: RequestContext): Promise<Reply> {
    const { clock, media, ledger, rateLimiter } = ctx.services;
    const account = ctx.apiKey ?? '';
    // The documented per-key video rate: balance / 6 requests per second, clamped to 1..20.
    const limit = videoLimitPerSecond(ledger.balanceOf(account));
    const window = rateLimiter.hit(`video:${account}`, limit, 1000);
    if (!window.allowed) {
      const limited = error('rate_limited', { retryAfterSeconds: window.resetSeconds });
      return {
        ...limited,
        headers: {
          ...limited.headers,
          'ratelimit-policy': `${limit};w=1`,
          'ratelimit-limit': String(limit),
        },
      };
    }
    const verdict = judgeImageRouter(ctx.body, { catalog });
    // Past this point the router has committed to HTTP 200; only validation answers 400.
    if (!verdict.ok && verdict.status !== 200)
      return error('validation', { message: verdict.message });

    const requested = ctx.body as Partial<imagerouterSpec.VideoGenerationRequest>;
    const entry = findEntry(String(requested.model), catalog);
    if (!entry)
      return error('validation', { message: M.modelNotAvailable(String(requested.model)) });
    // preLogUsage checks credits before the provider is called (free models skip the check).
    const minimum = minimumCreditUsd(entry, requested.seconds);
    if (minimum > 0 && ledger.balanceOf(account) < minimum) {
      return error('insufficient_credits', { message: M.insufficientCredits(minimum) });
    }
    if (!verdict.ok) {
      const [width = 1280, height = 720] = (entry.model.sizes?.[0] ?? FALLBACK_SIZE)
        .split('x')
        .map(Number);
      const generation: ResolvedGeneration = {
        model: entry.id,
        durationSeconds: resolveSeconds(entry, requested.seconds),
        width,
        height,
        count: 1,
        audio: entry.audio ?? false,
        adjustments: [],
      };
      return immediate(ctx, generation, {
        error: { message: verdict.message, type: verdict.type ?? 'internal_error' },
      });
    }

    const generation = verdict.generation;
    const isTest = entry.model.providers[0]?.id === 'test';
    const testAsSource = isTest && options.testModels === 'source';
    const format: ResponseFormat = testAsSource
      ? effectiveResponseFormat(entry, requested.response_format ?? 'url')
      : (requested.response_format ?? 'url');
    const { waitMs, failure } = isTest
      ? { ...plan(generation, ctx), waitMs: 0 }
      : plan(generation, ctx);
    const startAt = clock.now();
    const endAt = startAt + waitMs;
    const spec = {
      width: generation.width,
      height: generation.height,
      durationSeconds: generation.durationSeconds,
    };

    /** The generated video as `response_format` asks, and the assets the job keeps. */
    const deliver = async (): Promise<{
      item: imagerouterSpec.VideoGenerationResponse['data'][number];
      assets: string[];
    }> => {
      const assetId = media.register(spec);
      if (format === 'url') {
        return {
          item: { url: media.url(ctx.origin, assetId), revised_prompt: null },
          assets: [assetId],
        };
      }
      const bytes = await media.bytes(assetId);
      const item = {
        b64_json: Buffer.from(bytes ?? new Uint8Array()).toString('base64'),
        revised_prompt: null,
      };
      // b64_json is still uploaded to storage; b64_ephemeral is not kept anywhere.
      if (format === 'b64_json') return { item, assets: [assetId] };
      media.forget(assetId);
      return { item, assets: [] };
    };
    // `created` is when the answer is made, in milliseconds on the wall clock (the docs' unit;
    // see Clock.wallTime); `latency` is the simulated generation time.
    const createdAt = Math.round(clock.wallTime(endAt));

    if (isTest) {
      // generateTestVideo answers at once with a fixed clip; `source` keeps its unix seconds.
      if (failure) return immediate(ctx, generation, failure);
      const { item, assets } = await deliver();
      return immediate(
        ctx,
        generation,
        {
          created: testAsSource ? Math.floor(createdAt / 1000) : createdAt,
          data: [item],
          latency: 0,
          cost: 0,
        },
        assets,
      );
    }

    let final: imagerouterSpec.VideoGenerationResult;
    let assets: string[] = [];
    let cost: number | undefined;
    if (failure) {
      final = failure;
    } else {
      cost = priceOf(entry.id, generation.durationSeconds, catalog) ?? 0;
      const delivered = await deliver();
      assets = delivered.assets;
      final = { created: createdAt, data: [delivered.item], latency: waitMs, cost };
    }
    // Checked before the first byte: a broken body must surface as a 500, not mid-stream.
    ctx.validate(200, final);
    // The router reserves the price up front and refunds a failure; the mock bills success only.
    if (cost !== undefined && cost > 0) ledger.charge(account, cost);
    createJob(
      ctx,
      generation,
      {
        status: failure ? 'failed' : 'succeeded',
        waitMs,
        ...(failure ? { error: failure.error.message } : {}),
      },
      { assets, data: { responseFormat: format, ...(cost !== undefined ? { cost } : {}) } },
    );
    return {
      status: 200,
      contentType: 'application/json',
      stream: heartbeatStream(clock, startAt, endAt, JSON.stringify(final)),
    };
  }

  const notFound = (modelId: string) =>
    error('not_found', { message: M.modelNotFound(modelId), param: 'model' });

  const provider: MockProvider<typeof imagerouter> = {
    spec: imagerouter,
    balance: { unit: 'usd', defaultBalance: credits },
    scenarios: [
      'success',
      'slow',
      'failed',
      'moderation',
      'insufficient-credits',
      'rate-limit',
      'server-error',
      'provider-error',
    ],
    // No retrieval endpoint exists; jobs stay a day so the control plane can show them.
    jobTtlMs: 24 * 60 * 60 * 1000,
    timing: (generation) => TIMING[generation.model] ?? DEFAULT_TIMING,
    error,
    handlers: {
      createVideo,
      listModelsV1(ctx) {
        const entries = selectEntries(catalog, ctx.query as ModelsV1Query);
        return { status: 200, body: modelsV1Listing(entries) };
      },
      getModelV1(ctx) {
        const modelId = ctx.params.modelId ?? '';
        const entry = findEntry(modelId, catalog);
        if (!entry) return notFound(modelId);
        return { status: 200, body: { ...entry.model, inputs: toModelV2(entry).inputs } };
      },
      listModelsV2(ctx) {
        const query = ctx.query as ModelsV2Query;
        const entries = selectEntries(catalog, query);
        return { status: 200, body: entries.map((e) => pickFields(toModelV2(e), query.fields)) };
      },
      getModelV2(ctx) {
        const modelId = ctx.params.modelId ?? '';
        const entry = findEntry(modelId, catalog);
        if (!entry) return notFound(modelId);
        return { status: 200, body: toModelV2(entry) };
      },
      getCredits(ctx) {
        const remaining = ctx.services.ledger.balanceOf(ctx.apiKey ?? '');
        // The ledger keeps only the balance: deposits are the starting credit (or a balance set
        // above it), usage is what has gone since.
        const deposits = Math.max(credits, remaining);
        return {
          status: 200,
          body: {
            remaining_credits: usd(remaining),
            credit_usage: usd(deposits - remaining),
            total_deposits: usd(deposits),
          },
        };
      },
    },
  };
  return provider;
}

/** The ImageRouter mock with default options. */
export const imagerouterMock = createImageRouterMock();
