/**
 * FastRouter's error replies, in its `{ error: { message, type, code, status } }` envelope: each
 * failure family's status and wording come from the spec's facts (`fastrouter.facts.errors`).
 * @module
 */
import { fastrouter, fastrouterSpec } from '@reelkit/spec';
import type { ErrorKind } from '@reelkit/spec';
import type { ErrorDetail, Reply } from '../../core/types.js';
import { describeIssues } from '../shared.js';

const { FASTROUTER_ERRORS, fastrouterError } = fastrouterSpec;
type ErrorStatus = fastrouterSpec.FastRouterErrorStatus;

const isErrorStatus = (status: number): status is ErrorStatus =>
  Object.hasOwn(FASTROUTER_ERRORS, status);

/** Rate-limit headers: Retry-After is declared; the x-ratelimit-* names are provisional. */
const REQUESTS_PER_MINUTE = 60;

/**
 * The error reply of a rejected judgement, keeping its own type and code.
 *
 * @example
 * rejection({ status: 400, message: 'Invalid taskId or model' }).status; // 400
 */
export function rejection(verdict: {
  status: number;
  message: string;
  type?: string;
  code?: string;
}): Reply {
  const status = isErrorStatus(verdict.status) ? verdict.status : 400;
  return {
    status,
    body: fastrouterError(status, {
      message: verdict.message,
      ...(verdict.type ? { type: verdict.type } : {}),
      ...(verdict.code ? { code: verdict.code } : {}),
    }),
  };
}

/**
 * FastRouter's reply for a failure family. A validation failure lists its issues after the
 * default wording; a path that is no route (a 404 with a message of its own) is not a missing
 * task and says `not_found`.
 *
 * @example
 * fastrouterErrorReply('insufficient_credits').status; // 402
 */
export function fastrouterErrorReply(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
  const answer = fastrouter.facts.errors[kind];
  const status = isErrorStatus(answer.status) ? answer.status : 400;
  // Issues are a validation failure's, worded after its default message.
  const message =
    detail.issues?.length && kind !== 'payload_too_large'
      ? `${fastrouter.facts.errors.validation.message} ${describeIssues(detail.issues)}`
      : (detail.message ?? answer.message);
  const code = kind === 'not_found' && detail.message ? 'not_found' : answer.code;
  const headers: Record<string, string> = {};
  if (kind === 'rate_limited') {
    const retryAfter = detail.retryAfterSeconds ?? 60;
    headers['retry-after'] = String(retryAfter);
    headers['x-ratelimit-limit-requests'] = String(REQUESTS_PER_MINUTE);
    headers['x-ratelimit-remaining-requests'] = '0';
    headers['x-ratelimit-reset-requests'] = `${retryAfter}s`;
  }
  return {
    status,
    body: fastrouterError(status, {
      message,
      ...(answer.type !== undefined ? { type: answer.type } : {}),
      ...(code !== undefined ? { code: String(code) } : {}),
    }),
    headers,
  };
}
