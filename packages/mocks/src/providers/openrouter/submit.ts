/**
 * OpenRouter's submit quirks: its callback URL rules, its prices, the generation id and cost it
 * keeps with a job, and the fields its job answers carry beyond `facts.job.fields`.
 * @module
 */
import type { Judgement, ResolvedGeneration } from '@reelkit/spec';
import { openrouterSpec } from '@reelkit/spec';
import { checkCallbackUrl } from '../../core/callback-policy.js';
import type { Job } from '../../core/store.js';
import type { Reply, RequestContext } from '../../core/types.js';

const { judgeOpenRouter, OPENROUTER_CATALOG, openrouterLifecycle, pricePerSecond } = openrouterSpec;

/** What OpenRouter keeps with a job. */
export type OpenRouterJobData = {
  readonly generationId: string;
  readonly cost: number | null;
  readonly callbackUrl: string | undefined;
  readonly origin: string;
};

/** An OpenRouter job: the engine's fields and its {@link OpenRouterJobData}. */
export type OpenRouterJob = Job<OpenRouterJobData>;

/**
 * Judges a submit as OpenRouter does: a refused `https` callback is a 400 in its envelope, an
 * `http` callback the operator allowed passes, and the rest is the spec's judge.
 *
 * @example
 * judgeSubmit(ctx, { promptRequired: false }, error); // { ok: true, generation } or a Reply
 */
export function judgeSubmit(
  ctx: RequestContext,
  options: { readonly promptRequired: boolean },
  refuse: (message: string) => Reply,
): Judgement | Reply {
  const callbackUrl = ctx.body.callback_url as string | undefined;
  // Public HTTPS only, unless the operator allowed loopback or private receivers.
  const refused = callbackUrl
    ? checkCallbackUrl(callbackUrl, ctx.services.webhookSettings)
    : undefined;
  const http = callbackUrl !== undefined && /^http:/i.test(callbackUrl);
  // A refused http:// URL gets OpenRouter's own "must be HTTPS" from the judge below.
  if (refused && !http) return refuse(`callback_url is refused: ${refused}.`);
  // An allowed http:// callback is one the operator opened (loopback or private receivers).
  const localCallback = http && !refused;
  // The engine has parsed the body with the route's schema (VideoGenerationRequest), so the judge
  // can take it as it is instead of parsing it a second time.
  const body = ctx.body as openrouterSpec.VideoGenerationRequest;
  return judgeOpenRouter(localCallback ? { ...body, callback_url: undefined } : body, options);
}

/** USD per second by model, audio and resolution, read from the catalog's SKUs once. */
const rates = new Map<string, number | undefined>();

/**
 * The USD price of a generation, from the catalog's SKUs; `null` for a model without one.
 *
 * @example
 * costOf(generation); // 0.4 for 4 s of veo-3.1 at 720p without audio
 */
export function costOf(generation: ResolvedGeneration): number | null {
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
 * The values OpenRouter fixes at submission: a generation id, the price, the callback.
 *
 * @example
 * jobData(ctx, { cost: 0.4 }).generationId; // 'gen-1777032000-…'
 */
export function jobData(
  ctx: RequestContext,
  { cost }: { readonly cost: number | null },
): OpenRouterJobData {
  const { clock, random } = ctx.services;
  return {
    // join() makes one flat string; a template literal would keep a rope per job.
    generationId: ['gen', Math.floor(clock.wallTime(clock.now()) / 1000), random.string(20)].join(
      '-',
    ),
    cost,
    callbackUrl: ctx.body.callback_url as string | undefined,
    origin: ctx.origin,
  };
}

/** Only jobs with somewhere to deliver need a timer at their terminal status. */
export const notifyTerminal = (ctx: RequestContext): boolean =>
  Boolean(
    (ctx.body.callback_url as string | undefined) ??
    ctx.services.webhookSettings.defaultCallbackUrl,
  );

/**
 * A job answer's fields beyond `facts.job.fields`: the generation id once started, the usage
 * once completed.
 *
 * @example
 * viewExtra(ctx, job, 'completed'); // { generation_id: 'gen-…', usage: { cost: 0.4, is_byok: false } }
 */
export function viewExtra(
  _ctx: RequestContext<OpenRouterJobData>,
  job: OpenRouterJob,
  status: string,
) {
  const { generationId, cost } = job.data;
  return {
    ...(status !== openrouterLifecycle.initial && generationId
      ? { generation_id: generationId }
      : {}),
    ...(status === openrouterLifecycle.success ? { usage: { cost, is_byok: false } } : {}),
  };
}
