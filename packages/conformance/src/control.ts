/**
 * The kit's use of the reelkit control plane (`/__reelkit/`): read and move the target's clock and
 * list its scenarios. On a live target time is the wall clock and passes by waiting.
 * @module
 */
import type { Target } from './target.js';

/** Time as the target sees it. */
export interface TargetClock {
  /** Whether time can be moved without waiting (a mock on a manual or auto clock). */
  readonly canAdvance: boolean;
  /** The target's time in ms since the epoch (the mock's clock, or the wall clock). */
  now(): Promise<number>;
  /**
   * Lets `ms` of target time pass: advances a manual or auto clock at once; on a mock with a real
   * clock waits briefly (it runs faster than life); on a live target waits `ms`.
   */
  pass(ms: number): Promise<void>;
}

/** Options of {@link createTargetClock}. */
export interface TargetClockOptions {
  /**
   * Real wait per step on a mock with a real clock before its speed is known, in ms. Default 100.
   * Once two readings show how fast the mock's clock runs, steps wait the matching real time.
   */
  readonly realStepMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function control(target: Target, path: string, init?: RequestInit): Promise<unknown> {
  const response = await target.fetch(`${target.controlOrigin}/__reelkit/${path}`, {
    ...init,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `[reelkit/conformance] control plane ${init?.method ?? 'GET'} /__reelkit/${path} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as unknown;
}

/**
 * The clock of a target.
 *
 * @example
 * const clock = createTargetClock(target);
 * await clock.pass(15_000); // a manual-clock mock moves 15 s at once
 */
export function createTargetClock(target: Target, options: TargetClockOptions = {}): TargetClock {
  const canAdvance = target.controllable && (target.clock === 'manual' || target.clock === 'auto');
  const realStep = options.realStepMs ?? 100;
  // A manual clock moves only when the kit advances it, so its last reading stays true.
  let known: number | undefined;
  // A real clock runs `scale` times faster than the wall clock (`--time-scale`); learnt from readings.
  let sample: { real: number; target: number } | undefined;
  let scale: number | undefined;
  const remember = (body: unknown): number => {
    const now = (body as { now?: unknown }).now;
    const value = typeof now === 'number' ? now : Date.now();
    if (target.clock === 'manual') known = value;
    const real = Date.now();
    if (sample && real - sample.real >= 50 && value > sample.target) {
      scale = (value - sample.target) / (real - sample.real);
    }
    if (!sample || real - sample.real >= 50) sample = { real, target: value };
    return value;
  };
  return {
    canAdvance,
    async now() {
      if (!target.controllable) return Date.now();
      return known ?? remember(await control(target, 'clock'));
    },
    async pass(ms) {
      if (ms <= 0) return;
      if (canAdvance) {
        remember(
          await control(target, 'clock/advance', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ms: Math.round(ms) }),
          }),
        );
      } else if (target.controllable) {
        await sleep(scale ? Math.min(ms, Math.max(10, ms / scale)) : Math.min(ms, realStep));
      } else {
        await sleep(ms);
      }
    },
  };
}

/**
 * The scenario names a controllable target lists (`GET /__reelkit/scenarios`).
 *
 * @example
 * await listScenarios(target); // ['success', 'slow', 'failed', ...]
 */
export async function listScenarios(target: Target): Promise<string[]> {
  if (!target.controllable) return [];
  const body = (await control(target, 'scenarios')) as { scenarios?: { name?: unknown }[] };
  return (body.scenarios ?? [])
    .map((s) => s.name)
    .filter((name): name is string => typeof name === 'string');
}
