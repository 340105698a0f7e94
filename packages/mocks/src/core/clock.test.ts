import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createAutoClock,
  createManualClock,
  createRealClock,
  MAX_CLOCK_MS,
  maxAdvanceFrom,
} from './clock.js';

describe('manual clock', () => {
  it('fires timers in time order only when advanced', async () => {
    const clock = createManualClock({ start: 0 });
    const fired: string[] = [];
    clock.schedule(300, () => fired.push('c'));
    clock.schedule(100, () => fired.push('a'));
    clock.schedule(200, () => fired.push('b'));
    expect(fired).toEqual([]);
    await clock.advance(150);
    expect(fired).toEqual(['a']);
    expect(clock.now()).toBe(150);
    await clock.advance(1000);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1150);
  });

  it('lets work woken by a timer schedule more timers inside the same advance', async () => {
    const clock = createManualClock({ start: 0 });
    const seen: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        seen.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(100);
    await done;
    expect(seen).toEqual([10, 20, 30]);
  });

  it('cancels timers and aborts sleeps', async () => {
    const clock = createManualClock({ start: 0 });
    let fired = false;
    clock.schedule(10, () => (fired = true)).cancel();
    const controller = new AbortController();
    const sleeping = clock.sleep(50, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('refuses to go backwards', async () => {
    await expect(createManualClock().advance(-1)).rejects.toThrow(RangeError);
  });
});

describe('auto clock', () => {
  it('completes a two-minute wait without waiting', async () => {
    const clock = createAutoClock({ start: 0 });
    const started = performance.now();
    await clock.sleep(120_000);
    expect(clock.now()).toBe(120_000);
    // Not a timing assertion: a real 2-minute wait would never finish inside the test timeout.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('interleaves concurrent sleepers by simulated time', async () => {
    const clock = createAutoClock({ start: 0 });
    const order: string[] = [];
    await Promise.all([
      clock.sleep(30).then(() => order.push('30')),
      clock.sleep(10).then(() => order.push('10')),
      clock.sleep(20).then(() => order.push('20')),
    ]);
    expect(order).toEqual(['10', '20', '30']);
  });
});

describe('real clock', () => {
  it('runs simulated time faster by the time scale', async () => {
    const clock = createRealClock({ timeScale: 1000 });
    const before = clock.now();
    await clock.sleep(2000); // about 2 ms of real time
    expect(clock.now() - before).toBeGreaterThanOrEqual(2000);
  });
  it('rejects a non-positive scale', () => {
    expect(() => createRealClock({ timeScale: 0 })).toThrow(/timeScale/);
  });
  it('jumps forward when advanced, firing what fell due in time order and keeping the rest', async () => {
    // Scale 1: the timers are hours away, so only the jump can fire them within the test.
    const clock = createRealClock({ timeScale: 1 });
    const start = clock.now();
    const order: string[] = [];
    clock.schedule(start + 3_600_000, () => order.push('1 h'));
    clock.schedule(start + 1_800_000, () => {
      order.push('30 min');
      // A callback may schedule more; what is due by the jump's end fires in the same jump.
      clock.schedule(start + 2_000_000, () => order.push('33 min'));
    });
    const later = clock.schedule(start + 7_200_000, () => order.push('2 h'));
    expect(clock.pending).toBe(3);
    await clock.advance(3_600_000);
    expect(order).toEqual(['30 min', '33 min', '1 h']);
    expect(clock.now() - start).toBeGreaterThanOrEqual(3_600_000);
    expect(clock.pending).toBe(1);
    later.cancel();
    expect(clock.pending).toBe(0);
    await expect(clock.advance(-1)).rejects.toThrow(/a number of ms from 0 to/);
  });
  it('keeps wall-clock time for what a client compares with its own clock', () => {
    // Issue #11: on ×30, 20 s after start the simulated time is 580 s ahead of the wall clock.
    const start = Date.UTC(2026, 11, 4, 10);
    let wall = start;
    const clock = createRealClock({ timeScale: 30, wall: () => wall });
    wall += 20_000;
    expect(clock.now()).toBe(start + 600_000);
    expect(clock.wallNow()).toBe(wall);
    expect(clock.wallTime(clock.now())).toBe(wall);
    // A 90 s simulated job submitted at start ends 3 s later on the wall clock.
    expect(clock.wallTime(start + 90_000)).toBe(start + 3_000);
    // Never later than the wall clock for a moment that has happened.
    for (const at of [start + 1, start + 29, start + 599_999]) {
      expect(clock.wallTime(at)).toBeLessThanOrEqual(wall);
    }
  });
  it('never stamps a body time ahead of the wall clock after a jump by hand', async () => {
    const start = Date.UTC(2026, 11, 4, 10);
    let wall = start;
    const clock = createRealClock({ timeScale: 30, wall: () => wall });
    wall += 1_000;
    await clock.advance(3_600_000);
    expect(clock.now()).toBe(start + 30_000 + 3_600_000);
    expect(clock.wallTime(clock.now())).toBe(wall);
  });
});

describe('clock range', () => {
  it('refuses to advance past the Date range, or by a negative or non-finite amount', async () => {
    const clock = createManualClock({ start: 0 });
    for (const ms of [1e300, MAX_CLOCK_MS + 1, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(clock.advance(ms)).rejects.toThrow(RangeError);
    }
    expect(clock.now()).toBe(0);
    await clock.advance(MAX_CLOCK_MS);
    expect(new Date(clock.now()).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(maxAdvanceFrom(clock.now())).toBe(0);
  });

  it('keeps an auto clock in range when a timer is set beyond it', async () => {
    const clock = createAutoClock({ start: 0 });
    await clock.sleep(1e300);
    expect(clock.now()).toBe(MAX_CLOCK_MS);
  });

  it('keeps a real clock in range when it is advanced by hand', async () => {
    const clock = createRealClock({ timeScale: 1 });
    await expect(clock.advance(1e300)).rejects.toThrow(/Date range/);
    expect(new Date(clock.now()).getTime()).toBeGreaterThan(0);
  });

  it('refuses a start outside the range and a time scale out of bounds', () => {
    expect(() => createManualClock({ start: 1e17 })).toThrow(/Date range/);
    expect(() => createRealClock({ timeScale: 1e300 })).toThrow(/at most 1000000/);
  });
});

describe('wall time of virtual clocks', () => {
  afterEach(() => vi.useRealTimers());

  it('signs with the wall clock, whatever the simulated time; body times stay simulated', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 4, 10));
    const manual = createManualClock({ start: 1_000 });
    await manual.advance(500);
    expect(manual.wallNow()).toBe(Date.UTC(2026, 11, 4, 10));
    expect(manual.wallTime(manual.now())).toBe(1_500);
    const faked = createAutoClock({ start: 1_000, wall: () => 42_000 });
    await faked.advance(60_000);
    expect(faked.wallNow()).toBe(42_000);
    expect(faked.wallTime(faked.now())).toBe(61_000);
  });
});
