/**
 * The options of `createMockEngine`, in a module of their own: the engine and its namespace
 * sources both read them.
 * @module
 */
import type { StateStore } from '../state/types.js';
import type { Clock } from './clock.js';
import type { FaultRule } from './faults.js';
import type { SharedClockConfig } from './shared/namespaces.js';
import type { MockProvider, WebhookSettings } from './types.js';
import type { WebhookRetryPolicy } from './webhooks.js';

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
