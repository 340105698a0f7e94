/**
 * rout.my's error replies, `{ error: { message, type, code, param? } }`: each failure family's
 * status and wording come from the spec's facts (`routmy.facts.errors`).
 * @module
 */
import { routmy, routmySpec } from '@reelkit/spec';
import type { ErrorKind } from '@reelkit/spec';
import type { ErrorDetail, Reply } from '../../core/types.js';
import { describeIssues } from '../shared.js';

const { ROUTMY_FAILURES } = routmySpec;

const DAY_SECONDS = 24 * 60 * 60;
/** `Retry-After` of the per-minute rate limit (provisional: the limits are not published). */
const RATE_LIMIT_RETRY_SECONDS = 60;
/** Requests per minute the rate-limit headers announce (provisional, as above). */
const RATE_LIMIT_PER_MINUTE = 60;

/** Kinds whose body names the offending field (`param`). */
const NAMES_PARAM: ReadonlySet<ErrorKind> = new Set([
  'validation',
  'insufficient_credits',
  'moderation',
]);

/**
 * rout.my's reply for a failure family. A validation failure lists its issues after the default
 * wording and names the first one's field. The quota 429 (`insufficient_credits`) sends
 * `Retry-After` up to the daily reset when the caller knows the clock, else a whole day
 * (provisional); the per-minute 429 adds the common `x-ratelimit-*` headers (rout.my documents
 * none).
 *
 * @example
 * routmyErrorReply('provider_error').status; // 502
 */
export function routmyErrorReply(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
  const answer = routmy.facts.errors[kind];
  const param = detail.param ?? (detail.issues?.[0]?.path.map(String).join('.') || undefined);
  let message = detail.message ?? answer.message;
  if (kind === 'validation' && detail.issues?.length)
    message = `${answer.message}: ${describeIssues(detail.issues)}`;
  if (kind === 'unauthorized' && detail.message === undefined && detail.reason === 'invalid')
    message = ROUTMY_FAILURES.invalidKey;
  const headers: Record<string, string> = {};
  if (kind === 'insufficient_credits')
    headers['retry-after'] = String(detail.retryAfterSeconds ?? DAY_SECONDS);
  if (kind === 'rate_limited') {
    headers['retry-after'] = String(detail.retryAfterSeconds ?? RATE_LIMIT_RETRY_SECONDS);
    headers['x-ratelimit-limit'] = String(RATE_LIMIT_PER_MINUTE);
    headers['x-ratelimit-remaining'] = '0';
  }
  return {
    status: answer.status,
    body: {
      error: {
        message,
        type: answer.type,
        code: answer.code,
        ...(param && NAMES_PARAM.has(kind) ? { param } : {}),
      },
    },
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}
