/**
 * FastRouter's facts beyond its routes: how each failure family is answered, how long models
 * take, the failure texts of failed jobs, how long results are kept and how often to poll.
 * @module
 */
import { GENERATION_SCENARIOS } from '../../common/scenarios.js';
import { upstreamTimingFor } from '../../common/timing.js';
import type { ErrorAnswer, ErrorKind, RouterFacts, TimingTable } from '../../router.js';
import { FASTROUTER_CATALOG } from './catalog.js';
import type { FastRouterErrorStatus } from './schemas.js';
import { FASTROUTER_ERRORS } from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a finished task stays retrievable: hosted assets are kept "up to 30 days depending on
 * plan" (response-caching docs). Provisional: the longest plan, and the same for Sora jobs.
 *
 * @example
 * FASTROUTER_RETENTION_MS / 86_400_000; // 30
 */
export const FASTROUTER_RETENTION_MS = 30 * DAY_MS;

/**
 * Failure texts of failed jobs. None is documented (FastRouter publishes no failure example), so
 * all are provisional: the moderation `failMsg` reuses the docs' 403 wording, and the Sora codes
 * follow OpenAI's error vocabulary (`moderation_blocked`).
 *
 * @example
 * FASTROUTER_FAILURES.sora.moderation.code; // 'moderation_blocked'
 */
export const FASTROUTER_FAILURES = {
  task: {
    provider: 'Video generation failed. Please try again.',
    moderation: FASTROUTER_ERRORS[403].message,
  },
  sora: {
    provider: {
      code: 'video_generation_failed',
      message: 'Video generation failed. Please try again.',
    },
    moderation: {
      code: 'moderation_blocked',
      message: 'Your request was blocked by our moderation system.',
    },
  },
} as const;

/** The documented status of each failure family, with that status's default wording. */
const answer = (status: FastRouterErrorStatus): ErrorAnswer => {
  const { message, type, code } = FASTROUTER_ERRORS[status];
  return { status, message, type, code };
};

/**
 * FastRouter's answer to each failure family, from its error-code table (statuses documented;
 * wording provisional, see `FASTROUTER_ERRORS`). FastRouter documents no 413 and no route
 * declares one: an oversized body is a bad request with a code of its own.
 *
 * @example
 * FASTROUTER_ERROR_ANSWERS.insufficient_credits.status; // 402
 */
export const FASTROUTER_ERROR_ANSWERS: Readonly<Record<ErrorKind, ErrorAnswer>> = {
  validation: answer(400),
  unauthorized: answer(401),
  insufficient_credits: answer(402),
  moderation: answer(403),
  not_found: answer(404),
  rate_limited: answer(429),
  server_error: answer(500),
  provider_error: answer(502),
  payload_too_large: {
    ...answer(400),
    message: 'The request body is too large.',
    code: 'payload_too_large',
  },
};

/**
 * Simulated queue and render times per model (provisional). Anchors: the docs' Veo 3 example ran
 * 08:02:27 → 08:04:34 (~2 min) and two Pollo-routed 5 s jobs took ~3.5 min; Sora 2 Pro takes
 * several minutes at OpenAI, longer here than the shared estimate (FastRouter relays it later).
 */
const timing: TimingTable = {
  default: { queueMs: [10_000, 30_000], renderMs: [90_000, 180_000] },
  byModel: {
    ...upstreamTimingFor(FASTROUTER_CATALOG.map((entry) => entry.spec.id)),
    'runway/runway-gen-3-turbo': { queueMs: [5_000, 20_000], renderMs: [30_000, 60_000] },
    'runway/runway-gen-4-turbo': { queueMs: [5_000, 20_000], renderMs: [40_000, 90_000] },
    'bytedance/seedance': { queueMs: [10_000, 30_000], renderMs: [60_000, 120_000] },
    'bytedance/seedance-pro': { queueMs: [15_000, 40_000], renderMs: [150_000, 200_000] },
    'google/veo3': { queueMs: [10_000, 30_000], renderMs: [90_000, 120_000] },
    'google/veo3-fast': { queueMs: [5_000, 20_000], renderMs: [40_000, 70_000] },
    'pollo/pollo-v1-6': { queueMs: [10_000, 30_000], renderMs: [90_000, 180_000] },
    'openai/sora-2-pro': { queueMs: [20_000, 60_000], renderMs: [180_000, 420_000] },
  },
};

/**
 * FastRouter's facts (see `RouterFacts`). No `job`: its two answer families (task envelope and
 * OpenAI Videos objects) do not fit one plain async job.
 *
 * @example
 * fastrouter.facts.pollCadence?.initialMs; // 10000
 */
export const fastrouterFacts = {
  errors: FASTROUTER_ERROR_ANSWERS,
  timing,
  // No cancel endpoint and no cancelled status.
  scenarios: [...GENERATION_SCENARIOS, 'expired'],
  // No documented cadence; 10 s growing to 30 s keeps well inside the 30-minute pending-job
  // safety timeout.
  pollCadence: { initialMs: 10_000, maxMs: 30_000, factor: 1.5, jitter: 0.2 },
  jobTtlMs: FASTROUTER_RETENTION_MS,
} as const satisfies RouterFacts;
