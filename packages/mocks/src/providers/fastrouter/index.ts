/**
 * The FastRouter mock: submit a task, then poll it by id on any of three routes. Most models answer
 * in the Pollo-style task envelope (`task-family.ts`); Sora models answer OpenAI Videos objects
 * (`sora-family.ts`). Unknown or expired tasks answer 404 "Invalid taskId or expired result".
 * Statuses, timings, error answers and retention are the spec's facts (`fastrouter.facts`).
 * @module
 */
import { fastrouter, fastrouterSpec, timingOf } from '@reelkit/spec';
import type { MockProvider, Reply } from '../../core/types.js';
import { fastrouterErrorReply, rejection } from './errors.js';
import { chatId, generationIdAt, soraIdAt, taskIdAt } from './ids.js';
import type { FastRouterContext, FastRouterJob, FastRouterJobData } from './job-data.js';
import { planJob } from './plan.js';
import { cacheFingerprint, cacheHit, cacheUntil, isValidCacheKey } from './response-cache.js';
import { soraPoll, soraView } from './sora-family.js';
import type { CreateStyle } from './task-family.js';
import { taskCreateBody, taskView } from './task-family.js';

const {
  FASTROUTER_CATALOG,
  creditsFor,
  fastrouterLifecycles,
  findFastRouterModel,
  judgeFastRouter,
  judgePoll,
  listingOf,
  responseStyle,
} = fastrouterSpec;

type VideoRequest = fastrouterSpec.FastRouterVideoRequest;
/** The statuses a task-family create answer may show. */
type CreateStatus = fastrouterSpec.FastRouterTaskCreateResponse['data']['status'];
type PollRoute = fastrouterSpec.PollRoute;

/** Starting credit of a key the mock has not seen (set per key on the control plane). */
export const FASTROUTER_DEFAULT_CREDITS = 100;

/**
 * How long a finished task stays retrievable (the spec's `fastrouter.facts.jobTtlMs`).
 *
 * @example
 * FASTROUTER_RETENTION_MS / 86_400_000; // 30
 */
export const FASTROUTER_RETENTION_MS = fastrouterSpec.FASTROUTER_RETENTION_MS;

/**
 * Failure texts of failed jobs (the spec's `fastrouterSpec.FASTROUTER_FAILURES`).
 *
 * @example
 * FASTROUTER_FAILURES.sora.moderation.code; // 'moderation_blocked'
 */
export const FASTROUTER_FAILURES = fastrouterSpec.FASTROUTER_FAILURES;

/** Options of {@link createFastRouterMock}: switches between readings of FastRouter's docs. */
export interface FastRouterMockOptions {
  /**
   * The task-family create response. `video-page` (default): the video-generation page's example,
   * `code: 'SUCCESS'`, `message: 'success'`, `data.status: 'waiting'` and `usage`.
   * `caching-docs`: the newer response-caching examples, `code: 'success'`,
   * `message: 'Video generation started'`, `data.status: 'processing'` and `estimate_usage`.
   */
  readonly createStyle?: CreateStyle;
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
): MockProvider<typeof fastrouter, FastRouterJobData> {
  const createStyle = options.createStyle ?? 'video-page';
  const moderation = options.moderation ?? 'http';
  const soraCompletion = options.soraCompletion ?? 'binary';

  async function findJob(
    ctx: FastRouterContext,
    taskId: string,
  ): Promise<FastRouterJob | undefined> {
    const job = await ctx.services.jobs.get(taskId);
    // Task ids are org-scoped: another key's task is as unknown as a made-up one.
    return job && job.apiKey === ctx.apiKey ? job : undefined;
  }

  async function poll(
    ctx: FastRouterContext,
    route: PollRoute,
    taskId: string,
    model: string | undefined,
  ): Promise<Reply> {
    const job = await findJob(ctx, taskId);
    const verdict = judgePoll({
      route,
      taskId,
      ...(model === undefined ? {} : { model }),
      ...(job ? { job: { model: job.generation.model } } : {}),
    });
    if (!verdict.ok) return rejection(verdict);
    const found = job as FastRouterJob;
    if (found.data.style === 'task') return { status: 200, body: taskView(ctx, found) };
    return soraPoll(ctx, found, route, soraCompletion);
  }

  async function createVideo(ctx: FastRouterContext): Promise<Reply> {
    const request = ctx.body as VideoRequest;
    const verdict = judgeFastRouter(request);
    if (!verdict.ok) return rejection(verdict);
    const { effect } = ctx.scenario;
    if (moderation === 'http' && effect.kind === 'job' && effect.cause === 'moderation') {
      return fastrouterErrorReply('moderation');
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
    if (cacheKey !== undefined && !isValidCacheKey(cacheKey)) {
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
    const hit = fingerprint ? await cacheHit(ctx, fingerprint) : undefined;
    if (hit) {
      // A hit says the task is under way, whatever its state (caching docs).
      const working = fastrouterLifecycles.task.intermediate.at(-1) as CreateStatus;
      return {
        status: 200,
        body: taskCreateBody(hit, chatId(random), working, true, createStyle),
      };
    }

    const credits = creditsFor(spec.id, request) ?? 0;
    const account = ctx.apiKey ?? '';
    const now = clock.now();
    // Ids carry their creation time, as the router's do: the wall-clock one.
    const wallNow = clock.wallTime(now);
    const id = style === 'task' ? taskIdAt(wallNow, random) : soraIdAt(wallNow, random);
    const chat = chatId(random);
    const generationId = generationIdAt(wallNow, random);
    const planned = planJob(style, generation, ctx, createStyle);
    // Credits: 402 when the account cannot pay; failed jobs are not billed (caching doc). Spending
    // checks and takes in one step: another request, on any replica, may spend the same balance.
    const paid = planned.succeeds
      ? await ledger.spend(account, credits)
      : credits <= (await ledger.balanceOf(account));
    if (!paid) return fastrouterErrorReply('insufficient_credits');
    const assets = [
      media.register({
        width: generation.width,
        height: generation.height,
        durationSeconds: generation.durationSeconds,
      }),
    ];
    const data: FastRouterJobData = {
      style,
      chatId: chat,
      credits,
      provider: spec.provider,
      echoModel: spec.echoModel,
      generationId,
      seconds: String(generation.durationSeconds),
      size: `${generation.width}x${generation.height}`,
      succeeds: planned.succeeds,
      ...(planned.failure?.code !== undefined ? { failureCode: planned.failure.code } : {}),
      ...(fingerprint ? { cache: { fingerprint, until: cacheUntil(now, request) } } : {}),
    };
    const job = await jobs.create({
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
      data,
      ttlMs: planned.ttlMs,
    });
    if (style === 'sora') return { status: 200, body: soraView(ctx, job, chat, true) };
    const status = jobs.statusOf(job).status as CreateStatus;
    return { status: 200, body: taskCreateBody(job, chat, status, false, createStyle) };
  }

  return {
    spec: fastrouter,
    scenarios: fastrouter.facts.scenarios,
    jobTtlMs: fastrouter.facts.jobTtlMs,
    // 1 credit = 1 USD (the poll example has costUsd 0.21 = credits_used 0.21).
    balance: { unit: 'credits', defaultBalance: FASTROUTER_DEFAULT_CREDITS },
    timing: (generation) => timingOf(fastrouter.facts.timing, generation.model),
    error: fastrouterErrorReply,
    handlers: {
      createVideo,
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
}

/**
 * The FastRouter mock with default options.
 *
 * @example
 * const engine = createMockEngine({ provider: fastrouterMock, clock: createManualClock() });
 */
export const fastrouterMock = createFastRouterMock();
