/**
 * Namespaces on a state store (memory or Redis): what lets several replicas behind a load
 * balancer act as one mock. Before each request a replica reads its namespace's snapshot (clock,
 * settings, fault rules, generation) in one round trip; jobs, balances, rate windows, fault
 * firings and webhook deliveries are read and changed in the store, atomically where replicas
 * could race. A job never changes once created (its status is a pure function of its timeline and
 * the clock), so each replica keeps the jobs it has read, until a reset moves the generation.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { LifecycleDef } from '@reelkit/spec';
import type { ControllableClock } from '../clock.js';
import { createManualClock, createRealClock } from '../clock.js';
import { MockError } from '../errors.js';
import type { ActiveFault, FaultRule, Faults } from '../faults.js';
import { parseFaultRule, ruleApplies } from '../faults.js';
import type { Balances } from '../ledger.js';
import { dayOf } from '../ledger.js';
import type { MediaStore } from '../media.js';
import type { Namespace } from '../namespace.js';
import type { Random } from '../random.js';
import { createRandom } from '../random.js';
import type { RateLimits } from '../rate-limiter.js';
import type { Job, JobData, Jobs, NewJob } from '../store.js';
import { createJobPlanner, historyAt, statusAt, terminalOf } from '../store.js';
import type { EngineServices, MockProvider, WebhookSettings } from '../types.js';
import type { Webhooks } from '../webhooks.js';
import type { JsonValue, NamespaceState, Payment, StateStore } from '../../state/types.js';
import { checkNamespace } from '../../state/types.js';

/** How each namespace's clock runs on a shared store (the same on every replica). */
export interface SharedClockConfig {
  /** `real`: wall clock × `timeScale`, from the namespace's first request; `manual`: moves only when advanced. */
  readonly mode: 'real' | 'manual';
  readonly timeScale: number;
}

/** A namespace's settings that the control plane changes, kept in the store. */
interface NamespaceSettings {
  readonly defaultScenario: string;
  readonly webhookSettings: WebhookSettings;
}

/** Options of {@link createSharedNamespaces}. */
export interface SharedNamespacesOptions {
  readonly provider: MockProvider;
  readonly store: StateStore;
  readonly clock: SharedClockConfig;
  /** Settings of a namespace the control plane has not changed. */
  readonly defaults: NamespaceSettings;
  /** Engine-wide media (ids carry what they show, so any replica serves them). */
  readonly media: MediaStore;
  /** The delivery log of a namespace (the webhook worker's). */
  readonly webhooksFor: (
    namespace: Pick<SharedNamespace, 'state' | 'clock' | 'services'>,
  ) => Webhooks;
  /** Called when a job that wants a webhook is stored (the delivery is queued by then). */
  readonly onDeliveryQueued?: () => void;
  /** Called when the control plane has moved a namespace's clock. */
  readonly onClockMoved?: () => void;
  /** Local copies of jobs kept per namespace (they are immutable). Default 10,000. */
  readonly cachedJobs?: number;
}

/** A namespace's parts the webhook worker needs besides the {@link Namespace}. */
export interface SharedNamespace extends Namespace {
  readonly state: NamespaceState;
  readonly clock: ControllableClock;
}

/** The namespaces of one engine on a store. */
export interface SharedNamespaces {
  /** The namespace, its snapshot read from the store now. */
  open(name: string): Promise<SharedNamespace>;
  /**
   * Reads the clock of every namespace where something waits on this replica (a held request, a
   * latency fault) and moves it to the shared time: another replica may have advanced it.
   */
  followClocks(): Promise<void>;
}

/** A job as the store keeps it (`JobRecord.data`). */
interface JobJson {
  readonly lifecycle: string;
  readonly apiKey: string | null;
  readonly generation: Job['generation'];
  readonly request: Job['request'];
  readonly scenario: string;
  readonly statuses: readonly string[];
  readonly times: readonly number[];
  readonly error: string | null;
  readonly assets: readonly string[];
  readonly data: JobData;
}

/** Local namespaces kept at once; one not used for long is dropped (its state stays in the store). */
const MAX_LOCAL_NAMESPACES = 256;

/** How long a Redis key outlives a job's simulated retention on a manual clock, at most (real ms). */
const MAX_RETAIN_MS = 7 * 86_400_000;

/**
 * Creates the namespaces of an engine on a state store.
 *
 * @example
 * const namespaces = createSharedNamespaces({ provider, store, clock: { mode: 'real', timeScale: 30 }, defaults, media });
 * const ns = await namespaces.open('ci-run-42');
 * await ns.services.jobs.get('job-1');
 */
export function createSharedNamespaces(options: SharedNamespacesOptions): SharedNamespaces {
  const { provider, store } = options;
  const lifecycleKeys = new Map<LifecycleDef, string>(
    Object.entries(provider.spec.lifecycles).map(([key, def]) => [def, key]),
  );
  const locals = new Map<string, LocalNamespace>();

  function defaultsOf(): NamespaceSettings {
    return options.defaults;
  }

  /** Settings from the store, or the defaults for any part that is missing or malformed. */
  function settingsFrom(json: JsonValue | undefined): NamespaceSettings {
    const stored = (json ?? {}) as Partial<NamespaceSettings>;
    const defaults = defaultsOf();
    return {
      defaultScenario:
        typeof stored.defaultScenario === 'string' &&
        provider.scenarios.includes(stored.defaultScenario)
          ? stored.defaultScenario
          : defaults.defaultScenario,
      webhookSettings:
        stored.webhookSettings && typeof stored.webhookSettings === 'object'
          ? stored.webhookSettings
          : defaults.webhookSettings,
    };
  }

  function makeClock(epoch: number): ControllableClock {
    return options.clock.mode === 'manual'
      ? createManualClock({ start: epoch })
      : createRealClock({ timeScale: options.clock.timeScale, start: epoch });
  }

  /** Real ms a stored job's key may live: its simulated retention on the wall clock. */
  function retainMs(simulatedMs: number): number {
    const real =
      options.clock.mode === 'real' ? simulatedMs / options.clock.timeScale : simulatedMs;
    return Math.max(1_000, Math.min(MAX_RETAIN_MS, Math.ceil(real)));
  }

  interface LocalNamespace {
    readonly namespace: SharedNamespace;
    readonly generation: number;
    readonly epoch: number;
    appliedOffset: number;
    /** The clock moves under way: a request reads the clock only once they are done. */
    moving: Promise<void>;
    settings: NamespaceSettings;
    faultRules: readonly ActiveFault[];
  }

  function createLocal(
    name: string,
    state: NamespaceState,
    generation: number,
    epoch: number,
  ): LocalNamespace {
    const clock = makeClock(epoch);
    // Ids must not collide across replicas: each namespace of each replica has its own sequence.
    const random: Random = createRandom(randomBytes(4).readInt32LE(0));
    const planner = createJobPlanner();
    const cache = new Map<string, Job>();
    const cacheLimit = options.cachedJobs ?? 10_000;
    const remember = (job: Job) => {
      if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
      cache.set(job.id, job);
      return job;
    };

    const restore = (id: string, json: JobJson, expiresAt: number): Job => {
      const lifecycle = provider.spec.lifecycles[json.lifecycle];
      if (!lifecycle) throw new Error(`job ${id} names an unknown lifecycle '${json.lifecycle}'`);
      return planner.restore(
        {
          id,
          provider: provider.spec.id,
          lifecycle,
          apiKey: json.apiKey ?? undefined,
          generation: json.generation,
          request: json.request,
          scenario: json.scenario,
          ...(json.error !== null ? { error: json.error } : {}),
          assets: json.assets,
          data: json.data,
          path: json.statuses.map((status) => ({ status, forMs: 0 })),
          ttlMs: 0,
        },
        json.times,
        expiresAt,
      );
    };

    /** Stores a new job (paid for, if `payment` is given); undefined when it is not paid. */
    async function storeJob(input: NewJob, payment?: Payment): Promise<Job | undefined> {
      const now = clock.now();
      const job = planner.plan(input, now);
      const terminal = terminalOf(job);
      const record: JobJson = {
        lifecycle: lifecycleKeys.get(job.lifecycle) ?? job.lifecycle.name,
        apiKey: job.apiKey ?? null,
        generation: job.generation,
        request: job.request,
        scenario: job.scenario,
        statuses: job.timeline.map((entry) => entry.status),
        times: job.timeline.map((entry) => entry.at),
        error: job.error ?? null,
        assets: job.assets,
        data: job.data,
      };
      const outcome = await state.jobs.create(
        {
          id: job.id,
          finishesAt: terminal.at,
          expiresAt: job.expiresAt,
          data: record as unknown as JsonValue,
        },
        {
          now,
          retainMs: retainMs(job.expiresAt - now),
          ...(payment ? { payment: { ...payment, key: ledger.keyOf(payment.key) } } : {}),
        },
      );
      if (outcome === 'unpaid') return undefined;
      if (outcome === 'full') {
        throw new MockError(
          'MOCK_ERR_STORE_FULL',
          `The namespace holds ${state.jobs.maxJobs} unfinished jobs; retry when some finish.`,
        );
      }
      if (outcome === 'exists') throw new Error(`job id ${job.id} is taken in namespace ${name}`);
      if (provider.webhook && input.notifyTerminal !== false) {
        const event = provider.webhook(job, terminal, local.settings.webhookSettings, clock);
        if (event) {
          await state.webhooks.enqueue(
            {
              id: `${job.id}:${terminal.status}`,
              jobId: job.id,
              idempotencyKey: event.idempotencyKey,
              event: {
                type: event.type,
                url: event.url,
                body: JSON.parse(event.rawBody) as JsonValue,
              },
            },
            terminal.at,
          );
          options.onDeliveryQueued?.();
        }
      }
      return remember(job);
    }

    const jobs: Jobs = {
      maxJobs: state.jobs.maxJobs,
      async create(input) {
        return (await storeJob(input)) as Job;
      },
      createPaid: (input, payment) => storeJob(input, payment),
      async get(id) {
        const now = clock.now();
        const known = cache.get(id);
        if (known) {
          if (known.expiresAt > now) return known;
          cache.delete(id);
        }
        const record = await state.jobs.get(id, now);
        if (!record) return undefined;
        return remember(restore(record.id, record.data as unknown as JobJson, record.expiresAt));
      },
      async list() {
        const records = await state.jobs.list(clock.now());
        return records.map((r) => restore(r.id, r.data as unknown as JobJson, r.expiresAt));
      },
      statusOf: (job) => statusAt(job, clock.now()),
      historyOf: (job) => historyAt(job, clock.now()),
      isTerminalNow: (job) => job.lifecycle.terminal.includes(statusAt(job, clock.now()).status),
      // The store refuses a create past the cap itself (atomically across replicas).
      isFull: () => false,
    };

    const ledger = sharedBalances(provider, state, clock);
    const rateLimiter: RateLimits = {
      hit: (key, limit, windowMs) =>
        state.rateLimits.hit(key, { limit, windowMs, now: clock.now() }),
    };

    const faults: Faults = {
      get size() {
        return local.faultRules.length;
      },
      async add(rule: FaultRule) {
        const limit = rule.once ? 1 : rule.times;
        const entry = await state.faults.add(rule as unknown as JsonValue, limit);
        return { ...rule, id: entry.id, fired: 0 };
      },
      remove: (id) => state.faults.remove(id),
      async list() {
        return activeFaults(await state.faults.list());
      },
      async clear() {
        for (const entry of await state.faults.list()) await state.faults.remove(entry.id);
      },
      async match(target) {
        for (const rule of local.faultRules) {
          if (!ruleApplies(rule, target, random)) continue;
          // Counted in the store: a `once` rule fires once across every replica.
          if (rule.once || rule.times !== undefined) {
            if (!(await state.faults.fire(rule.id))) continue;
          }
          return rule;
        }
        return undefined;
      },
    };

    const services: EngineServices = {
      clock,
      random,
      jobs,
      media: options.media,
      ledger,
      rateLimiter,
      get webhookSettings() {
        return local.settings.webhookSettings;
      },
    };

    const writeSettings = async (settings: NamespaceSettings) => {
      local.settings = settings;
      await state.writeSettings(settings as unknown as JsonValue);
    };

    const webhooks = options.webhooksFor({ state, clock, services });
    const namespace: SharedNamespace = {
      name,
      state,
      clock,
      services,
      faults,
      get webhooks() {
        return webhooks;
      },
      get defaultScenario() {
        return local.settings.defaultScenario;
      },
      setDefaultScenario: (scenario) =>
        writeSettings({ ...local.settings, defaultScenario: scenario }),
      setWebhookSettings: (webhookSettings) =>
        writeSettings({ ...local.settings, webhookSettings }),
      async advanceClock(ms) {
        const whole = Math.round(ms);
        const reading = await state.clock.advance(whole);
        await catchUp(local, reading.offsetMs);
        options.onClockMoved?.();
      },
      jobCount: () => state.jobs.count(),
      async reset() {
        await state.reset();
        locals.delete(name);
      },
    };
    const local: LocalNamespace = {
      namespace,
      generation,
      epoch,
      appliedOffset: 0,
      moving: Promise.resolve(),
      settings: defaultsOf(),
      faultRules: [],
    };
    return local;
  }

  /**
   * Moves a local clock to the shared offset: once, however many requests see the new one, one
   * move after another, and every caller waits until all moves asked for so far are done (a
   * manual clock fires its timers step by step: mid-move, it reads an earlier time).
   */
  function catchUp(local: LocalNamespace, offsetMs: number): Promise<void> {
    const delta = offsetMs - local.appliedOffset;
    if (delta > 0) {
      local.appliedOffset = offsetMs;
      // A move that fails (beyond the Date range: the control plane refuses those first) must not
      // stop every later one.
      local.moving = local.moving
        .then(() => local.namespace.clock.advance(delta))
        .catch(() => undefined);
    }
    return local.moving;
  }
  return {
    async followClocks() {
      for (const local of [...locals.values()]) {
        if (local.namespace.clock.pending === 0) continue;
        const reading = await local.namespace.state.clock.read();
        if (reading && reading.epoch === local.epoch) await catchUp(local, reading.offsetMs);
      }
    },
    async open(name) {
      checkNamespace(name);
      // The store's handle of a namespace is made once per local namespace, not per request.
      const state =
        locals.get(name)?.namespace.state ??
        store.namespace(name, { defaultBalance: provider.balance.defaultBalance });
      const snapshot = await state.snapshot();
      if (!snapshot.admitted) {
        throw new MockError(
          'MOCK_ERR_NAMESPACE_LIMIT',
          `The mock holds its most namespaces; reset one you no longer need (POST /__reelkit/reset with its X-Reelkit-Namespace) before using '${name}'.`,
        );
      }
      const reading = snapshot.clock ?? (await state.clock.init(Date.now()));
      let local = locals.get(name);
      if (!local || local.generation !== snapshot.generation || local.epoch !== reading.epoch) {
        local = createLocal(name, state, snapshot.generation, reading.epoch);
        if (locals.size >= MAX_LOCAL_NAMESPACES)
          locals.delete(locals.keys().next().value as string);
      } else {
        locals.delete(name); // to the end: most recently used
      }
      locals.set(name, local);
      local.settings = settingsFrom(snapshot.settings);
      local.faultRules = activeFaults(snapshot.faults);
      await catchUp(local, reading.offsetMs);
      return local.namespace;
    },
  };
}

/** Fault entries of the store as the pipeline's rules (malformed ones are left out). */
function activeFaults(
  entries: readonly { id: string; rule: JsonValue; fired: number }[],
): ActiveFault[] {
  const rules: ActiveFault[] = [];
  for (const entry of entries) {
    try {
      rules.push({ ...parseFaultRule(entry.rule), id: entry.id, fired: entry.fired });
    } catch {
      // A rule another version wrote that this one cannot read: it does not fire here.
    }
  }
  return rules;
}

/**
 * Balances in the store. A router whose balances return every day (rout.my's daily tokens) keeps
 * them under the day's number, so a new day starts every key at the default.
 */
function sharedBalances(
  provider: MockProvider,
  state: NamespaceState,
  clock: ControllableClock,
): Balances & { keyOf(key: string): string } {
  const config = provider.balance;
  const keyOf = (key: string) => (config.resetsDaily ? `day${dayOf(clock.now())}:${key}` : key);
  return {
    config,
    keyOf,
    balanceOf: (key) => state.ledger.balanceOf(keyOf(key)),
    set: (key, amount) => state.ledger.set(keyOf(key), amount),
    async charge(key, amount) {
      return (await state.ledger.charge(keyOf(key), amount, { floorAtZero: true })).balance;
    },
    async spend(key, amount) {
      return (await state.ledger.charge(keyOf(key), amount)).charged;
    },
    async entries() {
      const today = config.resetsDaily ? `day${dayOf(clock.now())}:` : '';
      return (await state.ledger.entries()).flatMap(([key, balance]): [string, number][] =>
        !today
          ? [[key, balance]]
          : key.startsWith(today)
            ? [[key.slice(today.length), balance]]
            : [],
      );
    },
  };
}
