/**
 * The root of the client's errors: the stable codes, the base class every error extends, and the
 * shape of one schema problem.
 * @module
 */

/**
 * Stable error codes; safe to switch on.
 *
 * @example
 * if (error instanceof ReelkitError && error.code === 'content_moderated') askForAnotherPrompt();
 */
export type ReelkitErrorCode =
  | 'webhook_signature_missing'
  | 'webhook_signature_malformed'
  | 'webhook_signature_mismatch'
  | 'webhook_timestamp_out_of_tolerance'
  | 'webhook_payload_invalid'
  | 'bad_request'
  | 'authentication_failed'
  | 'insufficient_credits'
  | 'quota_exceeded'
  | 'permission_denied'
  | 'content_moderated'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'api_error'
  | 'connection_failed'
  | 'timeout'
  | 'aborted'
  | 'capability_unsupported'
  | 'request_invalid'
  | 'response_invalid'
  | 'generation_failed'
  | 'generation_cancelled'
  | 'generation_expired';

/**
 * Base class of every error the client throws.
 *
 * @example
 * try { verifyWebhook(body, headers, secret); } catch (e) { if (e instanceof ReelkitError) console.log(e.code, e.hint); }
 */
export class ReelkitError extends Error {
  override readonly name: string = 'ReelkitError';
  constructor(
    readonly code: ReelkitErrorCode,
    message: string,
    /** What to do next. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(`[reelkit] ${message}${hint ? ` ${hint}` : ''}`, options);
  }
}

/**
 * A webhook that must not be trusted: missing or wrong signature, stale timestamp, bad payload.
 *
 * @example
 * if (error instanceof WebhookVerificationError) return new Response(null, { status: 401 });
 */
export class WebhookVerificationError extends ReelkitError {
  override readonly name = 'WebhookVerificationError';
}

/**
 * One schema problem, as Zod reports it (kept as data, never joined into a string).
 *
 * @example
 * const where = error.issues.map((i: Issue) => i.path.join('.'));
 */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
}

/**
 * Ends `text` with a full stop unless it already ends a sentence.
 *
 * @example
 * sentence('The router answered 500: boom'); // 'The router answered 500: boom.'
 */
export const sentence = (text: string): string =>
  /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
