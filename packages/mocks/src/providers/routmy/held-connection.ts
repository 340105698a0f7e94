/**
 * rout.my's one synchronous generation: the connection is held for the whole render (queue +
 * render time of the model), then answers the videos, or the failure the scenario planned.
 * @module
 */
import type { ResolvedGeneration } from '@reelkit/spec';
import { routmy, routmySpec, statusWith, timingOf } from '@reelkit/spec';
import type { Random } from '../../core/random.js';
import type { Reply, RequestContext } from '../../core/types.js';
import { drawMs } from '../shared.js';
import { routmyErrorReply } from './errors.js';
import { refusal } from './quota.js';

const {
  ROUTMY_FAILURES,
  RoutMyVideoRequest,
  chargedQuotaTokens,
  findRoutMyModel,
  judgeRoutMy,
  routmyLifecycle,
  worstCaseQuotaTokens,
} = routmySpec;

/** The status a failed render ends in. */
const FAILED = statusWith(routmyLifecycle, 'failed');

/** How a held request ends, from its scenario. */
type Outcome = 'succeeded' | 'provider' | 'moderation';

/** The connection is held for queue + render; failures end after the same time. */
function plan(ctx: RequestContext, generation: ResolvedGeneration, random: Random) {
  const { effect } = ctx.scenario;
  const timing = timingOf(routmy.facts.timing, generation.model);
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

/**
 * The `createVideo` handler of a rout.my mock: judge (plan availability and the worst-case quota
 * check), hold the connection for the render, then answer and charge the tokens used.
 *
 * @example
 * const createVideo = createHeldGeneration((modelId, key) => true);
 */
export function createHeldGeneration(available: (modelId: string, apiKey: string) => boolean) {
  return async function createVideo(ctx: RequestContext): Promise<Reply> {
    const { clock, random, jobs, media, ledger } = ctx.services;
    const request = RoutMyVideoRequest.parse(ctx.body);
    const key = ctx.apiKey ?? '';
    const verdict = judgeRoutMy(request, {
      isAvailable: (id) => available(id, key),
      remainingTokens: await ledger.balanceOf(key),
    });
    if (!verdict.ok) return refusal(verdict, clock.now());
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
    // Only a delivered result is charged (provisional: the docs do not say whether a failed
    // render costs quota).
    const tokens = succeeded ? chargedQuotaTokens(request, generation, entry) : 0;
    const failure = succeeded ? undefined : ROUTMY_FAILURES[outcome];
    // The record exists so the control plane can show the open request as `rendering`.
    await jobs.create({
      id,
      provider: 'routmy',
      lifecycle: routmyLifecycle,
      apiKey: ctx.apiKey,
      generation,
      request: ctx.body,
      scenario: ctx.scenario.name,
      path: [
        { status: routmyLifecycle.initial, forMs: heldMs },
        { status: succeeded ? routmyLifecycle.success : FAILED, forMs: 0 },
      ],
      ...(failure ? { error: failure } : {}),
      assets,
      data: {
        worstCaseTokens: worstCaseQuotaTokens(request, entry),
        chargedTokens: tokens,
      },
      ttlMs: routmy.facts.jobTtlMs,
    });

    // Hold the connection for the render time, as rout.my does.
    await clock.sleep(heldMs);

    if (outcome === 'moderation') return routmyErrorReply('moderation');
    if (outcome === 'provider') return routmyErrorReply('provider_error');
    await ledger.charge(key, tokens);
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
  };
}
