/**
 * ImageRouter's facts beyond its routes: how each failure family is answered (several with HTTP
 * 200, since the router has committed to 200 before it calls the provider), the failure bodies it
 * sends after validation, and how long models take.
 * @module
 */
import { GENERATION_SCENARIOS } from '../../common/scenarios.js';
import { UPSTREAM_TIMING, upstreamTimingFor } from '../../common/timing.js';
import type { ErrorAnswer, ErrorKind, RouterFacts, TimingTable } from '../../router.js';
import { IMAGEROUTER_CATALOG } from './catalog.js';
import { IMAGEROUTER_MESSAGES as M } from './schemas.js';

/**
 * Failure bodies the router sends after validation (all with HTTP 200), verbatim where the
 * router's code or tests give them.
 *
 * @example
 * IMAGEROUTER_FAILURES.moderation.error.code; // 'moderation_blocked'
 */
export const IMAGEROUTER_FAILURES = {
  /** `test/api.test.js` (same wrapper as the video endpoint). */
  moderation: {
    error: {
      type: 'image_generation_user_error',
      code: 'moderation_blocked',
      message:
        'Request was rejected as a result of the safety system. Request may contain content that is not allowed by the safety system.',
      param: null,
    },
  },
  /** The fallback text of a forwarded provider error (`videoService.js`), wrapped as internal. */
  provider: { error: { message: 'Video generation failed', type: 'internal_error' } },
  /**
   * A provider error forwarded as-is (`error.errorResponse`): Gemini's overload answer, which the
   * wrapper retries once and then passes on.
   */
  forwarded: {
    status: 503,
    statusText: 'UNAVAILABLE',
    error: { message: 'The model is overloaded. Please try again later.', type: 'UNAVAILABLE' },
  },
} as const;

/**
 * While a video renders, the router writes a space this often to keep the connection open
 * (`videoService.js`); the JSON body follows the last one.
 *
 * @example
 * IMAGEROUTER_HEARTBEAT_MS; // 3000
 */
export const IMAGEROUTER_HEARTBEAT_MS = 3000;

/**
 * The minimum the insufficient-credits message names when the answer comes before the request is
 * read (the model is unknown then): Veo 3.1 at 8 s, a typical paid video. Provisional; a check
 * that knows the model names that model's price.
 */
const SCENARIO_MINIMUM_USD = 3.2;

/**
 * ImageRouter's answer to each failure family (`src/` of the open-source router):
 * - `validation` 400 `invalid_request_error` (a request's own issue replaces the message);
 * - `unauthorized` 401; `rate_limited` 429 (express-rate-limit); `server_error` 500;
 * - `insufficient_credits`, `moderation` and `provider_error` happen after validation, where the
 *   router has already committed to HTTP 200, so they are 200 with an error body;
 * - `payload_too_large` is multer's 400 `File upload error: File too large`.
 *
 * @example
 * IMAGEROUTER_ERROR_ANSWERS.moderation.status; // 200
 */
export const IMAGEROUTER_ERROR_ANSWERS: Readonly<Record<ErrorKind, ErrorAnswer>> = {
  validation: { status: 400, message: 'Failed to generate', type: 'invalid_request_error' },
  unauthorized: { status: 401, message: M.authMissing, type: 'unauthorized' },
  not_found: { status: 404, message: 'Not found', type: 'invalid_request_error' },
  insufficient_credits: {
    status: 200,
    message: M.insufficientCredits(SCENARIO_MINIMUM_USD),
    type: 'internal_error',
  },
  rate_limited: { status: 429, message: M.keyRateLimited, type: 'rate_limit_error' },
  server_error: { status: 500, message: M.internal, type: 'internal_error' },
  provider_error: { status: 200, ...IMAGEROUTER_FAILURES.forwarded.error },
  moderation: { status: 200, ...IMAGEROUTER_FAILURES.moderation.error },
  payload_too_large: {
    status: 400,
    message: M.uploadError('File too large'),
    type: 'invalid_request_error',
  },
};

/**
 * Simulated upstream queue and render times per model. ImageRouter sends no status while it
 * waits, so both phases are spent in `rendering`; the free test model answers at once.
 * Provisional: no published numbers.
 */
const timing: TimingTable = {
  // A model without an estimate of its own takes as long as Veo 3.1.
  default: UPSTREAM_TIMING['google/veo-3.1'],
  byModel: {
    ...upstreamTimingFor(IMAGEROUTER_CATALOG.map((entry) => entry.id)),
    'ir/test-video': { queueMs: [0, 0], renderMs: [0, 0] },
    'kling/kling-2.5-turbo-pro': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
  },
};

/**
 * ImageRouter's facts (see `RouterFacts`). No `job` and no poll cadence: one held request.
 *
 * @example
 * imagerouter.facts.errors.provider_error.status; // 200
 */
export const imagerouterFacts = {
  errors: IMAGEROUTER_ERROR_ANSWERS,
  timing,
  // Nothing to cancel and no job that expires: one request.
  scenarios: GENERATION_SCENARIOS,
  // No retrieval endpoint exists; a record stays a day so the mock's control plane can show it.
  jobTtlMs: 24 * 60 * 60 * 1000,
} as const satisfies RouterFacts;
