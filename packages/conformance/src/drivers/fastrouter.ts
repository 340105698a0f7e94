/**
 * Driving FastRouter: submit (`createVideo`), then poll the task id on all three retrieval routes
 * (`getVideo`, `getAsyncResponse`, `getVideoResponse`). Task-family models end with
 * `fastrouter_assets.urls`; Sora models stream the MP4 from `getVideoResponse` once completed.
 * @module
 */
import { fastrouter, fastrouterSpec } from '@reelkit/spec';
import type { Reply } from '../http.js';
import {
  defaultRequestParts,
  field,
  judged,
  lowestResolution,
  otherThan,
  pickSize,
  PROMPT,
  str,
  UNKNOWN_ID,
} from './common.js';
import type { AsyncDriver, ContentSource, JobPlan, Poller, Timestamp } from './types.js';

const {
  FASTROUTER_CATALOG,
  FASTROUTER_ID_PREFIX,
  SORA_BINARY_ON_COMPLETION,
  creditsFor,
  fastrouterSoraLifecycle,
} = fastrouterSpec;

const binaryRoutes: readonly string[] = SORA_BINARY_ON_COMPLETION.routes;

function plan(entry: (typeof FASTROUTER_CATALOG)[number]): JobPlan | undefined {
  const s = entry.spec;
  if (!s.textToVideo) return undefined;
  const body: Record<string, unknown> = { model: s.id, prompt: PROMPT };
  if (s.responseStyle === 'task') {
    if (s.lengths?.length) body.length = Math.min(...s.lengths);
    if (s.resolutions?.length) body.resolution = lowestResolution(s.resolutions);
    const ratio = s.aspectRatios ? otherThan(s.aspectRatios, s.defaultAspectRatio) : undefined;
    if (ratio) body.aspectRatio = ratio;
  } else {
    if (s.seconds?.length) {
      body.seconds = [...s.seconds].sort((a, b) => Number(a) - Number(b))[0];
    }
    const size = s.sizes ? pickSize(s.sizes, s.sizes[0] ?? '') : undefined;
    if (size) body.size = size;
  }
  const expected = judged(fastrouter, body);
  if (!expected) return undefined;
  const costUsd = creditsFor(s.id, body);
  return {
    lifecycle: s.responseStyle,
    model: s.id,
    body,
    expected,
    ...(costUsd !== undefined ? { costUsd } : {}),
  };
}

const iso = (name: string, value: unknown): Timestamp[] => {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? [{ name, ms }] : [];
};

const unix = (name: string, value: unknown): Timestamp[] =>
  typeof value === 'number' && value > 0 ? [{ name, ms: value * 1000 }] : [];

const pollers: readonly Poller[] = [
  {
    routeKey: 'getVideo',
    resolves: 'task id',
    request: (job, session) => ({
      request: { method: 'GET', url: session.table.url('getVideo', { task_id: job.id }) },
    }),
  },
  {
    routeKey: 'getAsyncResponse',
    resolves: 'task id',
    // "fr_-prefixed IDs require no model" (caching docs): send the id alone when it allows.
    request: (job, session) => ({
      request: {
        method: 'POST',
        url: session.table.url('getAsyncResponse'),
        json: job.id.startsWith(FASTROUTER_ID_PREFIX)
          ? { taskId: job.id }
          : { taskId: job.id, model: job.plan.model },
      },
    }),
  },
  {
    routeKey: 'getVideoResponse',
    resolves: 'task id',
    request: (job, session) => ({
      request: {
        method: 'POST',
        url: session.table.url('getVideoResponse'),
        json: { taskId: job.id, model: job.plan.model },
      },
    }),
  },
];

/**
 * The FastRouter driver.
 *
 * @example
 * fastrouterDriver.plans().map((p) => p.lifecycle); // ['task', …, 'sora', 'sora']
 */
export const fastrouterDriver: AsyncDriver = {
  flow: 'async',
  spec: fastrouter,
  createRoute: 'createVideo',
  timestamps: Object.keys(fastrouter.lifecycles),
  plans: () => FASTROUTER_CATALOG.flatMap((e) => plan(e) ?? []),
  listedModels(routeKey, reply) {
    if (routeKey !== 'listModels' || reply.status !== 200) return undefined;
    const data = field(reply.json, 'data');
    return Array.isArray(data) ? data.flatMap((m) => str(m, 'id') ?? []) : undefined;
  },
  requestParts(routeKey, context) {
    if (routeKey === 'getVideoResponse' || routeKey === 'getAsyncResponse') {
      const taskId = context.unknownId
        ? `${FASTROUTER_ID_PREFIX}${UNKNOWN_ID}`
        : (context.job?.id ?? UNKNOWN_ID);
      return { json: { taskId, model: context.plan.model } };
    }
    return defaultRequestParts(fastrouter, 'createVideo', routeKey, context);
  },
  contentOperation: (lifecycle) =>
    lifecycle === 'sora'
      ? fastrouter.routes.getVideoResponse.operationId
      : fastrouter.routes.getVideo.operationId,
  alternateContentType: (routeKey, status) =>
    status === 200 && binaryRoutes.includes(routeKey)
      ? SORA_BINARY_ON_COMPLETION.contentType
      : undefined,
  parseSubmit(reply, jobPlan) {
    const body = reply.json;
    if (jobPlan.lifecycle === 'task') {
      const data = field(body, 'data');
      const id = str(data, 'taskId');
      if (!id) return { problem: `the submit answer has no data.taskId (status ${reply.status})` };
      const status = str(data, 'status');
      return { id, ...(status ? { status } : {}) };
    }
    const id = str(body, 'id');
    if (!id) return { problem: `the submit answer has no id (status ${reply.status})` };
    const status = str(body, 'status');
    return { id, ...(status ? { status } : {}) };
  },
  pollers: () => pollers,
  read(routeKey, reply: Reply, job) {
    if (reply.status !== 200) return { problem: `answered ${reply.status || reply.error}` };
    if (reply.contentType === SORA_BINARY_ON_COMPLETION.contentType) {
      if (!binaryRoutes.includes(routeKey) || job.plan.lifecycle !== 'sora') {
        return { problem: `answered ${reply.contentType} where a JSON status was expected` };
      }
      // "Once ready, the video response will be streamed directly": the job is complete.
      return { status: fastrouterSoraLifecycle.success };
    }
    if (job.plan.lifecycle === 'task') {
      const data = field(reply.json, 'data');
      const generations = field(data, 'generations');
      const first: unknown = Array.isArray(generations) ? generations[0] : undefined;
      const status = str(data, 'status') ?? str(first, 'status');
      const id = str(data, 'taskId');
      if (!status) return { problem: 'the answer has no data.status or generation status' };
      return {
        status,
        ...(id ? { id } : {}),
        timestamps: [
          ...iso('createdDate', field(first, 'createdDate')),
          ...iso('updatedDate', field(first, 'updatedDate')),
        ],
      };
    }
    const status = str(reply.json, 'status');
    const id = str(reply.json, 'id');
    if (!status) return { problem: 'the answer has no status' };
    return {
      status,
      ...(id ? { id } : {}),
      timestamps: [
        ...unix('created_at', field(reply.json, 'created_at')),
        ...unix('completed_at', field(reply.json, 'completed_at')),
      ],
    };
  },
  content(job, last) {
    if (job.plan.lifecycle === 'sora') {
      const reply = last.get('getVideoResponse');
      if (reply?.contentType === SORA_BINARY_ON_COMPLETION.contentType) {
        return [
          {
            kind: 'bytes',
            operationId: fastrouter.routes.getVideoResponse.operationId,
            bytes: reply.bytes,
          },
        ];
      }
      return { problem: 'getVideoResponse did not stream the finished Sora video' };
    }
    const reply = last.get('getVideo');
    const assets = field(field(reply?.json, 'fastrouter_assets'), 'urls');
    const generations = field(field(reply?.json, 'data'), 'generations');
    const urls = Array.isArray(assets)
      ? assets
      : Array.isArray(generations)
        ? generations.map((g) => str(g, 'url')).filter(Boolean)
        : [];
    if (!reply || urls.length === 0) {
      return { problem: `the finished task ${job.id} lists no fastrouter_assets.urls` };
    }
    return urls.map((u): ContentSource => ({
      kind: 'url',
      operationId: fastrouter.routes.getVideo.operationId,
      url: new URL(String(u), reply.request.url).href,
    }));
  },
};
