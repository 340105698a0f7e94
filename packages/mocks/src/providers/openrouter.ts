/**
 * The OpenRouter mock: the generic asynchronous-job mock on OpenRouter's spec and facts (submit
 * 202 → poll → download), plus its quirks, each in `./openrouter/`: callback rules, prices and
 * job data (`submit.ts`), token-carrying `unsigned_urls` (`downloads.ts`), webhooks
 * (`webhooks.ts`), error wording and rate-limit headers (`errors.ts`), both `polling_url` forms.
 * @module
 */
import { openrouter, openrouterSpec } from '@reelkit/spec';
import type { MockProvider } from '../core/types.js';
import { createAsyncJobMock } from '../generic/async-job.js';
import { createDownloadTokens } from './openrouter/downloads.js';
import { errorHeaders, errorMessage } from './openrouter/errors.js';
import type { OpenRouterJobData } from './openrouter/submit.js';

export type { OpenRouterJob, OpenRouterJobData } from './openrouter/submit.js';
import { costOf, judgeSubmit, jobData, notifyTerminal, viewExtra } from './openrouter/submit.js';
import { webhookFor } from './openrouter/webhooks.js';

/** Starting credit of a key the mock has not seen, in USD (set per key on the control plane). */
export const OPENROUTER_DEFAULT_CREDITS = 100;

const { errors, job } = openrouterSpec.openrouterFacts;

/**
 * Failure texts of terminal statuses, as OpenRouter's webhook examples show them: a view of the
 * spec's facts (`errors` and `job.endings`).
 *
 * @example
 * OPENROUTER_FAILURES.cancelled; // 'Job was cancelled'
 */
export const OPENROUTER_FAILURES = {
  moderation: errors.moderation.message,
  provider: errors.provider_error.message,
  cancelled: job.endings.cancelled,
  expired: job.endings.expired,
} as const;

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

/**
 * Creates the OpenRouter mock provider.
 *
 * @example
 * const engine = createMockEngine({ provider: createOpenRouterMock({ pollingUrl: 'relative' }) });
 */
export function createOpenRouterMock(
  options: OpenRouterMockOptions = {},
): MockProvider<typeof openrouter, OpenRouterJobData> {
  const tokens = createDownloadTokens(options.downloadSecret);
  const promptRequired = options.promptRequired ?? false;
  const provider: MockProvider<typeof openrouter, OpenRouterJobData> = createAsyncJobMock(
    openrouter,
    {
      judge: (ctx) =>
        judgeSubmit(ctx, { promptRequired }, (message) =>
          provider.error('validation', { message }),
        ),
      pollingUrl: options.pollingUrl ?? 'absolute',
      cost: costOf,
      jobData,
      notifyTerminal,
      viewExtra,
      videoUrlQuery: tokens.videoUrlQuery,
      errorMessage,
      errorHeaders,
      keylessContent: tokens.keylessContent,
      balance: { unit: 'usd', defaultBalance: OPENROUTER_DEFAULT_CREDITS },
      handlers: {
        listModels: () => ({
          status: 200,
          body: { data: openrouterSpec.OPENROUTER_CATALOG.map((e) => e.model) },
        }),
      },
      provider: { webhook: webhookFor(tokens.videoUrlQuery), keylessAccess: tokens.keylessAccess },
    },
  );
  return {
    ...provider,
    withSharedSecret: (secret) => createOpenRouterMock({ ...options, downloadSecret: secret }),
  };
}

/** The OpenRouter mock with default options. */
export const openrouterMock = createOpenRouterMock();
