/**
 * The rout.my mock: one synchronous `POST /v1/video/generations` that holds the connection while
 * the provider renders, a per-key token quota checked against a worst-case estimate before
 * generation, and `GET /v1/models` with plan availability.
 * @see https://docs.rout.my/api/videos
 * @module
 */
import type { ResolvedGeneration } from '@reelkit/spec';
import { routmy, routmySpec } from '@reelkit/spec';
import { secondsUntilDailyReset } from '../core/ledger.js';
import type { Random } from '../core/random.js';
import type {
  ErrorDetail,
  ErrorKind,
  MockProvider,
  Reply,
  RequestContext,
  TimingProfile,
} from '../core/types.js';
import { describeIssues, drawMs } from './shared.js';

const {
  ROUTMY_CATALOG,
  ROUTMY_ERROR_KINDS,
  ROUTMY_INVALID_BODY_MESSAGE,
  RoutMyVideoRequest,
  chargedQuotaTokens,
  findRoutMyModel,
  judgeRoutMy,
  routmyErrorBody,
  routmyLifecycle,
  worstCaseQuotaTokens,
} = routmySpec;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Each key's daily token pool when nothing else is configured: generous on purpose, so that only
 * tests about the quota meet the 429. 100,000,000 tokens is about 80 default Veo 3.1 videos
 * (1,248,000 each) and five times the largest worst-case estimate the catalog allows (an edit
 * with n = 4 on the docs' placeholder model, 19,890,000); 10,000,000 would refuse that request on
 * a fresh key. The real pool depends on the plan and is not published (provisional).
 *
 * @example
 * createMockEngine({ provider: routmyMock }).ledger.balanceOf('sk-new'); // ROUTMY_DEFAULT_QUOTA_TOKENS
 */
export const ROUTMY_DEFAULT_QUOTA_TOKENS = 100_000_000;

/** Options of {@link createRoutMyMock}. */
export interface RoutMyMockOptions {
  /** Each API key's daily token balance. Default {@link ROUTMY_DEFAULT_QUOTA_TOKENS}. */
  readonly quotaTokens?: number;
  /**
   * The caller's plan: whether `apiKey` may use `modelId`. Default: the catalog's `is_available`
   * (so `openai/sora-2-pro` is locked for every key and answers 403).
   */
  readonly isAvailable?: (modelId: string, apiKey: string) => boolean;
}

/** The rout.my mock provider. Token balances live in the engine's ledger (`engine.ledger`). */
export type RoutMyMockProvider = MockProvider<typeof routmy>;

/**
 * Texts of failures, after the errors page's "Meaning" column where it has one.
 *
 * @example
 * ROUTMY_FAILURES.provider; // 'Upstream provider failed or no provider succeeded.'
 */
export const ROUTMY_FAILURES = {
  /** 502: "Upstream provider failed or no provider succeeded." (errors page, verbatim). */
  provider: 'Upstream provider failed or no provider succeeded.',
  /** 400 for a "policy-blocked prompt" (errors page); the wording is ours (provisional). */
  moderation: 'The prompt was blocked by the content policy. Change the prompt and try again.',
  /** 500: "Internal server error." (errors page, verbatim). */
  server: 'Internal server error.',
  /** 429 in the "Rate or quota limit" category (error-resolver page); wording provisional. */
  rateLimited:
    'Rate limit exceeded: too many requests per minute for this key. Retry with backoff.',
  /** 429 for daily tokens; the judge words the worst-case case with its numbers. */
  quota:
    'Insufficient quota: the daily token quota of this key is used up. ' +
    'Wait for the reset window, reduce the request size, or check quota.',
} as const;

/**
 * Simulated queue and render times per model (provisional: rout.my publishes none; they follow
 * what the upstream models take elsewhere, Veo ≈ 1–2 min). All fit in the documented 15-minute
 * window (`curl --max-time 900`) except the `slow` scenario on the slowest models, which is how a
 * client's timeout can be exercised.
 */
const TIMING: Readonly<Record<string, TimingProfile>> = {
  'provider/video-model-id': { queueMs: [2_000, 8_000], renderMs: [30_000, 90_000] },
  'google/veo-3.1': { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] },
  'openai/sora-2': { queueMs: [10_000, 30_000], renderMs: [60_000, 180_000] },
  'openai/sora-2-pro': { queueMs: [10_000, 30_000], renderMs: [120_000, 300_000] },
  'kling/kling-v2.1': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
  'bytedance/seedance-1-lite': { queueMs: [3_000, 10_000], renderMs: [30_000, 60_000] },
};
const DEFAULT_TIMING: TimingProfile = { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] };

/** `Retry-After` of the per-minute rate limit (provisional: the limits are not published). */
const RATE_LIMIT_RETRY_SECONDS = 60;
/** Requests per minute the rate-limit headers announce (provisional, as above). */
const RATE_LIMIT_PER_MINUTE = 60;

function body(status: keyof typeof ROUTMY_ERROR_KINDS, message: string, param?: string) {
  const kind = ROUTMY_ERROR_KINDS[status];
  return { error: { message, type: kind.type, code: kind.code, ...(param ? { param } : {}) } };
}

/**
 * rout.my's error envelope for a failure family. `insufficient_credits` is the quota 429
 * ("Rate limit or quota exhausted"): rout.my has a token quota, not a credit balance, and answers
 * no 402. Its `Retry-After` is the time to the daily reset when the caller knows the clock, else a
 * whole day (provisional).
 */
function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
  const param = detail.param ?? (detail.issues?.[0]?.path.map(String).join('.') || undefined);
  switch (kind) {
    case 'validation': {
      const message = detail.issues?.length
        ? `${ROUTMY_INVALID_BODY_MESSAGE}: ${describeIssues(detail.issues)}`
        : (detail.message ?? ROUTMY_INVALID_BODY_MESSAGE);
      return { status: 400, body: body(400, message, param) };
    }
    case 'payload_too_large':
      // The errors page lists no 413; an oversized body is an invalid request body (provisional).
      return {
        status: 400,
        body: body(400, detail.message ?? `${ROUTMY_INVALID_BODY_MESSAGE}: body too large`),
      };
    case 'unauthorized': {
      // Wording provisional; the errors page: "Missing or invalid API key." / "Check the
      // Authorization header or compatible auth field."
      const message =
        detail.message ??
        (detail.reason === 'invalid'
          ? 'Invalid API key. Check the Authorization header or compatible auth field.'
          : 'Missing API key. Send it as Authorization: Bearer <key>.');
      return { status: 401, body: body(401, message) };
    }
    case 'not_found':
      // A wrong path carries the reason phrase; an unknown model is judged (model_not_found).
      return {
        status: 404,
        body: {
          error: {
            message: detail.message ?? 'Wrong path or unknown model.',
            type: ROUTMY_ERROR_KINDS[404].type,
            code: 'Not Found',
          },
        },
      };
    case 'insufficient_credits':
      return {
        status: 429,
        body: body(429, detail.message ?? ROUTMY_FAILURES.quota, param),
        headers: { 'retry-after': String(detail.retryAfterSeconds ?? DAY_MS / 1000) },
      };
    case 'rate_limited':
      // rout.my documents no rate-limit headers; these follow the common x-ratelimit-* form.
      return {
        status: 429,
        body: body(429, detail.message ?? ROUTMY_FAILURES.rateLimited),
        headers: {
          'retry-after': String(detail.retryAfterSeconds ?? RATE_LIMIT_RETRY_SECONDS),
          'x-ratelimit-limit': String(RATE_LIMIT_PER_MINUTE),
          'x-ratelimit-remaining': '0',
        },
      };
    case 'server_error':
      return { status: 500, body: body(500, detail.message ?? ROUTMY_FAILURES.server) };
    case 'provider_error':
      return { status: 502, body: body(502, detail.message ?? ROUTMY_FAILURES.provider) };
    case 'moderation':
      return { status: 400, body: body(400, detail.message ?? ROUTMY_FAILURES.moderation, param) };
  }
}

/** How a held request ends, from its scenario. */
type Outcome = 'succeeded' | 'provider' | 'moderation';

/**
 * Creates the rout.my mock provider. Each engine keeps its own daily token balances.
 *
 * @example
 * const engine = createMockEngine({ provider: createRoutMyMock({ quotaTokens: 2_000_000 }) });
 * engine.ledger.balanceOf('sk-test'); // 2000000
 */
export function createRoutMyMock(options: RoutMyMockOptions = {}): RoutMyMockProvider {
  const available = (modelId: string, apiKey: string): boolean =>
    options.isAvailable?.(modelId, apiKey) ?? findRoutMyModel(modelId)?.model.is_available ?? false;

  /** The connection is held for queue + render; failures end after the same time. */
  function plan(ctx: RequestContext, generation: ResolvedGeneration, random: Random) {
    const { effect } = ctx.scenario;
    const timing = provider.timing(generation);
    const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
    const heldMs = Math.round(
      (drawMs(random, timing.queueMs) + drawMs(random, timing.renderMs)) * factor,
    );
    const outcome: Outcome =
      effect.kind !== 'job' || effect.outcome === 'completed'
        ? 'succeeded'
        : effect.cause === 'moderation'
          ? 'moderation'
          : 'provider';
    return { heldMs, outcome };
  }

  const provider: RoutMyMockProvider = {
    spec: routmy,
    // rout.my counts "daily tokens"; balances come back at 00:00 UTC (the hour is provisional).
    balance: {
      unit: 'tokens',
      defaultBalance: options.quotaTokens ?? ROUTMY_DEFAULT_QUOTA_TOKENS,
      resetsDaily: true,
    },
    // No `cancelled` (a client that disconnects only gets a 499 in rout.my's logs) and no
    // `expired` (the server-side timeout is not documented).
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
    // rout.my has no job to fetch; the record is kept a day for the control plane only.
    jobTtlMs: DAY_MS,
    timing: (generation) => TIMING[generation.model] ?? DEFAULT_TIMING,
    error,
    handlers: {
      async createVideo(ctx) {
        const { clock, random, jobs, media, ledger } = ctx.services;
        const request = RoutMyVideoRequest.parse(ctx.body);
        const key = ctx.apiKey ?? '';
        const verdict = judgeRoutMy(request, {
          isAvailable: (id) => available(id, key),
          remainingTokens: ledger.balanceOf(key),
        });
        if (!verdict.ok) {
          const reply: Reply = { status: verdict.status, body: routmyErrorBody(verdict) };
          if (verdict.status !== 429) return reply;
          return {
            ...reply,
            headers: { 'retry-after': String(secondsUntilDailyReset(clock.now())) },
          };
        }
        const { generation } = verdict;
        const entry = findRoutMyModel(generation.model);
        if (!entry) throw new Error(`judged model ${generation.model} is not in the catalog`);
        const id = `routmy-${random.string(20)}`;
        const { heldMs, outcome } = plan(ctx, generation, random);
        const succeeded = outcome === 'succeeded';
        const assets = succeeded
          ? Array.from({ length: generation.count }, () =>
              media.register({
                width: generation.width,
                height: generation.height,
                durationSeconds: generation.durationSeconds,
              }),
            )
          : [];
        // Only a delivered result is charged (provisional: the docs do not say whether a
        // failed render costs quota).
        const tokens = succeeded ? chargedQuotaTokens(request, generation, entry) : 0;
        const failure = succeeded ? undefined : ROUTMY_FAILURES[outcome];
        // The record exists so the control plane can show the open request as `rendering`.
        jobs.create({
          id,
          provider: 'routmy',
          lifecycle: routmyLifecycle,
          apiKey: ctx.apiKey,
          generation,
          request: ctx.body,
          scenario: ctx.scenario.name,
          path: [
            { status: 'rendering', forMs: heldMs },
            { status: succeeded ? 'succeeded' : 'failed', forMs: 0 },
          ],
          ...(failure ? { error: failure } : {}),
          assets,
          data: {
            worstCaseTokens: worstCaseQuotaTokens(request, entry),
            chargedTokens: tokens,
          },
          ttlMs: provider.jobTtlMs,
        });

        // Hold the connection for the render time, as rout.my does.
        await clock.sleep(heldMs);

        if (outcome === 'moderation') return error('moderation');
        if (outcome === 'provider') return error('provider_error');
        ledger.charge(key, tokens);
        return {
          status: 200,
          body: {
            // When the answer is made, on the wall clock (Clock.wallTime).
            created: Math.floor(clock.wallTime(clock.now()) / 1000),
            model: generation.model,
            duration: generation.durationSeconds,
            videos: assets.map((asset) => ({
              url: media.url(ctx.origin, asset),
              mime_type: 'video/mp4',
            })),
          },
        };
      },
      listModels(ctx) {
        const key = ctx.apiKey;
        const data = ROUTMY_CATALOG.map(({ model }) => ({
          ...model,
          // Without a key the catalog default; what rout.my sends then is not documented.
          is_available: key === undefined ? model.is_available : available(model.id, key),
        }));
        return { status: 200, body: { object: 'list', data } };
      },
    },
  };
  return provider;
}

/**
 * The rout.my mock with default options (100,000,000 tokens per key per day).
 *
 * @example
 * const engine = createMockEngine({ provider: routmyMock });
 */
export const routmyMock = createRoutMyMock();
