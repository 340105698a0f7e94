/**
 * ImageRouter's video generation (`POST /v1/openai/videos/generations`): the per-key video rate,
 * validation (the only 400), the credit check, then the held-open 200 whose body ends with the
 * video or an error. The free test model (`ir/test-video`) answers at once.
 * @module
 */
import type { ErrorKind, ResolvedGeneration } from '@reelkit/spec';
import { imagerouter, imagerouterSpec, statusWith, timingOf } from '@reelkit/spec';
import type { Random } from '../../core/random.js';
import type { ErrorDetail, Reply, RequestContext } from '../../core/types.js';
import { drawMs } from '../shared.js';
import { heartbeatStream } from './heartbeats.js';
import { rateLimitHeaders, videoLimitPerSecond } from './errors.js';

const {
  FALLBACK_SIZE,
  IMAGEROUTER_FAILURES,
  IMAGEROUTER_MESSAGES: M,
  effectiveResponseFormat,
  findEntry,
  imagerouterLifecycle,
  judgeImageRouter,
  priceOf,
  resolveSeconds,
} = imagerouterSpec;

type CatalogEntry = imagerouterSpec.CatalogEntry;
/** The status a failed generation ends in. */
const FAILED = statusWith(imagerouterLifecycle, 'failed');
type ErrorBody = imagerouterSpec.ErrorResponse;
type ResponseFormat = imagerouterSpec.VideoGenerationRequest['response_format'];

/** What the generation handler needs from the mock's options. */
export interface GenerationSettings {
  readonly catalog: readonly CatalogEntry[];
  /** How test models answer (see `ImageRouterMockOptions.testModels`). */
  readonly testModels: 'docs' | 'source';
  readonly error: (kind: ErrorKind, detail?: ErrorDetail) => Reply;
}

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

/**
 * The `createVideo` handler of an ImageRouter mock.
 *
 * @example
 * const createVideo = createVideoHandler({ catalog, testModels: 'docs', error });
 */
export function createVideoHandler(settings: GenerationSettings) {
  const { catalog, error } = settings;

  /** How long the request is held and how it ends, from the model's timing and the scenario. */
  function plan(generation: ResolvedGeneration, ctx: RequestContext) {
    const { effect } = ctx.scenario;
    const timing = timingOf(imagerouter.facts.timing, generation.model);
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

  async function createJob(
    ctx: RequestContext,
    generation: ResolvedGeneration,
    end: { succeeded: boolean; waitMs: number; error?: string },
    extra: { assets?: readonly string[]; data?: Record<string, unknown> } = {},
  ) {
    const { random, jobs } = ctx.services;
    return await jobs.create({
      id: uuid(random),
      provider: 'imagerouter',
      lifecycle: imagerouterLifecycle,
      apiKey: ctx.apiKey,
      generation,
      request: describeRequest(ctx.body),
      scenario: ctx.scenario.name,
      path: [
        { status: imagerouterLifecycle.initial, forMs: end.waitMs },
        { status: end.succeeded ? imagerouterLifecycle.success : FAILED, forMs: 0 },
      ],
      ...(end.error !== undefined ? { error: end.error } : {}),
      assets: extra.assets ?? [],
      data: extra.data ?? {},
      ttlMs: imagerouter.facts.jobTtlMs,
    });
  }

  /** A generation answered with no wait: the test model, or an image refused by the model. */
  async function immediate(
    ctx: RequestContext,
    generation: ResolvedGeneration,
    body: imagerouterSpec.VideoGenerationResult,
    assets: readonly string[] = [],
  ): Promise<Reply> {
    const failed = 'error' in body;
    await createJob(
      ctx,
      generation,
      {
        succeeded: !failed,
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
    const limit = videoLimitPerSecond(await ledger.balanceOf(account));
    const window = await rateLimiter.hit(`video:${account}`, limit, 1000);
    if (!window.allowed) {
      const limited = error('rate_limited', { retryAfterSeconds: window.resetSeconds });
      // The limit of this key's balance, not of a key at the starting one.
      return { ...limited, headers: rateLimitHeaders(limit, window.resetSeconds) };
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
    if (minimum > 0 && (await ledger.balanceOf(account)) < minimum) {
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
    const testAsSource = isTest && settings.testModels === 'source';
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
    if (cost !== undefined && cost > 0) await ledger.charge(account, cost);
    await createJob(
      ctx,
      generation,
      {
        succeeded: !failure,
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

  return createVideo;
}
