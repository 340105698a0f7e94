/**
 * What rout.my does with a schema-valid video request: the model checks the docs describe, the
 * server-side duration clamp, the worst-case quota check, and our provisional value rules.
 * @module
 */
import { dimensionsFor } from '../../common/media.js';
import type { Judgement } from '../../provider.js';
import { findRoutMyModel } from './catalog.js';
import {
  clampDuration,
  hasVideoInput,
  isRoutMyQuality,
  parseRoutMySize,
  resolutionClass,
  worstCaseQuotaTokens,
} from './quota.js';
import type { RoutMyErrorResponse, RoutMyErrorStatus, RoutMyVideoRequest } from './schemas.js';
import { ROUTMY_ERROR_KINDS } from './schemas.js';

/** The caller's account, which changes rout.my's answer. */
export interface RoutMyJudgeOptions {
  /**
   * Whether the caller's plan may use a model. Defaults to the catalog's `is_available`.
   * "If is_available is false, the model is visible in the catalog but locked" (models page).
   */
  readonly isAvailable?: (modelId: string) => boolean;
  /** Tokens left in the caller's quota; unlimited when absent. */
  readonly remainingTokens?: number;
}

const fail = (status: RoutMyErrorStatus, message: string, param?: string): Judgement => ({
  ok: false,
  status,
  message,
  type: ROUTMY_ERROR_KINDS[status].type,
  code: ROUTMY_ERROR_KINDS[status].code,
  ...(param ? { param } : {}),
});

/** The image fields in the order we read them (the docs give no precedence). */
const IMAGE_FIELDS = [
  'input_image',
  'input_image_b64',
  'image',
  'image_url',
  'input_image_url',
] as const;

/**
 * The request field that carries the source image, if any: the prompt object's `image` or one of
 * the documented image fields and aliases.
 *
 * @example
 * imageField({ model: 'm', prompt: { text: 'p', image: 'https://example.com/a.png' } });
 * // 'prompt.image'
 */
export function imageField(request: RoutMyVideoRequest): string | undefined {
  if (typeof request.prompt === 'object' && request.prompt.image) return 'prompt.image';
  return IMAGE_FIELDS.find((field) => Boolean(request[field]));
}

const listOf = (values: readonly (string | number)[]): string => values.join(', ');

/**
 * Judges a schema-valid rout.my request as the router does, in this order:
 *
 * 1. Unknown model → 404 `model_not_found` (errors page: "404 Wrong path or unknown model";
 *    models page: "If a model fails with model_not_found, list models again").
 * 2. Locked model (`is_available` false for the caller) → 403 (errors page: "The key is valid,
 *    but the model is not available to the account").
 * 3. Value rules → 400 ("Invalid request body, missing field, unsupported parameter"). Which
 *    values each model supports is provisional catalog data; so is the message wording.
 * 4. Worst-case quota above what remains → 429 "before generation starts" (video page).
 *
 * Then the accepted request: duration defaulted or clamped into the model's range ("Maximum is
 * clamped server-side"), a seed ignored where unsupported ("when supported"), `n` videos.
 *
 * @example
 * judgeRoutMy({ model: 'google/veo-3.1', prompt: 'a cat', duration: 20 });
 * // { ok: true, generation: { durationSeconds: 8,
 * //   adjustments: ['duration 20 clamped to 8 (maximum for google/veo-3.1)'], ... } }
 */
export function judgeRoutMy(
  request: RoutMyVideoRequest,
  options: RoutMyJudgeOptions = {},
): Judgement {
  const entry = findRoutMyModel(request.model);
  if (!entry) {
    return fail(
      404,
      `The model '${request.model}' does not exist. ` +
        'List models again (GET /v1/models) and copy the ID exactly.',
      'model',
    );
  }
  const id = entry.model.id;
  if (!(options.isAvailable?.(id) ?? entry.model.is_available)) {
    return fail(
      403,
      `The model '${id}' is not available to your account. ` +
        'Use an available model ID or update plan/access.',
      'model',
    );
  }
  const { limits } = entry;
  const adjustments: string[] = [];

  const text = typeof request.prompt === 'string' ? request.prompt : request.prompt.text;
  if (text.trim() === '') return fail(400, 'prompt is required', 'prompt');

  const image = imageField(request);
  if (image && !limits.imageInput) return fail(400, `${id} does not accept an input image`, image);
  if (hasVideoInput(request) && !limits.videoInput) {
    const field = request.input_video ? 'input_video' : 'input_video_b64';
    return fail(400, `${id} does not accept an input video (edit mode)`, field);
  }

  const asked = request.duration;
  if (asked !== undefined && !(Number.isFinite(asked) && asked > 0)) {
    return fail(400, 'duration must be a positive number of seconds', 'duration');
  }
  const requestedDuration = asked ?? limits.defaultDuration;
  if (asked === undefined) adjustments.push(`duration defaulted to ${requestedDuration}`);
  const durationSeconds = clampDuration(requestedDuration, limits);
  if (durationSeconds !== requestedDuration) {
    const bound = durationSeconds === limits.maxDuration ? 'maximum' : 'minimum';
    adjustments.push(
      `duration ${requestedDuration} clamped to ${durationSeconds} (${bound} for ${id})`,
    );
  }

  const resolution =
    request.resolution === undefined
      ? limits.defaultResolution
      : resolutionClass(request.resolution);
  if (!resolution) {
    return fail(
      400,
      `resolution '${request.resolution}' is not supported; ` +
        'use 480p, 720p, 1080p, 4K, 1K, 2K or WIDTHxHEIGHT',
      'resolution',
    );
  }
  if (!limits.resolutions.includes(resolution)) {
    return fail(
      400,
      `resolution ${request.resolution} is not supported by ${id}; ` +
        `supported: ${listOf(limits.resolutions)}`,
      'resolution',
    );
  }
  if (request.aspect_ratio !== undefined && !limits.aspectRatios.includes(request.aspect_ratio)) {
    return fail(
      400,
      `aspect_ratio ${request.aspect_ratio} is not supported by ${id}; ` +
        `supported: ${listOf(limits.aspectRatios)}`,
      'aspect_ratio',
    );
  }
  const exact = request.resolution === undefined ? undefined : parseRoutMySize(request.resolution);
  if (exact && request.aspect_ratio !== undefined) {
    adjustments.push(
      `aspect_ratio ${request.aspect_ratio} ignored: resolution gives exact dimensions`,
    );
  }
  const size = exact ?? dimensionsFor(resolution, request.aspect_ratio ?? limits.aspectRatios[0]);

  const count = request.n ?? 1;
  if (count < 1) return fail(400, 'n must be at least 1', 'n');
  if (count > limits.maxCount) {
    return fail(400, `n ${count} exceeds the maximum of ${limits.maxCount} for ${id}`, 'n');
  }
  if (request.audio === true && !limits.audio) {
    return fail(400, `${id} does not generate audio`, 'audio');
  }
  if (request.quality !== undefined && !isRoutMyQuality(request.quality)) {
    return fail(
      400,
      `quality '${request.quality}' is not supported; use draft, std, optimized, pro or lossless`,
      'quality',
    );
  }
  if (request.seed !== undefined && !limits.seed) {
    adjustments.push(`seed ignored: ${id} does not support a seed`);
  }

  if (options.remainingTokens !== undefined) {
    const estimate = worstCaseQuotaTokens(request, entry);
    if (estimate > options.remainingTokens) {
      const remaining = Math.max(0, options.remainingTokens);
      return fail(
        429,
        `Insufficient quota: this request may use up to ${estimate} tokens (worst-case ` +
          `estimate) and ${remaining} remain. ` +
          'Wait for the reset window, reduce the request size, or check quota.',
      );
    }
  }

  return {
    ok: true,
    generation: {
      model: id,
      durationSeconds,
      width: size?.width ?? 1280,
      height: size?.height ?? 720,
      count,
      audio: request.audio ?? limits.audio,
      adjustments,
    },
  };
}

/**
 * The error body rout.my sends for a rejected request's judgement.
 *
 * @example
 * const verdict = judgeRoutMy({ model: 'nope/nope', prompt: 'a cat' });
 * if (!verdict.ok) routmyErrorBody(verdict);
 * // { error: { message: "The model 'nope/nope' does not exist. ...",
 * //   type: 'invalid_request_error', code: 'model_not_found', param: 'model' } }
 */
export function routmyErrorBody(verdict: Extract<Judgement, { ok: false }>): RoutMyErrorResponse {
  const kinds: Readonly<Record<number, { type: string; code: string }>> = ROUTMY_ERROR_KINDS;
  const kind = kinds[verdict.status];
  return {
    error: {
      message: verdict.message,
      type: verdict.type ?? kind?.type ?? 'api_error',
      code: verdict.code ?? kind?.code ?? String(verdict.status),
      ...(verdict.param ? { param: verdict.param } : {}),
    },
  };
}
