/**
 * The OpenRouter mock: submit (202) → poll → download, on the router's documented statuses,
 * envelopes and URLs.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ResolvedGeneration } from '@reelkit/spec';
import { openrouter, openrouterSpec } from '@reelkit/spec';
import type { Random } from '../core/random.js';
import type {
  ErrorDetail,
  ErrorKind,
  MockProvider,
  Reply,
  RequestContext,
  TimingProfile,
} from '../core/types.js';
import type { Job } from '../core/store.js';
import { checkCallbackUrl } from '../core/callback-policy.js';
import { describeIssues, drawMs, viewOnce } from './shared.js';

const {
  judgeOpenRouter,
  OPENROUTER_CATALOG,
  openrouterLifecycle,
  pricePerSecond,
  idempotencyKey,
  deliveryHeaders,
  webhookEventType,
} = openrouterSpec;

/** Starting credit of a key the mock has not seen, in USD (set per key on the control plane). */
export const OPENROUTER_DEFAULT_CREDITS = 100;

/** Options of {@link createOpenRouterMock}. */
export interface OpenRouterMockOptions {
  /**
   * `absolute` (the guide's form, default) or `relative` (the OpenAPI example's form) polling URLs.
   * The official docs disagree; real clients must handle both.
   */
  readonly pollingUrl?: 'absolute' | 'relative';
  /**
   * Refuse a submit without `prompt` even with `frame_images`, as the API reference page and the
   * skill read. Default `false`, as the OpenAPI reads (see the README's fidelity section).
   */
  readonly promptRequired?: boolean;
  /**
   * The secret `unsigned_urls` tokens are derived from. Default: 32 random bytes per mock, so
   * nobody can guess a job's download URL, whatever the seed.
   */
  readonly downloadSecret?: Uint8Array;
}

const MESSAGES: Record<ErrorKind, { status: number; message: string }> = {
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

/** Failure texts of terminal statuses, as OpenRouter's webhook examples show them. */
export const OPENROUTER_FAILURES = {
  moderation: 'Content policy violation',
  provider: 'Provider returned error',
  cancelled: 'Job was cancelled',
  expired: 'Job exceeded maximum time to live',
} as const;

/** Simulated queue and render times per model family (provisional: no published numbers). */
const TIMING: Record<string, TimingProfile> = {
  'google/veo-3.1': { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] },
  'google/veo-3.1-fast': { queueMs: [3_000, 10_000], renderMs: [30_000, 60_000] },
  'google/veo-3.1-lite': { queueMs: [3_000, 10_000], renderMs: [25_000, 50_000] },
  'openai/sora-2-pro': { queueMs: [10_000, 30_000], renderMs: [120_000, 300_000] },
  'kwaivgi/kling-v3.0-pro': { queueMs: [10_000, 40_000], renderMs: [60_000, 180_000] },
};

function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
  const base = MESSAGES[kind];
  let message = detail.message ?? base.message;
  if (kind === 'unauthorized' && detail.reason === 'invalid') message = 'User not found.';
  if (detail.issues?.length) message = `${base.message}: ${describeIssues(detail.issues)}`;
  const headers: Record<string, string> = {};
  if (kind === 'rate_limited') {
    const retryAfter = detail.retryAfterSeconds ?? 30;
    headers['retry-after'] = String(retryAfter);
    headers['x-ratelimit-limit'] = '20';
    headers['x-ratelimit-remaining'] = '0';
  }
  return { status: base.status, body: { error: { code: base.status, message } }, headers };
}

/** USD per second by model, audio and resolution, read from the catalog's SKUs once. */
const rates = new Map<string, number | undefined>();

function costOf(generation: ResolvedGeneration): number | null {
  const resolution = Math.min(generation.width, generation.height) >= 1080 ? '1080p' : '720p';
  const key = `${generation.model} ${generation.audio} ${resolution}`;
  if (!rates.has(key)) {
    const entry = OPENROUTER_CATALOG.find((e) => e.model.id === generation.model);
    rates.set(
      key,
      entry ? pricePerSecond(entry.model, { audio: generation.audio, resolution }) : undefined,
    );
  }
  const rate = rates.get(key);
  return rate === undefined ? null : Math.round(rate * generation.durationSeconds * 1e6) / 1e6;
}

/**
 * Creates the OpenRouter mock provider.
 *
 * @example
 * const engine = createMockEngine({ provider: createOpenRouterMock({ pollingUrl: 'relative' }) });
 */
export function createOpenRouterMock(
  options: OpenRouterMockOptions = {},
): MockProvider<typeof openrouter> {
  const base = openrouter.basePath;
  const pollingUrl = (ctx: RequestContext, id: string) =>
    `${options.pollingUrl === 'relative' ? '' : ctx.origin}${base}/videos/${id}`;
  const downloadSecret = options.downloadSecret ?? randomBytes(32);
  /** The job's download token: unguessable without the secret, and nothing to store per job. */
  const downloadToken = (jobId: string) =>
    createHmac('sha256', downloadSecret).update(jobId).digest('base64url').slice(0, 32);
  const tokenMatches = (jobId: string, token: string) => {
    const expected = Buffer.from(downloadToken(jobId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  /**
   * `unsigned_urls`: the content route plus the job's token, so the guide's download without a
   * key works, while the route without the token keeps requiring the key.
   */
  const unsignedUrls = (origin: string, job: Job) => {
    const token = downloadToken(job.id);
    return job.assets.map(
      (_, i) => `${origin}${base}/videos/${job.id}/content?index=${i}&token=${token}`,
    );
  };

  function plan(job: { generation: ResolvedGeneration; random: Random; ctx: RequestContext }) {
    const { effect } = job.ctx.scenario;
    const timing = provider.timing(job.generation);
    const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
    const queue = drawMs(job.random, timing.queueMs) * factor;
    const render = drawMs(job.random, timing.renderMs) * factor;
    const outcome = effect.kind === 'job' ? effect.outcome : 'completed';
    switch (outcome) {
      case 'completed':
        return {
          path: [
            { status: 'pending', forMs: queue },
            { status: 'in_progress', forMs: render },
            { status: 'completed', forMs: 0 },
          ],
        };
      case 'failed':
        return {
          path: [
            { status: 'pending', forMs: queue },
            { status: 'in_progress', forMs: render / 3 },
            { status: 'failed', forMs: 0 },
          ],
          error:
            effect.kind === 'job' && effect.cause === 'moderation'
              ? OPENROUTER_FAILURES.moderation
              : OPENROUTER_FAILURES.provider,
        };
      case 'cancelled':
        return {
          path: [
            { status: 'pending', forMs: queue },
            { status: 'cancelled', forMs: 0 },
          ],
          error: OPENROUTER_FAILURES.cancelled,
        };
      case 'expired':
        return {
          path: [
            { status: 'pending', forMs: queue },
            { status: 'in_progress', forMs: render * 2 },
            { status: 'expired', forMs: 0 },
          ],
          error: OPENROUTER_FAILURES.expired,
        };
    }
  }

  function findJob(ctx: RequestContext): Job | undefined {
    const job = ctx.services.jobs.get(ctx.params.jobId ?? '');
    // Jobs belong to the account that submitted them.
    return job && job.apiKey === ctx.apiKey ? job : undefined;
  }

  function view(ctx: RequestContext, job: Job) {
    const { status } = ctx.services.jobs.statusOf(job);
    const started = status !== 'pending';
    return {
      id: job.id,
      polling_url: pollingUrl(ctx, job.id),
      status: status as openrouterSpec.VideoGenerationResponse['status'],
      ...(started && job.data.generationId
        ? { generation_id: job.data.generationId as string }
        : {}),
      ...(status === 'completed'
        ? {
            unsigned_urls: unsignedUrls(ctx.origin, job),
            usage: { cost: job.data.cost as number | null, is_byok: false },
          }
        : {}),
      ...(job.error && job.lifecycle.terminal.includes(status) && status !== 'completed'
        ? { error: job.error }
        : {}),
    };
  }

  const provider: MockProvider<typeof openrouter> = {
    spec: openrouter,
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
    jobTtlMs: 24 * 60 * 60 * 1000,
    balance: { unit: 'usd', defaultBalance: OPENROUTER_DEFAULT_CREDITS },
    webhook(job, terminal, settings, clock) {
      const url = (job.data.callbackUrl as string | undefined) ?? settings.defaultCallbackUrl;
      if (!url) return undefined;
      const status = terminal.status as openrouterSpec.WebhookStatus;
      const origin = job.data.origin as string;
      const common = {
        id: job.id,
        generation_id:
          status === 'cancelled' && job.timeline.length === 2
            ? null
            : (job.data.generationId as string),
        model: job.generation.model,
      };
      const data =
        status === 'completed'
          ? {
              ...common,
              status,
              unsigned_urls: unsignedUrls(origin, job),
              usage: { cost: job.data.cost as number | null, is_byok: false },
            }
          : { ...common, status, error: job.error ?? OPENROUTER_FAILURES.provider };
      const rawBody = JSON.stringify({
        type: webhookEventType(status),
        // When the job ended, on the wall clock (see Clock.wallTime).
        created_at: new Date(clock.wallTime(terminal.at)).toISOString(),
        data,
      });
      return {
        url,
        jobId: job.id,
        type: webhookEventType(status),
        idempotencyKey: idempotencyKey(job.id, status),
        rawBody,
        headers: (timestamp) =>
          deliveryHeaders({ jobId: job.id, status, rawBody, secret: settings.secret, timestamp }),
      };
    },
    // unsigned_urls: the content route without a key, when the URL carries the job's token.
    keylessAccess({ routeKey, params, search }) {
      if (routeKey !== 'getVideoContent') return false;
      const token = new URLSearchParams(search).get('token');
      return token !== null && tokenMatches(params.jobId ?? '', token);
    },
    timing: (generation) =>
      TIMING[generation.model] ?? { queueMs: [5_000, 15_000], renderMs: [60_000, 120_000] },
    error,
    handlers: {
      createVideo(ctx) {
        const callbackUrl = ctx.body.callback_url as string | undefined;
        // Public HTTPS only, unless the operator allowed loopback or private receivers.
        const refused = callbackUrl
          ? checkCallbackUrl(callbackUrl, ctx.services.webhookSettings)
          : undefined;
        const http = callbackUrl !== undefined && /^http:/i.test(callbackUrl);
        // A refused http:// URL gets OpenRouter's own "must be HTTPS" from the judge below.
        if (refused && !http) {
          return error('validation', { message: `callback_url is refused: ${refused}.` });
        }
        // An allowed http:// callback is one the operator opened (loopback or private receivers).
        const localCallback = http && !refused;
        // The engine has parsed the body with the route's schema (VideoGenerationRequest), so
        // the judge can take it as it is instead of parsing it a second time.
        const body = ctx.body as openrouterSpec.VideoGenerationRequest;
        const verdict = judgeOpenRouter(
          localCallback ? { ...body, callback_url: undefined } : body,
          { promptRequired: options.promptRequired ?? false },
        );
        if (!verdict.ok) return error('validation', { message: verdict.message });
        const { random, jobs, media, clock, ledger } = ctx.services;
        const cost = costOf(verdict.generation);
        const account = ctx.apiKey ?? '';
        if (cost !== null && cost > ledger.balanceOf(account)) return error('insufficient_credits');
        const id = random.string(20);
        const generation = verdict.generation;
        const { path, error: failure } = plan({ generation, random, ctx });
        const assets = Array.from({ length: generation.count }, () =>
          media.register({
            width: generation.width,
            height: generation.height,
            durationSeconds: generation.durationSeconds,
          }),
        );
        // Only jobs that will complete are billed; the plan is fixed at submission.
        if (cost !== null && path.at(-1)?.status === 'completed') ledger.charge(account, cost);
        jobs.create({
          id,
          provider: 'openrouter',
          lifecycle: openrouterLifecycle,
          apiKey: ctx.apiKey,
          generation,
          request: ctx.body,
          scenario: ctx.scenario.name,
          path,
          ...(failure ? { error: failure } : {}),
          assets,
          data: {
            // join() makes one flat string; a template literal would keep a rope per job.
            generationId: [
              'gen',
              Math.floor(clock.wallTime(clock.now()) / 1000),
              random.string(20),
            ].join('-'),
            cost,
            callbackUrl,
            origin: ctx.origin,
          },
          ttlMs: provider.jobTtlMs,
          // Only jobs with somewhere to deliver need a timer at their terminal status.
          notifyTerminal: Boolean(callbackUrl ?? ctx.services.webhookSettings.defaultCallbackUrl),
        });
        return { status: 202, body: { id, polling_url: pollingUrl(ctx, id), status: 'pending' } };
      },
      getVideo(ctx) {
        const job = findJob(ctx);
        if (!job) return error('not_found');
        const { status } = ctx.services.jobs.statusOf(job);
        const body = viewOnce(job, status, ctx.origin, () => view(ctx, job));
        return { status: 200, body, reusedBody: true };
      },
      async getVideoContent(ctx) {
        // With a key, the job must be the key's; without one, the URL must carry the job's token.
        const jobId = ctx.params.jobId ?? '';
        const token = ctx.query.token as string | undefined;
        let job: Job | undefined;
        if (ctx.apiKey !== undefined) job = findJob(ctx);
        else if (token !== undefined && tokenMatches(jobId, token))
          job = ctx.services.jobs.get(jobId);
        else return error('unauthorized', { reason: 'missing' });
        if (!job) return error('not_found');
        const { status } = ctx.services.jobs.statusOf(job);
        if (status !== 'completed') {
          return error('validation', { message: `Video is not ready: the job is ${status}` });
        }
        const index = (ctx.query.index as number | undefined) ?? 0;
        const assetId = job.assets[index];
        if (assetId === undefined) {
          return error('not_found', {
            message: `No video at index ${index}; this job has ${job.assets.length}`,
          });
        }
        const bytes = await ctx.services.media.bytes(assetId);
        if (!bytes) return error('not_found');
        return { status: 200, bytes, contentType: 'video/mp4' };
      },
      listModels() {
        return { status: 200, body: { data: OPENROUTER_CATALOG.map((e) => e.model) } };
      },
    },
  };
  return provider;
}

/** The OpenRouter mock with default options. */
export const openrouterMock = createOpenRouterMock();
