/**
 * The first probe of every run: call each read-only route once (with and without a key where the
 * key is optional), learn which models the target lists, and choose the model of each lifecycle.
 * @module
 */
import type { Probe } from '../checks/types.js';
import { pathParams } from '../drivers/common.js';
import type { JobPlan } from '../drivers/types.js';
import type { RunState } from './state.js';

/**
 * The key of the sweep probe.
 *
 * @example
 * probes[0]?.key === SWEEP_PROBE; // true: the sweep runs first
 */
export const SWEEP_PROBE = 'sweep';

/**
 * Orders plans cheapest first (unknown prices last). On a controllable target spending is
 * simulated, so free test models go last: a paid model exercises the real rendering path.
 *
 * @example
 * orderPlans(plans, { preferPaid: false })[0]?.costUsd; // 0 (a free model, on a live target)
 */
export function orderPlans(plans: readonly JobPlan[], options: { preferPaid: boolean }): JobPlan[] {
  const price = (p: JobPlan) => p.costUsd ?? Infinity;
  const sorted = [...plans].sort((a, b) => price(a) - price(b));
  if (!options.preferPaid) return sorted;
  return [...sorted.filter((p) => p.costUsd !== 0), ...sorted.filter((p) => p.costUsd === 0)];
}

/**
 * Picks the first plan of each lifecycle, in the spec's lifecycle order.
 *
 * @example
 * choosePlans(state, new Set(['google/veo-3.1-lite']));
 * state.plans.get('video')?.model; // 'google/veo-3.1-lite'
 */
export function choosePlans(state: RunState, listed: ReadonlySet<string> | undefined): void {
  const candidates = orderPlans(
    state.driver.plans().filter((p) => !listed || listed.has(p.model)),
    { preferPaid: state.target.controllable },
  );
  const chosen = new Map<string, JobPlan>();
  for (const lifecycle of Object.keys(state.spec.lifecycles)) {
    const plan = candidates.find((p) => p.lifecycle === lifecycle);
    if (plan) chosen.set(lifecycle, plan);
  }
  state.plans = chosen;
}

/**
 * The sweep probe.
 *
 * @example
 * await sweepProbe.run(state); // GET /videos/models …; state.plans is set
 */
export const sweepProbe: Probe = {
  key: SWEEP_PROBE,
  always: true,
  async run(state) {
    const { spec, driver, session } = state;
    const listed = new Set<string>();
    let listing = false;
    const withModel: string[] = [];
    for (const [key, route] of Object.entries(spec.routes)) {
      if (route.method !== 'GET' || route.body) continue;
      const params = pathParams(route);
      if (params.length > 0) {
        if (params.every((p) => /model/i.test(p))) withModel.push(key);
        continue;
      }
      const replies = [];
      if (route.auth !== 'none') replies.push(await session.call(key));
      if (route.auth !== 'bearer') replies.push(await session.call(key, { auth: 'none' }));
      for (const reply of replies) {
        const ids = driver.listedModels(key, reply);
        if (!ids) continue;
        listing = true;
        for (const id of ids) listed.add(id);
      }
    }
    choosePlans(state, listing ? listed : undefined);
    const plan = state.plans.values().next().value;
    if (plan) {
      for (const key of withModel) {
        const parts = driver.requestParts(key, { plan });
        if (parts) await session.call(key, parts);
      }
    }
    return undefined;
  },
};
