/**
 * The generic driver of a plain asynchronous router, read from its `facts.job`: submit on the
 * submit route, poll the polling URL the answer carries (or the poll route by id), read id and
 * status from the declared fields, download the declared video URLs. OpenRouter and routers
 * declared with `defineRouter` use it; a router adds only what its facts cannot say (prices).
 * @module
 */
import type { AsyncJobDef, ModelCapabilities, RouterSpec } from '@reelkit/spec';
import { readField } from '@reelkit/spec';
import type { Reply } from '../http.js';
import { defaultRequestParts, judged, lowestResolution, pickSize, PROMPT } from './common.js';
import type { AsyncDriver, ContentSource, JobPlan, Poller } from './types.js';

/** What a router adds to the generic driver: its own plans or model listing. */
export type AsyncJobDriverQuirks = Partial<Pick<AsyncDriver, 'listedModels' | 'outOfSet'>> & {
  /** A model's valid request; default: the cheapest duration and size the catalog lists. */
  readonly plan?: (model: ModelCapabilities) => JobPlan | undefined;
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * A cheap valid request for a model: `{ model, prompt }` with its shortest duration and its
 * smallest size (or lowest resolution), plus `extra` fields, when the judge accepts it.
 *
 * @example
 * defaultPlan(acme, acme.models[0]!)?.body; // { model: 'acme/v1', prompt: '…', duration: 4 }
 */
export function defaultPlan(
  router: RouterSpec,
  model: ModelCapabilities,
  extra: Readonly<Record<string, unknown>> = {},
): JobPlan | undefined {
  const job = jobOf(router);
  const body: Record<string, unknown> = { model: model.id, prompt: PROMPT };
  if (model.durations?.length) body.duration = Math.min(...model.durations);
  const size = model.sizes ? pickSize(model.sizes, model.defaultSize) : undefined;
  if (size) body.size = size;
  else if (model.resolutions) body.resolution = lowestResolution(model.resolutions);
  Object.assign(body, extra);
  const expected = judged(router, body);
  return expected ? { lifecycle: job.lifecycle, model: model.id, body, expected } : undefined;
}

function jobOf(router: RouterSpec): AsyncJobDef {
  if (!router.facts.job) {
    throw new TypeError(
      `[reelkit/conformance] router '${router.id}' declares no facts.job; the generic driver drives plain asynchronous jobs only.`,
    );
  }
  return router.facts.job;
}

/**
 * The kit's driver for a router whose job flow is declared in `facts.job`.
 *
 * @example
 * const driver = asyncJobDriver(acme);
 * driver.createRoute; // 'createRender'
 */
export function asyncJobDriver(router: RouterSpec, quirks: AsyncJobDriverQuirks = {}): AsyncDriver {
  const job = jobOf(router);
  const { fields } = job;
  const pollRoute = router.routes[job.poll]!;
  const contentOperation = router.routes[job.content ?? job.poll]!.operationId;
  const plan = quirks.plan ?? ((model: ModelCapabilities) => defaultPlan(router, model));
  const poller: Poller = {
    routeKey: job.poll,
    resolves: fields.pollingUrl ? 'polling URL' : 'job id',
    request(submitted, session) {
      const byRoute = {
        method: pollRoute.method,
        url: session.table.url(job.poll, { [job.idParam]: submitted.id }),
      };
      if (!fields.pollingUrl) return { request: byRoute };
      if (!submitted.pollingUrl) {
        return { request: byRoute, problem: `the submit answer carries no ${fields.pollingUrl}` };
      }
      let url: URL;
      try {
        url = new URL(submitted.pollingUrl, byRoute.url);
      } catch {
        return {
          request: byRoute,
          problem: `${fields.pollingUrl} '${submitted.pollingUrl}' is not a URL`,
        };
      }
      const match = session.table.match(pollRoute.method, url.href);
      if (match?.key !== job.poll || match.params[job.idParam] !== submitted.id) {
        return {
          request: byRoute,
          problem: `${fields.pollingUrl} '${submitted.pollingUrl}' does not address ${pollRoute.method} ${router.basePath}${pollRoute.path} of job ${submitted.id} on the target; polled ${byRoute.url} instead`,
        };
      }
      return { request: { method: pollRoute.method, url: url.href } };
    },
  };
  return {
    flow: 'async',
    spec: router,
    createRoute: job.submit,
    ...(job.callbackField ? { webhooks: { callbackField: job.callbackField } } : {}),
    plans: () => router.models.flatMap((m) => plan(m) ?? []),
    listedModels: quirks.listedModels ?? (() => undefined),
    ...(quirks.outOfSet ? { outOfSet: quirks.outOfSet } : {}),
    requestParts: (routeKey, context) => defaultRequestParts(router, job.submit, routeKey, context),
    contentOperation: () => contentOperation,
    parseSubmit(reply) {
      const id = text(readField(reply.json, fields.id));
      if (!id) return { problem: `the submit answer has no job id (status ${reply.status})` };
      const status = text(readField(reply.json, fields.status));
      const pollingUrl = fields.pollingUrl
        ? text(readField(reply.json, fields.pollingUrl))
        : undefined;
      return { id, ...(status ? { status } : {}), ...(pollingUrl ? { pollingUrl } : {}) };
    },
    pollers: () => [poller],
    read(_routeKey, reply: Reply) {
      if (reply.status !== 200) return { problem: `answered ${reply.status || reply.error}` };
      const status = text(readField(reply.json, fields.status));
      const id = text(readField(reply.json, fields.id));
      if (!status) return { problem: 'the answer has no status' };
      return { status, ...(id ? { id } : {}) };
    },
    content(submitted, last) {
      const reply = last.get(job.poll);
      const urls = readField(reply?.json, fields.videoUrls);
      if (!reply || !Array.isArray(urls) || urls.length === 0) {
        return { problem: `the completed job ${submitted.id} lists no ${fields.videoUrls}` };
      }
      return urls.map((u): ContentSource => ({
        kind: 'url',
        operationId: contentOperation,
        url: new URL(String(u), reply.request.url).href,
      }));
    },
  };
}
