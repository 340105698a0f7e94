/**
 * ImageRouter's video model catalog, as its model definitions (`src/shared/videoModels/**`)
 * declare it, and the two listing shapes derived from it (`/v1/models`, `/v2/models`).
 * @module
 */
import type { ModelCapabilities } from '../../provider.js';
import type { Provenance } from '../../provenance.js';
import type { Model, ModelPricing, ModelV2 } from './schemas.js';
import { CODE } from './schemas.js';

/**
 * One model as the mock serves it, with what the wire shape cannot say.
 *
 * @example
 * const entry: CatalogEntry = IMAGEROUTER_CATALOG[0]!; entry.model.default_seconds; // 5
 */
export interface CatalogEntry {
  readonly id: string;
  /** Exactly what `GET /v1/models` lists under the id. */
  readonly model: Model;
  /** Other names that resolve to this model (`src/services/modelAliases.js`). */
  readonly aliases: readonly string[];
  /**
   * USD per second of the first provider's `calcFunction` (`calcVideoPrice(params, rate)`), for
   * `calculated` pricing. The JSON listing drops functions, so this is kept beside it.
   */
  readonly ratePerSecond?: number;
  /** Whether the output has a soundtrack; ImageRouter publishes no flag (our reading). */
  readonly audio: boolean | null;
  readonly provenance: Provenance;
}

const VIDEO_MODELS = `${CODE} src/shared/videoModels`;

/**
 * Size used for `size: 'auto'` when a model lists no sizes (`inputs.size: ['custom']`): the test
 * model's clip (big_buck_bunny_720p) is 1280x720.
 *
 * @example
 * const size = model.sizes?.[0] ?? FALLBACK_SIZE;
 */
export const FALLBACK_SIZE = '1280x720';

/**
 * The models the ImageRouter mock serves, in the order `/v1/models` lists them.
 *
 * @example
 * IMAGEROUTER_CATALOG.map((e) => e.id); // ['ir/test-video', 'google/veo-3.1', ...]
 */
export const IMAGEROUTER_CATALOG: readonly CatalogEntry[] = [
  {
    id: 'ir/test-video',
    model: {
      providers: [
        { id: 'test', model_name: 'ir/test-video', pricing: { type: 'fixed', value: 0 } },
      ],
      release_date: '2025-05-04',
      seconds: [5],
      default_seconds: 5,
      output: ['video'],
      supported_params: { mask: true, quality: true, edit: true },
    },
    aliases: [],
    audio: null,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/test/test-video.js, src/services/videoService.js generateTestVideo`,
      note: 'Free; always returns the same 720p sample clip, ignores size and response_format.',
    },
  },
  {
    id: 'google/veo-3.1',
    model: {
      providers: [
        {
          id: 'gemini',
          model_name: 'veo-3.1-generate-preview',
          pricing: { type: 'calculated', range: { min: 1.6, average: 1.6, max: 3.2 } },
        },
        {
          id: 'vertex',
          model_name: 'veo-3.1-fast-generate-preview',
          pricing: { type: 'fixed', value: 1.2 },
        },
      ],
      release_date: '2025-10-15',
      sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      seconds: [4, 6, 8],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    aliases: [],
    ratePerSecond: 0.4,
    audio: true,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/google/veo-3.1.js`,
      note: 'Rate $0.4/s from calcVideoPrice(params, 0.4) ("$3.2 per 8s"); audio is Veo 3.x native sound (provisional).',
    },
  },
  {
    id: 'google/veo-3.1-fast',
    model: {
      providers: [
        {
          id: 'gemini',
          model_name: 'veo-3.1-fast-generate-preview',
          pricing: { type: 'calculated', range: { min: 0.6, average: 0.6, max: 1.2 } },
        },
      ],
      release_date: '2025-10-15',
      sizes: ['1280x720', '720x1280', '1080x1080', '1920x1080', '1080x1920'],
      seconds: [4, 6, 8],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    aliases: [],
    ratePerSecond: 0.15,
    audio: true,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/google/veo-3.1-fast.js @ 348f2d1`,
      note: 'Read from a stored version not confirmed to match 9615cf3; rate $0.15/s ("$1.2 per 8s").',
    },
  },
  {
    id: 'openai/sora-2',
    model: {
      providers: [
        {
          id: 'runware',
          model_name: 'openai:3@1',
          pricing: { type: 'post_generation', range: { min: 0.4, average: 0.4, max: 1.2 } },
        },
      ],
      release_date: '2025-09-30',
      sizes: ['1280x720', '720x1280'],
      seconds: [4, 8, 12],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    aliases: [],
    audio: true,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/openai/sora-2.js`,
      note: 'Charged what Runware reports after generation; audio provisional.',
    },
  },
  {
    id: 'openai/sora-2-pro',
    model: {
      providers: [
        {
          id: 'runware',
          model_name: 'openai:3@2',
          pricing: { type: 'post_generation', range: { min: 1.2, average: 1.2, max: 6 } },
        },
      ],
      release_date: '2025-09-30',
      sizes: ['1280x720', '720x1280', '1024x1792', '1792x1024'],
      seconds: [4, 8, 12],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    aliases: [],
    audio: true,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/openai/sora-2-pro.js @ bc8505a`,
      note: 'Read from a stored version not confirmed to match 9615cf3; audio provisional.',
    },
  },
  {
    id: 'kling/kling-2.5-turbo-pro',
    model: {
      providers: [
        {
          id: 'runware',
          model_name: 'klingai:6@1',
          pricing: { type: 'post_generation', range: { min: 0.35, average: 0.35, max: 0.7 } },
        },
      ],
      release_date: '2025-09-23',
      sizes: ['1920x1080', '1080x1080', '1080x1920'],
      seconds: [5, 10],
      default_seconds: 5,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    aliases: ['kwaivgi/kling-2.5-turbo-pro'],
    audio: false,
    provenance: {
      level: 'official-code',
      source: `${VIDEO_MODELS}/kling/kling-2.5-turbo-pro.js @ e5fe074, src/services/modelAliases.js`,
      note: 'Read from a stored version not confirmed to match 9615cf3; no audio (provisional).',
    },
  },
];

/**
 * A few image model ids, so a video request naming one gets the router's "is an image model"
 * answer. `test/test` is the docs' free test model; the list is not the full image catalog.
 *
 * @example
 * IMAGE_MODEL_IDS.includes('test/test'); // true
 */
export const IMAGE_MODEL_IDS: readonly string[] = ['test/test', 'google/gemini-2.5-flash'];

/**
 * Finds a catalog entry by id or alias, as `resolveModelAlias` then `videoModels[model]` do.
 *
 * @example
 * findEntry('kwaivgi/kling-2.5-turbo-pro')?.id; // 'kling/kling-2.5-turbo-pro'
 */
export function findEntry(
  idOrAlias: string,
  catalog: readonly CatalogEntry[] = IMAGEROUTER_CATALOG,
): CatalogEntry | undefined {
  return (
    catalog.find((e) => e.id === idOrAlias) ?? catalog.find((e) => e.aliases.includes(idOrAlias))
  );
}

const low = (p: ModelPricing): number => p.value ?? p.range?.min ?? 0;
const mid = (p: ModelPricing): number => p.range?.average ?? p.value ?? 0;
const high = (p: ModelPricing): number => p.value ?? p.range?.max ?? 0;

/**
 * The `/v2/models` price block: cheapest and dearest over all providers, the first provider's
 * average. This reproduces the code's veo-3.1 output (`{min: 1.2, average: 1.6, max: 3.2}`).
 *
 * @example
 * priceRangeOf(findEntry('google/veo-3.1')!.model); // { min: 1.2, average: 1.6, max: 3.2 }
 */
export function priceRangeOf(m: Model): { min: number; average: number; max: number } {
  const pricings = m.providers.map((p) => p.pricing);
  const first = pricings[0];
  return {
    min: Math.min(...pricings.map(low)),
    average: first ? mid(first) : 0,
    max: Math.max(...pricings.map(high)),
  };
}

/**
 * `GET /v1/models`: the catalog keyed by id.
 *
 * @example
 * Object.keys(modelsV1Listing()); // ['ir/test-video', 'google/veo-3.1', ...]
 */
export function modelsV1Listing(
  catalog: readonly CatalogEntry[] = IMAGEROUTER_CATALOG,
): Record<string, Model> {
  return Object.fromEntries(catalog.map((e) => [e.id, e.model]));
}

/**
 * One entry in the `/v2/models` shape (all fields; `fields=` selection is the handler's job).
 *
 * @example
 * toModelV2(findEntry('ir/test-video')!).inputs?.size; // ['custom']
 */
export function toModelV2(entry: CatalogEntry): ModelV2 {
  const m = entry.model;
  return {
    id: entry.id,
    name: entry.id,
    aliases: [...entry.aliases],
    release_date: m.release_date,
    inputs: {
      image: m.supported_params.edit,
      mask: m.supported_params.mask,
      quality: m.supported_params.quality,
      size: m.sizes ? [...m.sizes] : ['custom'],
      ...(m.seconds ? { seconds: [...m.seconds] } : {}),
    },
    output: [...m.output],
    price: priceRangeOf(m),
  };
}

/**
 * `GET /v2/models` as the docs describe it: an array of model objects.
 *
 * @example
 * modelsV2Listing()[0]?.id; // 'ir/test-video'
 */
export function modelsV2Listing(catalog: readonly CatalogEntry[] = IMAGEROUTER_CATALOG): ModelV2[] {
  return catalog.map(toModelV2);
}

const roundUsd = (usd: number): number => Math.round(usd * 10000) / 10000;

/**
 * The seconds ImageRouter generates for a request (`helpers.resolveSeconds`): `'auto'`, a missing
 * value or a number the model does not offer all become `default_seconds`.
 *
 * @example
 * resolveSeconds(findEntry('google/veo-3.1')!, 7); // 4
 */
export function resolveSeconds(
  entry: CatalogEntry,
  requested: number | 'auto' | undefined,
): number {
  const m = entry.model;
  const fallback = m.default_seconds ?? m.seconds?.[0] ?? 5;
  if (requested === undefined || requested === 'auto') return fallback;
  return requested > 0 && m.seconds?.includes(requested) ? requested : fallback;
}

/**
 * The USD cost ImageRouter reports in `cost` for a video of this model, from the first provider:
 * - `fixed`: its value;
 * - `calculated`: the provider's per-second rate times the resolved seconds, as its
 *   `calcVideoPrice` does (the range average when no rate is known);
 * - `post_generation`: the router charges what the upstream reports after the fact, which we
 *   cannot know, so the range average (ImageRouter's own estimate) stands in.
 * Rounded to four decimals like `postPriceInt / 10000`. `undefined` for an unknown model.
 *
 * @example
 * priceOf('google/veo-3.1', 8); // 3.2
 * priceOf('openai/sora-2', 12); // 0.4 (estimate: the average)
 */
export function priceOf(
  modelId: string,
  seconds: number | 'auto' | undefined = 'auto',
  catalog: readonly CatalogEntry[] = IMAGEROUTER_CATALOG,
): number | undefined {
  const entry = findEntry(modelId, catalog);
  const pricing = entry?.model.providers[0]?.pricing;
  if (!entry || !pricing) return undefined;
  switch (pricing.type) {
    case 'fixed':
      return roundUsd(pricing.value ?? 0);
    case 'calculated':
      return roundUsd(
        entry.ratePerSecond !== undefined
          ? entry.ratePerSecond * resolveSeconds(entry, seconds)
          : mid(pricing),
      );
    case 'post_generation':
      return roundUsd(mid(pricing));
  }
}

/**
 * Normalised capabilities of an ImageRouter catalog entry.
 *
 * @example
 * capabilitiesOf(findEntry('ir/test-video')!).defaultSize; // '1280x720'
 */
export function capabilitiesOf(entry: CatalogEntry): ModelCapabilities {
  const m = entry.model;
  return {
    id: entry.id,
    name: entry.id,
    ...(m.seconds ? { durations: m.seconds } : {}),
    defaultDuration: resolveSeconds(entry, 'auto'),
    ...(m.sizes ? { sizes: m.sizes } : {}),
    defaultSize: m.sizes?.[0] ?? FALLBACK_SIZE,
    imageInput: m.supported_params.edit,
    audio: entry.audio,
    seed: null,
    ...(entry.ratePerSecond !== undefined ? { pricePerSecond: { base: entry.ratePerSecond } } : {}),
    provenance: entry.provenance,
  };
}
