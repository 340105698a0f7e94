/**
 * The client's errors: one base class with a stable `code`, subclasses per failure family.
 * @module
 */

/** Stable error codes; safe to switch on. */
export type ReelkitErrorCode =
  | 'webhook_signature_missing'
  | 'webhook_signature_malformed'
  | 'webhook_signature_mismatch'
  | 'webhook_timestamp_out_of_tolerance'
  | 'webhook_payload_invalid';

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
