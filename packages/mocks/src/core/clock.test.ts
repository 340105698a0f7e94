import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAutoClock, createManualClock, createRealClock } from './clock.js';

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
