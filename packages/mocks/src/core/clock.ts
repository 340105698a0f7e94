/**
 * Time for the mock engine. Core code reads time only through a {@link Clock} and waits only
 * through it, so tests can run a two-minute job in milliseconds and real servers can run it
 * faster than life.
 * @module
 */

/** A handle to cancel a scheduled callback. */
export interface TimerHandle {
  cancel(): void;
}

/** The engine's only source of time. All values are milliseconds since the Unix epoch. */
export interface Clock {
  /** `real` follows the wall clock (scaled), `manual` moves only when told, `auto` jumps to the next timer. */
  readonly mode: ClockMode;
  now(): number;
  /** Runs `callback` once simulated time reaches `at`. */
  schedule(at: number, callback: () => void): TimerHandle;
  /** Resolves after `ms` of simulated time; rejects with the signal's reason if aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * The time a client reads on its own clock now: what webhook signatures carry, since a
   * receiver compares them with its clock. Every clock answers the wall clock here, whatever its
   * simulated time does (manual and auto clocks take a `wall` option for tests that fake it).
   */
  wallNow(): number;
  /**
   * The wall-clock moment at which simulated time `at` happens, for timestamps in response and
   * webhook bodies. On the real clock, simulated durations are compressed back by the time scale,
   * so a body never names a moment in the future of the wall clock (a job that took 90 simulated
   * seconds on a ×30 clock shows 3 s between `created_at` and `completed_at`). Manual and auto
   * clocks have no wall clock of their own: their timestamps are the simulated time.
   */
  wallTime(at: number): number;
}

/**
 * The latest time a clock can show: the end of JavaScript's `Date` range (+275760-09-13), so
 * that every reading converts to an ISO timestamp. Advancing past it is refused.
 */
export const MAX_CLOCK_MS = 8.64e15;

/**
 * The largest `timeScale` of a real clock: a million simulated seconds per real second still
 * takes over 270 years of running to leave the `Date` range.
 */
export const MAX_TIME_SCALE = 1_000_000;

/**
 * How far a clock at `now` may still advance, in ms, before it leaves the `Date` range.
 *
 * @example
 * maxAdvanceFrom(clock.now()); // e.g. 8638204800000000
 */
export function maxAdvanceFrom(now: number): number {
  return Math.max(0, MAX_CLOCK_MS - now);
}

/** Clock modes, as `--clock` names them. */
export type ClockMode = 'real' | 'manual' | 'auto';

/** A clock a test or the control plane can move. */
export interface ControllableClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in time order. */
  advance(ms: number): Promise<void>;
  /** Number of timers not yet fired. */
  readonly pending: number;
  /** When the earliest pending timer is due, if any. */
  nextAt(): number | undefined;
}

/** Options of the manual and auto clocks. */
export interface VirtualClockOptions {
  /** Simulated time at creation (ms since the epoch). Default 2026-01-01T00:00:00Z. */
  readonly start?: number;
  /**
   * Where {@link Clock.wallNow} reads the real time, so webhook signatures verify against a
   * receiver's clock. Default `Date.now`; a test may pass a fake wall clock.
   */
  readonly wall?: () => number;
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of timers by (at, seq): a mock may hold a timer for each of 100,000 jobs. */
class TimerQueue {
  private heap: Timer[] = [];
  private seq = 0;
  private live = 0;

  add(at: number, callback: () => void): Timer {
    const timer: Timer = { at, seq: this.seq++, callback, cancelled: false };
    this.heap.push(timer);
    this.up(this.heap.length - 1);
    this.live++;
    return timer;
  }

  cancel(timer: Timer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.live--;
  }

  /** Removes and returns the earliest live timer due at or before `limit`. */
  takeDue(limit: number): Timer | undefined {
    const first = this.peek();
    if (!first || first.at > limit) return undefined;
    this.pop();
    this.live--;
    first.cancelled = true;
    return first;
  }

  peek(): Timer | undefined {
    while (this.heap[0]?.cancelled) this.pop();
    return this.heap[0];
  }

  get size(): number {
    return this.live;
  }

  private pop(): void {
    const last = this.heap.pop() as Timer;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Timer, heap[parent] as Timer)) break;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as Timer, heap[smallest] as Timer))
        smallest = left;
      if (right < heap.length && before(heap[right] as Timer, heap[smallest] as Timer))
        smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as Timer, heap[i] as Timer];
      i = smallest;
    }
  }
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      handle.cancel();
      reject(signal?.reason);
    };
    const handle = clock.schedule(clock.now() + Math.max(0, ms), () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A clock that moves only when {@link ControllableClock.advance} is called. Nothing waits on the
 * wall clock, so tests are fast and deterministic.
 *
 * @example
 * const clock = createManualClock({ start: Date.UTC(2026, 0, 1) });
 * clock.schedule(clock.now() + 90_000, () => console.log('done'));
 * await clock.advance(90_000); // prints 'done'
 */
export function createManualClock(options: VirtualClockOptions = {}): ControllableClock {
  let now = options.start ?? Date.UTC(2026, 0, 1);
  if (!(Math.abs(now) <= MAX_CLOCK_MS))
    throw new RangeError(`[reelkit] a clock must start within the Date range, got ${now}`);
  const queue = new TimerQueue();
  const clock: ControllableClock = {
    mode: 'manual',
    now: () => now,
    wallNow: options.wall ?? Date.now,
    wallTime: (at) => at,
    schedule(at, callback) {
      // A time past the Date range (or not a number) is never reached: keep it at the range's end
      // so that an auto clock, which jumps to the next timer, never leaves the range.
      const timer = queue.add(at <= MAX_CLOCK_MS ? at : MAX_CLOCK_MS, callback);
      return { cancel: () => queue.cancel(timer) };
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
    async advance(ms) {
      if (!(ms >= 0 && ms <= maxAdvanceFrom(now)))
        throw new RangeError(
          `[reelkit] advance needs a number of ms from 0 to ${maxAdvanceFrom(now)} (the clock stays within the Date range), got ${ms}`,
        );
      const target = now + ms;
      for (let timer = queue.takeDue(target); timer; timer = queue.takeDue(target)) {
        now = Math.max(now, timer.at);
        timer.callback();
        // Let promise chains woken by this timer run before the next one fires.
        await yieldToEventLoop();
      }
      now = target;
    },
    get pending() {
      return queue.size;
    },
    nextAt: () => queue.peek()?.at,
  };
  return clock;
}

/**
 * A virtual clock that never waits: whenever timers are pending it jumps to the earliest one,
 * after letting the event loop settle. A 2-minute job finishes as fast as the code runs, in a
 * deterministic order. Used by `--clock auto` and by tests that need no manual control.
 *
 * @example
 * const clock = createAutoClock();
 * await clock.sleep(120_000); // returns at once; clock.now() moved by 2 minutes
 */
export function createAutoClock(options: VirtualClockOptions = {}): ControllableClock {
  const manual = createManualClock(options);
  let draining = false;
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      // Settle twice so that work started by the last timer can schedule its own timers.
      for (let next = manual.nextAt(); next !== undefined; next = manual.nextAt()) {
        await yieldToEventLoop();
        await yieldToEventLoop();
        const due = manual.nextAt();
        if (due === undefined) break;
        await manual.advance(Math.max(0, due - manual.now()));
      }
    } finally {
      draining = false;
    }
  };
  return {
    mode: 'auto',
    now: manual.now,
    wallNow: manual.wallNow,
    wallTime: manual.wallTime,
    schedule(at, callback) {
      const handle = manual.schedule(at, callback);
      void drain();
      return handle;
    },
    sleep(ms, signal) {
      const promise = sleepOn(manual, ms, signal);
      void drain();
      return promise;
    },
    advance: manual.advance,
    get pending() {
      return manual.pending;
    },
    nextAt: manual.nextAt,
  };
}

/**
 * Wall-clock time sped up by `timeScale` (10 means a 90 s job takes 9 s). Simulated time starts at
 * the real time of creation and runs `timeScale` times faster. It can also be moved forward by hand
 * ({@link ControllableClock.advance}, `POST /__reelkit/clock/advance`): the jump adds to the
 * scaled wall clock and fires what fell due, in time order, so a tool need not wait for it.
 *
 * Timestamps in bodies and signatures stay on the wall clock ({@link Clock.wallTime}).
 *
 * @example
 * const clock = createRealClock({ timeScale: 30 });
 * await clock.sleep(90_000); // about 3 s of real time
 * await clock.advance(60_000); // a minute later at once; timers due by then fire
 * clock.wallTime(clock.now()); // ≈ Date.now(), never ahead of it
 */
export function createRealClock(
  options: {
    timeScale?: number;
    /** The wall clock to follow (tests pass a fake one). Default `Date.now`. */
    wall?: () => number;
    /**
     * When simulated time began, on the wall clock (default: now). Replicas that share a store
     * start their clocks at the namespace's epoch, so they all read the same time.
     */
    start?: number;
  } = {},
): ControllableClock {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0 && scale <= MAX_TIME_SCALE))
    throw new RangeError(
      `[reelkit] timeScale must be above 0 and at most ${MAX_TIME_SCALE}, got ${scale}`,
    );
  const wall = options.wall ?? Date.now;
  const realStart = options.start ?? wall();
  let jumped = 0;
  const now = () => realStart + (wall() - realStart) * scale + jumped;
  // One Node timer, for the earliest due callback: a mock may hold a timer for each of its jobs.
  const queue = new TimerQueue();
  let armed: { at: number; timer: ReturnType<typeof setTimeout> } | undefined;
  let firing = false;
  const fireDue = () => {
    firing = true;
    try {
      for (let timer = queue.takeDue(now()); timer; timer = queue.takeDue(now())) timer.callback();
    } finally {
      firing = false;
    }
    arm();
  };
  function arm(): void {
    if (firing) return;
    const next = queue.peek();
    if (armed && (!next || armed.at !== next.at)) {
      clearTimeout(armed.timer);
      armed = undefined;
    }
    if (!next || armed) return;
    // Node timers may fire up to a millisecond early, which the scale multiplies; fireDue takes
    // only what is really due and re-arms for the rest.
    const timer = setTimeout(
      () => {
        armed = undefined;
        fireDue();
      },
      Math.max(0, Math.ceil((next.at - now()) / scale)),
    );
    timer.unref?.();
    armed = { at: next.at, timer };
  }
  const clock: ControllableClock = {
    mode: 'real',
    now,
    wallNow: wall,
    // Simulated durations compressed back by the scale; never later than the wall clock, even
    // after the clock was advanced by hand.
    wallTime: (at) => Math.min(wall(), realStart + Math.floor((at - realStart) / scale)),
    schedule(at, callback) {
      const timer = queue.add(at, callback);
      arm();
      return {
        cancel: () => {
          queue.cancel(timer);
          arm();
        },
      };
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
    async advance(ms) {
      if (!(ms >= 0 && ms <= maxAdvanceFrom(now())))
        throw new RangeError(
          `[reelkit] advance needs a number of ms from 0 to ${maxAdvanceFrom(now())} (the clock stays within the Date range), got ${ms}`,
        );
      jumped += ms;
      const target = now();
      for (let timer = queue.takeDue(target); timer; timer = queue.takeDue(target)) {
        timer.callback();
        // Let promise chains woken by this timer run before the next one fires.
        await yieldToEventLoop();
      }
      arm();
    },
    get pending() {
      return queue.size;
    },
    nextAt: () => queue.peek()?.at,
  };
  return clock;
}

/**
 * Whether a clock can be moved by hand (every clock `createManualClock`, `createAutoClock` and
 * `createRealClock` make can; a `Clock` of your own may not).
 *
 * @example
 * if (isControllable(engine.clock)) await engine.clock.advance(60_000);
 */
export function isControllable(clock: Clock): clock is ControllableClock {
  return 'advance' in clock;
}
