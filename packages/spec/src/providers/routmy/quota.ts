/**
 * rout.my's quota arithmetic for video, as the video page documents it:
 *
 * ```text
 * tokens = duration_sec x 60,000 x resolution x audio x quality x video_input x n
 *          x token_multiplier
 * ```
 *
 * "Before calling the provider, rout.my estimates a worst-case cost from missing parameters. If
 * quota is insufficient, the request returns 429 before generation starts."
 * @module
 */
import type { ResolvedGeneration } from '../../provider.js';
import type { Provenance } from '../../provenance.js';
import type { RoutMyModelLimits } from './catalog.js';
import type { RoutMyQuality, RoutMyResolution, RoutMyVideoRequest } from './schemas.js';
import { ROUTMY_QUALITIES, ROUTMY_RESOLUTIONS, ROUTMY_SOURCES } from './schemas.js';

/**
 * Where the formula and coefficients come from.
 *
 * @example
 * QUOTA_PROVENANCE.level; // 'official-docs'
 */
export const QUOTA_PROVENANCE: Provenance = {
  level: 'official-docs',
  source: `${ROUTMY_SOURCES.videos} (Quota accounting)`,
  note:
    'Rounding to whole tokens, the short-side mapping of WIDTHxHEIGHT and the defaults ' +
    'used for the charge of a finished request are provisional.',
};

/**
 * Tokens per second of video before coefficients.
 *
 * @example
 * QUOTA_TOKENS_PER_SECOND * 5; // 300000
 */
export const QUOTA_TOKENS_PER_SECOND = 60_000;

/**
 * The documented coefficient table ("Common coefficients"), as data.
 *
 * @example
 * QUOTA_COEFFICIENTS.resolution['1080p']; // 1.8
 */
export const QUOTA_COEFFICIENTS = {
  resolution: { '480p': 0.7, '720p': 1.0, '1K': 1.0, '1080p': 1.8, '2K': 1.8, '4K': 2.5 },
  audio: { off: 1.0, on: 1.3 },
  quality: { draft: 0.3, std: 1.0, optimized: 1.0, pro: 1.5, lossless: 1.5 },
  videoInput: { absent: 1.0, present: 1.7 },
} as const satisfies {
  resolution: Readonly<Record<RoutMyResolution, number>>;
  audio: { off: number; on: number };
  quality: Readonly<Record<RoutMyQuality, number>>;
  videoInput: { absent: number; present: number };
};

/**
 * Short-side ceilings used to class a `WIDTHxHEIGHT` resolution. The docs give coefficients for
 * words only; we class a size by its short side, rounding up to the next tier (provisional):
 * ≤ 480 → 480p, ≤ 720 → 720p, ≤ 1080 → 1080p, ≤ 1440 → 2K, larger → 4K.
 *
 * @example
 * SIZE_TIERS[0]; // [480, '480p']
 */
export const SIZE_TIERS: readonly (readonly [number, RoutMyResolution])[] = [
  [480, '480p'],
  [720, '720p'],
  [1080, '1080p'],
  [1440, '2K'],
  [Infinity, '4K'],
];

/**
 * The resolution word a request's `resolution` stands for: a known word (any letter case) or a
 * `WIDTHxHEIGHT` size classed by its short side. `undefined` when it is neither.
 *
 * @example
 * resolutionClass('4k'); // '4K'
 * resolutionClass('1920x1080'); // '1080p'
 */
export function resolutionClass(resolution: string): RoutMyResolution | undefined {
  const word = ROUTMY_RESOLUTIONS.find((r) => r.toLowerCase() === resolution.trim().toLowerCase());
  if (word) return word;
  const size = parseRoutMySize(resolution);
  if (!size) return undefined;
  const short = Math.min(size.width, size.height);
  return SIZE_TIERS.find(([ceiling]) => short <= ceiling)?.[1];
}

/**
 * Parses the documented `WIDTHxHEIGHT` form (a lower- or upper-case x, positive integers).
 *
 * @example
 * parseRoutMySize('1280x720'); // { width: 1280, height: 720 }
 */
export function parseRoutMySize(size: string): { width: number; height: number } | undefined {
  const match = /^(\d+)[xX](\d+)$/.exec(size.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * Whether a `quality` string is one of the words the quota table knows.
 *
 * @example
 * isRoutMyQuality('pro'); // true
 */
export function isRoutMyQuality(quality: string): quality is RoutMyQuality {
  return (ROUTMY_QUALITIES as readonly string[]).includes(quality);
}

/** The values the formula multiplies. */
export interface QuotaParams {
  readonly durationSeconds: number;
  /** A resolution word or `WIDTHxHEIGHT`. */
  readonly resolution: string;
  readonly audio: boolean;
  readonly quality: RoutMyQuality;
  readonly videoInput: boolean;
  /** Number of videos (`n`). */
  readonly count: number;
  /** The model's `token_multiplier`. */
  readonly tokenMultiplier: number;
}

/**
 * The documented formula, rounded to whole tokens (the rounding is ours: the docs do not say,
 * and binary floating point turns 5 × 60,000 × 0.7 into 210000.00000000003).
 *
 * @example
 * quotaTokens({ durationSeconds: 5, resolution: '720p', audio: false, quality: 'std',
 *   videoInput: false, count: 1, tokenMultiplier: 1 }); // 300000
 */
export function quotaTokens(params: QuotaParams): number {
  const resolution = resolutionClass(params.resolution);
  if (!resolution) {
    throw new RangeError(`[reelkit/spec] rout.my quota: unknown resolution '${params.resolution}'`);
  }
  const c = QUOTA_COEFFICIENTS;
  return Math.round(
    params.durationSeconds *
      QUOTA_TOKENS_PER_SECOND *
      c.resolution[resolution] *
      (params.audio ? c.audio.on : c.audio.off) *
      c.quality[params.quality] *
      (params.videoInput ? c.videoInput.present : c.videoInput.absent) *
      params.count *
      params.tokenMultiplier,
  );
}

/**
 * What the estimate needs to know about a model: its multiplier, its duration range and, when
 * known, its resolutions (a catalog entry fits).
 */
export interface QuotaModel {
  readonly model: { readonly token_multiplier: number };
  readonly limits: Pick<RoutMyModelLimits, 'minDuration' | 'maxDuration'> & {
    readonly resolutions?: readonly RoutMyResolution[];
  };
}

/**
 * Whether a request carries a source video (edit mode), which triggers video-input accounting.
 *
 * @example
 * hasVideoInput({ model: 'm', prompt: 'p', input_video: 'https://example.com/a.mp4' }); // true
 */
export function hasVideoInput(
  request: Pick<RoutMyVideoRequest, 'input_video' | 'input_video_b64'>,
): boolean {
  return Boolean(request.input_video) || Boolean(request.input_video_b64);
}

/**
 * The worst-case cost rout.my checks against the quota before calling the provider: each
 * parameter the request leaves out takes its most expensive value — duration the clamp maximum,
 * resolution the model's highest (4K when the model's resolutions are unknown), audio on,
 * quality pro. Given values count as given (a duration clamped first). `n` defaults to 1, as
 * documented, and the video-input factor follows from the request.
 *
 * @example
 * worstCaseQuotaTokens(
 *   { model: 'google/veo-3.1', prompt: 'a cat', duration: 5, resolution: '720p' },
 *   { model: { token_multiplier: 2 },
 *     limits: { minDuration: 4, maxDuration: 8, resolutions: ['720p', '1080p'] } },
 * );
 * // 5 × 60,000 × 1.0 × 1.3 × 1.5 × 1.0 × 1 × 2 = 1170000
 */
export function worstCaseQuotaTokens(request: RoutMyVideoRequest, model: QuotaModel): number {
  const { limits } = model;
  const highest = (limits.resolutions ?? ROUTMY_RESOLUTIONS).reduce((best, r) =>
    QUOTA_COEFFICIENTS.resolution[r] > QUOTA_COEFFICIENTS.resolution[best] ? r : best,
  );
  const quality =
    request.quality !== undefined && isRoutMyQuality(request.quality) ? request.quality : 'pro';
  return quotaTokens({
    durationSeconds: clampDuration(request.duration ?? limits.maxDuration, limits),
    resolution:
      request.resolution !== undefined && resolutionClass(request.resolution)
        ? request.resolution
        : highest,
    audio: request.audio ?? true,
    quality,
    videoInput: hasVideoInput(request),
    count: request.n ?? 1,
    tokenMultiplier: model.model.token_multiplier,
  });
}

/**
 * A duration clamped into a model's range ("Maximum is clamped server-side"; raising short ones
 * to the minimum is provisional).
 *
 * @example
 * clampDuration(20, { minDuration: 4, maxDuration: 8 }); // 8
 */
export function clampDuration(
  seconds: number,
  limits: Partial<Pick<RoutMyModelLimits, 'minDuration' | 'maxDuration'>>,
): number {
  const upper = Math.min(seconds, limits.maxDuration ?? seconds);
  return Math.max(upper, limits.minDuration ?? upper);
}

/**
 * What a finished request costs: the formula over what was generated (duration after the clamp,
 * the rendered size classed by its short side, audio as rendered, `n`). A request without
 * `quality` is charged as `std` (provisional: the docs give no default).
 *
 * @example
 * chargedQuotaTokens({ model: 'google/veo-3.1', prompt: 'a cat' },
 *   { model: 'google/veo-3.1', durationSeconds: 8, width: 1280, height: 720, count: 1,
 *     audio: true, adjustments: [] },
 *   { model: { token_multiplier: 2 } });
 * // 8 × 60,000 × 1.0 × 1.3 × 1.0 × 1.0 × 1 × 2 = 1248000
 */
export function chargedQuotaTokens(
  request: RoutMyVideoRequest,
  generation: ResolvedGeneration,
  model: Pick<QuotaModel, 'model'>,
): number {
  return quotaTokens({
    durationSeconds: generation.durationSeconds,
    resolution: `${generation.width}x${generation.height}`,
    audio: generation.audio,
    quality:
      request.quality !== undefined && isRoutMyQuality(request.quality) ? request.quality : 'std',
    videoInput: hasVideoInput(request),
    count: generation.count,
    tokenMultiplier: model.model.token_multiplier,
  });
}
