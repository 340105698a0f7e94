/**
 * What the control plane (`/__reelkit/*`) needs of an engine: its state to show and the knobs to
 * turn. A `MockEngine` is one; the control plane knows nothing else of the engine.
 * @module
 */
import type { Clock } from './clock.js';
import type { FaultController } from './faults.js';
import type { Ledger } from './ledger.js';
import type { MediaStore } from './media.js';
import type { JobStore } from './store.js';
import type { Diagnostic, MockProvider, WebhookSettings } from './types.js';
import type { WebhookDispatcher } from './webhooks.js';

/**
 * The engine as the control plane sees it.
 *
 * @example
 * function describe(engine: EngineControl) {
 *   return { provider: engine.provider.spec.id, jobs: engine.jobs.size, now: engine.clock.now() };
 * }
 */
export interface EngineControl {
  readonly provider: Pick<MockProvider, 'spec' | 'scenarios' | 'webhook'>;
  readonly clock: Clock;
  readonly jobs: JobStore;
  readonly media: MediaStore;
  /** Forgets every job and asset and restarts the random sequence from the seed. */
  reset(): void;
  /** The scenario for requests that name none; changeable at run time. */
  defaultScenario: string;
  readonly faultRates: Readonly<Record<string, number>>;
  readonly diagnostics: readonly Diagnostic[];
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
  /** The control token, if the control plane needs one. */
  readonly controlToken: string | undefined;
  /** The origin of `publicUrl`, if one was given: answers name it instead of the request's. */
  readonly publicOrigin: string | undefined;
}
