/**
 * The mock engine: `handle(Request) → Promise<Response>` for one router. It knows nothing of
 * fastify or msw; both mount it, and a client can use it directly as its `fetch`. This module
 * wires the parts: the route pipeline (route-pipeline.ts) answers router requests, the control
 * plane (control.ts) answers `/__reelkit/*`, and every answer goes through `respond()`
 * (respond.ts).
 * @module
 */
import { compileRouteMatcher } from '@reelkit/spec';
import type { Clock } from './clock.js';
import { createAutoClock } from './clock.js';
import { checkCallbackUrl } from './callback-policy.js';
import { handleControl } from './control.js';
import type { EngineControl } from './engine-control.js';
import { MockError } from './errors.js';
import type { FaultRule } from './faults.js';
import { createFaultController, parseFaultRule } from './faults.js';
import { createLedger } from './ledger.js';
import { CONTROL_BODY_BYTES, createRouteLimits } from './limits.js';
import { createMediaStore } from './media.js';
import type { Random } from './random.js';
import { createRandom } from './random.js';
import { createRateLimiter } from './rate-limiter.js';
import type { IncomingRequest, PlainResponse } from './request.js';
import { asResponse, createResponder } from './respond.js';
import { createRoutePipeline } from './route-pipeline.js';
import { createScenarioChooser } from './scenario-choice.js';
import { createJobStore } from './store.js';
import type { Diagnostic, EngineServices, MockProvider, WebhookSettings } from './types.js';
import { parseTarget, publicOrigin } from './url.js';
import type { WebhookRetryPolicy } from './webhooks.js';
import { createWebhookDispatcher } from './webhooks.js';

export { asResponse } from './respond.js';
export type { EngineControl } from './engine-control.js';
export type { Diagnostic } from './types.js';

/** Options of {@link createMockEngine}. */
export interface MockEngineOptions {
  readonly provider: MockProvider;
  /** Defaults to an auto clock: simulated time that never waits. */
  readonly clock?: Clock;
  /** Seed for ids, timings and random faults. Default 1. */
  readonly seed?: number;
  /** Accepted API keys; by default any non-empty Bearer key is accepted. */
  readonly apiKeys?: readonly string[];
  /** The scenario of requests that name none. Default `success`. */
  readonly defaultScenario?: string;
  /** Probability per request of an HTTP-failure scenario, e.g. `{ 'server-error': 0.05 }`. */
  readonly faultRates?: Readonly<Record<string, number>>;
  /** Check every JSON reply against the spec and answer 500 when a handler breaks it. Default true. */
  readonly validateResponses?: boolean;
  /** Fault rules active from the start (more can be added on the control plane). */
  readonly faults?: readonly FaultRule[];
  /**
   * Most jobs stored at once (default `DEFAULT_MAX_JOBS`, 100,000): finished jobs make room first;
   * with every stored job unfinished, a create answers the router's 429.
   */
  readonly maxJobs?: number;
  /** Webhook signing, default callback, and delivery (fetch and retry policy). */
  readonly webhooks?: WebhookSettings & {
    readonly fetch?: typeof fetch;
    readonly policy?: Partial<WebhookRetryPolicy>;
  };
  /**
   * When set, every `/__reelkit/*` call except `health` and media downloads needs
   * `Authorization: Bearer <token>` or `X-Reelkit-Control-Token: <token>` (401 otherwise).
   */
  readonly controlToken?: string;
  /**
   * The origin clients reach this mock at (`https://mocks.example.com`), for a mock behind a
   * proxy: URLs in answers (polling, media) use it instead of the request's `Host`.
   */
  readonly publicUrl?: string;
  /**
   * Where the engine reports its own failures (a reelkit bug), with the error and its stack.
   * Default `console.error`. Answers never carry the stack.
   */
  readonly log?: (message: string, error: unknown) => void;
}

/** A running mock of one router: the control plane's view of it, and ways to send it requests. */
export interface MockEngine extends EngineControl {
  readonly provider: MockProvider;
  /** Answers one request as the router would. Never rejects. */
  handle(request: Request): Promise<Response>;
  /**
   * The same as {@link MockEngine.handle} for server adapters: takes anything `Request`-shaped
   * and may answer a {@link PlainResponse}, which spares building Web objects on the hot path.
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
 * Creates the mock of one router.
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
export function createMockEngine(options: MockEngineOptions): MockEngine {
  const { provider } = options;
  const ownOrigin = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  if (options.controlToken !== undefined && options.controlToken.trim() === '')
    throw new RangeError('[reelkit] controlToken must not be empty; leave it out for no token.');
  const clock = options.clock ?? createAutoClock();
  const seed = options.seed ?? 1;
  let random: Random = createRandom(seed);
  let webhookSettings: WebhookSettings = {
    ...(options.webhooks?.secret ? { secret: options.webhooks.secret } : {}),
    ...(options.webhooks?.defaultCallbackUrl
      ? { defaultCallbackUrl: options.webhooks.defaultCallbackUrl }
      : {}),
    allowHttpLoopback: options.webhooks?.allowHttpLoopback ?? false,
    allowPrivateNetworks: options.webhooks?.allowPrivateNetworks ?? false,
  };
  const services: EngineServices = {
    clock,
    get random() {
      return random;
    },
    jobs: createJobStore({
      clock,
      ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
    }),
    media: createMediaStore({
      nextId: () => random.string(24, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    }),
    ledger: createLedger({ clock, config: provider.balance }),
    rateLimiter: createRateLimiter(clock),
    // Read at each use: the control plane may change them while the mock runs.
    get webhookSettings() {
      return webhookSettings;
    },
  };
  // A job's media and delivery log go with it, so memory stays bounded by the retention window.
  services.jobs.onEvict((job) => {
    for (const asset of job.assets) services.media.forget(asset);
    webhooks.forgetJob(job.id);
    // A key's balance leaves with its last job (or after the ledger's TTL).
    if (job.apiKey !== undefined && services.jobs.countOf(job.apiKey) === 0)
      services.ledger.forget(job.apiKey);
  });
  const faults = createFaultController(() => random);
  for (const rule of options.faults ?? []) faults.add(parseFaultRule(rule));
  const webhooks = createWebhookDispatcher({
    clock,
    random: () => random,
    ...(options.webhooks?.fetch ? { fetch: options.webhooks.fetch } : {}),
    ...(options.webhooks?.policy ? { policy: options.webhooks.policy } : {}),
    // The operator's own default callback is trusted; a URL from a request is checked again.
    refuseTarget: (url) =>
      url === services.webhookSettings.defaultCallbackUrl
        ? undefined
        : checkCallbackUrl(url, services.webhookSettings),
  });
  if (provider.webhook) {
    const build = provider.webhook.bind(provider);
    services.jobs.onTerminal((job, entry) => {
      const event = build(job, entry, services.webhookSettings, clock);
      if (event) webhooks.enqueue(event);
    });
  }
  const router = compileRouteMatcher(provider.spec.routes, provider.spec.basePath);
  const limitsOf = createRouteLimits(provider.spec);
  const diagnostics: Diagnostic[] = [];
  const responder = createResponder({
    provider,
    validate: options.validateResponses ?? true,
    diagnostics,
    log:
      options.log ??
      ((message: string, error: unknown) => {
        console.error(message, error);
      }),
  });
  const faultRates = options.faultRates ?? {};
  const scenarios = createScenarioChooser({
    provider,
    faultRates,
    ...(options.defaultScenario !== undefined ? { initialDefault: options.defaultScenario } : {}),
    defaultScenario: () => engine.defaultScenario,
    random: () => random,
  });
  const handleRoute = createRoutePipeline({
    provider,
    services,
    router,
    limitsOf,
    apiKeys: options.apiKeys && options.apiKeys.length > 0 ? new Set(options.apiKeys) : undefined,
    publicOrigin: ownOrigin,
    responder,
    scenarios,
    faults,
  });

  const engine: MockEngine = {
    provider,
    clock,
    jobs: services.jobs,
    media: services.media,
    defaultScenario: options.defaultScenario ?? 'success',
    faultRates,
    diagnostics,
    webhooks,
    get webhookSettings() {
      return webhookSettings;
    },
    set webhookSettings(settings) {
      webhookSettings = settings;
    },
    ledger: services.ledger,
    faults,
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
      try {
        const target = request.target ?? parseTarget(request.url);
        if (target.pathname.startsWith('/__reelkit/') && sentToControlPlane(request.url))
          return responder.respond(await handleControl(engine, request, target));
        return await handleRoute(request, target);
      } catch (error) {
        if (error instanceof MockError) return responder.respond(error.toReply());
        return responder.internalError('(engine)', error);
      }
    },
    async handle(request) {
      return asResponse(await engine.dispatch(request));
    },
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      engine.handle(new Request(input, init))) as typeof fetch,
    reset() {
      services.jobs.clear();
      services.media.clear();
      webhooks.clear();
      faults.clear();
      services.ledger.reset();
      services.rateLimiter.reset();
      random = createRandom(seed);
      diagnostics.length = 0;
    },
  };
  return engine;
}
