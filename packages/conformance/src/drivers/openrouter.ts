/**
 * Driving OpenRouter: submit (`createVideo`), poll the `polling_url` (`getVideo`), download the
 * `unsigned_urls` (`getVideoContent`) with the key; webhooks to `callback_url`.
 * @module
 */
import { openrouter, openrouterSpec, resolutionOf } from '@reelkit/spec';
import type { Reply } from '../http.js';
import {
  defaultRequestParts,
  field,
  judged,
  lowestResolution,
  pickSize,
  PROMPT,
  str,
} from './common.js';
import type { AsyncDriver, ContentSource, JobPlan } from './types.js';

const { OPENROUTER_CATALOG, pricePerSecond } = openrouterSpec;

function plan(model: (typeof openrouter.models)[number]): JobPlan | undefined {
  const body: Record<string, unknown> = { model: model.id, prompt: PROMPT };
  if (model.durations?.length) body.duration = Math.min(...model.durations);
  const size = model.sizes ? pickSize(model.sizes, model.defaultSize) : undefined;
  if (size) body.size = size;
  else if (model.resolutions) body.resolution = lowestResolution(model.resolutions);
  if (model.audio === true) body.generate_audio = false;
  const expected = judged(openrouter, body);
  if (!expected) return undefined;
  const entry = OPENROUTER_CATALOG.find((e) => e.model.id === model.id);
  const rate = entry
    ? pricePerSecond(entry.model, { audio: false, resolution: resolutionOf(expected) })
    : undefined;
  return {
    lifecycle: 'video',
    model: model.id,
    body,
    expected,
    ...(rate !== undefined ? { costUsd: rate * expected.durationSeconds * expected.count } : {}),
  };
}

/**
 * The OpenRouter driver.
 *
 * @example
 * openrouterDriver.plans()[0]?.body; // { model: 'google/veo-3.1', prompt: '…', duration: 4, size: '720x1280', … }
 */
export const openrouterDriver: AsyncDriver = {
  flow: 'async',
  spec: openrouter,
  createRoute: 'createVideo',
  webhooks: { callbackField: 'callback_url' },
  plans: () => openrouter.models.flatMap((m) => plan(m) ?? []),
  listedModels(routeKey, reply) {
    if (routeKey !== 'listModels' || reply.status !== 200) return undefined;
    const data = field(reply.json, 'data');
    return Array.isArray(data) ? data.flatMap((m) => str(m, 'id') ?? []) : undefined;
  },
  requestParts: (routeKey, context) =>
    defaultRequestParts(openrouter, 'createVideo', routeKey, context),
  contentOperation: () => openrouter.routes.getVideoContent.operationId,
  parseSubmit(reply) {
    const id = str(reply.json, 'id');
    if (!id) return { problem: `the submit answer has no job id (status ${reply.status})` };
    const status = str(reply.json, 'status');
    const pollingUrl = str(reply.json, 'polling_url');
    return { id, ...(status ? { status } : {}), ...(pollingUrl ? { pollingUrl } : {}) };
  },
  pollers: () => [
    {
      routeKey: 'getVideo',
      resolves: 'polling URL',
      request(job, session) {
        const byRoute = { method: 'GET', url: session.table.url('getVideo', { jobId: job.id }) };
        if (!job.pollingUrl) {
          return { request: byRoute, problem: 'the submit answer carries no polling_url' };
        }
        let url: URL;
        try {
          url = new URL(job.pollingUrl, byRoute.url);
        } catch {
          return { request: byRoute, problem: `polling_url '${job.pollingUrl}' is not a URL` };
        }
        const match = session.table.match('GET', url.href);
        if (match?.key !== 'getVideo' || match.params.jobId !== job.id) {
          return {
            request: byRoute,
            problem: `polling_url '${job.pollingUrl}' does not address GET ${openrouter.basePath}${openrouter.routes.getVideo.path} of job ${job.id} on the target; polled ${byRoute.url} instead`,
          };
        }
        return { request: { method: 'GET', url: url.href } };
      },
    },
  ],
  read(_routeKey, reply: Reply) {
    if (reply.status !== 200) return { problem: `answered ${reply.status || reply.error}` };
    const status = str(reply.json, 'status');
    const id = str(reply.json, 'id');
    if (!status) return { problem: 'the answer has no status' };
    return { status, ...(id ? { id } : {}) };
  },
  content(job, last) {
    const reply = last.get('getVideo');
    const urls = field(reply?.json, 'unsigned_urls');
    if (!reply || !Array.isArray(urls) || urls.length === 0) {
      return { problem: `the completed job ${job.id} lists no unsigned_urls` };
    }
    const operationId = openrouter.routes.getVideoContent.operationId;
    return urls.map((u): ContentSource => ({
      kind: 'url',
      operationId,
      url: new URL(String(u), reply.request.url).href,
    }));
  },
};
