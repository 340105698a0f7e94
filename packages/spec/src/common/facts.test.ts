import { describe, expect, it } from 'vitest';
import { declaredStatuses } from '../define.js';
import { fastrouter } from '../providers/fastrouter/index.js';
import { imagerouter } from '../providers/imagerouter/index.js';
import { routmy } from '../providers/routmy/index.js';
import { ERROR_KINDS } from '../router.js';
import type { TimingProfile } from '../router.js';
import { UPSTREAM_TIMING, upstreamTimingFor } from './timing.js';

const routers = [imagerouter, fastrouter, routmy];

const isRange = ([min, max]: readonly [number, number]) => min >= 0 && min <= max;
const isProfile = (profile: TimingProfile) => isRange(profile.queueMs) && isRange(profile.renderMs);

describe.each(routers)('$title facts', (router) => {
  const { facts } = router;
  const modelIds = router.models.map((m) => m.id);

  it('answer every error kind with a status one of its routes declares', () => {
    const declared = new Set(Object.values(router.routes).flatMap(declaredStatuses));
    const undeclared = ERROR_KINDS.filter((kind) => !declared.has(facts.errors[kind].status));
    expect(undeclared).toEqual([]);
  });

  it('time only models of the catalog, with ranges that go from low to high', () => {
    const strangers = Object.keys(facts.timing.byModel ?? {}).filter(
      (id) => !modelIds.includes(id),
    );
    expect(strangers).toEqual([]);
    const profiles = [facts.timing.default, ...Object.values(facts.timing.byModel ?? {})];
    expect(profiles.filter((p) => !isProfile(p))).toEqual([]);
  });

  it('time every served model that has a shared estimate (with it, or with their own)', () => {
    for (const id of modelIds.filter((m) => Object.hasOwn(UPSTREAM_TIMING, m))) {
      expect(facts.timing.byModel).toHaveProperty([id]);
    }
  });

  it('keep finished jobs for a positive time', () => {
    expect(facts.jobTtlMs).toBeGreaterThan(0);
  });
});

describe('upstreamTimingFor', () => {
  it('picks the shared profiles of the models given, and nothing else', () => {
    expect(upstreamTimingFor(['google/veo-3.1', 'acme/own-model'])).toEqual({
      'google/veo-3.1': UPSTREAM_TIMING['google/veo-3.1'],
    });
    expect(upstreamTimingFor(['toString', 'constructor'])).toEqual({});
  });
});

describe("FastRouter's poll cadence", () => {
  it('grows from its first wait to its longest', () => {
    const cadence = fastrouter.facts.pollCadence;
    expect(cadence).toBeDefined();
    if (!cadence) return;
    expect(cadence.initialMs).toBeGreaterThan(0);
    expect(cadence.maxMs).toBeGreaterThanOrEqual(cadence.initialMs);
    expect(cadence.factor).toBeGreaterThanOrEqual(1);
    expect(cadence.jitter).toBeGreaterThanOrEqual(0);
    expect(cadence.jitter).toBeLessThan(1);
  });
});
