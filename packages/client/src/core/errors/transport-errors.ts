/**
 * Errors of a call that got no answer: the connection failed, the call's time ran out, or the
 * caller aborted it.
 * @module
 */
import { ReelkitError } from './base.js';

/**
 * No HTTP answer: DNS, refused or reset connection, TLS. `maybeSent` says whether the request may
 * have reached the router (then a submit is not retried, since it may have created a job).
 *
 * @example
 * if (e instanceof ConnectionError && e.maybeSent) console.warn('check for a created job first');
 */
export class ConnectionError extends ReelkitError {
  override readonly name = 'ConnectionError';
  readonly url: string;
  /** Whether the request may have reached the router before the connection failed. */
  readonly maybeSent: boolean;
  readonly attempts: number;
  constructor(init: {
    readonly url: string;
    readonly maybeSent: boolean;
    readonly attempts: number;
    readonly cause: unknown;
    /** Whether the request creates a job (then a lost answer may hide a created job). */
    readonly createsJob: boolean;
  }) {
    const reason = describeCause(init.cause);
    super(
      'connection_failed',
      `Could not reach ${init.url}: ${reason}${init.attempts > 1 ? ` (${init.attempts} attempts)` : ''}.`,
      init.maybeSent && init.createsJob
        ? 'The request may have reached the router and created a job: look for it (dashboard or your webhook) before submitting again.'
        : 'Check the network and the base URL, then retry.',
      { cause: init.cause },
    );
    this.url = init.url;
    this.maybeSent = init.maybeSent;
    this.attempts = init.attempts;
  }
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = cause, depth = 0; c && depth < 4; depth++) {
    if (c instanceof Error) {
      const code = (c as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${c.message} [${code}]` : c.message);
      c = c.cause;
    } else {
      parts.push(String(c));
      break;
    }
  }
  return parts.join(' ← ') || 'unknown error';
}

/**
 * The call's `timeoutMs` ran out; the request in flight was aborted. For an async router the job
 * may still finish: `jobId` names it.
 *
 * @example
 * if (e instanceof TimeoutError && e.jobId) await client.getVideo({ params: { jobId: e.jobId } });
 */
export class TimeoutError extends ReelkitError {
  override readonly name = 'TimeoutError';
  readonly timeoutMs: number;
  readonly jobId: string | undefined;
  constructor(init: {
    readonly timeoutMs: number;
    readonly what: string;
    readonly jobId?: string;
  }) {
    super(
      'timeout',
      `${init.what} did not finish within ${init.timeoutMs} ms.`,
      init.jobId
        ? `The job ${init.jobId} may still finish: poll it later, or raise timeoutMs.`
        : 'Raise timeoutMs (synchronous routers hold the connection for up to ~15 minutes).',
    );
    this.timeoutMs = init.timeoutMs;
    this.jobId = init.jobId;
  }
}

/**
 * The caller's `AbortSignal` fired. `reason` is the signal's reason.
 *
 * @example
 * const controller = new AbortController(); setTimeout(() => controller.abort(), 1000);
 * try { await generateVideo({ ..., signal: controller.signal }); } catch (e) { e instanceof AbortError; }
 */
export class AbortError extends ReelkitError {
  override readonly name = 'AbortError';
  readonly jobId: string | undefined;
  constructor(init: { readonly reason?: unknown; readonly jobId?: string } = {}) {
    super(
      'aborted',
      'The call was aborted by its AbortSignal.',
      init.jobId ? `The job ${init.jobId} was submitted and may still finish.` : undefined,
      init.reason === undefined ? undefined : { cause: init.reason },
    );
    this.jobId = init.jobId;
  }
}
