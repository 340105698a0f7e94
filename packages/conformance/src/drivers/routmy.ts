/**
 * Driving rout.my: one held `POST /v1/video/generations` (`createVideo`) answered with `videos[]`
 * once rendering ends (allow ~15 minutes); an error status after rendering began means `failed`.
 * @module
 */
import { routmy, routmySpec, statusWith } from '@reelkit/spec';
import {
  defaultRequestParts,
  epochMs,
  field,
  judged,
  lowestResolution,
  otherThan,
  PROMPT,
  refused,
  str,
} from './common.js';
import type { ContentSource, JobPlan, SyncDriver } from './types.js';

const { ROUTMY_ASPECT_RATIOS, ROUTMY_CATALOG, routmyLifecycle } = routmySpec;

/** How a held request ends, in the lifecycle's words. */
const SUCCEEDED = routmyLifecycle.success;
const FAILED = statusWith(routmyLifecycle, 'failed');

function plan(entry: (typeof ROUTMY_CATALOG)[number]): JobPlan | undefined {
  const { model, limits } = entry;
  const body: Record<string, unknown> = {
    model: model.id,
    prompt: PROMPT,
    duration: limits.minDuration,
    resolution: lowestResolution(limits.resolutions),
    n: 1,
  };
  const ratio = otherThan(limits.aspectRatios, limits.aspectRatios[0]);
  if (ratio) body.aspect_ratio = ratio;
  if (limits.audio) body.audio = false;
  const expected = judged(routmy, body);
  return expected ? { lifecycle: 'video', model: model.id, body, expected } : undefined;
}

/**
 * The rout.my driver. rout.my prices in quota tokens, not USD, so plans carry no `costUsd`; they
 * come cheapest first by `token_multiplier`.
 *
 * @example
 * routmyDriver.plans()[0]?.model; // 'provider/video-model-id'
 */
export const routmyDriver: SyncDriver = {
  flow: 'sync',
  spec: routmy,
  createRoute: 'createVideo',
  timestamps: ['video'],
  plans: () =>
    [...ROUTMY_CATALOG]
      .sort((a, b) => a.model.token_multiplier - b.model.token_multiplier)
      .flatMap((e) => plan(e) ?? []),
  listedModels(routeKey, reply) {
    if (routeKey !== 'listModels' || reply.status !== 200) return undefined;
    const data = field(reply.json, 'data');
    return Array.isArray(data)
      ? data.filter((m) => field(m, 'is_available') !== false).flatMap((m) => str(m, 'id') ?? [])
      : undefined;
  },
  outOfSet(jobPlan) {
    const entry = ROUTMY_CATALOG.find((e) => e.model.id === jobPlan.model);
    const offered = entry?.limits.aspectRatios ?? [];
    const candidates = [...ROUTMY_ASPECT_RATIOS, '21:9', '9:21', '3:2', '2:3', '5:4', '4:5'];
    const value = candidates.find(
      (r) => !offered.includes(r) && refused(routmy, { ...jobPlan.body, aspect_ratio: r }),
    );
    if (!value) return undefined;
    return { field: 'aspect_ratio', value, expected: `one of ${offered.join(', ')}` };
  },
  requestParts: (routeKey, context) =>
    defaultRequestParts(routmy, 'createVideo', routeKey, context),
  contentOperation: () => routmy.routes.createVideo.operationId,
  readOutcome(reply) {
    if (reply.status >= 500) return { status: FAILED };
    if (reply.status !== 200) return {};
    const created = field(reply.json, 'created');
    return {
      status: SUCCEEDED,
      ...(typeof created === 'number'
        ? { timestamps: [{ name: 'created', ms: epochMs(created) }] }
        : {}),
    };
  },
  content(reply) {
    const videos = field(reply.json, 'videos');
    if (!Array.isArray(videos) || videos.length === 0)
      return { problem: 'the answer has no videos[]' };
    const operationId = routmy.routes.createVideo.operationId;
    const sources: ContentSource[] = [];
    for (const video of videos) {
      const url = str(video, 'url');
      if (!url) return { problem: 'a videos[] item has no url' };
      sources.push({ kind: 'url', operationId, url: new URL(url, reply.request.url).href });
    }
    return sources;
  },
};
