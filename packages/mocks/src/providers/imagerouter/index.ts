/**
 * The ImageRouter mock: one synchronous `POST` that holds the connection open. As the real server
 * does, it sends HTTP 200 at once, writes a space every 3 s of (simulated) time while the video
 * renders (`heartbeats.ts`), then the JSON body; a failure after that point arrives as HTTP 200
 * with an `{"error": {...}}` body (`errors.ts`). Model listings (`/v1`, `/v2`, `listings.ts`) and
 * credits complete the API. Timings, error answers and scenarios are the spec's facts
 * (`imagerouter.facts`).
 * @module
 */
import type { z } from '@reelkit/spec';
import { imagerouter, imagerouterSpec, timingOf } from '@reelkit/spec';
import type { MockProvider } from '../../core/types.js';
import { createImageRouterErrors } from './errors.js';
import { createVideoHandler } from './generation.js';
import { pickFields, selectEntries } from './listings.js';

const {
  IMAGEROUTER_CATALOG,
  IMAGEROUTER_MESSAGES: M,
  findEntry,
  modelsV1Listing,
  toModelV2,
} = imagerouterSpec;

type CatalogEntry = imagerouterSpec.CatalogEntry;
type ModelsV1Query = z.infer<typeof imagerouterSpec.ModelsV1Query>;
type ModelsV2Query = z.infer<typeof imagerouterSpec.ModelsV2Query>;

/**
 * Starting credit of a key the mock has not seen, in USD: generous, so that only a balance set
 * on purpose (`PUT /__reelkit/balances/<key>`) runs out.
 *
 * @example
 * engine.ledger.balanceOf('ir-new-key'); // IMAGEROUTER_DEFAULT_CREDITS
 */
export const IMAGEROUTER_DEFAULT_CREDITS = 1000;

/**
 * Failure bodies the router sends after validation, all with HTTP 200 (the spec's
 * `imagerouterSpec.IMAGEROUTER_FAILURES`).
 *
 * @example
 * IMAGEROUTER_FAILURES.moderation.error.code; // 'moderation_blocked'
 */
export const IMAGEROUTER_FAILURES = imagerouterSpec.IMAGEROUTER_FAILURES;

/** Options of {@link createImageRouterMock}. */
export interface ImageRouterMockOptions {
  /** The models served and judged; defaults to the spec's catalog. Tests swap it. */
  readonly catalog?: readonly CatalogEntry[];
  /** Starting credit of every key, in USD. Default {@link IMAGEROUTER_DEFAULT_CREDITS}. */
  readonly credits?: number;
  /**
   * How test models (`ir/test-video`) answer. `docs` (default): as every docs sample shows, with
   * `created` in milliseconds and `response_format` honoured (`b64_json`, `b64_ephemeral`), so
   * code that decodes `data[0].b64_json` runs against the free model. `source`: as ImageRouter's
   * open-source `generateTestVideo` does, `created` in seconds and always a URL.
   */
  readonly testModels?: 'docs' | 'source';
}

const usd = (value: number): string => value.toFixed(4);

/**
 * Creates the ImageRouter mock provider.
 *
 * `ir/test-video` answers at once, as the real one does, with a URL to a 1280x720, 5 s clip. The
 * real URL points at a sample file on ImageRouter's own hosts; the mock points it at a registered
 * asset on its own media route instead, so the download works offline and is a valid MP4.
 *
 * @example
 * const clock = createManualClock();
 * const engine = createMockEngine({ provider: createImageRouterMock(), clock });
 * const url = 'https://api.imagerouter.io/v1/openai/videos/generations';
 * const res = await engine.handle(new Request(url, {
 *   method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }),
 * }));
 * res.status; // 200 at once; the body is spaces, then the JSON once the clock has moved on
 */
export function createImageRouterMock(
  options: ImageRouterMockOptions = {},
): MockProvider<typeof imagerouter> {
  const catalog = options.catalog ?? IMAGEROUTER_CATALOG;
  const credits = options.credits ?? IMAGEROUTER_DEFAULT_CREDITS;
  const error = createImageRouterErrors(credits);
  const notFound = (modelId: string) =>
    error('not_found', { message: M.modelNotFound(modelId), param: 'model' });

  return {
    spec: imagerouter,
    balance: { unit: 'usd', defaultBalance: credits },
    scenarios: imagerouter.facts.scenarios,
    jobTtlMs: imagerouter.facts.jobTtlMs,
    timing: (generation) => timingOf(imagerouter.facts.timing, generation.model),
    error,
    handlers: {
      createVideo: createVideoHandler({
        catalog,
        testModels: options.testModels ?? 'docs',
        error,
      }),
      listModelsV1(ctx) {
        const entries = selectEntries(catalog, ctx.query as ModelsV1Query);
        return { status: 200, body: modelsV1Listing(entries) };
      },
      getModelV1(ctx) {
        const modelId = ctx.params.modelId ?? '';
        const entry = findEntry(modelId, catalog);
        if (!entry) return notFound(modelId);
        return { status: 200, body: { ...entry.model, inputs: toModelV2(entry).inputs } };
      },
      listModelsV2(ctx) {
        const query = ctx.query as ModelsV2Query;
        const entries = selectEntries(catalog, query);
        return { status: 200, body: entries.map((e) => pickFields(toModelV2(e), query.fields)) };
      },
      getModelV2(ctx) {
        const modelId = ctx.params.modelId ?? '';
        const entry = findEntry(modelId, catalog);
        if (!entry) return notFound(modelId);
        return { status: 200, body: toModelV2(entry) };
      },
      async getCredits(ctx) {
        const remaining = await ctx.services.ledger.balanceOf(ctx.apiKey ?? '');
        // The ledger keeps only the balance: deposits are the starting credit (or a balance set
        // above it), usage is what has gone since.
        const deposits = Math.max(credits, remaining);
        return {
          status: 200,
          body: {
            remaining_credits: usd(remaining),
            credit_usage: usd(deposits - remaining),
            total_deposits: usd(deposits),
          },
        };
      },
    },
  };
}

/**
 * The ImageRouter mock with default options.
 *
 * @example
 * const engine = createMockEngine({ provider: imagerouterMock, clock: createManualClock() });
 */
export const imagerouterMock = createImageRouterMock();
