/**
 * The two flows of `generateVideo`: submit then poll (asynchronous routers) and one long request
 * (synchronous routers), sharing one context that keeps the deadline, counts polls and retries,
 * and turns observed statuses into progress events.
 * @internal
 * @module
 */
import type { CanonicalStatus, LifecycleDef, ProviderId } from '@reelkit/spec';
import type { CallOptions, RetryEvent } from '../core/call-route.js';
import type { Clock } from '../core/clock.js';
import { sleepOrAbort } from '../core/clock.js';
import {
  AbortError,
  ConnectionError,
  RateLimitError,
  ReelkitError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from '../core/errors.js';
import type { PollCadence } from '../providers/profiles.js';
import type { ProgressEvent, VideoTimings } from './types.js';

/**
 * A status as seen in one answer.
 *
 * @example
 * ctx.observe(lifecycle, { status: 'processing', progress: 40 }, 'poll');
 */
export interface Observation {
  readonly status: string;
  readonly progress?: number;
  /** For a status outside the lifecycle (FastRouter's vanished task): its canonical word. */
  readonly canonical?: CanonicalStatus;
}

/**
 * The per-call state of one `generateVideo`.
 *
 * @example
 * const ctx = new FlowContext({ provider: 'openrouter', clock, timeoutMs: 60_000, random: Math.random, jobId: 'local_1' });
 */
export class FlowContext {
  readonly startedAt: number;
  readonly deadline: number;
  jobId: string;
  submittedAt: number | undefined;
  polls = 0;
  retries = 0;
  private last: string | undefined;
  private readonly seen: { status: string; canonicalStatus: CanonicalStatus; at: number }[] = [];

  constructor(
    readonly init: {
      readonly provider: ProviderId | (string & {});
      readonly clock: Clock;
      readonly timeoutMs: number;
      readonly signal?: AbortSignal;
      readonly onProgress?: (event: ProgressEvent) => void;
      readonly headers?: HeadersInit;
      readonly random: () => number;
      readonly jobId: string;
    },
  ) {
    this.startedAt = init.clock.now();
    this.deadline = this.startedAt + init.timeoutMs;
    this.jobId = init.jobId;
  }

  get clock(): Clock {
    return this.init.clock;
  }

  /** Milliseconds left before the deadline. */
  remaining(): number {
    return this.deadline - this.init.clock.now();
  }

  /** The timeout error of the whole call. */
  timeout(): TimeoutError {
    return new TimeoutError({
      timeoutMs: this.init.timeoutMs,
      what: `${this.init.provider} generateVideo`,
      ...(this.submittedAt !== undefined ? { jobId: this.jobId } : {}),
    });
  }

  /**
   * Options for one request of the flow: the signal, what is left of the deadline (retries and
   * their waits included), at most `capMs` per attempt, and retry counting.
   */
  callOptions(extra: CallOptions = {}, capMs = Infinity): CallOptions {
    const remaining = this.remaining();
    if (remaining <= 0) throw this.timeout();
    return {
      ...extra,
      ...(this.init.signal ? { signal: this.init.signal } : {}),
      timeoutMs: remaining,
      ...(capMs < remaining ? { attemptTimeoutMs: capMs } : {}),
      onRetry: (event: RetryEvent) => {
        this.retries++;
        extra.onRetry?.(event);
      },
    };
  }

  /**
   * Restates an error of a request of the flow: a timeout that used up the whole deadline becomes
   * the call's timeout, an abort names the submitted job.
   */
  restate(error: unknown): unknown {
    if (error instanceof TimeoutError && this.remaining() <= 0) return this.timeout();
    if (error instanceof AbortError && this.submittedAt !== undefined && !error.jobId) {
      return new AbortError({ reason: error.cause, jobId: this.jobId });
    }
    return error;
  }

  /** Records a status and emits a progress event. */
  observe(
    lifecycle: LifecycleDef,
    observation: Observation,
    source: ProgressEvent['source'],
  ): CanonicalStatus {
    const now = this.init.clock.now();
    const canonicalStatus = observation.canonical ?? canonicalOf(lifecycle, observation.status);
    const changed = observation.status !== this.last;
    if (changed) this.seen.push({ status: observation.status, canonicalStatus, at: now });
    this.last = observation.status;
    this.init.onProgress?.({
      provider: this.init.provider,
      jobId: this.jobId,
      status: observation.status,
      canonicalStatus,
      changed,
      ...(observation.progress !== undefined ? { progress: observation.progress } : {}),
      elapsedMs: now - this.startedAt,
      source,
    });
    return canonicalStatus;
  }

  /** The timings so far. */
  timings(): VideoTimings {
    const finishedAt = this.init.clock.now();
    const queued = this.seen.find((s) => s.canonicalStatus === 'queued');
    const after = queued ? this.seen.find((s) => s.at > queued.at) : undefined;
    return {
      startedAt: this.startedAt,
      ...(this.submittedAt !== undefined ? { submittedAt: this.submittedAt } : {}),
      finishedAt,
      totalMs: finishedAt - this.startedAt,
      ...(queued && after ? { queuedMs: after.at - queued.at } : {}),
      polls: this.polls,
      retries: this.retries,
      statuses: [...this.seen],
    };
  }
}

/**
 * A router status in canonical words, via the spec lifecycle's `canonical` map. A word the
 * lifecycle does not know (drift, in lenient mode) counts as `in_progress`.
 *
 * @example
 * canonicalOf(openrouterSpec.openrouterLifecycle, 'pending'); // 'queued'
 */
export function canonicalOf(lifecycle: LifecycleDef, status: string): CanonicalStatus {
  return (
    (lifecycle.canonical as Readonly<Record<string, CanonicalStatus>>)[status] ?? 'in_progress'
  );
}

/** Whether the poll loop may try again after this poll error. */
function transient(error: unknown): boolean {
  return (
    (error instanceof ResponseValidationError && error.issues[0]?.code === 'invalid_json') ||
    error instanceof RateLimitError ||
    error instanceof ServerError ||
    error instanceof ConnectionError ||
    error instanceof TimeoutError
  );
}

/** Consecutive failed polls tolerated before giving up. */
const MAX_POLL_FAILURES = 5;

/**
 * Polls until `isTerminal` says the job ended. Waits start at the cadence's `initialMs` (or the
 * request's `pollIntervalMs`) and grow by `factor` to `maxMs`, each moved by up to ±`jitter`; a
 * failed poll (429, 5xx, network, a poll's own timeout) waits at least its `Retry-After` and is
 * tried again, up to five times in a row. The deadline cuts every wait short.
 *
 * @example
 * const body = await pollUntilTerminal(ctx, cadence, (options) => client.getVideo({ params: { jobId } }, options), (b) => b.status !== 'pending');
 */
export async function pollUntilTerminal<T>(
  ctx: FlowContext,
  cadence: PollCadence & { readonly firstMs?: number },
  poll: (options: CallOptions) => Promise<T>,
  isTerminal: (body: T) => boolean,
): Promise<T> {
  let wait = cadence.firstMs ?? cadence.initialMs;
  let failures = 0;
  let pause = 0;
  for (;;) {
    const jittered = Math.round(
      Math.max(pause, wait * (1 + cadence.jitter * (2 * ctx.init.random() - 1))),
    );
    const remaining = ctx.remaining();
    if (jittered >= remaining) {
      await sleepOrAbort(ctx.clock, Math.max(0, remaining), ctx.init.signal).catch((error) => {
        throw ctx.restate(error);
      });
      throw ctx.timeout();
    }
    await sleepOrAbort(ctx.clock, jittered, ctx.init.signal).catch((error) => {
      throw ctx.restate(error);
    });
    let body: T;
    try {
      body = await poll(ctx.callOptions({}, 60_000));
    } catch (error) {
      const restated = ctx.restate(error);
      if (restated instanceof ReelkitError && transient(restated) && restated === error) {
        if (++failures > MAX_POLL_FAILURES) throw restated;
        pause = restated instanceof RateLimitError ? (restated.retryAfterMs ?? 0) : 0;
        continue;
      }
      throw restated;
    }
    ctx.polls++;
    failures = 0;
    pause = 0;
    if (isTerminal(body)) return body;
    wait = Math.min(cadence.maxMs, wait * cadence.factor);
  }
}
