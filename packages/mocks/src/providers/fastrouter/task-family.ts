/**
 * FastRouter's task family (Pollo-style): the create answer and the task record polls return,
 * with `data.generations[]` and, once done, `fastrouter_assets` and the bill.
 * @module
 */
import type { fastrouterSpec } from '@reelkit/spec';
import { chatId, isoSeconds, unixSeconds } from './ids.js';
import type { FastRouterContext, FastRouterJob } from './job-data.js';

type TaskCreate = fastrouterSpec.FastRouterTaskCreateResponse;
type TaskPoll = fastrouterSpec.FastRouterTaskStatusResponse;
type TaskStatus = fastrouterSpec.TaskStatus;

/** Which of the docs' two create answers the mock sends (see `FastRouterMockOptions`). */
export type CreateStyle = 'video-page' | 'caching-docs';

/** USD per upstream Pollo credit: the docs' poll example reports costUsd 0.21 as credit 3.5. */
const USD_PER_POLLO_CREDIT = 0.06;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * The task family's create answer; a cache hit is free and says `cached: true`.
 *
 * @example
 * taskCreateBody(job, chat, 'waiting', false, 'video-page').code; // 'SUCCESS'
 */
export function taskCreateBody(
  job: FastRouterJob,
  chat: string,
  status: TaskCreate['data']['status'],
  cached: boolean,
  createStyle: CreateStyle,
): TaskCreate {
  const data = job.data;
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

/**
 * The task record a poll returns, at the job's current status.
 *
 * @example
 * taskView(ctx, job).data.status; // 'processing'
 */
export function taskView(ctx: FastRouterContext, job: FastRouterJob): TaskPoll {
  const { jobs, media, random, clock } = ctx.services;
  // Body timestamps are wall-clock moments (Clock.wallTime), never ahead of the client's clock.
  const wall = (ms: number) => clock.wallTime(ms);
  const data = job.data;
  const { status: current, at } = jobs.statusOf(job);
  const status = current as TaskStatus;
  const { lifecycle } = job;
  const url = job.assets[0] ? media.url(ctx.origin, job.assets[0]) : '';
  const succeeded = status === lifecycle.success;
  const failed = lifecycle.canonical[status] === 'failed';
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
            expires_at: unixSeconds(wall(job.expiresAt)),
            cached_at: unixSeconds(wall(at)),
          },
          usage: { ...billed, user_key_credits_used: data.credits, credits_used: data.credits },
        }
      : {}),
    // "Failed jobs are not billed."
    ...(failed ? { usage: { ...billed, user_key_credits_used: 0, credits_used: 0 } } : {}),
  };
}
