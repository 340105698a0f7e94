/**
 * When the client repeats a request, and how long it waits first.
 *
 * **Reads** (GET, and POST routes that only read, such as FastRouter's poll routes) are retried on
 * network errors, 408, 409, 429 and 5xx.
 *
 * **Submits** (requests that create a job or start a generation) are never repeated when the
 * router may have started the work, because a second submit may create and bill a second job (no
 * router documents an idempotency key for its video API). A submit is retried only when the
 * answer proves the work was not started:
 * - **429**: rate limiters and quota checks answer before any work (rout.my: "returns 429 before
 *   generation starts");
 * - **5xx answered before processing**: 503 (the service refused the request) on every router,
 *   plus whatever a router is known to answer only before processing (ImageRouter answers 500
 *   only before generation starts; later failures come back as HTTP 200);
 * - **a network error before any byte was sent**: the connection was never established
 *   (`ECONNREFUSED`, DNS failures, connect timeouts). A reset or timeout after the request went out
 *   is not retried: the answer was lost, not the job.
 * A router can still say otherwise with `x-should-retry: true|false`, which wins.
 *
 * Waits honour `retry-after-ms`, then `Retry-After` (seconds or an HTTP date); otherwise they back
 * off exponentially from `initialDelayMs` to `maxDelayMs`, each reduced by up to `jitter` at
 * random. A `Retry-After` longer than `maxRetryAfterMs`, or past the call's deadline, ends the
 * retries at once and the error carries it (`RateLimitError.retryAfterMs`).
 * @module
 */

/**
 * Retry budget and backoff of one call.
 *
 * @example
 * createOpenRouterClient({ apiKey, retry: { maxRetries: 4, maxRetryAfterMs: 120_000 } });
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  readonly maxRetries?: number;
  /** First backoff wait. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Longest backoff wait. Default 8000 ms. */
  readonly maxDelayMs?: number;
  /** Longest `Retry-After` the client will wait before a retry. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** Share (0–1) by which each backoff wait may be shortened at random. Default 0.25. */
  readonly jitter?: number;
  /** Random numbers in [0, 1), for reproducible waits. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * {@link RetryOptions} with every default filled in.
 *
 * @example
 * const { maxRetries }: ResolvedRetryOptions = resolveRetry({ maxRetries: 5 });
 */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The defaults: 2 retries, 0.5 s → 8 s backoff with 25% jitter, `Retry-After` up to 60 s.
 *
 * @example
 * DEFAULT_RETRY.maxRetries; // 2
 */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
  random: Math.random,
};

/**
 * Fills in the defaults; `false` means no retries.
 *
 * @example
 * resolveRetry(false).maxRetries; // 0
 */
export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetryOptions {
  if (options === false) return { ...DEFAULT_RETRY, maxRetries: 0 };
  return { ...DEFAULT_RETRY, ...options };
}

/**
 * What the router asks the client to wait: `retry-after-ms` (milliseconds), else `Retry-After` in
 * seconds (fractions allowed) or as an HTTP date. `undefined` when absent or unreadable.
 *
 * @example
 * parseRetryAfter(new Headers({ 'retry-after': '30' }), Date.now()); // 30000
 * parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), Date.now()); // 250
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
    return Number(ms);
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The backoff wait before retry number `retry` (1-based), with jitter.
 *
 * @example
 * backoffDelay(3, { ...DEFAULT_RETRY, jitter: 0 }); // 2000
 */
export function backoffDelay(retry: number, options: ResolvedRetryOptions): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (retry - 1));
  return Math.round(base * (1 - options.jitter * options.random()));
}

/**
 * Whether a request only reads (safe to repeat) or may create a job.
 *
 * @example
 * await callRoute(fastrouter.routes.getAsyncResponse, { ...options, kind: 'read' });
 */
export type RequestKind = 'read' | 'submit';

/**
 * The statuses a read is retried on.
 *
 * @example
 * READ_RETRY_STATUSES.includes(502); // true
 */
export const READ_RETRY_STATUSES: readonly number[] = [408, 409, 429, 500, 502, 503, 504];

/**
 * The statuses a submit is retried on unless the router adds its own: 429 and 503, answered
 * before any work starts.
 *
 * @example
 * SUBMIT_RETRY_STATUSES.includes(500); // false: the job may exist
 */
export const SUBMIT_RETRY_STATUSES: readonly number[] = [429, 503];

/**
 * Whether an HTTP answer may be retried, by the rules in this module's header.
 *
 * @example
 * isRetriableStatus({ kind: 'submit', status: 500, headers: new Headers(), submitStatuses: [429, 503] }); // false
 */
export function isRetriableStatus(input: {
  readonly kind: RequestKind;
  readonly status: number;
  readonly headers: Headers;
  readonly submitStatuses: readonly number[];
}): boolean {
  const hint = input.headers.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  if (input.kind === 'read')
    return READ_RETRY_STATUSES.includes(input.status) || input.status > 504;
  return input.submitStatuses.includes(input.status);
}
