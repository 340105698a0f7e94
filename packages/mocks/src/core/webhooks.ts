/**
 * Webhook deliveries on the engine's clock: sign, POST, and retry with exponential backoff and
 * jitter, keeping one idempotency key per event across every attempt, with a log the control plane
 * shows. The event body and headers come from the provider; this module only delivers.
 * @module
 */
import type { Clock } from './clock.js';
import type { Random } from './random.js';

/** What a provider wants delivered for a job that reached a terminal status. */
export interface WebhookEvent {
  readonly url: string;
  readonly jobId: string;
  /** The event type, e.g. `video.generation.completed`. */
  readonly type: string;
  readonly idempotencyKey: string;
  /** The JSON body, serialised once so every attempt sends the same bytes. */
  readonly rawBody: string;
  /**
   * Headers for an attempt made at `timestampSeconds`, wall-clock Unix seconds (signatures are
   * made per attempt).
   */
  headers(timestampSeconds: number): Record<string, string>;
}

/** One delivery attempt. */
export interface DeliveryAttempt {
  readonly attempt: number;
  readonly at: string;
  /** HTTP status of the receiver's answer, if it answered. */
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
}

/** A delivery and its attempts. */
export interface Delivery {
  readonly id: string;
  readonly jobId: string;
  readonly type: string;
  readonly url: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  state: 'pending' | 'delivered' | 'failed';
  readonly attempts: DeliveryAttempt[];
  /** When the next attempt is due (ISO), while pending. */
  nextAttemptAt: string | null;
}

/** Retry policy of deliveries. */
export interface WebhookRetryPolicy {
  /** Attempts in all, the first included. Default 6. */
  readonly maxAttempts: number;
  /** Wait before the second attempt; doubled for each further attempt. Default 10 s. */
  readonly baseDelayMs: number;
  /** Longest wait between attempts. Default 10 min. */
  readonly maxDelayMs: number;
  /** Each wait is multiplied by a random factor in [1 − jitter, 1 + jitter]. Default 0.2. */
  readonly jitter: number;
  /** How long one attempt may take before it counts as failed, in real ms. Default 10 s. */
  readonly timeoutMs: number;
}

/** The defaults the README documents. */
export const DEFAULT_RETRY_POLICY: WebhookRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 10_000,
  maxDelayMs: 600_000,
  jitter: 0.2,
  timeoutMs: 10_000,
};

/**
 * The nominal wait before attempt `attempt + 1` (without jitter).
 *
 * @example
 * [1, 2, 3, 4, 5].map((n) => backoffMs(DEFAULT_RETRY_POLICY, n)); // [10000, 20000, 40000, 80000, 160000]
 */
export function backoffMs(policy: WebhookRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** What one attempt to deliver an event got. */
export interface AttemptResult {
  /** HTTP status of the receiver's answer, if it answered. */
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
  /** Whether the callback policy refused the target (no retries then). */
  readonly refused: boolean;
}

/**
 * Posts an event once: signed for now on the wall clock, never following a redirect, within the
 * policy's timeout. Never throws: a failure is in the result.
 *
 * @example
 * const result = await sendOnce(event, { fetch, timeoutMs: 10_000, wallNow: Date.now() });
 */
export async function sendOnce(
  event: WebhookEvent,
  options: {
    readonly fetch: typeof fetch;
    readonly timeoutMs: number;
    readonly wallNow: number;
    readonly refuseTarget?: ((url: string) => string | undefined) | undefined;
  },
): Promise<AttemptResult> {
  // The signature is about this delivery, which happens in real time: a receiver compares
  // its `t=` with its own clock, so it is the wall clock, never the (scaled) simulated time.
  const signedAt = Math.floor(options.wallNow / 1000);
  const started = performance.now();
  const refused = options.refuseTarget?.(event.url);
  let status: number | undefined;
  let error: string | undefined;
  try {
    if (refused) throw new Error(`Refused by the callback policy: ${refused}.`);
    const response = await options.fetch(event.url, {
      method: 'POST',
      headers: event.headers(signedAt),
      body: event.rawBody,
      // A redirect is an answer, never followed (it could lead where the policy refuses).
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (cause) {
    error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  }
  return {
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
    latencyMs: Math.round(performance.now() - started),
    refused: refused !== undefined || (error?.includes('Refused by the callback policy') ?? false),
  };
}

/** What follows attempt `n` of a delivery. */
export type NextStep =
  | { readonly state: 'delivered' }
  | { readonly state: 'failed' }
  | { readonly state: 'retry'; readonly inMs: number };

/**
 * What follows attempt `attempt`: delivered on a 2xx, failed for good after the last attempt or a
 * refusal, else a retry after the backoff with jitter drawn from `random`.
 *
 * @example
 * nextStep(DEFAULT_RETRY_POLICY, 1, { status: 500, latencyMs: 3, refused: false }, random); // { state: 'retry', inMs: ≈10000 }
 */
export function nextStep(
  policy: WebhookRetryPolicy,
  attempt: number,
  result: AttemptResult,
  random: Random,
): NextStep {
  if (result.status !== undefined && result.status >= 200 && result.status < 300)
    return { state: 'delivered' };
  if (attempt >= policy.maxAttempts || result.refused) return { state: 'failed' };
  const jitter = 1 + policy.jitter * (2 * random.next() - 1);
  return { state: 'retry', inMs: Math.round(backoffMs(policy, attempt) * jitter) };
}

/**
 * The webhook log of one namespace as the control plane reaches it: in this process
 * ({@link WebhookDispatcher}) or in a shared store, where any replica delivers.
 *
 * @example
 * const deliveries = await webhooks.list();
 */
export interface Webhooks {
  /** Sends a delivery again now, as a new attempt with the same idempotency key. */
  resend(id: string): Promise<Delivery | undefined>;
  list(): readonly Delivery[] | Promise<readonly Delivery[]>;
  get(id: string): Delivery | undefined | Promise<Delivery | undefined>;
  readonly policy: WebhookRetryPolicy;
}

/** Sends deliveries and keeps their log. */
export interface WebhookDispatcher extends Webhooks {
  enqueue(event: WebhookEvent): Delivery;
  /** Sends a delivery again now, as a new attempt with the same idempotency key. */
  resend(id: string): Promise<Delivery | undefined>;
  list(): readonly Delivery[];
  get(id: string): Delivery | undefined;
  /** Drops the settled deliveries of a job (when the job is evicted), keeping pending ones. */
  forgetJob(jobId: string): void;
  /** Resolves when no attempt is in flight (tests use it after advancing the clock). */
  idle(): Promise<void>;
  clear(): void;
  readonly policy: WebhookRetryPolicy;
}

/**
 * Creates a dispatcher that posts with `fetch` and schedules retries on `clock`.
 *
 * @example
 * const dispatcher = createWebhookDispatcher({ clock, random, fetch });
 * dispatcher.enqueue(event); // first attempt now; retries at ~10 s, ~20 s, ~40 s … on failure
 */
export function createWebhookDispatcher(options: {
  clock: Clock;
  random: () => Random;
  fetch?: typeof fetch;
  policy?: Partial<WebhookRetryPolicy>;
  /**
   * Why a target must not be called (the callback policy), checked before every attempt; a
   * refused delivery fails at once, without retries.
   */
  refuseTarget?: (url: string) => string | undefined;
}): WebhookDispatcher {
  const { clock } = options;
  const post = options.fetch ?? fetch;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const deliveries = new Map<string, { delivery: Delivery; event: WebhookEvent }>();
  const byJob = new Map<string, string[]>();
  const inFlight = new Set<Promise<void>>();
  let counter = 0;

  async function attempt(
    entry: { delivery: Delivery; event: WebhookEvent },
    manual = false,
  ): Promise<void> {
    const { delivery, event } = entry;
    const n = delivery.attempts.length + 1;
    const startedAt = clock.now();
    const result = await sendOnce(event, {
      fetch: post,
      timeoutMs: policy.timeoutMs,
      wallNow: clock.wallNow(),
      refuseTarget: options.refuseTarget,
    });
    delivery.attempts.push({
      attempt: n,
      at: new Date(startedAt).toISOString(),
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      latencyMs: result.latencyMs,
    });
    const next = nextStep(policy, n, result, options.random());
    // A manual resend is one extra attempt; it neither schedules retries nor ends the series.
    if (manual && next.state !== 'delivered') return;
    if (next.state !== 'retry') {
      delivery.state = next.state;
      delivery.nextAttemptAt = null;
      return;
    }
    const due = clock.now() + next.inMs;
    delivery.nextAttemptAt = new Date(due).toISOString();
    clock.schedule(due, () => track(attempt(entry)));
  }

  function track(promise: Promise<void>): void {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  }

  return {
    policy,
    enqueue(event) {
      const delivery: Delivery = {
        id: `whd_${++counter}`,
        jobId: event.jobId,
        type: event.type,
        url: event.url,
        idempotencyKey: event.idempotencyKey,
        body: JSON.parse(event.rawBody) as unknown,
        state: 'pending',
        attempts: [],
        nextAttemptAt: new Date(clock.now()).toISOString(),
      };
      const entry = { delivery, event };
      deliveries.set(delivery.id, entry);
      byJob.set(event.jobId, [...(byJob.get(event.jobId) ?? []), delivery.id]);
      track(attempt(entry));
      return delivery;
    },
    async resend(id) {
      const entry = deliveries.get(id);
      if (!entry) return undefined;
      const run = attempt(entry, true);
      track(run);
      await run;
      return entry.delivery;
    },
    forgetJob(jobId) {
      const kept = (byJob.get(jobId) ?? []).filter((id) => {
        if (deliveries.get(id)?.delivery.state !== 'pending') deliveries.delete(id);
        return deliveries.has(id);
      });
      if (kept.length > 0) byJob.set(jobId, kept);
      else byJob.delete(jobId);
    },
    list: () => [...deliveries.values()].map((e) => e.delivery),
    get: (id) => deliveries.get(id)?.delivery,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    clear() {
      deliveries.clear();
      byJob.clear();
    },
  };
}
