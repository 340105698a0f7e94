/**
 * The in-memory state store: the default, with no dependencies. Every replica of it is this one
 * process, so atomicity is JavaScript's (no `await` inside an operation).
 * @module
 */
import { randomBytes } from 'node:crypto';
import TinyQueue from 'tinyqueue';
import { DEFAULT_LEDGER_MAX_ENTRIES } from '../core/ledger.js';
import { DEFAULT_MAX_JOBS } from '../core/store.js';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  ClockReading,
  DeliveryRecord,
  FaultEntry,
  JobRecord,
  JsonValue,
  NamespaceOptions,
  NamespaceState,
  StateStore,
} from './types.js';
import { checkNamespace, fromMicro, rateVerdict, toMicro, windowStartOf } from './types.js';

/** Options of {@link createMemoryState} and `createRedisState`. */
export interface StateStoreOptions {
  /** Most jobs per namespace. Default the engine's job store cap, {@link DEFAULT_MAX_JOBS}. */
  readonly maxJobs?: number;
  /**
   * Most namespaces held at once (each test run may name its own): a new one past the cap is
   * refused by {@link NamespaceState.snapshot} until a reset frees a place. Default
   * {@link DEFAULT_MAX_NAMESPACES}.
   */
  readonly maxNamespaces?: number;
  /** Most balances per namespace (see {@link DEFAULT_LEDGER_MAX_ENTRIES}, the default). */
  readonly maxBalances?: number;
}

/** Default cap of namespaces in one store. */
export const DEFAULT_MAX_NAMESPACES = 1000;

/**
 * The cap of namespaces: `maxNamespaces` if it is a positive integer, else a `RangeError`.
 *
 * @example
 * checkMaxNamespaces(undefined); // 1000
 */
export function checkMaxNamespaces(maxNamespaces: number | undefined): number {
  const max = maxNamespaces ?? DEFAULT_MAX_NAMESPACES;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`[reelkit] maxNamespaces must be a positive integer, not ${max}.`);
  }
  return max;
}

/**
 * The cap of jobs per namespace: `maxJobs` if it is a positive integer, else a `RangeError`.
 *
 * @example
 * checkMaxJobs(undefined); // 100000
 * checkMaxJobs(0); // RangeError
 */
export function checkMaxJobs(maxJobs: number | undefined): number {
  const max = maxJobs ?? DEFAULT_MAX_JOBS;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`[reelkit] maxJobs must be a positive integer, not ${max}.`);
  }
  return max;
}

interface Lease {
  owner: string;
  until: number;
}

interface MemoryNamespace {
  jobs: Map<string, JobRecord>;
  expiries: TinyQueue<JobRecord>;
  balances: Map<string, number>;
  windows: Map<string, { start: number; count: number }>;
  faults: Map<string, { rule: JsonValue; limit: number | undefined; fired: number }>;
  faultSeq: number;
  deliveries: Map<string, DeliveryRecord>;
  deliveriesByJob: Map<string, Set<string>>;
  leases: Map<string, Lease>;
  /** Pending deliveries by due time; an entry whose delivery moved on is skipped when reached. */
  due: TinyQueue<{ id: string; at: number }>;
  clock: ClockReading | undefined;
  settings: JsonValue | undefined;
}

const byExpiry = (a: JobRecord, b: JobRecord) => a.expiresAt - b.expiresAt;

function emptyNamespace(): MemoryNamespace {
  return {
    jobs: new Map(),
    expiries: new TinyQueue<JobRecord>([], byExpiry),
    balances: new Map(),
    windows: new Map(),
    faults: new Map(),
    faultSeq: 0,
    deliveries: new Map(),
    deliveriesByJob: new Map(),
    leases: new Map(),
    due: new TinyQueue<{ id: string; at: number }>([], (a, b) => a.at - b.at),
    clock: undefined,
    settings: undefined,
  };
}

/** The fault rules of a namespace, as copies. */
function faultEntries(n: MemoryNamespace): FaultEntry[] {
  return [...n.faults].map(([id, f]): FaultEntry => ({
    id,
    rule: structuredClone(f.rule),
    limit: f.limit,
    fired: f.fired,
  }));
}

/** Rate windows kept before old ones are dropped. */
const MAX_WINDOWS = 10_000;

/**
 * Creates the in-memory state store.
 *
 * @example
 * const store = createMemoryState();
 * const state = store.namespace('ci-run-42', { defaultBalance: 100 });
 * await state.ledger.charge('sk-test', 0.5); // { charged: true, balance: 99.5 }
 */
export function createMemoryState(options: StateStoreOptions = {}): StateStore {
  const maxJobs = checkMaxJobs(options.maxJobs);
  const maxNamespaces = checkMaxNamespaces(options.maxNamespaces);
  const maxBalances = options.maxBalances ?? DEFAULT_LEDGER_MAX_ENTRIES;
  const namespaces = new Map<string, MemoryNamespace>();
  const generations = new Map<string, number>();
  const resetNamespace = (name: string) => {
    namespaces.delete(name);
    generations.set(name, (generations.get(name) ?? 0) + 1);
  };
  const data = (name: string): MemoryNamespace => {
    let ns = namespaces.get(name);
    if (!ns) namespaces.set(name, (ns = emptyNamespace()));
    return ns;
  };

  function namespace(name: string, nsOptions: NamespaceOptions = {}): NamespaceState {
    checkNamespace(name);
    const defaultMicro = toMicro(nsOptions.defaultBalance ?? 0);
    const ns = () => data(name);
    const removeJob = (n: MemoryNamespace, job: JobRecord) => {
      if (n.jobs.get(job.id) === job) n.jobs.delete(job.id);
    };
    /** Drops jobs expired by `now`; then, while at the cap, the finished job that expires first. */
    const makeRoom = (n: MemoryNamespace, now: number): boolean => {
      for (let next = n.expiries.peek(); next && next.expiresAt <= now; next = n.expiries.peek()) {
        n.expiries.pop();
        removeJob(n, next);
      }
      while (n.jobs.size >= maxJobs) {
        const next = n.expiries.peek();
        if (!next) return false;
        if (n.jobs.get(next.id) !== next) {
          n.expiries.pop();
          continue;
        }
        if (next.finishesAt > now) return false;
        n.expiries.pop();
        removeJob(n, next);
      }
      return true;
    };
    /**
     * Takes `micro` from `key` if the balance covers it (or down to 0 with `floor`); a new key
     * past `maxBalances` is charged without an entry. Whether it charged.
     */
    const takeBalance = (n: MemoryNamespace, key: string, micro: number, floor: boolean) => {
      const balance = n.balances.get(key) ?? defaultMicro;
      if (balance < micro && !floor) return false;
      if (n.balances.has(key) || n.balances.size < maxBalances) {
        n.balances.set(key, Math.max(0, balance - micro));
      }
      return true;
    };
    /** A leased delivery back on the queue, due at `at`. */
    const dueAgain = (n: MemoryNamespace, id: string, at: number) => {
      const delivery = n.deliveries.get(id);
      if (delivery?.state !== 'pending') return;
      n.deliveries.set(id, { ...delivery, dueAt: at });
      n.due.push({ id, at });
    };
    const copy = (delivery: DeliveryRecord): DeliveryRecord => ({
      ...delivery,
      attempts: [...delivery.attempts],
    });

    return {
      namespace: name,
      jobs: {
        maxJobs,
        async create(record, { now, payment }) {
          const n = ns();
          if (n.jobs.has(record.id)) return 'exists';
          if (!makeRoom(n, now)) return 'full';
          if (payment && !takeBalance(n, payment.key, toMicro(payment.amount), false)) {
            return 'unpaid';
          }
          const stored = structuredClone(record);
          n.jobs.set(stored.id, stored);
          n.expiries.push(stored);
          return 'created';
        },
        async get(id, now) {
          const n = ns();
          const job = n.jobs.get(id);
          if (!job) return undefined;
          if (job.expiresAt <= now) {
            removeJob(n, job);
            return undefined;
          }
          return structuredClone(job);
        },
        async list(now) {
          return [...ns().jobs.values()]
            .filter((job) => job.expiresAt > now)
            .sort(byExpiry)
            .map((job) => structuredClone(job));
        },
        async count() {
          return ns().jobs.size;
        },
      },
      ledger: {
        defaultBalance: fromMicro(defaultMicro),
        async balanceOf(key) {
          return fromMicro(ns().balances.get(key) ?? defaultMicro);
        },
        async set(key, amount) {
          ns().balances.set(key, toMicro(amount));
        },
        async charge(key, amount, chargeOptions = {}) {
          const n = ns();
          const micro = toMicro(amount);
          const before = n.balances.get(key) ?? defaultMicro;
          if (!takeBalance(n, key, micro, chargeOptions.floorAtZero === true)) {
            return { charged: false, balance: fromMicro(before) };
          }
          return { charged: true, balance: fromMicro(Math.max(0, before - micro)) };
        },
        async entries() {
          return [...ns().balances].map(([key, micro]): [string, number] => [
            key,
            fromMicro(micro),
          ]);
        },
      },
      rateLimits: {
        async hit(key, { limit, windowMs, now }) {
          const windowStart = windowStartOf(now, windowMs);
          const { windows } = ns();
          const current = windows.get(key);
          const window =
            current && current.start === windowStart ? current : { start: windowStart, count: 0 };
          window.count++;
          windows.set(key, window);
          if (windows.size > MAX_WINDOWS) {
            for (const [k, w] of windows) if (w.start < windowStart) windows.delete(k);
          }
          return rateVerdict({ count: window.count, limit, windowStart, windowMs, now });
        },
      },
      faults: {
        async add(rule, limit) {
          const n = ns();
          const id = `fault_${++n.faultSeq}`;
          n.faults.set(id, { rule: structuredClone(rule), limit, fired: 0 });
          return { id, rule, limit, fired: 0 };
        },
        async remove(id) {
          return ns().faults.delete(id);
        },
        async list() {
          return faultEntries(ns());
        },
        async fire(id) {
          const fault = ns().faults.get(id);
          if (!fault || (fault.limit !== undefined && fault.fired >= fault.limit)) return false;
          fault.fired++;
          return true;
        },
      },
      webhooks: {
        async enqueue(input, dueAt) {
          const n = ns();
          if (n.deliveries.has(input.id)) return false;
          n.deliveries.set(input.id, {
            id: input.id,
            jobId: input.jobId,
            idempotencyKey: input.idempotencyKey,
            event: structuredClone(input.event),
            state: 'pending',
            attempts: [],
            dueAt,
          });
          n.due.push({ id: input.id, at: dueAt });
          let ofJob = n.deliveriesByJob.get(input.jobId);
          if (!ofJob) n.deliveriesByJob.set(input.jobId, (ofJob = new Set()));
          ofJob.add(input.id);
          return true;
        },
        async claim({ owner, now, leaseMs, leaseNow = now }): Promise<ClaimedDelivery | undefined> {
          const n = ns();
          // Leases that ran out make their delivery due again, at once.
          for (const [id, lease] of n.leases) {
            if (lease.until > leaseNow) continue;
            n.leases.delete(id);
            dueAgain(n, id, now);
          }
          let first: DeliveryRecord | undefined;
          for (let next = n.due.peek(); next && next.at <= now; next = n.due.peek()) {
            n.due.pop();
            const delivery = n.deliveries.get(next.id);
            if (delivery?.state === 'pending' && delivery.dueAt === next.at) {
              first = delivery;
              break;
            }
          }
          if (!first) return undefined;
          const leased: DeliveryRecord = { ...first, dueAt: null };
          n.deliveries.set(first.id, leased);
          const leaseUntil = leaseNow + leaseMs;
          n.leases.set(first.id, { owner, until: leaseUntil });
          return { delivery: copy(leased), owner, leaseUntil };
        },
        async release(owner, now) {
          const n = ns();
          let released = 0;
          for (const [id, lease] of n.leases) {
            if (lease.owner !== owner) continue;
            n.leases.delete(id);
            dueAgain(n, id, now);
            released++;
          }
          return released;
        },
        async settle(id, owner, outcome: AttemptOutcome) {
          const n = ns();
          const lease = n.leases.get(id);
          const delivery = n.deliveries.get(id);
          if (!lease || lease.owner !== owner || !delivery) return false;
          n.leases.delete(id);
          n.deliveries.set(id, {
            ...delivery,
            attempts: [...delivery.attempts, outcome.attempt],
            state: outcome.result === 'retry' ? 'pending' : outcome.result,
            dueAt: outcome.result === 'retry' ? outcome.retryAt : null,
          });
          if (outcome.result === 'retry') n.due.push({ id, at: outcome.retryAt });
          return true;
        },
        async record(id, attempt, delivered) {
          const n = ns();
          const delivery = n.deliveries.get(id);
          if (!delivery) return false;
          const settles = delivered && delivery.state === 'pending' && !n.leases.has(id);
          n.deliveries.set(id, {
            ...delivery,
            attempts: [...delivery.attempts, attempt],
            ...(settles ? { state: 'delivered' as const, dueAt: null } : {}),
          });
          return true;
        },
        async get(id) {
          const delivery = ns().deliveries.get(id);
          return delivery && copy(delivery);
        },
        async list() {
          return [...ns().deliveries.values()].map(copy);
        },
        async forgetJob(jobId) {
          const n = ns();
          const ofJob = n.deliveriesByJob.get(jobId);
          let forgotten = 0;
          for (const id of ofJob ?? []) {
            if (n.deliveries.get(id)?.state === 'pending') continue;
            n.deliveries.delete(id);
            ofJob?.delete(id);
            forgotten++;
          }
          if (ofJob?.size === 0) n.deliveriesByJob.delete(jobId);
          return forgotten;
        },
      },
      clock: {
        async init(epoch) {
          const n = ns();
          n.clock ??= { epoch, offsetMs: 0 };
          return n.clock;
        },
        async read() {
          return ns().clock;
        },
        async advance(ms) {
          if (!(Number.isSafeInteger(ms) && ms >= 0)) {
            throw new RangeError(`[reelkit] advance needs a whole number of ms ≥ 0, not ${ms}.`);
          }
          const n = ns();
          if (!n.clock)
            throw new RangeError('[reelkit] the clock has no epoch yet: init it first.');
          n.clock = { epoch: n.clock.epoch, offsetMs: n.clock.offsetMs + ms };
          return n.clock;
        },
      },
      async snapshot() {
        const generation = generations.get(name) ?? 0;
        const known = namespaces.get(name);
        if (!known && namespaces.size >= maxNamespaces) {
          return { admitted: false, generation, clock: undefined, settings: undefined, faults: [] };
        }
        const n = known ?? ns();
        return {
          admitted: true,
          generation,
          clock: n.clock,
          settings: n.settings === undefined ? undefined : structuredClone(n.settings),
          faults: faultEntries(n),
        };
      },
      async writeSettings(settings) {
        ns().settings = structuredClone(settings);
      },
      reset: async () => resetNamespace(name),
    };
  }

  const secret = randomBytes(32).toString('hex');
  return {
    kind: 'memory',
    namespace,
    reset: async (name) => resetNamespace(checkNamespace(name)),
    namespaces: async () => [...namespaces.keys()],
    namespacesWithDeliveries: async () =>
      [...namespaces].flatMap(([name, n]) => (n.due.length > 0 || n.leases.size > 0 ? [name] : [])),
    sharedSecret: async () => secret,
    close: async () => namespaces.clear(),
  };
}
