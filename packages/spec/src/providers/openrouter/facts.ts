/**
 * OpenRouter's facts beyond its routes: how it words each failure, how long its models take, what
 * the mock can act out, how often to poll, where a job's facts sit in its answers, its webhooks.
 * @module
 */
import { UPSTREAM_TIMING, upstreamTimingFor } from '../../common/timing.js';
import type { ErrorAnswer, ErrorKind, RouterFacts } from '../../router.js';
import type { openrouterRoutes } from './routes.js';
import { WEBHOOK_HEADERS, WEBHOOK_STATUSES, webhookEventType } from './webhooks.js';

/**
 * Status and default wording of each failure family, as OpenRouter answers them (`{ error: { code,
 * message } }`; the code is the HTTP status).
 *
 * @example
 * OPENROUTER_ERRORS.insufficient_credits.status; // 402
 */
export const OPENROUTER_ERRORS: Readonly<Record<ErrorKind, ErrorAnswer>> = {
  validation: { status: 400, message: 'Invalid request parameters' },
  unauthorized: { status: 401, message: 'Missing Authentication header' },
  insufficient_credits: {
    status: 402,
    message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
  },
  not_found: { status: 404, message: 'Resource not found' },
  rate_limited: { status: 429, message: 'Rate limit exceeded' },
  server_error: { status: 500, message: 'Internal Server Error' },
  provider_error: { status: 502, message: 'Provider returned error' },
  moderation: { status: 403, message: 'Content policy violation' },
  payload_too_large: { status: 413, message: 'Request body too large' },
};

/** OpenRouter's 401 wording for a key it does not know (a missing key gets `unauthorized`'s). */
export const OPENROUTER_UNKNOWN_KEY_MESSAGE = 'User not found.';

/**
 * OpenRouter's facts, read by its mock, the client and the kit.
 *
 * @example
 * openrouter.facts.job?.fields.videoUrls; // 'unsigned_urls'
 */
export const openrouterFacts = {
  errors: OPENROUTER_ERRORS,
  errorBody: ({ status, message }) => ({ error: { code: status, message } }),
  retryAfterSeconds: 30,
  // Provisional: OpenRouter publishes no timings; these follow its guide's "1–5 minutes".
  timing: {
    // A model without an estimate of its own takes as long as Veo 3.1.
    default: UPSTREAM_TIMING['google/veo-3.1'],
    byModel: {
      ...upstreamTimingFor(['google/veo-3.1', 'google/veo-3.1-fast', 'openai/sora-2-pro']),
      'google/veo-3.1-lite': { queueMs: [3_000, 10_000], renderMs: [25_000, 50_000] },
      'kwaivgi/kling-v3.0-pro': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
    },
  },
  scenarios: [
    'success',
    'slow',
    'failed',
    'moderation',
    'cancelled',
    'expired',
    'insufficient-credits',
    'rate-limit',
    'server-error',
  ],
  // "Recommended: poll every 10–30 seconds."
  pollCadence: { initialMs: 10_000, maxMs: 30_000, factor: 1.5, jitter: 0.2 },
  jobTtlMs: 24 * 60 * 60 * 1000,
  job: {
    submit: 'createVideo',
    poll: 'getVideo',
    idParam: 'jobId',
    content: 'getVideoContent',
    lifecycle: 'video',
    fields: {
      id: 'id',
      status: 'status',
      videoUrls: 'unsigned_urls',
      error: 'error',
      pollingUrl: 'polling_url',
    },
    callbackField: 'callback_url',
    // As OpenRouter's webhook examples word them.
    endings: { cancelled: 'Job was cancelled', expired: 'Job exceeded maximum time to live' },
  },
  webhooks: {
    headers: WEBHOOK_HEADERS,
    events: WEBHOOK_STATUSES.map(webhookEventType),
  },
} as const satisfies RouterFacts<Extract<keyof typeof openrouterRoutes, string>>;
