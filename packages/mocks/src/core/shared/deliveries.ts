/**
 * Webhook deliveries of replicas that share a store. A job that wants a webhook queues its
 * delivery in the store when it is created, due when the job ends (simulated time). Every replica
 * runs a worker that claims due deliveries with a lease on the wall clock: each is attempted by
 * one replica at a time, retried on the documented backoff by whichever replica is alive, with
 * the same idempotency key; a replica that dies mid-attempt loses its lease and another takes the
 * delivery over. The attempt itself (signing, timeout, policy) is the in-memory dispatcher's.
 * @module
 */
import type { Delivery, DeliveryAttempt, WebhookRetryPolicy, Webhooks } from '../webhooks.js';
import { nextStep, sendOnce } from '../webhooks.js';
import { terminalOf } from '../store.js';
import type { MockProvider, WebhookSettings } from '../types.js';
import type { AttemptRecord, DeliveryRecord } from '../../state/types.js';
import { StateStoreError } from '../../state/types.js';
import type { SharedNamespace } from './namespaces.js';

/** Options of {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  readonly provider: Pick<MockProvider, 'webhook'>;
  /** This replica's name: the owner of its leases. */
  readonly replica: string;
  readonly policy: WebhookRetryPolicy;
  readonly fetch: typeof fetch;
  /** Why a callback must not be called (the callback policy), with the namespace's settings. */
  readonly refuseTarget: (url: string, settings: WebhookSettings) => string | undefined;
  /** Names of the namespaces with deliveries queued or held. */
  readonly namespaces: () => Promise<string[]>;
  /** A namespace with its snapshot read now. */
  readonly open: (name: string) => Promise<SharedNamespace>;
  /** Where a failing round is reported (the store unreachable …); the worker goes on. */
  readonly log: (message: string, error: unknown) => void;
  /** How often (real ms) the worker looks for due deliveries. Default 100. */
  readonly intervalMs?: number;
}

/** The webhook worker of one replica. */
export interface DeliveryWorker {
  /** The delivery log of a namespace, as the control plane shows it. */
  webhooksOf(namespace: Pick<SharedNamespace, 'state' | 'clock' | 'services'>): Webhooks;
  /** Looks for due deliveries now (after a clock advance or a job that ends at once). */
  wake(): void;
  /** Resolves when no round is running. */
  idle(): Promise<void>;
  /** Stops looking, finishes the attempts in flight and gives back any delivery still held. */
  close(): Promise<void>;
}

/** Deliveries claimed and attempted at once by one replica, per namespace. */
const PARALLEL_ATTEMPTS = 32;

/** The control plane's view of a stored delivery. */
function deliveryView(record: DeliveryRecord): Delivery {
  const event = (record.event ?? {}) as { type?: string; url?: string; body?: unknown };
  return {
    id: record.id,
    jobId: record.jobId,
    type: event.type ?? '',
    url: event.url ?? '',
    idempotencyKey: record.idempotencyKey,
    body: event.body ?? null,
    state: record.state,
    attempts: record.attempts.map((a): DeliveryAttempt => ({
      attempt: a.attempt,
      at: new Date(a.at).toISOString(),
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      latencyMs: a.latencyMs ?? 0,
    })),
    nextAttemptAt: record.dueAt === null ? null : new Date(record.dueAt).toISOString(),
  };
}

/**
 * Creates the webhook worker of a replica and starts it.
 *
 * @example
 * const worker = createDeliveryWorker({ provider, replica: 'a', policy, fetch, refuseTarget, namespaces, open, log });
 * await worker.close();
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { provider, policy, replica } = options;
  // A lease outlives the longest attempt, on the wall clock: a dead replica's work comes back
  // soon after, even while a manual clock stands still.
  const leaseMs = policy.timeoutMs + 5_000;
  let round: Promise<void> | undefined;
  let again = false;
  let closed = false;

  /** One attempt of a claimed delivery, settled in the store. */
  async function attempt(
    ns: Pick<SharedNamespace, 'state' | 'clock' | 'services'>,
    delivery: DeliveryRecord,
    manual: boolean,
  ): Promise<{ record: AttemptRecord; delivered: boolean; retryInMs?: number; failed: boolean }> {
    const n = delivery.attempts.length + 1;
    const startedAt = ns.clock.now();
    const job = await ns.services.jobs.get(delivery.jobId);
    const event =
      job && provider.webhook?.(job, terminalOf(job), ns.services.webhookSettings, ns.clock);
    if (!event) {
      const error = job ? 'The job names no callback URL any more.' : 'The job is gone.';
      return { record: { attempt: n, at: startedAt, error }, delivered: false, failed: true };
    }
    const result = await sendOnce(event, {
      fetch: options.fetch,
      timeoutMs: policy.timeoutMs,
      wallNow: Date.now(),
      refuseTarget: (url) => options.refuseTarget(url, ns.services.webhookSettings),
    });
    const record: AttemptRecord = {
      attempt: n,
      at: startedAt,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      latencyMs: result.latencyMs,
    };
    const next = nextStep(policy, n, result, ns.services.random);
    if (manual || next.state !== 'retry')
      return { record, delivered: next.state === 'delivered', failed: next.state === 'failed' };
    return { record, delivered: false, failed: false, retryInMs: next.inMs };
  }

  /** Claims and attempts the namespace's due deliveries until none is due. */
  async function drain(name: string): Promise<void> {
    const ns = await options.open(name);
    for (;;) {
      // Claimed together (one write, with auto-pipelining); each claim is atomic in the store,
      // so the deliveries are distinct, and fewer than asked means none is left due.
      const now = ns.clock.now();
      const claimed = await Promise.all(
        Array.from({ length: PARALLEL_ATTEMPTS }, () =>
          ns.state.webhooks.claim({ owner: replica, now, leaseMs, leaseNow: Date.now() }),
        ),
      );
      const claims = claimed.filter((claim) => claim !== undefined);
      if (claims.length === 0) return;
      await Promise.all(
        claims.map(async ({ delivery }) => {
          const outcome = await attempt(ns, delivery, false);
          await ns.state.webhooks.settle(
            delivery.id,
            replica,
            outcome.retryInMs !== undefined
              ? {
                  result: 'retry',
                  attempt: outcome.record,
                  retryAt: ns.clock.now() + outcome.retryInMs,
                }
              : { result: outcome.delivered ? 'delivered' : 'failed', attempt: outcome.record },
          );
        }),
      );
      if (claims.length < PARALLEL_ATTEMPTS) return;
    }
  }

  // A store that stops answering is reported once, not on every round until it is back.
  let failing = false;
  async function runRound(): Promise<void> {
    do {
      again = false;
      try {
        for (const name of await options.namespaces()) {
          if (closed) return;
          await drain(name);
        }
        if (failing) options.log('[reelkit] webhook worker: the state store answers again', '');
        failing = false;
      } catch (error) {
        if (!failing) {
          options.log(
            '[reelkit] webhook worker: a round failed; retrying every round:',
            // The store's own words say what failed; a stack is for reelkit's bugs.
            error instanceof StateStoreError ? error.message : error,
          );
        }
        failing = true;
      }
    } while (again && !closed);
  }

  function wake(): void {
    if (closed) return;
    if (round) {
      again = true;
      return;
    }
    round = runRound().finally(() => {
      round = undefined;
    });
  }

  const timer = setInterval(wake, options.intervalMs ?? 100);
  timer.unref?.();

  return {
    webhooksOf(ns) {
      return {
        policy,
        async list() {
          return (await ns.state.webhooks.list()).map(deliveryView);
        },
        async get(id) {
          const record = await ns.state.webhooks.get(id);
          return record && deliveryView(record);
        },
        async resend(id) {
          const record = await ns.state.webhooks.get(id);
          if (!record) return undefined;
          const outcome = await attempt(ns, record, true);
          await ns.state.webhooks.record(id, outcome.record, outcome.delivered);
          const updated = await ns.state.webhooks.get(id);
          return updated && deliveryView(updated);
        },
      };
    },
    wake,
    async idle() {
      while (round) await round;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      while (round) await round;
      // Nothing is held after a finished round; a round cut short by an error may hold some.
      try {
        for (const name of await options.namespaces()) {
          const ns = await options.open(name);
          await ns.state.webhooks.release(replica, ns.clock.now());
        }
      } catch (error) {
        options.log('[reelkit] webhook worker: could not give back held deliveries', error);
      }
    },
  };
}
