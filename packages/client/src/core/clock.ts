/**
 * The client's only source of time. Waits between polls and retries go through `clock.sleep`,
 * elapsed times through `clock.now()`, so a test on a virtual clock (the mocks' manual or auto
 * clock fits this interface) never waits in real time.
 * @module
 */
import { AbortError, ReelkitError } from './errors.js';

/**
 * Time as the client needs it. The mocks' `Clock` (`createManualClock()`, `createAutoClock()`)
 * has this shape, so `clock: engine.clock` works.
 *
 * @example
 * const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => mySleep(ms, signal) };
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock. Its waits keep the process alive (a CLI awaiting a poll must not exit); every
 * wait the client starts is cancelled once it is no longer needed.
 *
 * @example
 * await systemClock.sleep(500);
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * Sleeps on `clock`, turning an abort into an {@link AbortError} (or rethrowing the abort reason
 * when it already is a reelkit error, such as a timeout).
 * @internal
 *
 * @example
 * await sleepOrAbort(clock, 1000, signal);
 */
export async function sleepOrAbort(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await clock.sleep(Math.max(0, ms), signal);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  }
}

/**
 * The error to throw for an aborted signal: its reason when that is a reelkit error (a timeout),
 * otherwise an {@link AbortError} carrying the reason.
 * @internal
 *
 * @example
 * if (signal.aborted) throw abortReason(signal);
 */
export function abortReason(signal: AbortSignal, jobId?: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof ReelkitError) return reason;
  return new AbortError({ reason, ...(jobId ? { jobId } : {}) });
}
