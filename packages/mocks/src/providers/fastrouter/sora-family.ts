/**
 * FastRouter's Sora family: OpenAI Videos objects (`queued → in_progress → completed | failed`,
 * with `progress`), and the finished MP4 streamed from the routes that stream it.
 * @module
 */
import { fastrouterSpec } from '@reelkit/spec';
import type { Reply } from '../../core/types.js';
import { fastrouterErrorReply } from './errors.js';
import { chatId, unixSeconds } from './ids.js';
import type { FastRouterContext, FastRouterJob } from './job-data.js';

const { FASTROUTER_FAILURES, SORA_BINARY_ON_COMPLETION } = fastrouterSpec;
type SoraVideo = fastrouterSpec.FastRouterSoraVideo;
type SoraStatus = fastrouterSpec.SoraStatus;
type PollRoute = fastrouterSpec.PollRoute;

/**
 * The Sora video object at the job's current status. The create answer shows no `progress` while
 * queued and carries the credit estimate; polls show 0 credits until the job completes.
 *
 * @example
 * soraView(ctx, job, chat, true).status; // 'queued'
 */
export function soraView(
  ctx: FastRouterContext,
  job: FastRouterJob,
  chat: string,
  forCreate: boolean,
): SoraVideo {
  const { jobs, clock } = ctx.services;
  const wall = (ms: number) => clock.wallTime(ms);
  const data = job.data;
  const { status: current, at } = jobs.statusOf(job);
  const status = current as SoraStatus;
  const canonical = job.lifecycle.canonical[status];
  const completed = status === job.lifecycle.success;
  let progress: number | undefined;
  if (!forCreate && canonical === 'queued') progress = 0;
  if (completed) progress = 100;
  if (canonical === 'in_progress') {
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
    created_at: unixSeconds(wall(job.createdAt)),
    status,
    completed_at: completed ? unixSeconds(wall(at)) : 0,
    expires_at: completed ? unixSeconds(wall(job.expiresAt)) : 0,
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
    ...(canonical === 'failed' && job.error
      ? {
          error: {
            code: data.failureCode ?? FASTROUTER_FAILURES.sora.provider.code,
            message: job.error,
          },
        }
      : {}),
  };
}

/**
 * A poll of a Sora job: the video object, or, once completed on a route that streams, the MP4.
 *
 * @example
 * await soraPoll(ctx, job, 'getVideoResponse', 'binary'); // { status: 200, bytes, contentType: 'video/mp4' }
 */
export async function soraPoll(
  ctx: FastRouterContext,
  job: FastRouterJob,
  route: PollRoute,
  soraCompletion: 'binary' | 'json',
): Promise<Reply> {
  const { status } = ctx.services.jobs.statusOf(job);
  const streams =
    soraCompletion === 'binary' &&
    (SORA_BINARY_ON_COMPLETION.routes as readonly string[]).includes(route);
  if (status === job.lifecycle.success && streams) {
    const assetId = job.assets[0];
    const bytes = assetId ? await ctx.services.media.bytes(assetId) : undefined;
    if (!bytes) return fastrouterErrorReply('not_found');
    return { status: 200, bytes, contentType: SORA_BINARY_ON_COMPLETION.contentType };
  }
  return { status: 200, body: soraView(ctx, job, chatId(ctx.services.random), false) };
}
