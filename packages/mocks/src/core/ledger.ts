/**
 * Balances per API key: credits in USD (OpenRouter, ImageRouter, FastRouter) or daily tokens
 * (rout.my). Each engine owns one, so two mocks never share money. Read and set through the
 * control plane (`/__reelkit/balances`).
 * @module
 */
import type { Clock } from './clock.js';

const DAY_MS = 86_400_000;

/**
 * The number of the UTC day that holds `now` (ms): balances that return daily are counted per day.
 *
 * @example
 * dayOf(Date.UTC(1970, 0, 2, 12)); // 1
 */
export function dayOf(now: number): number {
  return Math.floor(now / DAY_MS);
}

/** How a router counts money. */
export interface BalanceConfig {
  /** What a balance counts, e.g. `usd` or `tokens`. */
  readonly unit: string;
  /** A key the ledger has not seen starts with this much. */
  readonly defaultBalance: number;
  /** Balances return to the default at 00:00 UTC (rout.my's "daily tokens"). */
  readonly resetsDaily?: boolean;
}

/** A value now (in this process) or later (from a shared store). */
type MaybePromise<T> = T | Promise<T>;

/**
 * Balances per API key as handlers and the control plane reach them: in this process
 * ({@link Ledger}) or in a shared store, where every change is atomic across replicas.
 *
 * @example
 * if (!(await ctx.services.ledger.spend(key, 0.5))) return error('insufficient_credits');
 */
export interface Balances {
  readonly config: BalanceConfig;
  balanceOf(key: string): MaybePromise<number>;
  set(key: string, amount: number): MaybePromise<void>;
  /** Takes `amount` from the key, never below 0 (billing after the work); the new balance. */
  charge(key: string, amount: number): MaybePromise<number>;
  /**
   * Takes `amount` only if the balance covers it, and says whether it did: two requests racing
   * for the last credit (on any replica) never both get it.
   */
  spend(key: string, amount: number): MaybePromise<boolean>;
  /** Every key with a balance of its own. */
  entries(): MaybePromise<[string, number][]>;
}

/** Per-key balances, in this process. */
export interface Ledger extends Balances {
  balanceOf(key: string): number;
  set(key: string, amount: number): void;
  /** Takes `amount` from the key, never below 0; returns the new balance. */
  charge(key: string, amount: number): number;
  spend(key: string, amount: number): boolean;
  /** Every key with a balance that differs from the default. */
  entries(): [string, number][];
  /**
   * Drops the balance charges made for a key (back to the default) when the key's last job
   * leaves. A balance the operator {@link Ledger.set} stays until {@link Ledger.reset}.
   */
  forget(key: string): void;
  /** How many keys have an entry. */
  readonly size: number;
  reset(): void;
}

/** How long an entry outlives its last change when no job keeps it: a day, like the job TTL. */
export const DEFAULT_LEDGER_ENTRY_TTL_MS = 86_400_000;
/** Most entries kept; beyond it the entry changed longest ago goes. */
export const DEFAULT_LEDGER_MAX_ENTRIES = 100_000;

/** Options of {@link createLedger}. */
export interface LedgerOptions {
  readonly clock: Clock;
  readonly config: BalanceConfig;
  /** An entry not changed for this long (simulated ms) is dropped. Default one day. */
  readonly entryTtlMs?: number;
  /** Most entries kept. Default {@link DEFAULT_LEDGER_MAX_ENTRIES}. */
  readonly maxEntries?: number;
}

/**
 * Creates a ledger on the engine's clock. Memory stays bounded: a balance made by charges leaves
 * when the engine forgets it (its key's last job left), when it has not changed for `entryTtlMs`,
 * or when `maxEntries` newer ones push it out; a balance the operator set stays until reset (at
 * most `maxEntries` of them too).
 *
 * @example
 * const ledger = createLedger({ clock, config: { unit: 'usd', defaultBalance: 100 } });
 * ledger.charge('sk-test', 0.5); // 99.5
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { clock, config } = options;
  const ttlMs = options.entryTtlMs ?? DEFAULT_LEDGER_ENTRY_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_LEDGER_MAX_ENTRIES;
  // Balances the operator set (the control plane, a test): kept until reset, whatever jobs do.
  const setByOperator = new Map<string, number>();
  // Balances that charges made: in order of last change (a change moves the key to the end), so
  // the stale ones come first; they leave with their key's last job, after the TTL, or past the cap.
  const charged = new Map<string, { amount: number; changedAt: number }>();
  const expire = () => {
    const oldest = clock.now() - ttlMs;
    for (const [key, entry] of charged) {
      if (entry.changedAt > oldest && charged.size <= maxEntries) break;
      charged.delete(key);
    }
  };
  let day = dayOf(clock.now());
  const rollover = () => {
    if (!config.resetsDaily) return;
    const today = dayOf(clock.now());
    if (today > day) {
      charged.clear();
      setByOperator.clear();
    }
    day = Math.max(day, today);
  };
  const ledger: Ledger = {
    config,
    balanceOf(key) {
      rollover();
      return setByOperator.get(key) ?? charged.get(key)?.amount ?? config.defaultBalance;
    },
    set(key, amount) {
      rollover();
      charged.delete(key);
      setByOperator.delete(key);
      setByOperator.set(key, Math.max(0, amount));
      // The control plane is the operator's, but bounded all the same: the oldest setting goes.
      if (setByOperator.size > maxEntries) {
        setByOperator.delete(setByOperator.keys().next().value as string);
      }
    },
    charge(key, amount) {
      // Round to micro-units so that repeated charges of 0.1 do not drift.
      const left = Math.max(0, Math.round((ledger.balanceOf(key) - amount) * 1e6) / 1e6);
      if (setByOperator.has(key)) {
        setByOperator.set(key, left);
      } else {
        charged.delete(key);
        charged.set(key, { amount: left, changedAt: clock.now() });
        expire();
      }
      return left;
    },
    spend(key, amount) {
      if (ledger.balanceOf(key) < amount) return false;
      ledger.charge(key, amount);
      return true;
    },
    entries() {
      rollover();
      expire();
      return [
        ...setByOperator,
        ...[...charged].map(([key, entry]): [string, number] => [key, entry.amount]),
      ];
    },
    forget: (key) => void charged.delete(key),
    get size() {
      return setByOperator.size + charged.size;
    },
    reset: () => {
      charged.clear();
      setByOperator.clear();
    },
  };
  return ledger;
}

/**
 * Seconds until the next 00:00 UTC: when a daily balance comes back.
 *
 * @example
 * secondsUntilDailyReset(Date.UTC(2026, 0, 1, 23, 0)); // 3600
 */
export function secondsUntilDailyReset(now: number): number {
  return Math.max(1, Math.ceil((Math.floor(now / DAY_MS + 1) * DAY_MS - now) / 1000));
}
