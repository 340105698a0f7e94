/**
 * The planned life of a FastRouter job: its statuses (the family's lifecycle words), how long
 * each lasts, how it ends and how long its result is kept, from the model's timing and the
 * scenario.
 * @module
 */
import type { LifecycleDef, ResolvedGeneration } from '@reelkit/spec';
import { fastrouter, fastrouterSpec, statusWith, timingOf } from '@reelkit/spec';
import { MockError } from '../../core/errors.js';
import { drawMs } from '../shared.js';
import type { CreateStyle } from './task-family.js';
import type { FastRouterContext } from './job-data.js';

const { FASTROUTER_FAILURES, fastrouterLifecycles } = fastrouterSpec;
type Style = fastrouterSpec.ResponseStyle;

/** A family's status words, read from its lifecycle. */
const wordsOf = (lifecycle: LifecycleDef) => ({
  queued: statusWith(lifecycle, 'queued'),
  working: statusWith(lifecycle, 'in_progress'),
  success: lifecycle.success,
  failed: statusWith(lifecycle, 'failed'),
});

/** Each family's words, read once. */
const WORDS: Readonly<Record<Style, ReturnType<typeof wordsOf>>> = {
  task: wordsOf(fastrouterLifecycles.task),
  sora: wordsOf(fastrouterLifecycles.sora),
};

/** A job's planned statuses, failure text and retention. */
export interface FastRouterPlan {
  readonly path: readonly { readonly status: string; readonly forMs: number }[];
  readonly ttlMs: number;
  readonly succeeds: boolean;
  /** The failure of a job planned to fail: its message, and a Sora job's error code. */
  readonly failure?: { readonly message: string; readonly code?: string };
}

/**
 * Plans a job of family `style`. FastRouter has no expiry status: an `expired` job's result is
 * gone (404) the moment it ends; it has no cancel either.
 *
 * @example
 * planJob('task', generation, ctx, 'video-page').path.map((s) => s.status); // ['waiting', 'processing', 'succeed']
 */
export function planJob(
  style: Style,
  generation: ResolvedGeneration,
  ctx: FastRouterContext,
  createStyle: CreateStyle,
): FastRouterPlan {
  const { effect } = ctx.scenario;
  const timing = timingOf(fastrouter.facts.timing, generation.model);
  const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
  const queue = drawMs(ctx.services.random, timing.queueMs) * factor;
  const render = drawMs(ctx.services.random, timing.renderMs) * factor;
  const words = WORDS[style];
  // The caching docs' create already says `processing`: the task leaves `waiting` at once.
  const skipQueue = style === 'task' && createStyle === 'caching-docs';
  const queued = { status: words.queued, forMs: skipQueue ? 0 : queue };
  const working = { status: words.working, forMs: skipQueue ? queue + render : render };
  const succeeded = { status: words.success, forMs: 0 };
  const outcome = effect.kind === 'job' ? effect.outcome : 'completed';
  switch (outcome) {
    case 'completed':
      return {
        path: [queued, working, succeeded],
        ttlMs: fastrouter.facts.jobTtlMs,
        succeeds: true,
      };
    case 'expired':
      return { path: [queued, working, succeeded], ttlMs: 0, succeeds: true };
    case 'failed': {
      const cause =
        effect.kind === 'job' && effect.cause === 'moderation' ? 'moderation' : 'provider';
      return {
        path: [
          queued,
          { ...working, forMs: working.forMs / 3 },
          { status: words.failed, forMs: 0 },
        ],
        ttlMs: fastrouter.facts.jobTtlMs,
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
