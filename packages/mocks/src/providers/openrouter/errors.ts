/**
 * OpenRouter's error quirks beyond its facts: the wording of an unknown key, and the rate-limit
 * headers of a 429.
 * @module
 */
import { openrouter, openrouterSpec } from '@reelkit/spec';
import type { ErrorKind } from '@reelkit/spec';
import type { ErrorDetail } from '../../core/types.js';

/**
 * OpenRouter's own wording where it is not the failure family's default: an unknown key.
 *
 * @example
 * errorMessage('unauthorized', { reason: 'invalid' }); // 'User not found.'
 */
export function errorMessage(kind: ErrorKind, detail: ErrorDetail): string | undefined {
  return kind === 'unauthorized' && detail.reason === 'invalid'
    ? openrouterSpec.OPENROUTER_UNKNOWN_KEY_MESSAGE
    : undefined;
}

/**
 * The headers of an error answer: `retry-after` and the rate-limit window on a 429.
 *
 * @example
 * errorHeaders('rate_limited', { retryAfterSeconds: 5 })['retry-after']; // '5'
 */
export function errorHeaders(kind: ErrorKind, detail: ErrorDetail): Record<string, string> {
  if (kind !== 'rate_limited') return {};
  return {
    'retry-after': String(detail.retryAfterSeconds ?? openrouter.facts.retryAfterSeconds),
    'x-ratelimit-limit': '20',
    'x-ratelimit-remaining': '0',
  };
}
