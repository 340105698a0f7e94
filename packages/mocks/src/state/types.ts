/**
 * The engine's state as small async interfaces, so that one set of jobs, balances, counters,
 * fault counts, webhook deliveries and one clock can live in this process (the default) or in
 * Redis, shared by several replicas. Every call is scoped to a namespace: parallel test runs that
 * share one fleet never see or reset each other's state.
 *
 * Times are the engine's simulated milliseconds (its clock's `now()`), passed in by the caller:
 * the state layer never reads a clock of its own, so tests move time by hand.
 * @module
 */

/** A JSON value, as records are stored (in Redis, as JSON text). */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A stored job. `data` is the engine's own (its plan, request copy, assets …). */
export interface JobRecord {
  readonly id: string;
  /** When the job reaches its terminal status (simulated ms): until then it is unfinished. */
  readonly finishesAt: number;
  /** When the job stops being retrievable (simulated ms). */
  readonly expiresAt: number;
  readonly data: JsonValue;
}

/** What {@link JobRecords.create} did. */
export type CreateOutcome =
  /** Stored (finished jobs that expire first may have been evicted to make room). */
  | 'created'
  /** A job with this id exists already; nothing changed. */
  | 'exists'
  /** The namespace holds `maxJobs` unfinished jobs; nothing changed. */
  | 'full'
  /** The payment's key cannot cover its amount; nothing changed. */
  | 'unpaid';

/** What a job costs, taken from `key`'s balance in the same step as the job is stored. */
export interface Payment {
  readonly key: string;
  readonly amount: number;
}

/** Jobs of one namespace, bounded like the in-memory store's `maxJobs`. */
export interface JobRecords {
  /**
   * Stores a job. At `maxJobs`, expired jobs go first, then finished jobs in order of expiry;
   * with every stored job unfinished the answer is `full`. `retainMs` is how long the record may
   * physically stay (real ms; Redis expires the key then): default `expiresAt − now`. With a
   * `payment`, the job is stored only if the key's balance covers it, and the amount is taken in
   * the same atomic step (`unpaid` otherwise): two replicas never sell the last credit twice.
   */
  create(
    record: JobRecord,
    options: { now: number; retainMs?: number; payment?: Payment },
  ): Promise<CreateOutcome>;
  /** The job, unless it is unknown or expired at `now` (an expired job is removed). */
  get(id: string, now: number): Promise<JobRecord | undefined>;
  /** Every job of the namespace not expired at `now`, in order of expiry. */
  list(now: number): Promise<JobRecord[]>;
  /** How many jobs the namespace holds (expired ones included until they are swept). */
  count(): Promise<number>;
  /** The most jobs a namespace holds at once. */
  readonly maxJobs: number;
}

/** The result of {@link LedgerState.charge}. */
export interface ChargeResult {
  /** Whether the amount was taken (never when the balance is short: no partial charge). */
  readonly charged: boolean;
  /** The balance after the call. */
  readonly balance: number;
}

/**
 * Balances per API key, in the router's unit (usd, tokens). Amounts are kept in micro-units, so
 * charges of 0.1 never drift.
 */
export interface LedgerState {
  /** The balance of a key; a key never charged nor set has `defaultBalance`. */
  balanceOf(key: string): Promise<number>;
  set(key: string, amount: number): Promise<void>;
  /**
   * Takes `amount` from the key if the balance covers it, atomically: concurrent charges on any
   * replica never spend more than the balance. With `floorAtZero`, a short balance is taken down
   * to 0 instead (a router that bills after the work, as rout.my bills tokens). A new key past
   * `DEFAULT_LEDGER_MAX_ENTRIES` (the in-memory ledger's cap) is charged without an entry.
   */
  charge(key: string, amount: number, options?: { floorAtZero?: boolean }): Promise<ChargeResult>;
  /** Every key with an entry (charged or set). */
  entries(): Promise<[string, number][]>;
  readonly defaultBalance: number;
}

/** The verdict on one request, as the engine's rate limiter gives it. */
export interface RateHit {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
}

/** Fixed-window request counters per key. */
export interface RateCounters {
  /** Counts one request of `key` in the window that holds `now`, atomically across replicas. */
  hit(key: string, options: { limit: number; windowMs: number; now: number }): Promise<RateHit>;
}

/** A stored fault rule: the rule itself is the engine's (kind, match, probability …). */
export interface FaultEntry {
  readonly id: string;
  readonly rule: JsonValue;
  /** Most firings (`once` is 1, `times` is n), or undefined for no limit. */
  readonly limit: number | undefined;
  readonly fired: number;
}

/** Fault rules and their firing counts. */
export interface FaultRules {
  add(rule: JsonValue, limit?: number): Promise<FaultEntry>;
  remove(id: string): Promise<boolean>;
  list(): Promise<FaultEntry[]>;
  /**
   * Counts one firing of a rule if it has firings left, atomically: a `once` rule fires once
   * across every replica. False when the rule is spent or gone.
   */
  fire(id: string): Promise<boolean>;
}

/** One delivery attempt, as the log shows it. */
export interface AttemptRecord {
  readonly attempt: number;
  /** Simulated ms. */
  readonly at: number;
  readonly status?: number;
  readonly error?: string;
  /** How long the attempt took (real ms). */
  readonly latencyMs?: number;
}

/** A webhook delivery: its event, its state and its attempts. */
export interface DeliveryRecord {
  /** Stable per event (job and event type), so that replicas enqueueing it store it once. */
  readonly id: string;
  readonly jobId: string;
  readonly idempotencyKey: string;
  /** The event's URL, type and body, as the engine wants them sent. */
  readonly event: JsonValue;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: readonly AttemptRecord[];
  /** When the next attempt is due (simulated ms), while pending and not leased. */
  readonly dueAt: number | null;
}

/** A delivery claimed by one replica until `leaseUntil`. */
export interface ClaimedDelivery {
  readonly delivery: DeliveryRecord;
  /** Who holds the lease: only they can settle it. */
  readonly owner: string;
  readonly leaseUntil: number;
}

/** How a claimed attempt ended. */
export type AttemptOutcome =
  | { readonly result: 'delivered'; readonly attempt: AttemptRecord }
  | { readonly result: 'failed'; readonly attempt: AttemptRecord }
  | { readonly result: 'retry'; readonly attempt: AttemptRecord; readonly retryAt: number };

/**
 * The webhook delivery queue and log. A due delivery is claimed by exactly one replica with a
 * lease; if that replica dies, the lease runs out and another claims it, with the same
 * idempotency key.
 */
export interface WebhookQueue {
  /** Stores a pending delivery due at `dueAt`, unless one with its id exists (then false). */
  enqueue(
    delivery: Pick<DeliveryRecord, 'id' | 'jobId' | 'idempotencyKey' | 'event'>,
    dueAt: number,
  ): Promise<boolean>;
  /**
   * Claims the earliest delivery due at `now` (or one whose lease ran out) for `owner` until
   * `leaseNow + leaseMs`; undefined when none is due. Leases may run on another clock than due
   * times (`leaseNow`, default `now`): the engine leases on the wall clock, so that a dead
   * replica's work comes back even while a manual clock stands still.
   */
  claim(options: {
    owner: string;
    now: number;
    leaseMs: number;
    leaseNow?: number;
  }): Promise<ClaimedDelivery | undefined>;
  /**
   * Gives back every delivery `owner` holds, due again at `now` (a replica shutting down hands
   * its work to the others). Returns how many.
   */
  release(owner: string, now: number): Promise<number>;
  /**
   * Records an attempt of a claimed delivery and settles it: delivered, failed, or due again at
   * `retryAt`. False (and nothing recorded) when `owner` no longer holds the lease.
   */
  settle(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean>;
  /**
   * Records an attempt made outside the queue (a manual resend): a delivered one settles a
   * pending delivery that no replica holds. False when there is no such delivery.
   */
  record(id: string, attempt: AttemptRecord, delivered: boolean): Promise<boolean>;
  get(id: string): Promise<DeliveryRecord | undefined>;
  /** Every delivery of the namespace, in order of enqueueing. */
  list(): Promise<DeliveryRecord[]>;
  /**
   * Drops the settled (delivered or failed) deliveries of a job, as the engine does when the job
   * is evicted, so the log stays bounded by the job store; pending ones stay. Returns how many went.
   */
  forgetJob(jobId: string): Promise<number>;
}

/** The clock's shared part: simulated time is `epoch + offset` plus what the clock mode adds. */
export interface ClockReading {
  readonly epoch: number;
  readonly offsetMs: number;
}

/** The clock's epoch and offset, one per namespace. */
export interface ClockState {
  /** Sets the epoch if none is set yet (the first replica wins) and returns the reading. */
  init(epoch: number): Promise<ClockReading>;
  /** The reading, or undefined before {@link ClockState.init}. */
  read(): Promise<ClockReading | undefined>;
  /** Moves the offset forward by `ms` for every replica; returns the new reading. */
  advance(ms: number): Promise<ClockReading>;
}

/**
 * What a replica reads of a namespace before it answers a request, in one round trip: whether the
 * namespace may exist, its generation (moved by every reset, so cached jobs of an earlier
 * generation are dropped), the clock, the settings the control plane changed and the fault rules.
 */
export interface NamespaceSnapshot {
  /** False when the store holds `maxNamespaces` others and this one is new: nothing was stored. */
  readonly admitted: boolean;
  readonly generation: number;
  readonly clock: ClockReading | undefined;
  readonly settings: JsonValue | undefined;
  readonly faults: readonly FaultEntry[];
}

/** The state of one namespace. */
export interface NamespaceState {
  readonly namespace: string;
  readonly jobs: JobRecords;
  readonly ledger: LedgerState;
  readonly rateLimits: RateCounters;
  readonly faults: FaultRules;
  readonly webhooks: WebhookQueue;
  readonly clock: ClockState;
  /**
   * Registers the namespace (refused past `maxNamespaces`) and reads what every request needs
   * (see {@link NamespaceSnapshot}).
   */
  snapshot(): Promise<NamespaceSnapshot>;
  /** Stores the namespace's settings (the engine's: default scenario, webhook settings). */
  writeSettings(settings: JsonValue): Promise<void>;
  /** Clears this namespace only, and moves its generation on. */
  reset(): Promise<void>;
}

/** Options of {@link StateStore.namespace}. */
export interface NamespaceOptions {
  /** Balance of a key the ledger has not seen. Default 0. */
  readonly defaultBalance?: number;
}

/** Where the state lives: memory or Redis. */
export interface StateStore {
  /** `memory` or `redis`. */
  readonly kind: string;
  /**
   * The state of one namespace (see {@link checkNamespace} for the names allowed).
   * Cheap: call it per request.
   */
  namespace(name: string, options?: NamespaceOptions): NamespaceState;
  /** Clears one namespace only. */
  reset(namespace: string): Promise<void>;
  /** The namespaces the store holds (registered by {@link NamespaceState.snapshot}). */
  namespaces(): Promise<string[]>;
  /**
   * The namespaces with webhook deliveries queued or held: where a replica's webhook worker
   * looks, so that it never walks every namespace.
   */
  namespacesWithDeliveries(): Promise<string[]>;
  /**
   * A random secret every replica of the store shares (the first one makes it): download tokens
   * made on one replica are accepted by the others.
   */
  sharedSecret(): Promise<string>;
  /** Releases connections the store opened. */
  close(): Promise<void>;
}

/** Namespaces: letters, digits and `._:-`, 1 to 128 characters. */
const NAMESPACE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The namespace of state that names none. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Returns the namespace if it is allowed (it becomes part of Redis keys and may come from a
 * request header), else throws a `RangeError` that says what is allowed.
 *
 * @example
 * checkNamespace('ci-run-42'); // 'ci-run-42'
 * checkNamespace('a b'); // RangeError
 */
export function checkNamespace(name: string): string {
  if (typeof name !== 'string' || !NAMESPACE.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 40)) : typeof name;
    throw new RangeError(
      `[reelkit] a namespace is 1 to 128 letters, digits, '.', '_', ':' or '-', not ${shown}.`,
    );
  }
  return name;
}

/** Micro-units per unit of a balance. */
const MICRO = 1_000_000;

/**
 * An amount in whole micro-units (how ledgers store money), refused unless finite and ≥ 0.
 *
 * @example
 * toMicro(0.1); // 100000
 */
export function toMicro(amount: number): number {
  if (!Number.isFinite(amount) || amount < 0 || amount * MICRO > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`[reelkit] an amount must be a finite number ≥ 0, not ${amount}.`);
  }
  return Math.round(amount * MICRO);
}

/**
 * An amount in units from micro-units.
 *
 * @example
 * fromMicro(100000); // 0.1
 */
export function fromMicro(micro: number): number {
  return micro / MICRO;
}

/**
 * The window verdict both implementations give, from the count after this hit.
 *
 * @example
 * rateVerdict({ count: 3, limit: 2, windowStart: 0, windowMs: 1000, now: 10 }).allowed; // false
 */
export function rateVerdict(options: {
  count: number;
  limit: number;
  windowStart: number;
  windowMs: number;
  now: number;
}): RateHit {
  const { count, limit, windowStart, windowMs, now } = options;
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  };
}

/**
 * The start of the fixed window of `windowMs` that holds `now`; a `RangeError` unless `windowMs`
 * is a positive integer.
 *
 * @example
 * windowStartOf(1500, 1000); // 1000
 */
export function windowStartOf(now: number, windowMs: number): number {
  if (!(Number.isSafeInteger(windowMs) && windowMs > 0)) {
    throw new RangeError(`[reelkit] windowMs must be a positive integer, not ${windowMs}.`);
  }
  return Math.floor(now / windowMs) * windowMs;
}

/**
 * A state operation that Redis could not do (unreachable, timed out, refused): the message names
 * the operation, the server and what went wrong; the cause is ioredis's error.
 *
 * @example
 * try { await state.ledger.charge('sk', 1); } catch (e) { if (e instanceof StateStoreError) console.error(e.message); }
 */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  readonly code = 'MOCK_ERR_STATE_STORE';
}
