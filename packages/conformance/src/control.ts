/**
 * The kit's use of the reelkit control plane (`/__reelkit/`): read and move the target's clock,
 * list its scenarios, and set its webhook settings. Every call sends `Content-Type:
 * application/json` and, when the target has one, the control token (`X-Reelkit-Control-Token`).
 * On a live target time is the wall clock and passes by waiting.
 * @module
 */
import type { Target, TargetClockMode } from './target.js';

/**
 * The header that carries the control token on every control-plane call.
 *
 * @example
 * fetch(`${origin}/__reelkit/health`, { headers: { [CONTROL_TOKEN_HEADER]: token } });
 */
export const CONTROL_TOKEN_HEADER = 'x-reelkit-control-token';

/** How target time moved during a run, as reports tell it. */
export interface TimeMovement {
  /** The target's clock: a mock's `manual`, `auto` or `real` (scaled) clock, or `wall` (live). */
  readonly clock: TargetClockMode | 'wall';
  /** How the kit let target time pass: by advancing the clock, by waiting, both, or not at all. */
  readonly moved: 'advanced' | 'waited' | 'both' | 'none';
  /** Target time the kit moved the clock by on the control plane, ms. */
  readonly advancedMs: number;
  /** `POST /__reelkit/clock/advance` calls. */
  readonly advances: number;
  /** Real time the kit slept for target time to pass, ms. */
  readonly waitedMs: number;
  /** How many times faster than life a real-clock mock ran, as readings showed (rounded). */
  readonly timeScale?: number;
  /** Why the kit waited where it meant to advance (the control plane refused). */
  readonly fallback?: string;
  /** Advances after which the clock had moved less than asked. */
  readonly shortfalls: readonly ClockShortfall[];
}

/** An advance after which the target's clock had moved less than asked. */
export interface ClockShortfall {
  readonly askedMs: number;
  readonly movedMs: number;
  /** The clock before (the kit's last reading) and after (the advance's answer), ms. */
  readonly before: number;
  readonly after: number;
}

/** Time as the target sees it. */
export interface TargetClock {
  /** Whether time can be moved without waiting (a mock whose control plane advances its clock). */
  readonly canAdvance: boolean;
  /** The target's time in ms since the epoch (the mock's clock, or the wall clock). */
  now(): Promise<number>;
  /**
   * Lets `ms` of target time pass: advances a mock's clock on its control plane (falling back to
   * waiting on a real-clock mock that refuses); on a live target waits `ms`.
   */
  pass(ms: number): Promise<void>;
  /** How time moved so far. */
  movement(): TimeMovement;
}

/** Options of {@link createTargetClock}. */
export interface TargetClockOptions {
  /**
   * Real wait per step on a mock with a real clock before its speed is known, in ms. Default 100.
   * Once two readings show how fast the mock's clock runs, steps wait the matching real time.
   */
  readonly realStepMs?: number;
}

/**
 * A control-plane call that was answered with an error status (or a body that is not JSON).
 *
 * @example
 * try {
 *   await controlCall(target, 'clock/advance', { method: 'POST', body: '{"ms":1000}' });
 * } catch (error) {
 *   if (error instanceof ControlPlaneError && error.status === 409) console.log('cannot advance');
 * }
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Longest control-plane answer read, in bytes (a hostile target must not grow memory). */
const CONTROL_BODY_LIMIT = 1_000_000;

/** The body as text, reading at most `limit` bytes and dropping the rest of the stream. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, limit));
}

/**
 * Calls the target's control plane and parses its JSON answer; throws a
 * {@link ControlPlaneError} on an error status.
 *
 * @example
 * await controlCall(target, 'clock/advance', { method: 'POST', body: JSON.stringify({ ms: 5000 }) });
 */
export async function controlCall(
  target: Target,
  path: string,
  init: { readonly method?: string; readonly body?: string } = {},
): Promise<unknown> {
  const method = init.method ?? 'GET';
  const response = await target.fetch(`${target.controlOrigin}/__reelkit/${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(target.controlToken ? { [CONTROL_TOKEN_HEADER]: target.controlToken } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await readLimited(response, CONTROL_BODY_LIMIT);
  if (!response.ok) {
    const hint =
      response.status === 401 || response.status === 403
        ? '; pass the mock’s control token (controlToken, --control-token or REELKIT_CONTROL_TOKEN)'
        : '';
    throw new ControlPlaneError(
      `[reelkit/conformance] control plane ${method} /__reelkit/${path} answered ${response.status}: ${text.slice(0, 300)}${hint}`,
      response.status,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlPlaneError(
      `[reelkit/conformance] control plane ${method} /__reelkit/${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 100)}`,
      response.status,
    );
  }
}

/**
 * The clock of a target.
 *
 * @example
 * const clock = createTargetClock(target);
 * await clock.pass(15_000); // a mock's clock moves 15 s at once
 * clock.movement(); // { clock: 'manual', moved: 'advanced', advancedMs: 15000, advances: 1, … }
 */
export function createTargetClock(target: Target, options: TargetClockOptions = {}): TargetClock {
  // Every clock of a reelkit mock moves on its control plane; one that refuses (an older mock's
  // real clock) is waited for instead.
  let advanceable = target.controllable && target.clock !== undefined;
  const realStep = options.realStepMs ?? 100;
  let fallback: string | undefined;
  let advancedMs = 0;
  let advances = 0;
  let waitedMs = 0;
  const shortfalls: ClockShortfall[] = [];
  // The last reading of the target's clock; a manual clock moves only when the kit advances it,
  // so that reading stays true.
  let last: number | undefined;
  // A real clock runs `scale` times faster than the wall clock (`--time-scale`); learnt from readings.
  let sample: { real: number; target: number } | undefined;
  let scale: number | undefined;
  const remember = (body: unknown, reading: 'read' | 'advanced'): number => {
    const now = (body as { now?: unknown }).now;
    const value = typeof now === 'number' ? now : Date.now();
    last = value;
    const real = Date.now();
    // A jump breaks the line from which speed is measured: start it again after one.
    if (reading === 'advanced') sample = undefined;
    else if (target.clock === 'real') {
      if (sample && real - sample.real >= 50 && value > sample.target) {
        scale = (value - sample.target) / (real - sample.real);
      }
      if (!sample || real - sample.real >= 50) sample = { real, target: value };
    }
    return value;
  };
  const wait = async (ms: number) => {
    const real = target.controllable
      ? scale
        ? Math.min(ms, Math.max(10, ms / scale))
        : Math.min(ms, realStep)
      : ms;
    await sleep(real);
    waitedMs += real;
  };
  return {
    get canAdvance() {
      return advanceable;
    },
    async now() {
      if (!target.controllable) return Date.now();
      if (target.clock === 'manual' && last !== undefined) return last;
      return remember(await controlCall(target, 'clock'), 'read');
    },
    async pass(ms) {
      if (ms <= 0) return;
      if (advanceable) {
        const before = last;
        const asked = Math.round(ms);
        try {
          const after = remember(
            await controlCall(target, 'clock/advance', {
              method: 'POST',
              body: JSON.stringify({ ms: asked }),
            }),
            'advanced',
          );
          advances++;
          advancedMs += asked;
          // Time never goes back, so the clock must have moved at least as far as asked.
          if (before !== undefined && after - before < asked - 1) {
            shortfalls.push({ askedMs: asked, movedMs: after - before, before, after });
          }
          return;
        } catch (error) {
          // A manual clock moves only on the control plane: nothing else can help.
          if (target.clock !== 'real' || !(error instanceof ControlPlaneError)) throw error;
          advanceable = false;
          fallback = `${error.message.replace('[reelkit/conformance] ', '')}; the kit waited instead`;
        }
      }
      await wait(ms);
    },
    movement() {
      const moved =
        advances > 0 && waitedMs > 0
          ? 'both'
          : advances > 0
            ? 'advanced'
            : waitedMs > 0
              ? 'waited'
              : 'none';
      return {
        clock: target.controllable ? (target.clock ?? 'real') : 'wall',
        moved,
        advancedMs,
        advances,
        waitedMs: Math.round(waitedMs),
        ...(scale ? { timeScale: Math.round(scale) } : {}),
        ...(fallback ? { fallback } : {}),
        shortfalls: [...shortfalls],
      };
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
  const body = (await controlCall(target, 'scenarios')) as { scenarios?: { name?: unknown }[] };
  return (body.scenarios ?? [])
    .map((s) => s.name)
    .filter((name): name is string => typeof name === 'string');
}

/** A mock's webhook settings (`/__reelkit/webhooks/settings`); the secret itself is never shown. */
export interface MockWebhookSettings {
  readonly signed: boolean;
  readonly allowHttpCallbacks: boolean;
  readonly defaultCallbackUrl: string | null;
}

/**
 * Reads (no `change`) or changes a mock's webhook settings.
 *
 * @example
 * await webhookSettings(target, { secret: 'whsec_…', allowHttpCallbacks: true });
 * // { signed: true, allowHttpCallbacks: true, defaultCallbackUrl: null }
 */
export async function webhookSettings(
  target: Target,
  change?: {
    readonly secret?: string | null;
    readonly allowHttpCallbacks?: boolean;
  },
): Promise<MockWebhookSettings> {
  const body = (await controlCall(
    target,
    'webhooks/settings',
    change ? { method: 'PUT', body: JSON.stringify(change) } : {},
  )) as Partial<MockWebhookSettings>;
  return {
    signed: body.signed === true,
    allowHttpCallbacks: body.allowHttpCallbacks === true,
    defaultCallbackUrl:
      typeof body.defaultCallbackUrl === 'string' ? body.defaultCallbackUrl : null,
  };
}
