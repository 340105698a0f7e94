/**
 * Classification: which family, stable code and next-step hint a router's answer (its status and
 * its words) or a job's ending gets. Pure decisions over data; the classes in `api-errors.ts` and
 * `job-errors.ts` carry them.
 * @module
 */
import type { ReelkitErrorCode } from './base.js';
import type { ProviderErrorFields } from './body.js';

const MODERATION = /moderation|content policy|safety system|flagged/i;
const QUOTA = /\bquota\b/i;
const CREDITS = /insufficient (credits|balance|funds)|out of credits/i;

/** What to do after a content-policy refusal, wherever it shows up. */
const MODERATION_HINT = 'Change the prompt or the input images: the content policy refused them.';

/**
 * Whether a router's error words describe a content-policy refusal.
 *
 * @example
 * isModeration({ code: 'moderation_blocked' }); // true
 */
export function isModeration(fields: ProviderErrorFields): boolean {
  return (
    fields.code === 'moderation_blocked' ||
    fields.type === 'moderation_error' ||
    Array.isArray(fields.metadata?.reasons) ||
    MODERATION.test(fields.message ?? '')
  );
}

/** The error class families an HTTP error answer falls into (one class each in `api-errors.ts`). */
export type HttpErrorFamily =
  | 'payment_required'
  | 'bad_request'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'rate_limit'
  | 'server'
  | 'other';

/** The verdict on one error answer. */
export interface HttpErrorVerdict {
  readonly family: HttpErrorFamily;
  readonly code: ReelkitErrorCode;
  readonly hint: string;
}

function retryAfterText(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms >= 1000 ? ` Retry-After: ${Math.round(ms / 1000)} s.` : ` Retry-After: ${ms} ms.`;
}

/** A refusal of `family`: a content-policy one when the words say so, else `code` with `hint`. */
function unlessModerated(
  family: HttpErrorFamily,
  fields: ProviderErrorFields,
  code: ReelkitErrorCode,
  hint: string,
): HttpErrorVerdict {
  return isModeration(fields)
    ? { family, code: 'content_moderated', hint: MODERATION_HINT }
    : { family, code, hint };
}

/**
 * Maps a status and the router's words to a family, a code and a hint: quota and credits first
 * (they are never retried, whatever the status), then by status.
 *
 * @example
 * classifyHttpError(429, { message: 'Insufficient quota' }, {}).code; // 'quota_exceeded'
 * classifyHttpError(404, {}, {}).family; // 'not_found'
 */
export function classifyHttpError(
  status: number,
  fields: ProviderErrorFields,
  context: { readonly attempts?: number; readonly retryAfterMs?: number },
): HttpErrorVerdict {
  const message = fields.message ?? '';
  const tries = (context.attempts ?? 1) > 1 ? ` (${context.attempts} attempts)` : '';
  if (status === 429 && QUOTA.test(message)) {
    return {
      family: 'payment_required',
      code: 'quota_exceeded',
      hint: `Wait for the quota window to reset${retryAfterText(context.retryAfterMs)} Or lower duration, resolution or n.`,
    };
  }
  if (status === 402 || CREDITS.test(message)) {
    return {
      family: 'payment_required',
      code: 'insufficient_credits',
      hint: "Add credits on the router's billing page, or choose a cheaper model or a shorter video.",
    };
  }
  switch (status) {
    case 400:
    case 413:
    case 422:
      return unlessModerated(
        'bad_request',
        fields,
        'bad_request',
        "Fix the request as the router's message says; checkCapabilities() lists what a model accepts.",
      );
    case 401:
      return {
        family: 'authentication',
        code: 'authentication_failed',
        hint: 'Check the API key: it is sent as Authorization: Bearer <key>.',
      };
    case 403:
      return unlessModerated(
        'permission_denied',
        fields,
        'permission_denied',
        'This key may not use this model; pick another model or change the plan.',
      );
    case 404:
      return {
        family: 'not_found',
        code: 'not_found',
        hint: 'Check the id and the base URL; jobs expire and belong to the key that created them.',
      };
    case 429:
      return {
        family: 'rate_limit',
        code: 'rate_limited',
        hint: `Slow down${tries}: retry later or lower concurrency.${retryAfterText(context.retryAfterMs)}`,
      };
    default:
      return status >= 500
        ? {
            family: 'server',
            code: 'server_error',
            hint: `The router failed${tries}; retry later.`,
          }
        : { family: 'other', code: 'api_error', hint: 'See the status and the router message.' };
  }
}

/**
 * The canonical way a job ended without a video.
 *
 * @example
 * if (error instanceof GenerationFailedError && error.status === 'expired') resubmit();
 */
export type FailedStatus = 'failed' | 'cancelled' | 'expired';

/**
 * The code and hint of a job that ended without a video; a moderation refusal wins over the
 * status word.
 *
 * @example
 * classifyJobEnd('expired', false).code; // 'generation_expired'
 */
export function classifyJobEnd(
  status: FailedStatus,
  moderated: boolean,
): { readonly code: ReelkitErrorCode; readonly hint: string } {
  if (moderated) return { code: 'content_moderated', hint: MODERATION_HINT };
  switch (status) {
    case 'expired':
      return {
        code: 'generation_expired',
        hint: 'The job outlived its time to live; submit it again.',
      };
    case 'cancelled':
      return {
        code: 'generation_cancelled',
        hint: 'The job was cancelled; submit it again if you still want it.',
      };
    case 'failed':
    default:
      return {
        code: 'generation_failed',
        hint: 'The provider could not make the video; retry later or try another model.',
      };
  }
}
