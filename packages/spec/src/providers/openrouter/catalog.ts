/**
 * OpenRouter's video model catalog, as `GET /api/v1/videos/models` returns it.
 * Values come from OpenRouter's own docs and QA runs where published, otherwise from live-response
 * fixtures in third-party code; each entry's provenance says which.
 * @module
 */
import type { ModelCapabilities } from '../../provider.js';
import type { Provenance } from '../../provenance.js';
import type { VideoModel } from './schemas.js';

const COOKBOOK = 'OpenRouterTeam/docs cookbook/video-generation/*.mdx @ c26125a';

interface CatalogEntry {
  readonly model: VideoModel;
  readonly provenance: Provenance;
}

const model = (
  m: Omit<VideoModel, 'canonical_slug' | 'upscale_factor' | 'creativity'>,
): VideoModel => ({
  ...m,
  canonical_slug: m.id,
  upscale_factor: null,
  creativity: null,
});

/** The models the OpenRouter mock serves, in the order `/videos/models` lists them. */
export const OPENROUTER_CATALOG: readonly CatalogEntry[] = [
  {
    model: model({
      id: 'google/veo-3.1',
      name: 'Google: Veo 3.1',
      description: 'Google video generation model with native audio.',
      created: 1760486400,
      supported_resolutions: ['720p', '1080p'],
      supported_aspect_ratios: ['16:9', '9:16'],
      supported_sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      supported_durations: [4, 6, 8],
      supported_frame_images: ['first_frame', 'last_frame'],
      generate_audio: true,
      seed: true,
      pricing_skus: { 'per-video-second': '0.50', 'per-video-second-1080p': '0.75' },
      allowed_passthrough_parameters: ['personGeneration', 'negativePrompt', 'enhancePrompt'],
    }),
    provenance: {
      level: 'official-docs',
      source: 'video-generation.mdx models example (pricing_skus, resolutions)',
      note: 'Durations 4/6/8 and aspect ratios follow veo-3.1-lite in the cookbook; provisional.',
    },
  },
  {
    model: model({
      id: 'google/veo-3.1-fast',
      name: 'Google: Veo 3.1 Fast',
      created: 1760486400,
      supported_resolutions: ['720p', '1080p'],
      supported_aspect_ratios: ['16:9', '9:16'],
      supported_sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      supported_durations: [4, 6, 8],
      supported_frame_images: ['first_frame', 'last_frame'],
      generate_audio: true,
      seed: true,
      pricing_skus: { duration_seconds: '0.10', duration_seconds_with_audio: '0.15' },
      allowed_passthrough_parameters: ['personGeneration', 'negativePrompt', 'enhancePrompt'],
    }),
    provenance: { level: 'provisional', source: `${COOKBOOK} (model id only)` },
  },
  {
    model: model({
      id: 'google/veo-3.1-lite',
      name: 'Google: Veo 3.1 Lite',
      created: 1772323200,
      supported_resolutions: ['720p', '1080p'],
      supported_aspect_ratios: ['16:9', '9:16'],
      supported_sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      // Unsorted, exactly as the cookbook's QA run printed it.
      supported_durations: [8, 4, 6],
      supported_frame_images: ['first_frame', 'last_frame'],
      generate_audio: true,
      seed: true,
      pricing_skus: { duration_seconds: '0.05', duration_seconds_with_audio: '0.08' },
      allowed_passthrough_parameters: [
        'personGeneration',
        'aspectRatio',
        'negativePrompt',
        'conditioningScale',
        'enhancePrompt',
      ],
    }),
    provenance: {
      level: 'official-docs',
      source: `${COOKBOOK} text-to-video.mdx, provider-specific-video-options.mdx`,
      note: 'Prices provisional.',
    },
  },
  {
    model: model({
      id: 'openai/sora-2-pro',
      name: 'OpenAI: Sora 2 Pro',
      created: 1759190400,
      supported_resolutions: ['720p', '1080p'],
      supported_aspect_ratios: ['16:9', '9:16'],
      supported_sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      supported_durations: [4, 8, 12],
      supported_frame_images: null,
      generate_audio: null,
      seed: null,
      pricing_skus: { duration_seconds: '0.30', duration_seconds_1080p: '0.50' },
      allowed_passthrough_parameters: [],
    }),
    provenance: {
      level: 'third-party',
      source: 'third-party live-response fixtures',
      note: 'Fixtures disagree on durations ([4,8,12] vs [4,8,12,16,20]); [4,8,12] matches OpenAI seconds enum.',
    },
  },
  {
    model: model({
      id: 'kwaivgi/kling-v3.0-pro',
      name: 'Kling: Kling v3.0 Pro',
      created: 1770163200,
      supported_resolutions: ['720p'],
      supported_aspect_ratios: ['16:9', '9:16', '1:1'],
      supported_sizes: ['1280x720', '720x1280'],
      supported_durations: [3, 4, 5, 10],
      supported_frame_images: ['first_frame', 'last_frame'],
      generate_audio: true,
      seed: true,
      pricing_skus: {
        duration_seconds: '0.112',
        duration_seconds_with_audio: '0.168',
        image_to_video_duration_seconds_1080p: '0.112',
      },
      allowed_passthrough_parameters: ['negative_prompt', 'cfg_scale'],
    }),
    provenance: {
      level: 'third-party',
      source: 'fixture "trimmed from a live GET /api/v1/videos/models response"',
    },
  },
];

/**
 * The per-second price of a generation, read from a model's `pricing_skus`. Understands the key
 * shapes seen in the docs (`per-video-second[-1080p]`) and in live fixtures
 * (`duration_seconds[_with_audio][_1080p]`). Returns `undefined` when no key applies.
 *
 * @example
 * pricePerSecond(veo, { audio: false, resolution: '1080p' }); // 0.75
 */
export function pricePerSecond(
  m: VideoModel,
  options: { audio: boolean; resolution: string },
): number | undefined {
  const skus = m.pricing_skus ?? {};
  const res = options.resolution;
  const candidates = options.audio
    ? [`duration_seconds_with_audio_${res}`, 'duration_seconds_with_audio']
    : [`duration_seconds_without_audio_${res}`, 'duration_seconds_without_audio'];
  candidates.push(
    `duration_seconds_${res}`,
    'duration_seconds',
    `per-video-second-${res}`,
    'per-video-second',
  );
  for (const key of candidates) {
    const value = skus[key];
    if (value !== undefined && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

/** Normalised capabilities of an OpenRouter catalog entry. */
export function capabilitiesOf({ model: m, provenance }: CatalogEntry): ModelCapabilities {
  const base = pricePerSecond(m, { audio: false, resolution: '720p' });
  const withAudio = pricePerSecond(m, { audio: true, resolution: '720p' });
  const durations = m.supported_durations ?? undefined;
  return {
    id: m.id,
    name: m.name,
    ...(durations ? { durations } : {}),
    defaultDuration: durations ? Math.max(...durations) : 8,
    ...(m.supported_resolutions ? { resolutions: m.supported_resolutions } : {}),
    ...(m.supported_aspect_ratios ? { aspectRatios: m.supported_aspect_ratios } : {}),
    ...(m.supported_sizes ? { sizes: m.supported_sizes } : {}),
    defaultSize: m.supported_sizes?.[0] ?? '1280x720',
    ...(m.supported_frame_images ? { frameImages: m.supported_frame_images } : {}),
    imageInput: (m.supported_frame_images?.length ?? 0) > 0,
    audio: m.generate_audio,
    seed: m.seed,
    ...(base !== undefined
      ? { pricePerSecond: { base, ...(withAudio !== undefined ? { withAudio } : {}) } }
      : {}),
    provenance,
  };
}
