/**
 * The mock engine: `handle(Request) → Promise<Response>` for one router. It knows nothing of
 * fastify or msw; both mount it, and a client can use it directly as its `fetch`. This module
 * wires the parts: the route pipeline (route-pipeline.ts) answers router requests, the control
 * plane (control.ts) answers `/__reelkit/*`, and every answer goes through `respond()`
 * (respond.ts).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { compileRouteMatcher } from '@reelkit/spec';
import type { StateStore } from '../state/types.js';
import { DEFAULT_NAMESPACE, StateStoreError } from '../state/types.js';
import type { Clock } from './clock.js';
import { createAutoClock } from './clock.js';
import { checkCallbackUrl } from './callback-policy.js';
import { handleControl } from './control.js';
import type { EngineControl } from './engine-control.js';
import { MockError } from './errors.js';
import type { FaultController, FaultRule } from './faults.js';
import { createFaultController, parseFaultRule } from './faults.js';
import type { Ledger } from './ledger.js';
import { createLedger } from './ledger.js';
import { CONTROL_BODY_BYTES, createRouteLimits } from './limits.js';
import type { MediaStore } from './media.js';
import { createMediaStore } from './media.js';
import type { Namespace } from './namespace.js';
import { createMemoryNamespace, namespaceOf } from './namespace.js';
import type { Random } from './random.js';
import { createRandom } from './random.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRateLimiter } from './rate-limiter.js';
import type { IncomingRequest, PlainResponse } from './request.js';
import { asResponse, createResponder, INTERNAL_ERROR_HEADER } from './respond.js';
import type { RoutePipeline } from './route-pipeline.js';
import { createRoutePipeline } from './route-pipeline.js';
import { createScenarioChooser } from './scenario-choice.js';
import { createDeliveryWorker } from './shared/deliveries.js';
import { createSharedMediaStore } from './shared/media.js';
import type { SharedClockConfig } from './shared/namespaces.js';
import { createSharedNamespaces } from './shared/namespaces.js';
import type { JobStore } from './store.js';
import { createJobStore } from './store.js';
import type { Diagnostic, EngineServices, MockProvider, WebhookSettings } from './types.js';
import { parseTarget, publicOrigin } from './url.js';
import type { WebhookDispatcher, WebhookRetryPolicy } from './webhooks.js';
import { createWebhookDispatcher, DEFAULT_RETRY_POLICY } from './webhooks.js';

export { asResponse } from './respond.js';
export type { EngineControl } from './engine-control.js';
export type { Namespace } from './namespace.js';
export type { SharedClockConfig } from './shared/namespaces.js';
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
  /**
   * Where the state lives. Left out, in this process (one namespace, the fastest). A state store
   * (`createRedisState({ redis: 'redis://…' })` from `@reelkit/mocks/state`, or
   * `createMemoryState()`) serves any number of namespaces (`X-Reelkit-Namespace`), and every
   * engine on the same Redis acts as one mock: replicas behind a load balancer.
   */
  readonly store?: StateStore;
  /**
   * With a store: how each namespace's clock runs, the same on every replica (`clock` is for an
   * engine without a store). Default real time × 1.
   */
  readonly storeClock?: SharedClockConfig;
  /** With a store: this replica's name in leases and in `/__reelkit/health`. Default host-pid-random. */
  readonly replica?: string;
}

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

/** How often (real ms) a replica reads the clocks that requests held here wait on. */
const CLOCK_FOLLOW_MS = 50;

/** A name for this replica: host, process and a random part (two processes never share it). */
function defaultReplicaName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** A request's namespace, and the pipeline that answers the router's routes there. */
interface OpenedNamespace {
  readonly ns: Namespace;
  readonly handleRoute: RoutePipeline;
}

/** The engine's namespaces: how a request's namespace is found, and the engine-wide parts. */
interface NamespaceSource {
  readonly store: string;
  /**
   * Whether a `<namespace>~` prefix of a Bearer key names a namespace. Not in memory, where any
   * key works as it always did (only the header is refused there, saying why).
   */
  readonly namespacedKeys: boolean;
  readonly replica: string | undefined;
  readonly media: MediaStore;
  /** In memory, at once; on a store, once the namespace's snapshot is read. */
  open(name: string | undefined): OpenedNamespace | Promise<OpenedNamespace>;
  idle(): Promise<void>;
  close(): Promise<void>;
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

  const memory = options.store === undefined ? createMemoryState() : undefined;
  const source: NamespaceSource = memory ? memory.source : sharedSource(options.store!);

  /** The in-process state: one namespace, and the engine's own fields for tests. */
  function createMemoryState() {
    const clock = options.clock ?? createAutoClock();
    const seed = options.seed ?? 1;
    let random: Random = createRandom(seed);
    let settings = webhookSettings;
    let defaultScenario = options.defaultScenario ?? 'success';
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
        return settings;
      },
    };
    const jobs = services.jobs as JobStore;
    const ledger = services.ledger as Ledger;
    const media = services.media;
    const rateLimiter = services.rateLimiter as RateLimiter;
    // A job's media and delivery log go with it, so memory stays bounded by the retention window.
    jobs.onEvict((job) => {
      for (const asset of job.assets) media.forget(asset);
      webhooks.forgetJob(job.id);
      // A key's balance leaves with its last job (or after the ledger's TTL).
      if (job.apiKey !== undefined && jobs.countOf(job.apiKey) === 0) ledger.forget(job.apiKey);
    });
    const faults = createFaultController(() => random);
    for (const rule of options.faults ?? []) faults.add(parseFaultRule(rule));
    const webhooks = createWebhookDispatcher({
      clock,
      random: () => random,
      ...(options.webhooks?.fetch ? { fetch: options.webhooks.fetch } : {}),
      ...(options.webhooks?.policy ? { policy: options.webhooks.policy } : {}),
      refuseTarget: (url) => refuseTarget(url, settings),
    });
    if (provider.webhook) {
      const build = provider.webhook.bind(provider);
      jobs.onTerminal((job, entry) => {
        const event = build(job, entry, settings, clock);
        if (event) webhooks.enqueue(event);
      });
    }
    const reset = () => {
      jobs.clear();
      media.clear();
      webhooks.clear();
      faults.clear();
      ledger.reset();
      rateLimiter.reset();
      random = createRandom(seed);
      diagnostics.length = 0;
    };
    const only = createMemoryNamespace({
      services,
      faults,
      webhooks,
      jobCount: () => jobs.size,
      reset,
      getDefaultScenario: () => defaultScenario,
      setDefaultScenario: (name) => void (defaultScenario = name),
      setWebhookSettings: (next) => void (settings = next),
    });
    const opened: OpenedNamespace = { ns: only, handleRoute: pipelineFor(provider) };
    const source: NamespaceSource = {
      store: 'memory',
      namespacedKeys: false,
      replica: undefined,
      media,
      open(name) {
        if (name === undefined || name === DEFAULT_NAMESPACE) return opened;
        throw new MockError(
          'MOCK_ERR_BAD_NAMESPACE',
          `This mock keeps its state in one process with one namespace ('default'), so it cannot serve namespace '${name.slice(0, 128)}'. Start it with a state store (reelkit mock --store redis://… or memory://) to serve namespaces.`,
        );
      },
      idle: () => webhooks.idle(),
      close: async () => undefined,
    };
    const fields = {
      clock,
      jobs,
      ledger,
      faults,
      webhooks,
      reset,
      get defaultScenario() {
        return defaultScenario;
      },
      set defaultScenario(name: string) {
        defaultScenario = name;
      },
      get webhookSettings() {
        return settings;
      },
      set webhookSettings(next: WebhookSettings) {
        settings = next;
      },
    };
    return { source, fields };
  }

  /** Namespaces in a state store, and this replica's webhook worker. */
  function sharedSource(store: StateStore): NamespaceSource {
    if (options.clock !== undefined) {
      throw new RangeError(
        "[reelkit] with a store, each namespace has its own clock: give storeClock ({ mode: 'real' | 'manual', timeScale }) instead of clock.",
      );
    }
    const clock = options.storeClock ?? { mode: 'real', timeScale: 1 };
    if ((clock.mode as string) === 'auto') {
      throw new RangeError(
        "[reelkit] the auto clock runs inside one process; with a store, use the 'real' or 'manual' clock.",
      );
    }
    const replica = options.replica ?? defaultReplicaName();
    const random = createRandom(randomBytes(4).readInt32LE(0));
    const media = createSharedMediaStore({
      nextId: () => random.string(24, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    });
    /** What needs the fleet's secret (read from the store): the router and the webhook worker. */
    async function build() {
      const secret = Buffer.from(await store.sharedSecret(), 'hex');
      // Download tokens made on one replica must be accepted by every other.
      const fleetProvider = provider.withSharedSecret?.(secret) ?? provider;
      const worker = createDeliveryWorker({
        provider: fleetProvider,
        replica,
        policy: { ...DEFAULT_RETRY_POLICY, ...options.webhooks?.policy },
        fetch: options.webhooks?.fetch ?? fetch,
        refuseTarget,
        namespaces: () => store.namespacesWithDeliveries(),
        open: (name) => namespaces.open(name),
        log,
      });
      const namespaces = createSharedNamespaces({
        provider: fleetProvider,
        store,
        clock,
        defaults: { defaultScenario: options.defaultScenario ?? 'success', webhookSettings },
        media,
        webhooksFor: (ns) => worker.webhooksOf(ns),
        // Deliveries that fall due go out now, not at the worker's next look.
        onDeliveryQueued: () => worker.wake(),
        onClockMoved: () => worker.wake(),
      });
      // A request held on this replica (rout.my, a latency fault) wakes when any replica moves
      // the clock, not only when a request here reads the namespace again.
      let following = false;
      const follower = setInterval(() => {
        if (following) return;
        following = true;
        namespaces
          .followClocks()
          .catch(() => undefined) // the worker reports a store that stops answering
          .finally(() => (following = false));
      }, CLOCK_FOLLOW_MS);
      follower.unref?.();
      return { worker, namespaces, follower, handleRoute: pipelineFor(fleetProvider) };
    }
    // Built once the store answers; a store that is down at start is asked again next time.
    let parts: ReturnType<typeof build> | undefined;
    let closed = false;
    const ready = () =>
      (parts ??= build().catch((error: unknown) => {
        parts = undefined;
        throw error;
      }));
    // At once, so that a restarted replica delivers pending webhooks before any request comes.
    ready().catch((error: unknown) =>
      log(
        '[reelkit] the state store did not answer at start; retrying on the next request:',
        error instanceof StateStoreError ? error.message : error,
      ),
    );
    return {
      store: store.kind,
      namespacedKeys: true,
      replica,
      media,
      async open(name) {
        if (closed) throw new MockError('MOCK_ERR_STATE_STORE', 'This replica is shutting down.');
        const { namespaces, handleRoute } = await ready();
        return { ns: await namespaces.open(name ?? DEFAULT_NAMESPACE), handleRoute };
      },
      idle: async () => (parts ? (await parts).worker.idle() : undefined),
      async close() {
        closed = true;
        if (!parts) return;
        const { worker, follower } = await parts;
        clearInterval(follower);
        await worker.close();
      },
    };
  }

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
