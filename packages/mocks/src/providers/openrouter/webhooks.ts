/**
 * OpenRouter's webhook deliveries: one per terminal status, its event type, body and headers
 * from the spec's webhook scheme.
 * @module
 */
import { openrouter, openrouterSpec } from '@reelkit/spec';
import type { MockProvider } from '../../core/types.js';
import { jobVideoUrls } from '../../generic/async-job.js';
import type { OpenRouterJobData } from './submit.js';

const { deliveryHeaders, idempotencyKey, webhookEventType } = openrouterSpec;

/**
 * The `webhook` hook of OpenRouter's mock: a delivery to the job's `callback_url` (or the
 * workspace default) when the job ends, its video URLs carrying `videoUrlQuery`'s token.
 *
 * @example
 * const provider = { ...createAsyncJobMock(openrouter), webhook: webhookFor(tokens.videoUrlQuery) };
 */
export function webhookFor(
  videoUrlQuery: (job: { readonly id: string }) => string,
): NonNullable<MockProvider<typeof openrouter, OpenRouterJobData>['webhook']> {
  return (job, terminal, settings, clock) => {
    const { callbackUrl, origin, generationId, cost } = job.data;
    const url = callbackUrl ?? settings.defaultCallbackUrl;
    if (!url) return undefined;
    const status = terminal.status as openrouterSpec.WebhookStatus;
    const common = {
      id: job.id,
      // A job cancelled while still queued never got a generation.
      generation_id: status === 'cancelled' && job.timeline.length === 2 ? null : generationId,
      model: job.generation.model,
    };
    const data =
      status === 'completed'
        ? {
            ...common,
            status,
            unsigned_urls: jobVideoUrls(openrouter, origin, job, videoUrlQuery(job)),
            usage: { cost, is_byok: false },
          }
        : {
            ...common,
            status,
            error: job.error ?? openrouter.facts.errors.provider_error.message,
          };
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
  };
}
