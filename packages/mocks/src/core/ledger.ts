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
  reset(): void;
}

/**
 * Creates a ledger on the engine's clock.
 *
 * @example
 * const ledger = createLedger({ clock, config: { unit: 'usd', defaultBalance: 100 } });
 * ledger.charge('sk-test', 0.5); // 99.5
 */
export function createLedger(options: { clock: Clock; config: BalanceConfig }): Ledger {
  const { clock, config } = options;
  const balances = new Map<string, number>();
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
      return balances.get(key) ?? config.defaultBalance;
    },
    set(key, amount) {
      rollover();
      balances.set(key, Math.max(0, amount));
    },
    charge(key, amount) {
      // Round to micro-units so that repeated charges of 0.1 do not drift.
      const left = Math.max(0, Math.round((ledger.balanceOf(key) - amount) * 1e6) / 1e6);
      balances.set(key, left);
      return left;
    },
    entries() {
      rollover();
      return [...balances.entries()];
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
