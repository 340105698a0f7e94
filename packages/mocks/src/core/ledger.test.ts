import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createLedger, secondsUntilDailyReset } from './ledger.js';

const START = Date.UTC(2026, 3, 24, 12);

describe('ledger', () => {
  it('keeps balances per key, floors at zero and resets', () => {
    const ledger = createLedger({
      clock: createManualClock({ start: START }),
      config: { unit: 'tokens', defaultBalance: 1_000 },
    });
    expect(ledger.charge('a', 300)).toBe(700);
    expect(ledger.charge('a', 5_000)).toBe(0);
    expect(ledger.balanceOf('b')).toBe(1_000);
    ledger.set('b', 42);
    expect(new Map(ledger.entries())).toEqual(
      new Map([
        ['a', 0],
        ['b', 42],
      ]),
    );
    ledger.reset();
    expect([ledger.balanceOf('a'), ledger.balanceOf('b')]).toEqual([1_000, 1_000]);
  });

  it('charges USD amounts without floating-point drift', () => {
    const ledger = createLedger({
      clock: createManualClock(),
      config: { unit: 'usd', defaultBalance: 1 },
    });
    for (let i = 0; i < 10; i++) ledger.charge('k', 0.1);
    expect(ledger.balanceOf('k')).toBe(0);
  });

  it('resets daily balances at 00:00 UTC only when configured', async () => {
    const clock = createManualClock({ start: START });
    const daily = createLedger({
      clock,
      config: { unit: 'tokens', defaultBalance: 1_000, resetsDaily: true },
    });
    const credits = createLedger({ clock, config: { unit: 'usd', defaultBalance: 1_000 } });
    daily.charge('a', 600);
    credits.charge('a', 600);
    await clock.advance(11 * 3_600_000);
    expect(daily.balanceOf('a')).toBe(400);
    await clock.advance(3_600_000);
    expect(daily.balanceOf('a')).toBe(1_000);
    expect(credits.balanceOf('a')).toBe(400);
  });

  it('says how long until the daily reset', () => {
    expect(secondsUntilDailyReset(START)).toBe(43_200);
    expect(secondsUntilDailyReset(Date.UTC(2026, 3, 24, 23, 59, 59, 500))).toBe(1);
    expect(secondsUntilDailyReset(Date.UTC(2026, 3, 25))).toBe(86_400);
  });
});

describe('ledger memory', () => {
  it('drops an entry when forgotten, after its TTL without change, and beyond maxEntries', async () => {
    const clock = createManualClock({ start: START });
    const ledger = createLedger({
      clock,
      config: { unit: 'usd', defaultBalance: 10 },
      entryTtlMs: 60_000,
      maxEntries: 3,
    });
    ledger.charge('a', 1);
    ledger.charge('b', 1);
    ledger.forget('a');
    expect(ledger.balanceOf('a')).toBe(10);
    for (const key of ['c', 'd', 'e']) ledger.charge(key, 1);
    expect(ledger.entries().map(([key]) => key)).toEqual(['c', 'd', 'e']);
    await clock.advance(30_000);
    ledger.charge('c', 1); // changed: its TTL starts again
    await clock.advance(45_000);
    expect(ledger.entries()).toEqual([['c', 8]]);
    expect(ledger.size).toBe(1);
  });

  it('keeps a balance the operator set, charges included, when its jobs leave and past the TTL', async () => {
    const clock = createManualClock({ start: START });
    const ledger = createLedger({
      clock,
      config: { unit: 'usd', defaultBalance: 10 },
      entryTtlMs: 1_000,
    });
    ledger.set('funded', 1_000);
    ledger.charge('funded', 1);
    ledger.forget('funded');
    await clock.advance(5_000);
    expect(ledger.balanceOf('funded')).toBe(999);
    ledger.reset();
    expect(ledger.balanceOf('funded')).toBe(10);
  });
});
