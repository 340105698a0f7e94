/**
 * Balances per API key: credits in USD (OpenRouter, ImageRouter, FastRouter) or daily tokens
 * (rout.my). Each engine owns one, so two mocks never share money. Read and set through the
 * control plane (`/__reelkit/balances`).
 * @module
 */
import type { Clock } from './clock.js';

const DAY_MS = 86_400_000;

/** How a router counts money. */
export interface BalanceConfig {
  /** What a balance counts, e.g. `usd` or `tokens`. */
  readonly unit: string;
  /** A key the ledger has not seen starts with this much. */
  readonly defaultBalance: number;
  /** Balances return to the default at 00:00 UTC (rout.my's "daily tokens"). */
  readonly resetsDaily?: boolean;
}

/** Per-key balances. */
export interface Ledger {
  readonly config: BalanceConfig;
  balanceOf(key: string): number;
  set(key: string, amount: number): void;
  /** Takes `amount` from the key, never below 0; returns the new balance. */
  charge(key: string, amount: number): number;
  /** Every key with a balance that differs from the default. */
  entries(): [string, number][];
  /** Drops a key's entry (its balance returns to the default): when the key's last job leaves. */
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
 * Creates a ledger on the engine's clock. Memory stays bounded: an entry leaves when the engine
 * forgets it (its key's last job left), when it has not changed for `entryTtlMs`, or when
 * `maxEntries` newer entries push it out.
 *
 * @example
 * const ledger = createLedger({ clock, config: { unit: 'usd', defaultBalance: 100 } });
 * ledger.charge('sk-test', 0.5); // 99.5
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { clock, config } = options;
  const ttlMs = options.entryTtlMs ?? DEFAULT_LEDGER_ENTRY_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_LEDGER_MAX_ENTRIES;
  // In order of last change (a change moves the key to the end), so the stale ones come first.
  const balances = new Map<string, { amount: number; changedAt: number }>();
  const expire = () => {
    const oldest = clock.now() - ttlMs;
    for (const [key, entry] of balances) {
      if (entry.changedAt > oldest && balances.size <= maxEntries) break;
      balances.delete(key);
    }
  };
  const store = (key: string, amount: number) => {
    balances.delete(key);
    balances.set(key, { amount, changedAt: clock.now() });
    expire();
  };
  let day = Math.floor(clock.now() / DAY_MS);
  const rollover = () => {
    if (!config.resetsDaily) return;
    const today = Math.floor(clock.now() / DAY_MS);
    if (today > day) balances.clear();
    day = Math.max(day, today);
  };
  const ledger: Ledger = {
    config,
    balanceOf(key) {
      rollover();
      return balances.get(key)?.amount ?? config.defaultBalance;
    },
    set(key, amount) {
      rollover();
      store(key, Math.max(0, amount));
    },
    charge(key, amount) {
      // Round to micro-units so that repeated charges of 0.1 do not drift.
      const left = Math.max(0, Math.round((ledger.balanceOf(key) - amount) * 1e6) / 1e6);
      store(key, left);
      return left;
    },
    entries() {
      rollover();
      expire();
      return [...balances].map(([key, entry]) => [key, entry.amount]);
    },
    forget: (key) => void balances.delete(key),
    get size() {
      return balances.size;
    },
    reset: () => balances.clear(),
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
