/**
 * The generic client flow of a plain asynchronous router, read from its `facts.job`: submit on
 * the submit route, poll the poll route at `facts.pollCadence` until the lifecycle says the job
 * ended, list the videos at `fields.videoUrls`, download through the content route (or the URL).
 * OpenRouter's unified flow is this flow; so is `createRouterClient` for a vendor's router.
 * @module
 */
import type { AsyncJobDef, PollCadence, RouterSpec } from '@reelkit/spec';
import { readField } from '@reelkit/spec';
import type { CallOptions } from '../core/call-route.js';
import { GenerationFailedError, isModeration } from '../core/errors.js';
import type { ClientTransport } from '../core/route-client.js';
import { fetchVideoUrl } from './fetch-url.js';
import type { FlowContext } from './flow.js';
import { pollUntilTerminal } from './flow.js';
import type { FlowOutcome } from './router-flow.js';

/** A route method as the generic flow calls it. */
type RouteCall = (
  input: {
    readonly params?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, unknown>>;
    readonly body?: unknown;
  },
  options?: CallOptions,
) => Promise<unknown>;

/** What the generic flow needs of a client: its route methods by key, and its transport. */
export interface AsyncJobClient {
  readonly transport: ClientTransport;
}

/** What a router adds to the generic flow: the price an answer reports. */
export interface AsyncJobFlowQuirks {
  /** The cost a finished job's answer reports, when it does. */
  cost?(final: unknown): number | undefined;
}

/** Fallback cadence for a router whose facts give none: 5 s growing to 20 s. */
const DEFAULT_CADENCE: PollCadence = { initialMs: 5_000, maxMs: 20_000, factor: 1.5, jitter: 0.2 };

function jobOf(router: RouterSpec): AsyncJobDef {
  if (!router.facts.job) {
    throw new TypeError(
      `[reelkit] router '${router.id}' declares no facts.job; the generic flow runs plain asynchronous jobs only.`,
    );
  }
  return router.facts.job;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Runs one job through a router's `facts.job`: submit `body`, poll until terminal, and hand back
 * the videos (or throw `GenerationFailedError` with the router's own status and message).
 *
 * @example
 * const outcome = await runAsyncJob(acme, client, { model: 'acme/swift', prompt: 'a cat' }, ctx, { request });
 */
export async function runAsyncJob(
  router: RouterSpec,
  client: AsyncJobClient,
  body: unknown,
  ctx: FlowContext,
  extra: { readonly pollIntervalMs?: number; readonly cadence?: PollCadence },
  quirks: AsyncJobFlowQuirks = {},
): Promise<FlowOutcome> {
  const job = jobOf(router);
  const { fields } = job;
  const lifecycle = router.lifecycles[job.lifecycle]!;
  const route = (key: string) => (client as unknown as Record<string, RouteCall>)[key]!;
  const statusOf = (answer: unknown) => text(readField(answer, fields.status)) ?? '';
  const submitted = await route(job.submit)(
    { body },
    // A submit is quick: a minute at most, even when the whole call may take half an hour.
    ctx.callOptions(ctx.init.headers ? { headers: ctx.init.headers } : {}, 60_000),
  ).catch((error: unknown) => {
    throw ctx.restate(error);
  });
  const jobId = text(readField(submitted, fields.id)) ?? '';
  ctx.jobId = jobId;
  ctx.submittedAt = ctx.clock.now();
  ctx.observe(lifecycle, { status: statusOf(submitted) }, 'submit');
  let final = submitted;
  if (!lifecycle.terminal.includes(statusOf(submitted))) {
    final = await pollUntilTerminal(
      ctx,
      {
        ...(extra.cadence ?? router.facts.pollCadence ?? DEFAULT_CADENCE),
        ...(extra.pollIntervalMs !== undefined ? { firstMs: extra.pollIntervalMs } : {}),
      },
      (options) => route(job.poll)({ params: { [job.idParam]: jobId } }, options),
      (answer) => {
        const status = statusOf(answer);
        ctx.observe(lifecycle, { status }, 'poll');
        return lifecycle.terminal.includes(status);
      },
    );
  }
  const status = statusOf(final);
  const canonical = lifecycle.canonical[status];
  if (canonical !== 'completed') {
    const message = fields.error ? text(readField(final, fields.error)) : undefined;
    throw new GenerationFailedError({
      provider: router.id,
      jobId,
      status: canonical === 'cancelled' || canonical === 'expired' ? canonical : 'failed',
      providerStatus: status,
      ...(message !== undefined ? { providerMessage: message } : {}),
      moderated: isModeration({ message: message ?? '' }),
      raw: final,
    });
  }
  const listed = readField(final, fields.videoUrls);
  const urls = Array.isArray(listed) ? listed.map(String) : [];
  const base = client.transport.baseUrl;
  const cost = quirks.cost?.(final);
  return {
    providerStatus: status,
    videos: urls.map((url) => ({ url, mimeType: 'video/mp4' })),
    ...(cost !== undefined ? { cost } : {}),
    raw: { submit: submitted, final },
    download: async (index, options) => {
      const url = urls[index] ?? '';
      // The authenticated content route, when the URL is the router's own.
      if (job.content && (url.startsWith(`${base}/`) || url === '')) {
        const response = await route(job.content)(
          { params: { [job.idParam]: jobId }, query: { index } },
          options,
        );
        return response as Response;
      }
      return fetchVideoUrl(client.transport, url, options);
    },
  };
}
