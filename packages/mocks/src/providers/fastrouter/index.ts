/**
 * The FastRouter mock: submit a task, then poll it by id on any of three routes. Most models answer
 * in the Pollo-style task envelope (`waiting → processing → succeed | failed`, with
 * `data.generations[]` and `fastrouter_assets` once done); Sora models answer OpenAI Videos
 * objects (`queued → in_progress → completed | failed`, with `progress`). Unknown or expired
 * tasks answer 404 "Invalid taskId or expired result".
 * @module
 */
import type { ResolvedGeneration } from '@reelkit/spec';
import { fastrouter, fastrouterSpec } from '@reelkit/spec';
import { MockError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import type { Job } from '../core/store.js';
import type {
  ErrorDetail,
  ErrorKind,
  MockProvider,
  Reply,
  RequestContext,
  TimingProfile,
} from '../core/types.js';
import { describeIssues, drawMs } from './shared.js';

/** Starting credit of a key the mock has not seen (set per key on the control plane). */
export const FASTROUTER_DEFAULT_CREDITS = 100;
const {
  FASTROUTER_CATALOG,
  FASTROUTER_ERRORS,
  SORA_BINARY_ON_COMPLETION,
  creditsFor,
  fastrouterError,
  fastrouterLifecycles,
  findFastRouterModel,
  judgeFastRouter,
  judgePoll,
  listingOf,
  responseStyle,
} = fastrouterSpec;

type ErrorStatus = fastrouterSpec.FastRouterErrorStatus;
type Style = fastrouterSpec.ResponseStyle;
type VideoRequest = fastrouterSpec.FastRouterVideoRequest;
type TaskStatus = fastrouterSpec.TaskStatus;
type SoraStatus = fastrouterSpec.SoraStatus;
type TaskCreate = fastrouterSpec.FastRouterTaskCreateResponse;
type TaskPoll = fastrouterSpec.FastRouterTaskStatusResponse;
type SoraVideo = fastrouterSpec.FastRouterSoraVideo;
type PollRoute = fastrouterSpec.PollRoute;

/** Options of {@link createFastRouterMock}: switches between readings of FastRouter's docs. */
export interface FastRouterMockOptions {
  /**
   * The task-family create response. `video-page` (default): the video-generation page's example,
   * `code: 'SUCCESS'`, `message: 'success'`, `data.status: 'waiting'` and `usage`.
   * `caching-docs`: the newer response-caching examples, `code: 'success'`,
   * `message: 'Video generation started'`, `data.status: 'processing'` and `estimate_usage`.
   */
  readonly createStyle?: 'video-page' | 'caching-docs';
  /**
   * Where moderation shows. `http` (default): 403 Moderation Blocked at create, as FastRouter's
   * error-code table documents for flagged input. `job`: the task is accepted and ends `failed`
   * (with `failMsg`, or a Sora `error`), as when the upstream provider moderates later.
   */
  readonly moderation?: 'http' | 'job';
  /**
   * What `getVideoResponse` answers for a completed Sora job. `binary` (default): the MP4 itself
   * ("the video response will be streamed directly"); `json`: the completed video object.
   */
  readonly soraCompletion?: 'binary' | 'json';
}

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/**
 * How long a finished task stays retrievable: hosted assets are kept "up to 30 days depending on
 * plan" (response-caching docs). Provisional: the longest plan, and the same for Sora jobs.
 *
 * @example
 * FASTROUTER_RETENTION_MS / 86_400_000; // 30
 */
export const FASTROUTER_RETENTION_MS = 30 * DAY;

/**
 * Failure texts of failed jobs. None is documented (FastRouter publishes no failure example), so
 * all are provisional: the moderation `failMsg` reuses the docs' 403 wording, and the Sora codes
 * follow OpenAI's error vocabulary (`moderation_blocked`).
 *
 * @example
 * FASTROUTER_FAILURES.sora.moderation.code; // 'moderation_blocked'
 */
export const FASTROUTER_FAILURES = {
  task: {
    provider: 'Video generation failed. Please try again.',
    moderation: FASTROUTER_ERRORS[403].message,
  },
  sora: {
    provider: {
      code: 'video_generation_failed',
      message: 'Video generation failed. Please try again.',
    },
    moderation: {
      code: 'moderation_blocked',
      message: 'Your request was blocked by our moderation system.',
    },
  },
} as const;

/**
 * Simulated queue and render times per model (provisional). Anchors: the docs' Veo 3 example ran
 * 08:02:27 → 08:04:34 (~2 min) and two Pollo-routed 5 s jobs took ~3.5 min; Sora 2 Pro takes
 * several minutes at OpenAI.
 */
const TIMING: Readonly<Record<string, TimingProfile>> = {
  'runway/runway-gen-3-turbo': { queueMs: [5_000, 20_000], renderMs: [30_000, 60_000] },
  'runway/runway-gen-4-turbo': { queueMs: [5_000, 20_000], renderMs: [40_000, 90_000] },
  'bytedance/seedance': { queueMs: [10_000, 30_000], renderMs: [60_000, 120_000] },
  'bytedance/seedance-pro': { queueMs: [15_000, 40_000], renderMs: [150_000, 200_000] },
  'google/veo3': { queueMs: [10_000, 30_000], renderMs: [90_000, 120_000] },
  'google/veo3-fast': { queueMs: [5_000, 20_000], renderMs: [40_000, 70_000] },
  'pollo/pollo-v1-6': { queueMs: [10_000, 30_000], renderMs: [90_000, 180_000] },
  'openai/sora-2': { queueMs: [10_000, 30_000], renderMs: [60_000, 150_000] },
  'openai/sora-2-pro': { queueMs: [20_000, 60_000], renderMs: [180_000, 420_000] },
};
const DEFAULT_TIMING: TimingProfile = { queueMs: [10_000, 30_000], renderMs: [90_000, 180_000] };

/** USD per upstream Pollo credit: the docs' poll example reports costUsd 0.21 as credit 3.5. */
const USD_PER_POLLO_CREDIT = 0.06;

/** The two intermediate statuses of each family, in order. */
const WORDS = {
  task: { initial: 'waiting', working: 'processing' },
  sora: { initial: 'queued', working: 'in_progress' },
} as const satisfies Record<Style, { initial: string; working: string }>;

const KIND_STATUS: Readonly<Record<ErrorKind, ErrorStatus>> = {
  validation: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  moderation: 403,
  not_found: 404,
  rate_limited: 429,
  server_error: 500,
  provider_error: 502,
  // FastRouter documents no 413 and no route declares it: an oversized body is a bad request.
  payload_too_large: 400,
};

/** `cache_key` header limits (response-caching docs). */
const CACHE_KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;
const DEFAULT_CACHE_TTL_SECONDS = 57_600;

/** What a job keeps beside the engine's fields. */
interface JobData {
  readonly style: Style;
  readonly chatId: string;
  readonly credits: number;
  readonly provider: string;
  readonly echoModel: string;
  /** Pollo's generation id (task family). */
  readonly generationId: string;
  /** Sora `seconds` and `size`. */
  readonly seconds: string;
  readonly size: string;
  /** Response-cache entry of the task, when the request carried a `cache_key` header. */
  readonly cache?: { readonly fingerprint: string; readonly until: number };
  /** Whether the planned end is a success (failed tasks are never cache hits). */
  readonly succeeds: boolean;
  /** The Sora `error.code` of a failed job (its message is the job's `error`). */
  readonly failureCode?: string;
}

const dataOf = (job: Job): JobData => job.data as unknown as JobData;
const seconds = (ms: number): number => Math.floor(ms / SECOND);
/** Dates as the docs show them: whole seconds, `.000Z`. */
const isoSeconds = (ms: number): string => new Date(seconds(ms) * SECOND).toISOString();
const round2 = (n: number): number => Math.round(n * 100) / 100;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEX = '0123456789abcdef';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A task id as FastRouter issues them: `fr_` and a ULID, whose first 10 characters encode the
 * creation time (fr_01M1NH55R9NM02M56D57P2F5FY decodes to the minute its task was created).
 */
function taskIdAt(ms: number, random: Random): string {
  let time = '';
  for (let rest = ms, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time;
  }
  return `fr_${time}${random.string(16, CROCKFORD)}`;
}

/** A Sora video id: `video_`, the creation time as 8 hex digits, then 40 more (as OpenAI's). */
function soraIdAt(ms: number, random: Random): string {
  return `video_${seconds(ms).toString(16).padStart(8, '0')}${random.string(40, HEX)}`;
}

/** A chat id: `fr_` and a version-4 UUID, new for every request. */
function chatId(random: Random): string {
  const variant = '89ab'[random.int(0, 3)] as string;
  return `fr_${random.string(8, HEX)}-${random.string(4, HEX)}-4${random.string(3, HEX)}-${variant}${random.string(3, HEX)}-${random.string(12, HEX)}`;
}

/** Pollo's generation id: a cuid (`c`, creation ms in base 36, then random characters). */
function generationIdAt(ms: number, random: Random): string {
  return `c${ms.toString(36).padStart(8, '0')}${random.string(16, BASE36)}`;
}

/** The error reply of a rejected judgement, keeping its own type and code. */
function rejection(verdict: {
  status: number;
  message: string;
  type?: string;
  code?: string;
}): Reply {
  const status = (verdict.status in FASTROUTER_ERRORS ? verdict.status : 400) as ErrorStatus;
  return {
    status,
    body: fastrouterError(status, {
      message: verdict.message,
      ...(verdict.type ? { type: verdict.type } : {}),
      ...(verdict.code ? { code: verdict.code } : {}),
    }),
  };
}

/**
 * FastRouter's error replies, in its `{ error: { message, type, code, status } }` envelope. The
 * statuses and their meanings are documented; message/type/code values are provisional (the
 * defaults of `FASTROUTER_ERRORS`, which reuse the docs' wording).
 */
function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
  const status = KIND_STATUS[kind];
  let message = detail.message ?? FASTROUTER_ERRORS[status].message;
  let code: string | undefined;
  if (detail.issues?.length) {
    message = `${FASTROUTER_ERRORS[400].message} ${describeIssues(detail.issues)}`;
  }
  if (kind === 'payload_too_large') {
    message = detail.message ?? 'The request body is too large.';
    code = 'payload_too_large';
  }
  // A path that is no route is not a missing task.
  if (kind === 'not_found' && detail.message) code = 'not_found';
  const headers: Record<string, string> = {};
  if (kind === 'rate_limited') {
    // Retry-After is declared; the x-ratelimit-* names are provisional (OpenAI-style, per minute).
    const retryAfter = detail.retryAfterSeconds ?? 60;
    headers['retry-after'] = String(retryAfter);
    headers['x-ratelimit-limit-requests'] = '60';
    headers['x-ratelimit-remaining-requests'] = '0';
    headers['x-ratelimit-reset-requests'] = `${retryAfter}s`;
  }
  return { status, body: fastrouterError(status, { message, ...(code ? { code } : {}) }), headers };
}

/** The exact-match part of the response-cache lookup (prompt similarity 1.0: exact prompt). */
function cacheFingerprint(cacheKey: string, request: VideoRequest, provider: string): string {
  const options = request.cache ?? {};
  return JSON.stringify([
    cacheKey,
    options.filter_on_model === false ? null : request.model,
    options.filter_on_provider === true ? provider : null,
    request.prompt,
    request.image ?? null,
    request.length ?? null,
    request.seconds ?? null,
    request.resolution ?? null,
    request.aspectRatio ?? null,
    request.size ?? null,
    request.mode ?? null,
    request.seed ?? null,
    request.generateAudio ?? null,
  ]);
}

/**
 * Creates the FastRouter mock provider.
 *
 * @example
 * const engine = createMockEngine({ provider: createFastRouterMock({ createStyle: 'caching-docs' }) });
 * const res = await engine.handle(new Request('https://go.fastrouter.ai/api/v1/videos', {
 *   method: 'POST', headers: { authorization: 'Bearer sk-v1-test', 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'google/veo3', prompt: 'a robot walking on Mars' }),
 * }));
 * (await res.json()).data.status; // 'processing'
 */
export function createFastRouterMock(
  options: FastRouterMockOptions = {},
): MockProvider<typeof fastrouter> {
  const createStyle = options.createStyle ?? 'video-page';
  const moderation = options.moderation ?? 'http';
  const soraCompletion = options.soraCompletion ?? 'binary';

  /** The job's planned statuses, failure text and retention, from the scenario. */
  function plan(style: Style, generation: ResolvedGeneration, ctx: RequestContext) {
    const { effect } = ctx.scenario;
    const timing = provider.timing(generation);
    const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
    const queue = drawMs(ctx.services.random, timing.queueMs) * factor;
    const render = drawMs(ctx.services.random, timing.renderMs) * factor;
    const lifecycle = fastrouterLifecycles[style];
    const { initial, working } = WORDS[style];
    // The caching docs' create already says `processing`: the task leaves `waiting` at once.
    const skipQueue = style === 'task' && createStyle === 'caching-docs';
    const start = [
      { status: initial, forMs: skipQueue ? 0 : queue },
      { status: working, forMs: skipQueue ? queue + render : render },
    ];
    const outcome = effect.kind === 'job' ? effect.outcome : 'completed';
    switch (outcome) {
      case 'completed':
        return {
          path: [...start, { status: lifecycle.success, forMs: 0 }],
          ttlMs: FASTROUTER_RETENTION_MS,
          succeeds: true,
        };
      case 'expired':
        // FastRouter has no expiry status: the result is gone (404) the moment the job ends.
        return {
          path: [...start, { status: lifecycle.success, forMs: 0 }],
          ttlMs: 0,
          succeeds: true,
        };
      case 'failed': {
        const cause =
          effect.kind === 'job' && effect.cause === 'moderation' ? 'moderation' : 'provider';
        const [waiting, processing] = start as [(typeof start)[number], (typeof start)[number]];
        return {
          path: [
            waiting,
            { ...processing, forMs: processing.forMs / 3 },
            { status: 'failed', forMs: 0 },
          ],
          ttlMs: FASTROUTER_RETENTION_MS,
          succeeds: false,
          failure:
            style === 'task'
              ? { message: FASTROUTER_FAILURES.task[cause] }
              : FASTROUTER_FAILURES.sora[cause],
        };
      }
      case 'cancelled':
        throw new MockError(
          'MOCK_ERR_UNKNOWN_SCENARIO',
          'FastRouter has no cancel endpoint and no cancelled status; use failed or expired.',
        );
    }
  }

  function findJob(ctx: RequestContext, taskId: string): Job | undefined {
    const job = ctx.services.jobs.get(taskId);
    // Task ids are org-scoped: another key's task is as unknown as a made-up one.
    return job && job.apiKey === ctx.apiKey ? job : undefined;
  }

  /** A live, successful task created from the same cached request, if any. */
  function cacheHit(ctx: RequestContext, fingerprint: string): Job | undefined {
    const now = ctx.services.clock.now();
    return ctx.services.jobs.list().find((job) => {
      const data = dataOf(job);
      return (
        data.cache?.fingerprint === fingerprint &&
        data.succeeds &&
        now < data.cache.until &&
        job.apiKey === ctx.apiKey &&
        ctx.services.jobs.get(job.id) === job
      );
    });
  }

  function taskCreateBody(
    job: Job,
    chat: string,
    status: 'waiting' | 'processing',
    cached: boolean,
  ): TaskCreate {
    const data = dataOf(job);
    const usage = {
      chat_id: chat,
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      // On a cache hit nothing is charged and the credit fields are left out (caching docs).
      ...(cached ? {} : { user_key_credits_used: data.credits, credits_used: data.credits }),
      provider: data.provider,
    };
    const head =
      createStyle === 'video-page'
        ? { code: 'SUCCESS' as const, message: 'success' }
        : { code: 'success' as const, message: 'Video generation started' };
    return {
      chat_id: chat,
      model: data.echoModel,
      ...head,
      data: { taskId: job.id, status },
      ...(createStyle === 'video-page' ? { usage } : { estimate_usage: usage }),
      ...(cached ? { cached: true } : {}),
    };
  }

  function taskView(ctx: RequestContext, job: Job): TaskPoll {
    const { jobs, media, random, clock } = ctx.services;
    // Body timestamps are wall-clock moments (Clock.wallTime), never ahead of the client's clock.
    const wall = (ms: number) => clock.wallTime(ms);
    const data = dataOf(job);
    const { status: current, at } = jobs.statusOf(job);
    const status = current as TaskStatus;
    const url = job.assets[0] ? media.url(ctx.origin, job.assets[0]) : '';
    const succeeded = status === 'succeed';
    const failed = status === 'failed';
    const billed = { api_key_credits_used: 0, provider: data.provider };
    return {
      chat_id: chatId(random),
      code: 'SUCCESS',
      message: 'success',
      data: {
        taskId: job.id,
        status,
        generations: [
          {
            id: data.generationId,
            createdDate: isoSeconds(wall(job.createdAt)),
            updatedDate: isoSeconds(wall(at)),
            status,
            failMsg: failed ? (job.error ?? '') : '',
            url: succeeded ? url : '',
            mediaType: 'video',
          },
        ],
        ...(succeeded
          ? { costUsd: data.credits, credit: round2(data.credits / USD_PER_POLLO_CREDIT) }
          : {}),
      },
      ...(succeeded
        ? {
            fastrouter_assets: {
              status: 'ready',
              urls: [url],
              expires_at: seconds(wall(job.expiresAt)),
              cached_at: seconds(wall(at)),
            },
            usage: { ...billed, user_key_credits_used: data.credits, credits_used: data.credits },
          }
        : {}),
      // "Failed jobs are not billed."
      ...(failed ? { usage: { ...billed, user_key_credits_used: 0, credits_used: 0 } } : {}),
    };
  }

  function soraView(ctx: RequestContext, job: Job, chat: string, forCreate: boolean): SoraVideo {
    const { jobs, clock } = ctx.services;
    const wall = (ms: number) => clock.wallTime(ms);
    const data = dataOf(job);
    const { status: current, at } = jobs.statusOf(job);
    const status = current as SoraStatus;
    const completed = status === 'completed';
    let progress: number | undefined;
    if (!forCreate && status === 'queued') progress = 0;
    if (completed) progress = 100;
    if (status === 'in_progress') {
      const end = job.timeline[job.timeline.length - 1]?.at ?? at;
      const share = end > at ? (clock.now() - at) / (end - at) : 0;
      progress = Math.min(99, Math.max(0, Math.floor(share * 100)));
    }
    // The create answer carries the estimate (the docs show 4 for the Sora 2 Pro example).
    const credits = forCreate || completed ? data.credits : 0;
    return {
      id: job.id,
      chat_id: chat,
      object: 'video',
      created_at: seconds(wall(job.createdAt)),
      status,
      completed_at: completed ? seconds(wall(at)) : 0,
      expires_at: completed ? seconds(wall(job.expiresAt)) : 0,
      model: data.echoModel,
      ...(progress === undefined ? {} : { progress }),
      seconds: data.seconds,
      size: data.size,
      usage: {
        api_key_credits_used: 0,
        // Polls before completion show 0 (as the docs example does); failed jobs are not billed.
        user_key_credits_used: credits,
        credits_used: credits,
        provider: data.provider,
      },
      ...(status === 'failed' && job.error
        ? { error: { code: data.failureCode ?? 'video_generation_failed', message: job.error } }
        : {}),
    };
  }

  async function poll(
    ctx: RequestContext,
    route: PollRoute,
    taskId: string,
    model: string | undefined,
  ): Promise<Reply> {
    const job = findJob(ctx, taskId);
    const verdict = judgePoll({
      route,
      taskId,
      ...(model === undefined ? {} : { model }),
      ...(job ? { job: { model: job.generation.model } } : {}),
    });
    if (!verdict.ok) return rejection(verdict);
    const found = job as Job;
    if (dataOf(found).style === 'task') return { status: 200, body: taskView(ctx, found) };
    const { status } = ctx.services.jobs.statusOf(found);
    const streams =
      soraCompletion === 'binary' &&
      (SORA_BINARY_ON_COMPLETION.routes as readonly string[]).includes(route);
    if (status === 'completed' && streams) {
      const assetId = found.assets[0];
      const bytes = assetId ? await ctx.services.media.bytes(assetId) : undefined;
      if (!bytes) return error('not_found');
      return { status: 200, bytes, contentType: SORA_BINARY_ON_COMPLETION.contentType };
    }
    return { status: 200, body: soraView(ctx, found, chatId(ctx.services.random), false) };
  }

  const provider: MockProvider<typeof fastrouter> = {
    spec: fastrouter,
    scenarios: [
      'success',
      'slow',
      'failed',
      'moderation',
      'expired',
      'insufficient-credits',
      'rate-limit',
      'server-error',
      'provider-error',
    ],
    jobTtlMs: FASTROUTER_RETENTION_MS,
    // 1 credit = 1 USD (the poll example has costUsd 0.21 = credits_used 0.21).
    balance: { unit: 'credits', defaultBalance: FASTROUTER_DEFAULT_CREDITS },
    timing: (generation) => TIMING[generation.model] ?? DEFAULT_TIMING,
    error,
    handlers: {
      createVideo(ctx) {
        const request = ctx.body as VideoRequest;
        const verdict = judgeFastRouter(request);
        if (!verdict.ok) return rejection(verdict);
        const { effect } = ctx.scenario;
        if (moderation === 'http' && effect.kind === 'job' && effect.cause === 'moderation') {
          return error('moderation');
        }
        const { generation } = verdict;
        const entry = findFastRouterModel(generation.model);
        if (!entry) {
          return rejection({
            status: 400,
            message: `Model ${generation.model} is not a supported video model`,
          });
        }
        const { spec } = entry;
        const style = responseStyle(spec.id);
        const { clock, random, jobs, media, ledger } = ctx.services;

        // Response caching (task family, as documented): a hit reuses the task, free of charge.
        const cacheKey = ctx.request.headers.get('cache_key') ?? undefined;
        if (cacheKey !== undefined && !CACHE_KEY.test(cacheKey)) {
          return rejection({
            status: 400,
            message: 'Invalid cache_key header: up to 128 characters of [A-Za-z0-9_-:.]',
            code: 'invalid_cache_key',
          });
        }
        const fingerprint =
          cacheKey !== undefined && style === 'task'
            ? cacheFingerprint(cacheKey, request, spec.provider)
            : undefined;
        const hit = fingerprint ? cacheHit(ctx, fingerprint) : undefined;
        if (hit) {
          return { status: 200, body: taskCreateBody(hit, chatId(random), 'processing', true) };
        }

        // Credits: 402 when the account cannot pay; failed jobs are not billed (caching doc).
        const credits = creditsFor(spec.id, request) ?? 0;
        const account = ctx.apiKey ?? '';
        if (credits > ledger.balanceOf(account)) return error('insufficient_credits');

        const now = clock.now();
        // Ids carry their creation time, as the router's do: the wall-clock one.
        const wallNow = clock.wallTime(now);
        const id = style === 'task' ? taskIdAt(wallNow, random) : soraIdAt(wallNow, random);
        const chat = chatId(random);
        const generationId = generationIdAt(wallNow, random);
        const planned = plan(style, generation, ctx);
        const assets = [
          media.register({
            width: generation.width,
            height: generation.height,
            durationSeconds: generation.durationSeconds,
          }),
        ];
        const data: JobData = {
          style,
          chatId: chat,
          credits,
          provider: spec.provider,
          echoModel: spec.echoModel,
          generationId,
          seconds: String(generation.durationSeconds),
          size: `${generation.width}x${generation.height}`,
          succeeds: planned.succeeds,
          ...(planned.failure && 'code' in planned.failure
            ? { failureCode: planned.failure.code }
            : {}),
          ...(fingerprint
            ? {
                cache: {
                  fingerprint,
                  until:
                    now + (request.cache?.expiration_time ?? DEFAULT_CACHE_TTL_SECONDS) * SECOND,
                },
              }
            : {}),
        };
        if (planned.succeeds) ledger.charge(account, credits);
        const job = jobs.create({
          id,
          provider: 'fastrouter',
          lifecycle: fastrouterLifecycles[style],
          apiKey: ctx.apiKey,
          generation,
          request: ctx.body,
          scenario: ctx.scenario.name,
          path: planned.path,
          ...(planned.failure ? { error: planned.failure.message } : {}),
          assets,
          data: data as unknown as Record<string, unknown>,
          ttlMs: planned.ttlMs,
        });
        if (style === 'sora') return { status: 200, body: soraView(ctx, job, chat, true) };
        const status = jobs.statusOf(job).status as 'waiting' | 'processing';
        return { status: 200, body: taskCreateBody(job, chat, status, false) };
      },
      getVideoResponse(ctx) {
        const { taskId, model } = ctx.body as fastrouterSpec.FastRouterGetVideoResponseRequest;
        return poll(ctx, 'getVideoResponse', taskId, model);
      },
      getAsyncResponse(ctx) {
        const { taskId, model } = ctx.body as fastrouterSpec.FastRouterGetAsyncResponseRequest;
        return poll(ctx, 'getAsyncResponse', taskId, model);
      },
      getVideo(ctx) {
        return poll(ctx, 'getVideo', ctx.params.task_id ?? '', undefined);
      },
      listModels() {
        return { status: 200, body: { object: 'list', data: FASTROUTER_CATALOG.map(listingOf) } };
      },
    },
  };
  return provider;
}

/**
 * The FastRouter mock with default options.
 *
 * @example
 * const engine = createMockEngine({ provider: fastrouterMock, clock: createManualClock() });
 */
export const fastrouterMock = createFastRouterMock();
