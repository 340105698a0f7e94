/**
 * Where an engine's namespaces come from: its own memory (one namespace, the default), or a state
 * store shared by replicas (any number of namespaces, a webhook worker, clocks that follow moves
 * made elsewhere). The engine (engine.ts) answers requests; a source gives each request its
 * namespace and the pipeline that answers there.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { StateStore } from '../state/types.js';
import { DEFAULT_NAMESPACE, StateStoreError } from '../state/types.js';
import { createAutoClock } from './clock.js';
import type { MockEngineOptions } from './engine-options.js';
import { MockError } from './errors.js';
import { createFaultController, parseFaultRule } from './faults.js';
import { createLedger } from './ledger.js';
import type { MediaStore } from './media.js';
import { createMediaStore } from './media.js';
import type { Namespace } from './namespace.js';
import { createMemoryNamespace } from './namespace.js';
import type { Random } from './random.js';
import { createRandom } from './random.js';
import { createRateLimiter } from './rate-limiter.js';
import type { RoutePipeline } from './route-pipeline.js';
import { createDeliveryWorker } from './shared/deliveries.js';
import { createSharedMediaStore } from './shared/media.js';
import { createSharedNamespaces } from './shared/namespaces.js';
import { createJobStore, withPayments } from './store.js';
import type { Diagnostic, EngineServices, MockProvider, WebhookSettings } from './types.js';
import { createWebhookDispatcher, DEFAULT_RETRY_POLICY } from './webhooks.js';

/** What a source takes from its engine. */
export interface SourceContext {
  readonly options: MockEngineOptions;
  /** The engine's diagnostics (a memory reset clears them). */
  readonly diagnostics: Diagnostic[];
  /** Webhook settings of a namespace the control plane has not changed. */
  readonly webhookSettings: WebhookSettings;
  /** Why a callback must not be called, with the namespace's settings. */
  readonly refuseTarget: (url: string, settings: WebhookSettings) => string | undefined;
  /** The route pipeline for a router (a fleet's carries the store's shared secret). */
  readonly pipelineFor: (provider: MockProvider) => RoutePipeline;
  readonly log: (message: string, error: unknown) => void;
}

/** A request's namespace, and the pipeline that answers the router's routes there. */
export interface OpenedNamespace {
  readonly ns: Namespace;
  readonly handleRoute: RoutePipeline;
}

/** The engine's namespaces: how a request's namespace is found, and the engine-wide parts. */
export interface NamespaceSource {
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

/** How often (real ms) a replica reads the clocks that requests held here wait on. */
const CLOCK_FOLLOW_MS = 50;

/** A name for this replica: host, process and a random part (two processes never share it). */
function defaultReplicaName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * The in-process state: one namespace (`default`), and the engine's own fields for tests.
 *
 * @example
 * const { source, fields } = createMemorySource(context);
 */
export function createMemorySource(context: SourceContext) {
  const { options, diagnostics, webhookSettings, refuseTarget, pipelineFor } = context;
  const { provider } = options;
  const clock = options.clock ?? createAutoClock();
  const seed = options.seed ?? 1;
  let random: Random = createRandom(seed);
  let settings = webhookSettings;
  let defaultScenario = options.defaultScenario ?? 'success';
  const jobs = createJobStore({
    clock,
    ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
  });
  const ledger = createLedger({ clock, config: provider.balance });
  const media = createMediaStore({
    nextId: () => random.string(24, 'abcdefghijklmnopqrstuvwxyz0123456789'),
  });
  const rateLimiter = createRateLimiter(clock);
  const services: EngineServices = {
    clock,
    get random() {
      return random;
    },
    jobs: withPayments(jobs, ledger),
    media,
    ledger,
    rateLimiter,
    // Read at each use: the control plane may change them while the mock runs.
    get webhookSettings() {
      return settings;
    },
  };
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

/**
 * Namespaces in a state store, and this replica's webhook worker and clock follower.
 *
 * @example
 * const source = createSharedSource(context, createRedisState({ redis: 'redis://127.0.0.1:6379/0' }));
 */
export function createSharedSource(context: SourceContext, store: StateStore): NamespaceSource {
  const { options, webhookSettings, refuseTarget, pipelineFor, log } = context;
  const { provider } = options;
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
