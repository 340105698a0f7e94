/**
 * ImageRouter's error replies, `{ error: { message, type, code?, param? } }`: each failure
 * family's status and wording come from the spec's facts (`imagerouter.facts.errors`). Failures
 * after validation (insufficient credits, moderation, a provider's error) are HTTP 200 with an
 * error body, since the router has already committed to 200 by then.
 * @module
 */
import { imagerouter, imagerouterSpec } from '@reelkit/spec';
import type { ErrorKind } from '@reelkit/spec';
import type { ErrorDetail, Reply } from '../../core/types.js';

const { IMAGEROUTER_FAILURES, IMAGEROUTER_MESSAGES: M } = imagerouterSpec;

/**
 * The documented video limit: balance / 6 requests per second, clamped to 1..20.
 *
 * @example
 * videoLimitPerSecond(100); // 16
 */
export const videoLimitPerSecond = (balanceUsd: number): number =>
  Math.min(20, Math.max(1, Math.floor(balanceUsd / 6)));

/**
 * The draft-6 `RateLimit-*` headers express-rate-limit sends with a 429, and `Retry-After`.
 *
 * @example
 * rateLimitHeaders(16, 1)['ratelimit-policy']; // '16;w=1'
 */
export function rateLimitHeaders(limit: number, resetSeconds: number): Record<string, string> {
  return {
    'ratelimit-policy': `${limit};w=1`,
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': '0',
    'ratelimit-reset': String(resetSeconds),
    'retry-after': String(resetSeconds),
  };
}

/**
 * The router's answer for every failure family, for a mock whose keys start with `credits` USD.
 * A validation failure names its first issue verbatim; a wrong key says so; an unknown model
 * names its `param`; the 200-with-error bodies of moderation and a forwarded provider error are
 * the router's own (`IMAGEROUTER_FAILURES`).
 *
 * @example
 * createImageRouterErrors(1000)('moderation').status; // 200
 */
export function createImageRouterErrors(credits: number) {
  // error() sees no key, so the limit is the one of a key at the starting balance.
  const limit = videoLimitPerSecond(credits);
  return function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
    const answer = imagerouter.facts.errors[kind];
    let message = detail.message ?? answer.message;
    const extra: { code?: string; param?: string } = {};
    let headers: Record<string, string> | undefined;
    switch (kind) {
      case 'provider_error':
        return { status: answer.status, body: IMAGEROUTER_FAILURES.forwarded };
      case 'moderation':
        return { status: answer.status, body: IMAGEROUTER_FAILURES.moderation };
      case 'payload_too_large':
        message = answer.message;
        break;
      case 'validation':
        message = detail.message ?? detail.issues?.[0]?.message ?? answer.message;
        break;
      case 'unauthorized':
        if (detail.message === undefined && detail.reason === 'invalid') message = M.authInvalid;
        break;
      case 'not_found':
        if (detail.param === 'model')
          Object.assign(extra, { param: 'model', code: 'model_not_found' });
        break;
      case 'rate_limited':
        headers = rateLimitHeaders(limit, detail.retryAfterSeconds ?? 1);
        break;
      case 'insufficient_credits':
      case 'server_error':
        break;
    }
    return {
      status: answer.status,
      body: { error: { message, type: answer.type, ...extra } },
      ...(headers ? { headers } : {}),
    };
  };
}
