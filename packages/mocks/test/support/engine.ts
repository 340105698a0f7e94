/**
 * Helpers for tests that drive a mock engine in-process on a manual clock: settle a request whose
 * handler waits on the clock, and follow every job the engine creates to its end.
 * @module
 */
import type { LifecycleDef, SequenceViolation } from '@reelkit/spec';
import { checkObservedSequence } from '@reelkit/spec';
import type { ControllableClock } from '../../src/core/clock.js';
import type { MockEngine } from '../../src/core/engine.js';
import type { Job } from '../../src/core/store.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Resolves `work` on a manual clock: lets the event loop run, and whenever the work is still
 * pending, moves the clock to the next timer (a held request, a latency fault, a heartbeat).
 * Bounded in steps; rejects when the work does not settle within them.
 *
 * @example
 * const res = await drive(clock, engine.handle(request)); // rout.my holds it for the render time
 * const text = await drive(clock, res.text()); // ImageRouter writes its heartbeats on the clock
 */
export async function drive<T>(
  clock: ControllableClock,
  work: Promise<T>,
  maxSteps = 5000,
): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  // Handled here at once: a rejection while the loop still waits is not an unhandled one.
  watched.catch(() => undefined);
  const done = watched.then(
    () => undefined,
    () => undefined,
  );
  for (let step = 0; step < maxSteps && !settled; step++) {
    // Most work settles in microtasks: wait for a macrotask only when it has not.
    await Promise.race([done, tick()]);
    if (settled) break;
    await tick();
    if (settled) break;
    const next = clock.nextAt();
    if (next !== undefined) await clock.advance(Math.max(0, next - clock.now()));
  }
  if (!settled) {
    throw new Error(`[drive] the work did not settle within ${maxSteps} clock steps`);
  }
  return watched;
}

/** A job the tracker follows, with the statuses clients saw when they polled it. */
export interface TrackedJob {
  readonly job: Job;
  readonly polled: string[];
}

/** A problem with one tracked job. */
export interface JobProblem {
  readonly id: string;
  readonly problem: string;
}

/**
 * Follows every job an engine creates (by diffing the store after each request), keeps a
 * reference so a job evicted at its end can still be judged, and records polled statuses.
 *
 * @example
 * const tracker = createJobTracker(engine);
 * await engine.handle(submit); tracker.scan();
 * await clock.advance(tracker.msUntilAllEnded());
 * expect(tracker.problems()).toEqual([]);
 */
export function createJobTracker(engine: MockEngine) {
  const tracked = new Map<string, TrackedJob>();
  const duplicates: string[] = [];

  return {
    tracked,
    /** Picks up jobs created since the last scan; returns how many. */
    scan(): number {
      let added = 0;
      for (const job of engine.jobs.list()) {
        const known = tracked.get(job.id);
        if (known?.job === job) continue;
        // Same id, another job object: an id was issued twice and the first job was overwritten.
        if (known) duplicates.push(job.id);
        tracked.set(job.id, { job, polled: [] });
        added++;
      }
      return added;
    },
    /** Records a status a client saw for a job (by poll). */
    polled(id: string, status: string): void {
      tracked.get(id)?.polled.push(status);
    },
    /** Simulated ms until every tracked job has reached its last planned status. */
    msUntilAllEnded(): number {
      let end = engine.clock.now();
      for (const { job } of tracked.values()) end = Math.max(end, job.timeline.at(-1)?.at ?? end);
      return end - engine.clock.now();
    },
    /** Jobs not terminal now, with an illegal history or polled sequence, or issued twice. */
    problems(): JobProblem[] {
      const out: JobProblem[] = duplicates.map((id) => ({ id, problem: 'id issued twice' }));
      const judge = (lifecycle: LifecycleDef, seq: string[]): SequenceViolation | undefined =>
        checkObservedSequence(lifecycle, seq);
      for (const { job, polled } of tracked.values()) {
        if (!engine.jobs.isTerminalNow(job)) {
          out.push({ id: job.id, problem: `not terminal: ${engine.jobs.statusOf(job).status}` });
        }
        const history = engine.jobs.historyOf(job).map((e) => e.status);
        const bad = judge(job.lifecycle, history) ?? judge(job.lifecycle, polled);
        if (bad) out.push({ id: job.id, problem: `illegal sequence: ${bad.rule}` });
      }
      return out;
    },
  };
}

/** A job tracker. */
export type JobTracker = ReturnType<typeof createJobTracker>;
