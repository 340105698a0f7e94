/**
 * The job store. A job's whole timeline is planned when it is created (from the model's timing
 * profile and the scenario) and checked against the router's lifecycle, so no illegal transition
 * can ever be observed; its status at any moment is read from the timeline and the clock.
 * @module
 */
import type { LifecycleDef, ResolvedGeneration } from '@reelkit/spec';
import { isLegalTransition } from '@reelkit/spec';
import type { Clock } from './clock.js';
import TinyQueue from 'tinyqueue';
import { MockError } from './errors.js';

/** One planned status change. */
export interface TimelineEntry {
  readonly status: string;
  readonly at: number;
}

/** Provider-specific values of a job when its provider names no type of its own. */
export type JobData = Readonly<Record<string, unknown>>;

/**
 * A job as the engine keeps it. `Data` is what its provider fixes at creation (generation ids,
 * chat ids, prices): a provider that names its type reads `job.data` without casts.
 *
 * @example
 * type ChatJobData = { readonly chatId: string; readonly cost: number };
 * const chatIdOf = (job: Job<ChatJobData>) => job.data.chatId;
 */
export interface Job<Data extends object = JobData> {
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
  readonly data: Data;
  /** When the job stops being retrievable. */
  readonly expiresAt: number;
}

/**
 * The input to {@link JobStore.create}: the job's fixed fields, its plan and its data. Left out,
 * `data` is an empty object: a provider whose `Data` has required fields always passes it. (A
 * conditional "required unless all fields are optional" would make stores of different data
 * types unassignable to one another, and `MockProvider<Spec, Data>` to `MockProvider`.)
 */
export type NewJob<Data extends object = JobData> = NewJobPlan & { readonly data?: Data };

/** The fields of {@link NewJob} other than `data`. */
export interface NewJobPlan
  extends
    Pick<
      Job,
      'id' | 'provider' | 'lifecycle' | 'apiKey' | 'generation' | 'request' | 'scenario' | 'error'
    >,
    Partial<Pick<Job, 'assets'>> {
  /** Statuses in order, each held for `forMs` before the next (the last one is terminal). */
  readonly path: readonly { readonly status: string; readonly forMs: number }[];
  /** How long the job stays retrievable after it ends. */
  readonly ttlMs: number;
  /** Whether terminal listeners (webhooks) care about this job. Default true. */
  readonly notifyTerminal?: boolean;
}

/** Listeners for jobs reaching their terminal status (webhooks use this). */
export type TerminalListener<Data extends object = JobData> = (
  job: Job<Data>,
  entry: TimelineEntry,
) => void;

/** A value now (in this process) or later (from a shared store): callers `await` either. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The jobs of one namespace as handlers and the control plane reach them: in this process
 * ({@link JobStore}) or in a shared store, where reads and writes are asynchronous. A job never
 * changes once created (its status is read from its timeline and the clock), so the status
 * methods stay synchronous.
 *
 * @example
 * const job = await ctx.services.jobs.get(ctx.params.jobId ?? '');
 * if (job) ctx.services.jobs.statusOf(job).status; // 'pending', 'completed', …
 */
export interface Jobs<Data extends object = JobData> {
  /** Stores a new job; a full store throws `MOCK_ERR_STORE_FULL` (the router's 429). */
  create(job: NewJob<Data>): MaybePromise<Job<Data>>;
  get(id: string): MaybePromise<Job<Data> | undefined>;
  list(): MaybePromise<Job<Data>[]>;
  /** The job's status now. */
  statusOf(job: Job<Data>): TimelineEntry;
  /** Status changes that have happened by now. */
  historyOf(job: Job<Data>): TimelineEntry[];
  isTerminalNow(job: Job<Data>): boolean;
  /** Whether a create would be refused now for lack of room. */
  isFull(): MaybePromise<boolean>;
  /** The most jobs held at once. */
  readonly maxJobs: number;
}

/** An in-memory job store on an injected clock; its jobs carry `Data` (see {@link Job}). */
export interface JobStore<Data extends object = JobData> extends Jobs<Data> {
  create(job: NewJob<Data>): Job<Data>;
  get(id: string): Job<Data> | undefined;
  list(): Job<Data>[];
  /** The job's status now. */
  statusOf(job: Job<Data>): TimelineEntry;
  /** Status changes that have happened by now. */
  historyOf(job: Job<Data>): TimelineEntry[];
  isTerminalNow(job: Job<Data>): boolean;
  onTerminal(listener: TerminalListener<Data>): () => void;
  /** Listens for jobs removed after their retention, so what they own can go too. */
  onEvict(listener: (job: Job<Data>) => void): () => void;
  readonly size: number;
  /** Removes jobs past their retention; returns how many. */
  sweep(): number;
  /**
   * Whether the store is at its cap of jobs once finished jobs have made room: when it holds
   * `maxJobs`, the finished jobs that expire first are evicted; it is full only if none is finished.
   */
  isFull(): boolean;
  /** Jobs held by an API key (a ledger entry goes with a key's last job). */
  countOf(apiKey: string): number;
  /** The most jobs held at once. */
  readonly maxJobs: number;
  clear(): void;
}

/**
 * A stored job. The timeline is kept as a status list shared by every job of the same plan and
 * the times of its steps; `timeline` builds the entries when asked. With 100,000 jobs stored this
 * is a third of the memory of one object per entry (each with its time boxed as a heap number).
 */
class StoredJob<Data extends object> implements Job<Data> {
  readonly id: string;
  readonly provider: string;
  readonly lifecycle: LifecycleDef;
  readonly apiKey: string | undefined;
  readonly generation: ResolvedGeneration;
  readonly request: Readonly<Record<string, unknown>>;
  readonly scenario: string;
  readonly error?: string;
  readonly assets: readonly string[];
  readonly data: Data;
  readonly expiresAt: number;
  /** Shared between jobs with the same plan: never mutated. */
  readonly statuses: readonly string[];
  /** When each status begins. */
  readonly times: readonly number[];

  constructor(
    input: NewJob<Data>,
    generation: ResolvedGeneration,
    statuses: readonly string[],
    times: readonly number[],
    expiresAt: number,
  ) {
    this.id = input.id;
    this.provider = input.provider;
    this.lifecycle = input.lifecycle;
    this.apiKey = input.apiKey;
    this.generation = generation;
    this.request = compactRequest(input.request);
    this.scenario = input.scenario;
    if (input.error !== undefined) this.error = input.error;
    this.assets = input.assets ?? NO_ASSETS;
    // See NewJob: a job created without data carries the empty object.
    this.data = input.data ?? (NO_DATA as Data);
    this.statuses = statuses;
    this.times = times;
    this.expiresAt = expiresAt;
  }

  get createdAt(): number {
    return this.times[0] as number;
  }

  /** When the job reaches its terminal status. */
  get finishesAt(): number {
    return this.times[this.times.length - 1] as number;
  }

  get timeline(): TimelineEntry[] {
    return this.statuses.map((status, i) => ({ status, at: this.times[i] as number }));
  }

  /** The index of the status in effect at `now` (the first one before the job starts). */
  stepAt(now: number): number {
    let step = 0;
    while (step + 1 < this.times.length && (this.times[step + 1] as number) <= now) step++;
    return step;
  }
}

/** The job's own stored form: a job made elsewhere cannot be read. */
function stored<Data extends object>(job: Job<Data>): StoredJob<Data> {
  if (!(job instanceof StoredJob)) {
    throw new MockError('MOCK_ERR_NOT_FOUND', `Job ${job.id} was not created by a job planner.`);
  }
  return job;
}

/**
 * The status of a job at `now` (its first status before it starts).
 *
 * @example
 * statusAt(job, clock.now()).status; // 'pending'
 */
export function statusAt(job: Job<object>, now: number): TimelineEntry {
  const own = stored(job);
  const step = own.stepAt(now);
  return { status: own.statuses[step] as string, at: own.times[step] as number };
}

/**
 * The status changes of a job that have happened by `now`.
 *
 * @example
 * historyAt(job, clock.now()).map((e) => e.status); // ['pending', 'in_progress']
 */
export function historyAt(job: Job<object>, now: number): TimelineEntry[] {
  const own = stored(job);
  const step = own.stepAt(now);
  return own.statuses
    .slice(0, step + 1)
    .map((status, i) => ({ status, at: own.times[i] as number }));
}

/** The job's terminal status and when it is reached. */
export function terminalOf(job: Job<object>): TimelineEntry {
  const own = stored(job);
  return { status: own.statuses[own.statuses.length - 1] as string, at: own.finishesAt };
}

/** Turns new jobs into stored ones, checking their plans; one per store (it caches plans). */
export interface JobPlanner<Data extends object = JobData> {
  /** The job `input` describes, created at `now`: its plan checked against its lifecycle. */
  plan(input: NewJob<Data>, now: number): Job<Data>;
  /**
   * A job again from its parts (a shared store keeps jobs as records): the same plan checks.
   * `times` are when each status of `input.path` begins; `expiresAt` when it stops being kept.
   */
  restore(input: NewJob<Data>, times: readonly number[], expiresAt: number): Job<Data>;
}

/**
 * Creates a job planner. Plans and generations are shared between the jobs that have the same
 * ones (a handful of each), which keeps 100,000 stored jobs small.
 *
 * @example
 * const planner = createJobPlanner();
 * const job = planner.plan({ ...newJob, path: [{ status: 'pending', forMs: 5000 }, { status: 'completed', forMs: 0 }] }, 0);
 * statusAt(job, 6000).status; // 'completed'
 */
export function createJobPlanner<Data extends object = JobData>(): JobPlanner<Data> {
  // One checked status list per lifecycle and distinct plan (a handful), shared by its jobs.
  const plans = new Map<LifecycleDef, Map<string, readonly string[]>>();
  // Most jobs ask for one of a few generations (model, size, duration): keep one copy of each.
  const generations = new Map<string, ResolvedGeneration>();
  const sharedGeneration = (generation: ResolvedGeneration): ResolvedGeneration => {
    const { model, durationSeconds, width, height, count, audio, adjustments } = generation;
    const key = [model, durationSeconds, width, height, count, audio, ...adjustments].join('|');
    const known = generations.get(key);
    if (known) return known;
    if (generations.size >= 1000) generations.clear();
    generations.set(key, generation);
    return generation;
  };

  function planOf(input: NewJob<Data>): readonly string[] {
    const statuses = input.path.map((step) => step.status);
    const key = statuses.join('>');
    let ofLifecycle = plans.get(input.lifecycle);
    const known = ofLifecycle?.get(key);
    if (known) return known;
    const [first] = statuses;
    if (first !== input.lifecycle.initial) {
      throw new MockError(
        'MOCK_ERR_ILLEGAL_TRANSITION',
        `A ${input.lifecycle.name} job must start '${input.lifecycle.initial}'.`,
      );
    }
    for (let i = 1; i < statuses.length; i++) {
      const [from, to] = [statuses[i - 1] as string, statuses[i] as string];
      if (!isLegalTransition(input.lifecycle, from, to)) {
        throw new MockError(
          'MOCK_ERR_ILLEGAL_TRANSITION',
          `Planned ${input.lifecycle.name} transition '${from}' → '${to}' is illegal.`,
        );
      }
    }
    const last = statuses[statuses.length - 1] as string;
    if (!input.lifecycle.terminal.includes(last)) {
      throw new MockError(
        'MOCK_ERR_ILLEGAL_TRANSITION',
        `A planned job must end in a terminal status, not '${last}'.`,
      );
    }
    const plan = Object.freeze(statuses);
    if (!ofLifecycle) plans.set(input.lifecycle, (ofLifecycle = new Map()));
    ofLifecycle.set(key, plan);
    return plan;
  }

  return {
    plan(input, now) {
      const statuses = planOf(input);
      let at = now;
      // map() sizes the array exactly; push() would leave room for 17 times in every job.
      const times = input.path.map((step) => {
        const begins = at;
        at += Math.max(0, Math.round(step.forMs));
        return begins;
      });
      const finishes = times[times.length - 1] as number;
      return new StoredJob(
        input,
        sharedGeneration(input.generation),
        statuses,
        times,
        finishes + input.ttlMs,
      );
    },
    restore(input, times, expiresAt) {
      if (times.length !== input.path.length) {
        throw new MockError(
          'MOCK_ERR_ILLEGAL_TRANSITION',
          `Job ${input.id} has a broken timeline.`,
        );
      }
      return new StoredJob(
        input,
        sharedGeneration(input.generation),
        planOf(input),
        Object.freeze([...times]),
        expiresAt,
      );
    },
  };
}

const NO_ASSETS: readonly string[] = Object.freeze([]);
const NO_DATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** Default cap of stored jobs: about 180 MB of RSS with typical requests, far below 1 GB. */
export const DEFAULT_MAX_JOBS = 100_000;

/** Stored request copies keep strings up to this many characters (the rest is summarised). */
export const STORED_STRING_CHARS = 1_000;
/** Stored request copies keep this many entries per object or array. */
const STORED_ENTRIES = 50;
/** Stored request copies keep this many levels of nesting. */
const STORED_DEPTH = 4;

/** A string cut to {@link STORED_STRING_CHARS}, saying how long it was. */
function storedString(text: string): string {
  if (text.length <= STORED_STRING_CHARS) return text;
  return `${text.slice(0, STORED_STRING_CHARS)}… [${text.length} characters]`;
}

function needsCompaction(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.length > STORED_STRING_CHARS;
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Blob) return true;
  const entries = Array.isArray(value) ? value : Object.values(value);
  if (depth >= STORED_DEPTH || entries.length > STORED_ENTRIES) return true;
  return entries.some((entry) => needsCompaction(entry, depth + 1));
}

function compactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return storedString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Blob) return `[file of ${value.size} bytes]`;
  if (Array.isArray(value)) {
    if (depth >= STORED_DEPTH) return `[array of ${value.length}]`;
    const kept = value.slice(0, STORED_ENTRIES).map((v) => compactValue(v, depth + 1));
    if (value.length > STORED_ENTRIES) kept.push(`… [${value.length - STORED_ENTRIES} more]`);
    return kept;
  }
  const entries = Object.entries(value);
  if (depth >= STORED_DEPTH) return `[object of ${entries.length} keys]`;
  const kept: Record<string, unknown> = {};
  for (const [key, v] of entries.slice(0, STORED_ENTRIES)) kept[key] = compactValue(v, depth + 1);
  if (entries.length > STORED_ENTRIES) kept['…'] = `${entries.length - STORED_ENTRIES} more keys`;
  return kept;
}

/**
 * The copy of a request a job keeps: the request itself when it is small (nearly always), else
 * long strings cut, files described, and large or deep objects summarised, so that a job holds a
 * few kilobytes at most whatever its request carried (a 20 MB prompt, inline images).
 *
 * @example
 * compactRequest({ prompt: 'x'.repeat(5000) }).prompt; // 'xxx…x… [5000 characters]'
 */
export function compactRequest(
  request: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return needsCompaction(request, 0)
    ? (compactValue(request, 0) as Record<string, unknown>)
    : request;
}

/**
 * Creates a job store. At `maxJobs` (default {@link DEFAULT_MAX_JOBS}) a new job first evicts
 * finished ones; with every stored job unfinished, {@link JobStore.isFull} says so and the engine
 * refuses creates.
 *
 * @example
 * const jobs = createJobStore({ clock });
 * const job = jobs.create({ ..., path: [{ status: 'pending', forMs: 5000 }, { status: 'completed', forMs: 0 }] });
 * jobs.statusOf(job).status; // 'pending', until the clock passes 5 s
 */
export function createJobStore<Data extends object = JobData>(options: {
  clock: Clock;
  maxJobs?: number;
}): JobStore<Data> {
  const { clock } = options;
  const maxJobs = options.maxJobs ?? DEFAULT_MAX_JOBS;
  if (!Number.isSafeInteger(maxJobs) || maxJobs < 1) {
    throw new RangeError(`maxJobs must be a positive integer, not ${maxJobs}.`);
  }
  const jobs = new Map<string, StoredJob<Data>>();
  const jobsPerKey = new Map<string, number>();
  // Jobs by the time they stop being retrievable, so that eviction never scans the whole store.
  let expiries = new TinyQueue<StoredJob<Data>>([], (a, b) => a.expiresAt - b.expiresAt);
  const planner = createJobPlanner<Data>();
  const listeners = new Set<TerminalListener<Data>>();
  const evictListeners = new Set<(job: Job<Data>) => void>();
  const evict = (job: StoredJob<Data>) => {
    jobs.delete(job.id);
    if (job.apiKey !== undefined) {
      const left = (jobsPerKey.get(job.apiKey) ?? 1) - 1;
      if (left > 0) jobsPerKey.set(job.apiKey, left);
      else jobsPerKey.delete(job.apiKey);
    }
    for (const listener of evictListeners) listener(job);
  };
  /** Evicts the finished job that expires first, if the first to expire is finished. */
  const evictOneFinished = (): boolean => {
    const now = clock.now();
    for (let next = expiries.peek(); next; next = expiries.peek()) {
      if (jobs.get(next.id) !== next) {
        expiries.pop(); // evicted on read or cleared already
        continue;
      }
      if (next.finishesAt > now) return false;
      expiries.pop();
      evict(next);
      return true;
    }
    return false;
  };
  const store: JobStore<Data> = {
    create(input) {
      const job = stored(planner.plan(input, clock.now()));
      store.sweep();
      while (jobs.size >= maxJobs) {
        if (!evictOneFinished()) {
          throw new MockError(
            'MOCK_ERR_STORE_FULL',
            `The mock holds ${maxJobs} unfinished jobs (its --max-jobs); retry when some finish.`,
          );
        }
      }
      const terminal = terminalOf(job);
      jobs.set(job.id, job);
      expiries.push(job);
      if (job.apiKey !== undefined)
        jobsPerKey.set(job.apiKey, (jobsPerKey.get(job.apiKey) ?? 0) + 1);
      // A timer at the terminal moment serves two needs: listeners (webhooks) for jobs that want
      // them, and the auto clock, which moves only to moments something has scheduled. Other jobs
      // need none, so 100,000 stored jobs on a manual or real clock hold no timers.
      const notify = listeners.size > 0 && input.notifyTerminal !== false;
      if (notify || clock.mode === 'auto') {
        clock.schedule(terminal.at, () => {
          if (!notify || jobs.get(job.id) !== job) return;
          for (const listener of listeners) listener(job, terminal);
        });
      }
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
    statusOf: (job) => statusAt(job, clock.now()),
    historyOf: (job) => historyAt(job, clock.now()),
    isTerminalNow: (job) => job.lifecycle.terminal.includes(statusAt(job, clock.now()).status),
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
    maxJobs,
    isFull() {
      if (jobs.size < maxJobs) return false;
      store.sweep();
      while (jobs.size >= maxJobs) if (!evictOneFinished()) return true;
      return false;
    },
    countOf: (apiKey) => jobsPerKey.get(apiKey) ?? 0,
    sweep() {
      const now = clock.now();
      let removed = 0;
      for (let next = expiries.peek(); next && next.expiresAt <= now; next = expiries.peek()) {
        expiries.pop();
        // A job already evicted on read (or cleared) is gone from the map.
        if (jobs.get(next.id) !== next) continue;
        evict(next);
        removed++;
      }
      return removed;
    },
    clear: () => {
      jobs.clear();
      jobsPerKey.clear();
      expiries = new TinyQueue<StoredJob<Data>>([], (a, b) => a.expiresAt - b.expiresAt);
    },
  };
  return store;
}
