/**
 * Driving ImageRouter: one held `POST` (`createVideo`) that answers HTTP 200 at once, writes
 * whitespace while the video renders, then `{created, data, latency, cost}` or an error body.
 * @module
 */
import { imagerouter, imagerouterSpec, statusWith } from '@reelkit/spec';
import { defaultRequestParts, epochMs, field, judged, pickSize, PROMPT, str } from './common.js';
import type { ContentSource, JobPlan, SyncDriver } from './types.js';

const { findEntry, imagerouterLifecycle, priceOf } = imagerouterSpec;

/** How a held request ends, in the lifecycle's words. */
const SUCCEEDED = imagerouterLifecycle.success;
const FAILED = statusWith(imagerouterLifecycle, 'failed');

function plan(model: (typeof imagerouter.models)[number]): JobPlan | undefined {
  const entry = findEntry(model.id);
  const body: Record<string, unknown> = { model: model.id, prompt: PROMPT, response_format: 'url' };
  if (model.durations?.length) body.seconds = Math.min(...model.durations);
  const isTest = entry?.model.providers[0]?.id === 'test';
  const size = model.sizes && !isTest ? pickSize(model.sizes, model.defaultSize) : undefined;
  if (size) body.size = size;
  const expected = judged(imagerouter, body);
  if (!expected) return undefined;
  const costUsd = priceOf(model.id, expected.durationSeconds);
  return {
    lifecycle: 'video',
    model: model.id,
    body,
    expected,
    ...(costUsd !== undefined ? { costUsd } : {}),
  };
}

function decodeBase64(value: string): Uint8Array {
  const comma = value.startsWith('data:') ? value.indexOf(',') : -1;
  return new Uint8Array(Buffer.from(comma >= 0 ? value.slice(comma + 1) : value, 'base64'));
}

/**
 * The ImageRouter driver.
 *
 * @example
 * imagerouterDriver.plans().find((p) => p.costUsd === 0)?.model; // 'ir/test-video'
 */
export const imagerouterDriver: SyncDriver = {
  flow: 'sync',
  spec: imagerouter,
  createRoute: 'createVideo',
  timestamps: ['video'],
  plans: () => imagerouter.models.flatMap((m) => plan(m) ?? []),
  listedModels(routeKey, reply) {
    if (reply.status !== 200) return undefined;
    if (routeKey === 'listModelsV2' && Array.isArray(reply.json)) {
      return reply.json.flatMap((m) => str(m, 'id') ?? []);
    }
    if (routeKey === 'listModelsV1' && reply.json && typeof reply.json === 'object') {
      return Object.keys(reply.json);
    }
    return undefined;
  },
  requestParts: (routeKey, context) =>
    defaultRequestParts(imagerouter, 'createVideo', routeKey, context),
  contentOperation: () => imagerouter.routes.createVideo.operationId,
  readOutcome(reply) {
    if (reply.status !== 200) return {};
    if (!reply.isJson) return { problem: 'the HTTP 200 body is not JSON' };
    const created = field(reply.json, 'created');
    if (Array.isArray(field(reply.json, 'data'))) {
      return {
        status: SUCCEEDED,
        ...(typeof created === 'number'
          ? { timestamps: [{ name: 'created', ms: epochMs(created) }] }
          : {}),
      };
    }
    if (field(reply.json, 'error') !== undefined) return { status: FAILED };
    return { problem: 'the HTTP 200 body has neither data nor error' };
  },
  content(reply) {
    const data = field(reply.json, 'data');
    if (!Array.isArray(data) || data.length === 0) return { problem: 'the answer has no data[]' };
    const operationId = imagerouter.routes.createVideo.operationId;
    const sources: ContentSource[] = [];
    for (const item of data) {
      const url = str(item, 'url');
      const b64 = str(item, 'b64_json');
      if (url)
        sources.push({ kind: 'url', operationId, url: new URL(url, reply.request.url).href });
      else if (b64) sources.push({ kind: 'bytes', operationId, bytes: decodeBase64(b64) });
      else return { problem: 'a data[] item has neither url nor b64_json' };
    }
    return sources;
  },
};
