/**
 * rout.my's video model catalog, as the mock serves it from `GET /v1/models`.
 *
 * rout.my publishes no real model IDs (its docs use the placeholders `provider/model-id` and
 * `provider/video-model-id`) and no per-model capabilities ("No capability or duration fields are
 * published"). Everything below except the documented placeholder and the entry shape is therefore
 * **provisional**: plausible IDs, multipliers and limits, to be confirmed by a live run.
 * @module
 */
import { dimensionsFor, formatSize } from '../../common/media.js';
import type { ModelCapabilities } from '../../provider.js';
import type { Provenance } from '../../provenance.js';
import { z } from '../../zod.js';
import type { RoutMyModel } from './schemas.js';
import { ROUTMY_RESOLUTIONS, ROUTMY_SOURCES } from './schemas.js';

/**
 * What a model accepts, as the mock's judge applies it. rout.my publishes none of this, so it is
 * catalog data of our own (provisional), not part of any response body.
 *
 * @example
 * RoutMyModelLimits.parse({ minDuration: 4, maxDuration: 8, defaultDuration: 8,
 *   resolutions: ['720p'], defaultResolution: '720p', aspectRatios: ['16:9'], audio: true,
 *   imageInput: true, videoInput: false, seed: true, maxCount: 1 });
 */
export const RoutMyModelLimits = z
  .strictObject({
    /** Requests below are raised to it. */
    minDuration: z.number().positive(),
    /** "Maximum is clamped server-side": requests above are lowered to it. */
    maxDuration: z.number().positive(),
    /** Used when the request has no `duration`. */
    defaultDuration: z.number().positive(),
    resolutions: z.array(z.enum(ROUTMY_RESOLUTIONS)).min(1),
    defaultResolution: z.enum(ROUTMY_RESOLUTIONS),
    /** The first one is the default. */
    aspectRatios: z.array(z.string().regex(/^\d+:\d+$/)).min(1),
    /** Whether the model can render sound; when it can, sound is on unless `audio: false`. */
    audio: z.boolean(),
    imageInput: z.boolean(),
    /** Edit mode (`input_video`). */
    videoInput: z.boolean(),
    /** "Deterministic generation seed when supported": ignored otherwise. */
    seed: z.boolean(),
    /** Largest accepted `n`. */
    maxCount: z.number().int().min(1),
  })
  .openapi('RoutMyModelLimits');

/** Limits of one model; see {@link RoutMyModelLimits}. */
export type RoutMyModelLimits = z.infer<typeof RoutMyModelLimits>;

/** One catalog entry: the public `/v1/models` entry, the limits the judge applies, and sources. */
export interface RoutMyCatalogEntry {
  readonly model: RoutMyModel;
  readonly limits: RoutMyModelLimits;
  readonly provenance: Provenance;
}

/**
 * `owned_by` is "Provider or model group inferred from the ID": the part before the first slash.
 *
 * @example
 * ownedBy('google/veo-3.1'); // 'google'
 */
export function ownedBy(id: string): string {
  return id.split('/')[0] ?? id;
}

const entry = (
  id: string,
  fields: { created: number; token_multiplier: number; is_available?: boolean },
  limits: RoutMyModelLimits,
  fact: Provenance,
): RoutMyCatalogEntry => ({
  model: {
    id,
    object: 'model',
    created: fields.created,
    owned_by: ownedBy(id),
    token_multiplier: fields.token_multiplier,
    is_available: fields.is_available ?? true,
  },
  limits,
  provenance: fact,
});

const PLACEHOLDER_IDS =
  'Model ID is a placeholder of ours: rout.my publishes no model IDs ("provider/model-id" ' +
  'only). Confirm with a live GET /v1/models.';
const invented = (note: string): Provenance => ({
  level: 'provisional',
  source: `${ROUTMY_SOURCES.models} (entry shape only)`,
  note: `${PLACEHOLDER_IDS} token_multiplier and limits are guesses; ${note}`,
});

/**
 * The models the rout.my mock serves, in the order `/v1/models` lists them. The first entry is
 * the docs' own placeholder, so the documented curl examples work against the mock unchanged.
 *
 * @example
 * ROUTMY_CATALOG.map((e) => e.model.id);
 * // ['provider/video-model-id', 'google/veo-3.1', 'openai/sora-2', 'openai/sora-2-pro', ...]
 */
export const ROUTMY_CATALOG: readonly RoutMyCatalogEntry[] = [
  entry(
    'provider/video-model-id',
    { created: 1700000000, token_multiplier: 1 },
    {
      minDuration: 1,
      maxDuration: 10,
      defaultDuration: 5,
      resolutions: ['480p', '720p', '1K', '1080p', '2K', '4K'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4'],
      audio: true,
      imageInput: true,
      videoInput: true,
      seed: true,
      maxCount: 4,
    },
    {
      level: 'official-docs',
      source: `${ROUTMY_SOURCES.videos}; ${ROUTMY_SOURCES.models}`,
      note:
        'The ID every video example uses; created and token_multiplier copy the models ' +
        'example. Limits are provisional and wide enough for every documented example ' +
        '(text-to-video, image-to-video, editing).',
    },
  ),
  entry(
    'google/veo-3.1',
    { created: 1760486400, token_multiplier: 2 },
    {
      minDuration: 4,
      maxDuration: 8,
      defaultDuration: 8,
      resolutions: ['720p', '1080p'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16'],
      audio: true,
      imageInput: true,
      videoInput: false,
      seed: true,
      maxCount: 4,
    },
    invented('durations and sizes follow Google Veo 3.1 as other routers list it.'),
  ),
  entry(
    'openai/sora-2',
    { created: 1759190400, token_multiplier: 1.5 },
    {
      minDuration: 4,
      maxDuration: 12,
      defaultDuration: 4,
      resolutions: ['720p'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16'],
      audio: true,
      imageInput: true,
      videoInput: false,
      seed: false,
      maxCount: 1,
    },
    invented('limits follow the OpenAI Videos API (seconds 4/8/12, 720p, default 4 s).'),
  ),
  entry(
    'openai/sora-2-pro',
    { created: 1759190400, token_multiplier: 3, is_available: false },
    {
      minDuration: 4,
      maxDuration: 12,
      defaultDuration: 4,
      resolutions: ['720p', '1080p'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16'],
      audio: true,
      imageInput: true,
      videoInput: false,
      seed: false,
      maxCount: 1,
    },
    invented(
      'is_available is false on the default plan so that the locked-model answer (403) can be ' +
        'exercised.',
    ),
  ),
  entry(
    'kling/kling-v2.1',
    { created: 1748736000, token_multiplier: 1 },
    {
      minDuration: 5,
      maxDuration: 10,
      defaultDuration: 5,
      resolutions: ['720p', '1080p'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16', '1:1'],
      audio: false,
      imageInput: true,
      videoInput: false,
      seed: false,
      maxCount: 1,
    },
    invented('Kling v2.1 renders 5 or 10 s without sound.'),
  ),
  entry(
    'bytedance/seedance-1-lite',
    { created: 1749513600, token_multiplier: 0.5 },
    {
      minDuration: 3,
      maxDuration: 12,
      defaultDuration: 5,
      resolutions: ['480p', '720p', '1080p'],
      defaultResolution: '720p',
      aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'],
      audio: false,
      imageInput: true,
      videoInput: false,
      seed: true,
      maxCount: 4,
    },
    invented('Seedance 1 Lite renders 3–12 s at up to 1080p without sound.'),
  ),
];

/**
 * Finds a catalog entry by its exact ID (rout.my wants "the exact id returned by the API").
 *
 * @example
 * findRoutMyModel('google/veo-3.1')?.limits.maxDuration; // 8
 */
export function findRoutMyModel(id: string): RoutMyCatalogEntry | undefined {
  return ROUTMY_CATALOG.find((e) => e.model.id === id);
}

/**
 * Normalised capabilities of a rout.my catalog entry. `durations` is left out on purpose: rout.my
 * clamps any duration instead of rejecting it, so no value is out of set.
 *
 * @example
 * capabilitiesOf(ROUTMY_CATALOG[1]!).defaultSize; // '1280x720'
 */
export function capabilitiesOf({
  model: m,
  limits,
  provenance,
}: RoutMyCatalogEntry): ModelCapabilities {
  const size = dimensionsFor(limits.defaultResolution, limits.aspectRatios[0]);
  return {
    id: m.id,
    name: m.id,
    defaultDuration: limits.defaultDuration,
    resolutions: limits.resolutions,
    aspectRatios: limits.aspectRatios,
    defaultSize: size ? formatSize(size) : '1280x720',
    imageInput: limits.imageInput,
    audio: limits.audio,
    seed: limits.seed,
    provenance,
  };
}
