/**
 * A namespace: one set of jobs, balances, rate windows, fault rules, webhook deliveries, clock
 * and settings inside an engine. Parallel test runs that share one mock (or one fleet) each name
 * their own, so they never see or reset each other's state. An engine in memory holds the one
 * namespace `default`; an engine on a state store (`shared-namespace.ts`) serves any number.
 * @module
 */
import type { Clock } from './clock.js';
import { isControllable } from './clock.js';
import { MockError } from './errors.js';
import type { Faults } from './faults.js';
import type { MaybePromise } from './store.js';
import type { EngineServices, WebhookSettings } from './types.js';
import type { Webhooks } from './webhooks.js';

/** The request header that names a namespace. */
export const NAMESPACE_HEADER = 'x-reelkit-namespace';

/**
 * In a Bearer key, what separates a namespace from the key itself: `ci-42~sk-test` is the key
 * `ci-42~sk-test` in namespace `ci-42` (for clients that cannot add a header).
 */
export const NAMESPACE_KEY_SEPARATOR = '~';

/** The namespace of requests that name none. */
export { DEFAULT_NAMESPACE } from '../state/types.js';

/** One namespace of an engine, as the route pipeline and the control plane reach it. */
export interface Namespace {
  readonly name: string;
  /** What handlers use: the namespace's clock, jobs, balances, rate windows, media … */
  readonly services: EngineServices;
  readonly faults: Faults;
  readonly webhooks: Webhooks;
  /** The scenario of requests that name none. */
  readonly defaultScenario: string;
  setDefaultScenario(name: string): MaybePromise<void>;
  setWebhookSettings(settings: WebhookSettings): MaybePromise<void>;
  /** Moves the namespace's clock forward (for every replica, on a shared store). */
  advanceClock(ms: number): Promise<void>;
  /** How many jobs the namespace holds. */
  jobCount(): MaybePromise<number>;
  /** Forgets the namespace's jobs, balances, faults, deliveries and clock offset. */
  reset(): MaybePromise<void>;
}

/**
 * The namespace a request names: the `X-Reelkit-Namespace` header, else (on the router's routes,
 * `fromKey`) the part of its Bearer key before `~`, else undefined (the default namespace). Not
 * yet checked: see `checkNamespace`. The control plane takes the header only: its Bearer value is
 * the control token, never a key.
 *
 * @example
 * namespaceOf(new Headers({ authorization: 'Bearer shard-3~sk-test' }), true); // 'shard-3'
 */
export function namespaceOf(
  headers: { get(name: string): string | null },
  fromKey: boolean,
): string | undefined {
  const named = headers.get(NAMESPACE_HEADER);
  if (named !== null) return named.trim();
  if (!fromKey) return undefined;
  const auth = headers.get('authorization');
  if (auth === null) return undefined;
  const separator = auth.indexOf(NAMESPACE_KEY_SEPARATOR);
  if (separator < 0) return undefined;
  const scheme = auth.slice(0, 7).toLowerCase();
  if (scheme !== 'bearer ') return undefined;
  return auth.slice(7, separator).trim();
}

/** The parts of the engine's own memory state a {@link createMemoryNamespace} wraps. */
export interface MemoryNamespaceParts {
  readonly services: EngineServices;
  readonly faults: Faults;
  readonly webhooks: Webhooks;
  readonly jobCount: () => number;
  readonly reset: () => void;
  readonly getDefaultScenario: () => string;
  readonly setDefaultScenario: (name: string) => void;
  readonly setWebhookSettings: (settings: WebhookSettings) => void;
}

/**
 * The one namespace of an engine in memory, over the engine's own state.
 *
 * @example
 * const only = createMemoryNamespace(parts);
 * only.services.jobs.get('job-1');
 */
export function createMemoryNamespace(parts: MemoryNamespaceParts): Namespace {
  const { services } = parts;
  return {
    name: 'default',
    services,
    faults: parts.faults,
    webhooks: parts.webhooks,
    get defaultScenario() {
      return parts.getDefaultScenario();
    },
    setDefaultScenario: parts.setDefaultScenario,
    setWebhookSettings: parts.setWebhookSettings,
    advanceClock: (ms) => advanceOrRefuse(services.clock, ms),
    jobCount: parts.jobCount,
    reset: parts.reset,
  };
}

/** Advances a clock that can be moved by hand; the mock's 400 for one that cannot. */
export async function advanceOrRefuse(clock: Clock, ms: number): Promise<void> {
  if (!isControllable(clock)) {
    throw new MockError(
      'MOCK_ERR_CLOCK_NOT_MANUAL',
      'The clock of this mock cannot be moved by hand; give it a clock from createManualClock, createAutoClock or createRealClock.',
    );
  }
  await clock.advance(ms);
}
