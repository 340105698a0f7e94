/**
 * Driving OpenRouter: the generic asynchronous-job driver on its `facts.job` (submit
 * `createVideo`, poll the `polling_url`, download the `unsigned_urls`; webhooks to
 * `callback_url`), plus its quirks: a price per plan and silent audio, and its model listing.
 * @module
 */
import { openrouter, openrouterSpec, resolutionOf } from '@reelkit/spec';
import { asyncJobDriver, defaultPlan } from './async-job.js';
import { field, str } from './common.js';
import type { AsyncDriver, JobPlan } from './types.js';

const { OPENROUTER_CATALOG, pricePerSecond } = openrouterSpec;

function plan(model: (typeof openrouter.models)[number]): JobPlan | undefined {
  // Audio off where a model makes it: cheaper to check.
  const base = defaultPlan(
    openrouter,
    model,
    model.audio === true ? { generate_audio: false } : {},
  );
  if (!base) return undefined;
  const entry = OPENROUTER_CATALOG.find((e) => e.model.id === model.id);
  const rate = entry
    ? pricePerSecond(entry.model, { audio: false, resolution: resolutionOf(base.expected) })
    : undefined;
  const { expected } = base;
  return {
    ...base,
    ...(rate !== undefined ? { costUsd: rate * expected.durationSeconds * expected.count } : {}),
  };
}

/**
 * The OpenRouter driver.
 *
 * @example
 * openrouterDriver.plans()[0]?.body; // { model: 'google/veo-3.1', prompt: '…', duration: 4, size: '720x1280', … }
 */
export const openrouterDriver: AsyncDriver = asyncJobDriver(openrouter, {
  plan,
  listedModels(routeKey, reply) {
    if (routeKey !== 'listModels' || reply.status !== 200) return undefined;
    const data = field(reply.json, 'data');
    return Array.isArray(data) ? data.flatMap((m) => str(m, 'id') ?? []) : undefined;
  },
});
