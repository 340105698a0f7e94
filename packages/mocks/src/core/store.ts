/**
 * The job store. A job's whole timeline is planned when it is created (from the model's timing
 * profile and the scenario) and checked against the router's lifecycle, so no illegal transition
 * can ever be observed; its status at any moment is read from the timeline and the clock.
 * @module
 */
import type { LifecycleDef, ResolvedGeneration } from '@reelkit/spec';
import { isLegalTransition } from '@reelkit/spec';
import type { Clock } from './clock.js';
import { MockError } from './errors.js';

/** One planned status change. */
export interface TimelineEntry {
  readonly status: string;
  readonly at: number;
}

/** A job as the engine keeps it. */
export interface Job {
  readonly id: string;
  readonly provider: string;
  readonly lifecycle: LifecycleDef;
  readonly apiKey: string | undefined;
  readonly generation: ResolvedGeneration;
  /** The request body as received. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly scenario: string;
  readonly createdAt: number;
  readonly timeline: readonly TimelineEntry[];
  /** The failure message for failed/cancelled/expired ends. */
  readonly error?: string;
  /** Asset ids of the outputs, one per video, available once the job succeeds. */
  readonly assets: readonly string[];
  /** Provider-specific values fixed at creation (generation ids, chat ids, prices). */
  readonly data: Readonly<Record<string, unknown>>;
  /** When the job stops being retrievable. */
  readonly expiresAt: number;
}

/** The input to {@link JobStore.create}. */
export interface NewJob {
  readonly id: string;
  readonly provider: string;
  readonly lifecycle: LifecycleDef;
  readonly apiKey: string | undefined;
  readonly generation: ResolvedGeneration;
  readonly request: Readonly<Record<string, unknown>>;
  readonly scenario: string;
  /** Statuses in order, each held for `forMs` before the next (the last one is terminal). */
  readonly path: readonly { readonly status: string; readonly forMs: number }[];
  readonly error?: string;
  readonly assets?: readonly string[];
  readonly data?: Readonly<Record<string, unknown>>;
  /** How long the job stays retrievable after it ends. */
  readonly ttlMs: number;
  /** Whether terminal listeners (webhooks) care about this job. Default true. */
  readonly notifyTerminal?: boolean;
}

/** Listeners for jobs reaching their terminal status (webhooks use this). */
export type TerminalListener = (job: Job, entry: TimelineEntry) => void;

/** An in-memory job store on an injected clock. */
export interface JobStore {
  create(job: NewJob): Job;
  get(id: string): Job | undefined;
  list(): Job[];
  /** The job's status now. */
  statusOf(job: Job): TimelineEntry;
  /** Status changes that have happened by now. */
  historyOf(job: Job): TimelineEntry[];
  isTerminalNow(job: Job): boolean;
  onTerminal(listener: TerminalListener): () => void;
  /** Listens for jobs removed after their retention, so what they own can go too. */
  onEvict(listener: (job: Job) => void): () => void;
  readonly size: number;
  /** Removes jobs past their retention; returns how many. */
  sweep(): number;
  clear(): void;
}

/**
 * Creates a job store.
 *
 * @example
 * const jobs = createJobStore({ clock });
 * const job = jobs.create({ ..., path: [{ status: 'pending', forMs: 5000 }, { status: 'completed', forMs: 0 }] });
 * jobs.statusOf(job).status; // 'pending', until the clock passes 5 s
 */
export function createJobStore(options: { clock: Clock; sweepEvery?: number }): JobStore {
  const { clock } = options;
  const jobs = new Map<string, Job>();
  const listeners = new Set<TerminalListener>();
  const evictListeners = new Set<(job: Job) => void>();
  const evict = (job: Job) => {
    jobs.delete(job.id);
    for (const listener of evictListeners) listener(job);
  };
  const sweepEvery = options.sweepEvery ?? 1000;
  let createdSinceSweep = 0;

  const store: JobStore = {
    create(input) {
      const [first] = input.path;
      if (!first || first.status !== input.lifecycle.initial) {
        throw new MockError(
          'MOCK_ERR_ILLEGAL_TRANSITION',
          `A ${input.lifecycle.name} job must start '${input.lifecycle.initial}'.`,
        );
      }
      const timeline: TimelineEntry[] = [];
      let at = clock.now();
      for (const [i, step] of input.path.entries()) {
        const previous = input.path[i - 1];
        if (previous && !isLegalTransition(input.lifecycle, previous.status, step.status)) {
          throw new MockError(
            'MOCK_ERR_ILLEGAL_TRANSITION',
            `Planned ${input.lifecycle.name} transition '${previous.status}' → '${step.status}' is illegal.`,
          );
        }
        timeline.push({ status: step.status, at });
        at += Math.max(0, Math.round(step.forMs));
      }
      const last = timeline[timeline.length - 1] as TimelineEntry;
      if (!input.lifecycle.terminal.includes(last.status)) {
        throw new MockError(
          'MOCK_ERR_ILLEGAL_TRANSITION',
          `A planned job must end in a terminal status, not '${last.status}'.`,
        );
      }
      const job: Job = {
        id: input.id,
        provider: input.provider,
        lifecycle: input.lifecycle,
        apiKey: input.apiKey,
        generation: input.generation,
        request: input.request,
        scenario: input.scenario,
        createdAt: timeline[0]?.at ?? clock.now(),
        timeline,
        ...(input.error !== undefined ? { error: input.error } : {}),
        assets: input.assets ?? [],
        data: input.data ?? {},
        expiresAt: last.at + input.ttlMs,
      };
      jobs.set(job.id, job);
      // A timer at the terminal moment serves two needs: listeners (webhooks) for jobs that want
      // them, and the auto clock, which moves only to moments something has scheduled. Other jobs
      // need none, so 100,000 stored jobs on a manual or real clock hold no timers.
      const notify = listeners.size > 0 && input.notifyTerminal !== false;
      if (notify || clock.mode === 'auto') {
        clock.schedule(last.at, () => {
          if (!notify || jobs.get(job.id) !== job) return;
          for (const listener of listeners) listener(job, last);
        });
      }
      if (++createdSinceSweep >= sweepEvery) store.sweep();
      return job;
    },
    get(id) {
      const job = jobs.get(id);
      if (job && job.expiresAt <= clock.now()) {
        evict(job);
        return undefined;
      }
      return job;
    },
    list: () => [...jobs.values()],
    statusOf(job) {
      const now = clock.now();
      let current = job.timeline[0] as TimelineEntry;
      for (const entry of job.timeline) {
        if (entry.at > now) break;
        current = entry;
      }
      return current;
    },
    historyOf(job) {
      const now = clock.now();
      return job.timeline.filter((entry, i) => i === 0 || entry.at <= now);
    },
    isTerminalNow(job) {
      return job.lifecycle.terminal.includes(store.statusOf(job).status);
    },
    onTerminal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvict(listener) {
      evictListeners.add(listener);
      return () => evictListeners.delete(listener);
    },
    get size() {
      return jobs.size;
    },
    sweep() {
      createdSinceSweep = 0;
      const now = clock.now();
      let removed = 0;
      for (const job of jobs.values()) {
        if (job.expiresAt <= now) {
          evict(job);
          removed++;
        }
      }
      return removed;
    },
    clear: () => jobs.clear(),
  };
  return store;
}
