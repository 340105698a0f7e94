/**
 * How long upstream models take when more than one router serves them with the same estimate:
 * each profile is written here once, and a router's timing table picks the ones it serves with
 * {@link upstreamTimingFor}. A router whose own numbers differ for a model keeps its own entry.
 * @module
 */
import type { TimingProfile } from '../router.js';

/**
 * Queue and render time of upstream models, by model id (provisional: no router publishes
 * numbers; Veo ≈ 1–2 min, Sora 2 Pro several minutes at OpenAI).
 *
 * @example
 * UPSTREAM_TIMING['google/veo-3.1'].renderMs; // [60_000, 120_000]
 */
export const UPSTREAM_TIMING = {
  'google/veo-3.1': { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] },
  'google/veo-3.1-fast': { queueMs: [3_000, 10_000], renderMs: [30_000, 60_000] },
  'openai/sora-2': { queueMs: [10_000, 30_000], renderMs: [60_000, 150_000] },
  'openai/sora-2-pro': { queueMs: [10_000, 30_000], renderMs: [120_000, 300_000] },
} as const satisfies Readonly<Record<string, TimingProfile>>;

/**
 * The shared profiles of the models a router serves.
 *
 * @example
 * upstreamTimingFor(['google/veo-3.1', 'acme/own-model']); // { 'google/veo-3.1': { ... } }
 */
export function upstreamTimingFor(
  modelIds: readonly string[],
): Readonly<Record<string, TimingProfile>> {
  const table: Readonly<Record<string, TimingProfile>> = UPSTREAM_TIMING;
  const picked: Record<string, TimingProfile> = {};
  for (const id of modelIds) {
    const profile = Object.hasOwn(table, id) ? table[id] : undefined;
    if (profile) picked[id] = profile;
  }
  return picked;
}
