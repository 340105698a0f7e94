/**
 * The kit drives a reelkit mock's clock on its control plane instead of waiting; this check holds
 * the mock to it: every `POST /__reelkit/clock/advance` moved the clock at least as far as asked.
 * Otherwise jobs would look slower than their plan and the report's account of time would be false.
 * @module
 */
import type { ClockShortfall } from '../control.js';
import { toCurl } from '../http.js';
import type { Exchange } from '../report.js';
import type { CheckDef, PlanContext, PlanPart, Probe } from './types.js';
import { fail, pass, skip } from './types.js';

/**
 * The key of the probe after which time is judged (it runs last and sends nothing).
 *
 * @example
 * checks.filter((c) => c.probes.includes(CLOCK_PROBE));
 */
export const CLOCK_PROBE = 'clock';

/**
 * The operation id the control-plane checks are grouped under.
 *
 * @example
 * report.results.filter((r) => r.operationId === CONTROL_PLANE_OPERATION);
 */
export const CONTROL_PLANE_OPERATION = 'controlPlane';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

function exchangeOf(origin: string, shortfall: ClockShortfall): Exchange {
  const url = `${origin}/__reelkit/clock/advance`;
  const headers = { 'content-type': 'application/json' };
  const body = JSON.stringify({ ms: shortfall.askedMs });
  return {
    request: {
      method: 'POST',
      url,
      headers,
      body,
      curl: toCurl({ method: 'POST', url, headers, body }),
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        now: shortfall.after,
        time: new Date(shortfall.after).toISOString(),
      }),
      durationMs: 0,
    },
  };
}

/**
 * The clock check and its (empty, last) probe.
 *
 * @example
 * clockChecks(ctx).checks[0]?.id; // 'controlPlane: the clock moves as far as it is advanced'
 */
export function clockChecks(ctx: PlanContext): PlanPart {
  const probe: Probe = { key: CLOCK_PROBE, run: () => Promise.resolve(undefined) };
  const check: CheckDef = {
    id: `${CONTROL_PLANE_OPERATION}: the clock moves as far as it is advanced`,
    operationId: CONTROL_PLANE_OPERATION,
    check: 'clock',
    rule: 'POST /__reelkit/clock/advance with {"ms": n} moves the target clock by at least n ms (the answer\'s now is at least the last reading plus n), on manual, auto and real clocks alike: the kit moves time with it instead of waiting; source: reelkit control plane (README "Control plane").',
    probes: [CLOCK_PROBE],
    ...(ctx.target.controllable
      ? {}
      : {
          unavailable:
            'needs the reelkit control plane: on a live target time passes by waiting (the report says how long)',
        }),
    judge(state) {
      const movement = state.clock.movement();
      const [first] = movement.shortfalls;
      if (first) {
        return fail(
          `${movement.shortfalls.length} of ${movement.advances} advance(s) moved the ${movement.clock} clock less than asked; the first asked ${seconds(first.askedMs)} and the clock moved ${seconds(first.movedMs)} (from ${new Date(first.before).toISOString()} to ${new Date(first.after).toISOString()})`,
          movement.shortfalls.slice(0, 3).map((s) => exchangeOf(state.target.controlOrigin, s)),
        );
      }
      if (movement.advances === 0) {
        return skip(movement.fallback ?? 'the kit never needed to move the clock in this run');
      }
      return pass(
        `${movement.advances} advance(s) moved the mock's ${movement.clock} clock ${seconds(movement.advancedMs)} in all, each as far as asked`,
      );
    },
  };
  return { probes: [probe], checks: [check] };
}
