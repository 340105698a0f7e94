/**
 * The mock engine: `handle(Request) → Promise<Response>` for one router. It knows nothing of
 * fastify or msw; both mount it, and a client can use it directly as its `fetch`. This module
 * wires the parts: the route pipeline (route-pipeline.ts) answers router requests, the control
 * plane (control.ts) answers `/__reelkit/*`, and every answer goes through `respond()`
 * (respond.ts).
 * @module
 */
import { compileRouteMatcher } from '@reelkit/spec';
import type { StateStore } from '../state/types.js';
import { StateStoreError } from '../state/types.js';
import { checkCallbackUrl } from './callback-policy.js';
import type { Clock } from './clock.js';
import { handleControl } from './control.js';
import type { EngineControl } from './engine-control.js';
import type { MockEngineOptions } from './engine-options.js';
import { MockError } from './errors.js';
import type { FaultController } from './faults.js';
import type { Ledger } from './ledger.js';
import { CONTROL_BODY_BYTES, createRouteLimits } from './limits.js';
import type { Namespace } from './namespace.js';
import { namespaceOf } from './namespace.js';
import type { OpenedNamespace } from './namespace-sources.js';
import { createMemorySource, createSharedSource } from './namespace-sources.js';
import type { IncomingRequest, PlainResponse } from './request.js';
import { asResponse, createResponder, INTERNAL_ERROR_HEADER } from './respond.js';
import { createRoutePipeline } from './route-pipeline.js';
import { createScenarioChooser } from './scenario-choice.js';
import type { JobStore } from './store.js';
import type { Diagnostic, MockProvider, WebhookSettings } from './types.js';
import { parseTarget, publicOrigin } from './url.js';
import type { WebhookDispatcher } from './webhooks.js';

export { asResponse } from './respond.js';
export type { EngineControl } from './engine-control.js';
export type { MockEngineOptions } from './engine-options.js';
export type { Namespace } from './namespace.js';
export type { SharedClockConfig } from './shared/namespaces.js';
export type { Diagnostic } from './types.js';

/**
 * What every engine offers, with or without a state store: ways to send it requests, the control
 * plane's view of it, and a way to stop it. Server adapters (fastify, msw) need nothing more.
 */
export interface BaseMockEngine extends EngineControl {
  readonly provider: MockProvider;
  /** Answers one request as the router would. Never rejects. */
  handle(request: Request): Promise<Response>;
  /**
   * The same as {@link BaseMockEngine.handle} for server adapters: takes anything
   * `Request`-shaped and may answer a {@link PlainResponse}, which spares building Web objects on
   * the hot path.
   * @internal
   */
  dispatch(request: IncomingRequest): Promise<Response | PlainResponse>;
  /** The engine as a `fetch` function, for clients that take one. */
  readonly fetch: typeof fetch;
  /**
   * The largest body accepted for a request to `pathname` (the route's limit from the spec's
   * `REQUEST_LIMITS`; the control plane's is small). Servers stop reading a body beyond it.
   */
  bodyLimit(method: string, pathname: string): number;
  /**
   * The router's envelope for a request a server refuses before the engine sees it (a body over
   * the limit, a bad `Host`, a malformed URL, a timeout), named by the HTTP status the server
   * would answer: 413, 429, another 4xx, or 5xx. Adapters write it; they build no envelopes.
   *
   * @example
   * const answer = engine.refusal(413, 'The request body is larger than 1 MiB.');
   */
  refusal(status: number, message: string): PlainResponse;
  /**
   * The answer to a failure of the server around the engine (a reelkit bug): logged and recorded
   * like the engine's own, answered `500 MOCK_ERR_INTERNAL`.
   */
  internalError(where: string, error: unknown): PlainResponse;
  /**
   * A namespace of the engine (default `default`), as requests that name it reach it: its
   * clock, jobs, balances … An engine without a store has only `default`.
   *
   * @example
   * const ns = await engine.namespace('ci-run-42');
   * await ns.services.jobs.get('job-1');
   */
  namespace(name?: string): Promise<Namespace>;
  /** Resolves when no webhook attempt is in flight (tests use it after moving the clock). */
  idle(): Promise<void>;
  /**
   * Stops background work: with a store, the webhook worker finishes its attempts in flight and
   * gives back what it holds (graceful shutdown). The store itself stays open (it is the caller's).
   */
  close(): Promise<void>;
}

/**
 * A mock of one router that keeps its state in this process: besides {@link BaseMockEngine}, its
 * state for tests and tools in the same process.
 */
export interface MockEngine extends BaseMockEngine {
  readonly clock: Clock;
  readonly jobs: JobStore;
  /** Forgets every job and asset and restarts the random sequence from the seed. */
  reset(): void;
  /** The scenario for requests that name none; changeable at run time. */
  defaultScenario: string;
  /** Webhook deliveries and their attempts. */
  readonly webhooks: WebhookDispatcher;
  /**
   * Webhook signing secret, default callback and loopback-http permission, as the engine was
   * created with or as `PUT /__reelkit/webhooks/settings` last set them. Jobs read them when they
   * are submitted (callback check) and when they end (signing).
   */
  webhookSettings: WebhookSettings;
  /** Balances per API key. */
  readonly ledger: Ledger;
  /** Fault rules on the wire. */
  readonly faults: FaultController;
}

/**
 * Whether the path as sent (before dot segments or backslashes are resolved) is under
 * `/__reelkit/`: `/api/v1/../__reelkit/reset` must not reach the control plane.
 */
function sentToControlPlane(url: string): boolean {
  const authority = url.indexOf('//');
  const path = url.indexOf('/', authority < 0 ? 0 : authority + 2);
  return path >= 0 && url.startsWith('/__reelkit/', path);
}

/**
 * Creates the mock of one router, its state in this process or, with `store`, in a state store
 * shared by replicas.
 *
 * @example
 * import { createMockEngine, openrouterMock, createManualClock } from '@reelkit/mocks';
 * const clock = createManualClock();
 * const engine = createMockEngine({ provider: openrouterMock, clock });
 * const res = await engine.handle(new Request('https://openrouter.ai/api/v1/videos', {
 *   method: 'POST', headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }),
 * }));
 * res.status; // 202
 */
export function createMockEngine(
  options: MockEngineOptions & { store: StateStore },
): BaseMockEngine;
export function createMockEngine(options: MockEngineOptions): MockEngine;
export function createMockEngine(options: MockEngineOptions): BaseMockEngine | MockEngine {
  const { provider } = options;
  const ownOrigin = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  if (options.controlToken !== undefined && options.controlToken.trim() === '')
    throw new RangeError('[reelkit] controlToken must not be empty; leave it out for no token.');
  const log =
    options.log ??
    ((message: string, error: unknown) => {
      console.error(message, error);
    });
  const router = compileRouteMatcher(provider.spec.routes, provider.spec.basePath);
  const limitsOf = createRouteLimits(provider.spec);
  const diagnostics: Diagnostic[] = [];
  const responder = createResponder({
    provider,
    validate: options.validateResponses ?? true,
    diagnostics,
    log,
  });
  const faultRates = options.faultRates ?? {};
  const scenarios = createScenarioChooser({
    provider,
    faultRates,
    ...(options.defaultScenario !== undefined ? { initialDefault: options.defaultScenario } : {}),
  });
  const pipelineFor = (routerMock: MockProvider) =>
    createRoutePipeline({
      provider: routerMock,
      router,
      limitsOf,
      apiKeys: options.apiKeys && options.apiKeys.length > 0 ? new Set(options.apiKeys) : undefined,
      publicOrigin: ownOrigin,
      responder,
      scenarios,
    });
  const webhookSettings: WebhookSettings = {
    ...(options.webhooks?.secret ? { secret: options.webhooks.secret } : {}),
    ...(options.webhooks?.defaultCallbackUrl
      ? { defaultCallbackUrl: options.webhooks.defaultCallbackUrl }
      : {}),
    allowHttpLoopback: options.webhooks?.allowHttpLoopback ?? false,
    allowPrivateNetworks: options.webhooks?.allowPrivateNetworks ?? false,
  };
  // The operator's own default callback is trusted; a URL from a request is checked again.
  const refuseTarget = (url: string, settings: WebhookSettings) =>
    url === settings.defaultCallbackUrl ? undefined : checkCallbackUrl(url, settings);

  const context = { options, diagnostics, webhookSettings, refuseTarget, pipelineFor, log };
  const memory = options.store === undefined ? createMemorySource(context) : undefined;
  const source = memory ? memory.source : createSharedSource(context, options.store!);

  /** A namespace failure as the answer a client of the router can read. */
  function namespaceRefusal(error: unknown, control: boolean): Response | PlainResponse {
    if (error instanceof MockError) {
      if (control) return responder.respond(error.toReply());
      return responder.refusal(error.status, error.message);
    }
    if (error instanceof RangeError) {
      // checkNamespace's words: a name that is not a namespace.
      const bad = new MockError('MOCK_ERR_BAD_NAMESPACE', error.message.replace('[reelkit] ', ''));
      return control ? responder.respond(bad.toReply()) : responder.refusal(400, bad.message);
    }
    return stateStoreRefusal(error, control);
  }

  /**
   * The state store failing (Redis down, too slow): the router's server error, labelled
   * `X-Reelkit-Error: MOCK_ERR_STATE_STORE` — never a hang or a stack.
   */
  function stateStoreRefusal(error: unknown, control: boolean): Response | PlainResponse {
    if (!(error instanceof StateStoreError)) return responder.internalError('(engine)', error);
    const failure = new MockError(
      'MOCK_ERR_STATE_STORE',
      `The mock's state store is not answering; retry shortly. (${error.message.replace('[reelkit] ', '')})`,
    );
    if (control) return responder.respond(failure.toReply());
    // The router's own server error (its status and envelope, which its clients handle), labelled.
    const answer = responder.refusal(503, failure.message);
    return {
      ...answer,
      headers: { ...answer.headers, [INTERNAL_ERROR_HEADER]: failure.code, 'retry-after': '1' },
    };
  }

  const engine: BaseMockEngine = {
    provider,
    media: source.media,
    faultRates,
    diagnostics,
    store: source.store,
    replica: source.replica,
    controlToken: options.controlToken,
    publicOrigin: ownOrigin,
    bodyLimit(method, pathname) {
      if (pathname.startsWith('/__reelkit/')) return CONTROL_BODY_BYTES;
      const match = router.match(method.toUpperCase(), pathname);
      return match ? limitsOf(match.route).maxBodyBytes : CONTROL_BODY_BYTES;
    },
    refusal: responder.refusal,
    internalError: (where, error) => responder.internalError(where, error),
    async dispatch(request) {
      let control = false;
      try {
        const target = request.target ?? parseTarget(request.url);
        control = target.pathname.startsWith('/__reelkit/') && sentToControlPlane(request.url);
        let opened: OpenedNamespace;
        try {
          const open = source.open(namespaceOf(request.headers, source.namespacedKeys && !control));
          opened = open instanceof Promise ? await open : open;
        } catch (error) {
          return namespaceRefusal(error, control);
        }
        if (control)
          return responder.respond(await handleControl(engine, opened.ns, request, target));
        return await opened.handleRoute(request, target, opened.ns);
      } catch (error) {
        if (error instanceof MockError) return responder.respond(error.toReply());
        return stateStoreRefusal(error, control);
      }
    },
    async handle(request) {
      return asResponse(await engine.dispatch(request));
    },
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      engine.handle(new Request(input, init))) as typeof fetch,
    namespace: async (name) => (await source.open(name)).ns,
    idle: () => source.idle(),
    close: () => source.close(),
  };
  return memory ? Object.assign(engine, memory.fields) : engine;
}
