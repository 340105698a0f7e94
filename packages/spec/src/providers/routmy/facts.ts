/**
 * rout.my's facts beyond its routes: how each failure family is answered, the texts of its
 * failures and how long models take.
 * @module
 */
import { GENERATION_SCENARIOS } from '../../common/scenarios.js';
import { UPSTREAM_TIMING, upstreamTimingFor } from '../../common/timing.js';
import type { ErrorAnswer, ErrorKind, RouterFacts, TimingTable } from '../../router.js';
import { ROUTMY_CATALOG } from './catalog.js';
import type { RoutMyErrorStatus } from './schemas.js';
import { ROUTMY_ERROR_KINDS, ROUTMY_INVALID_BODY_MESSAGE } from './schemas.js';

/**
 * Texts of failures, after the errors page's "Meaning" column where it has one.
 *
 * @example
 * ROUTMY_FAILURES.provider; // 'Upstream provider failed or no provider succeeded.'
 */
export const ROUTMY_FAILURES = {
  /** 502: "Upstream provider failed or no provider succeeded." (errors page, verbatim). */
  provider: 'Upstream provider failed or no provider succeeded.',
  /** 400 for a "policy-blocked prompt" (errors page); the wording is ours (provisional). */
  moderation: 'The prompt was blocked by the content policy. Change the prompt and try again.',
  /** 500: "Internal server error." (errors page, verbatim). */
  server: 'Internal server error.',
  /** 429 in the "Rate or quota limit" category (error-resolver page); wording provisional. */
  rateLimited:
    'Rate limit exceeded: too many requests per minute for this key. Retry with backoff.',
  /** 429 for daily tokens; the judge words the worst-case case with its numbers. */
  quota:
    'Insufficient quota: the daily token quota of this key is used up. ' +
    'Wait for the reset window, reduce the request size, or check quota.',
  /**
   * 401 without a key, and with a wrong one. Wording provisional; the errors page: "Missing or
   * invalid API key." / "Check the Authorization header or compatible auth field."
   */
  missingKey: 'Missing API key. Send it as Authorization: Bearer <key>.',
  invalidKey: 'Invalid API key. Check the Authorization header or compatible auth field.',
  /** 404 on a wrong path (an unknown model is judged: `model_not_found`). */
  notFound: 'Wrong path or unknown model.',
} as const;

/** A status's `type` and `code` words with a message. */
const answer = (status: RoutMyErrorStatus, message: string): ErrorAnswer => {
  const { type, code } = ROUTMY_ERROR_KINDS[status];
  return { status, message, type, code };
};

/**
 * rout.my's answer to each failure family. `insufficient_credits` is the quota 429 ("Rate limit
 * or quota exhausted"): rout.my has a token quota, not a credit balance, and answers no 402. The
 * errors page lists no 413 and no 403 for content: an oversized body is an invalid request body
 * and a policy-blocked prompt a 400 (provisional). A wrong path carries the reason phrase.
 *
 * @example
 * ROUTMY_ERROR_ANSWERS.insufficient_credits.status; // 429
 */
export const ROUTMY_ERROR_ANSWERS: Readonly<Record<ErrorKind, ErrorAnswer>> = {
  validation: answer(400, ROUTMY_INVALID_BODY_MESSAGE),
  payload_too_large: answer(400, `${ROUTMY_INVALID_BODY_MESSAGE}: body too large`),
  unauthorized: answer(401, ROUTMY_FAILURES.missingKey),
  not_found: { ...answer(404, ROUTMY_FAILURES.notFound), code: 'Not Found' },
  insufficient_credits: answer(429, ROUTMY_FAILURES.quota),
  rate_limited: answer(429, ROUTMY_FAILURES.rateLimited),
  server_error: answer(500, ROUTMY_FAILURES.server),
  provider_error: answer(502, ROUTMY_FAILURES.provider),
  moderation: answer(400, ROUTMY_FAILURES.moderation),
};

/**
 * Simulated queue and render times per model (provisional: rout.my publishes none; they follow
 * what the upstream models take elsewhere). All fit in the documented 15-minute window
 * (`curl --max-time 900`) except the `slow` scenario on the slowest models, which is how a
 * client's timeout can be exercised. Sora 2 is allowed longer here than the shared estimate.
 */
const timing: TimingTable = {
  // A model without an estimate of its own takes as long as Veo 3.1.
  default: UPSTREAM_TIMING['google/veo-3.1'],
  byModel: {
    ...upstreamTimingFor(ROUTMY_CATALOG.map((entry) => entry.model.id)),
    'provider/video-model-id': { queueMs: [2_000, 8_000], renderMs: [30_000, 90_000] },
    'openai/sora-2': { queueMs: [10_000, 30_000], renderMs: [60_000, 180_000] },
    'kling/kling-v2.1': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
    'bytedance/seedance-1-lite': { queueMs: [3_000, 10_000], renderMs: [30_000, 60_000] },
  },
};

/**
 * rout.my's facts (see `RouterFacts`). No `job` and no poll cadence: one held request.
 *
 * @example
 * routmy.facts.errors.provider_error.message; // 'Upstream provider failed or no provider succeeded.'
 */
export const routmyFacts = {
  errors: ROUTMY_ERROR_ANSWERS,
  timing,
  // No `cancelled` (a client that disconnects only gets a 499 in rout.my's logs) and no
  // `expired` (the server-side timeout is not documented).
  scenarios: GENERATION_SCENARIOS,
  // rout.my has no job to fetch; the record is kept a day for the mock's control plane only.
  jobTtlMs: 24 * 60 * 60 * 1000,
} as const satisfies RouterFacts;
