import { dimensionsFor, parseSize } from '../../common/media.js';
import type { Judgement } from '../../provider.js';
import { OPENROUTER_CATALOG } from './catalog.js';
import type { VideoGenerationRequest } from './schemas.js';

const reject = (message: string, param?: string): Judgement => ({
  ok: false,
  status: 400,
  message,
  ...(param ? { param } : {}),
});

const listOf = (values: readonly (string | number)[]): string => values.join(', ');

/** Options of {@link judgeOpenRouter}. */
export interface JudgeOpenRouterOptions {
  /**
   * Refuse a submit without `prompt` even when `frame_images` are given, as the API reference
   * page and the video skill read ("Required: model, prompt"). Default `false`: the OpenAPI
   * requires only `model` and makes `prompt` optional for image-only generation, and a mock must
   * not refuse what the router accepts.
   */
  readonly promptRequired?: boolean;
}

/**
 * Judges a schema-valid OpenRouter request as the router does: an out-of-set value is a 400
 * ("An out-of-set value returns a 400, so validate client-side", OpenRouter video skill).
 * The message wording is ours (provisional); OpenRouter documents the status, not the text.
 *
 * @example
 * judgeOpenRouter({ model: 'google/veo-3.1', prompt: 'a cat', duration: 5 });
 * // { ok: false, status: 400, message: "duration 5 is not supported by google/veo-3.1; supported: 4, 6, 8" }
 * judgeOpenRouter({ model: 'google/veo-3.1', frame_images: [first] }, { promptRequired: true });
 * // { ok: false, status: 400, message: 'prompt is required', param: 'prompt' }
 */
export function judgeOpenRouter(
  request: VideoGenerationRequest,
  options: JudgeOpenRouterOptions = {},
): Judgement {
  const entry = OPENROUTER_CATALOG.find((e) => e.model.id === request.model);
  if (!entry) return reject(`${request.model} is not a valid model ID`, 'model');
  const m = entry.model;
  const adjustments: string[] = [];

  const images = request.frame_images ?? [];
  if (!request.prompt && (options.promptRequired || images.length === 0)) {
    return reject(
      options.promptRequired
        ? 'prompt is required'
        : 'prompt is required unless frame_images are given',
      'prompt',
    );
  }
  if (request.callback_url && !request.callback_url.startsWith('https://')) {
    return reject('callback_url must be an HTTPS URL', 'callback_url');
  }
  const durations = m.supported_durations;
  if (request.duration !== undefined && durations && !durations.includes(request.duration)) {
    return reject(
      `duration ${request.duration} is not supported by ${m.id}; supported: ${listOf(durations)}`,
      'duration',
    );
  }
  if (
    request.resolution &&
    m.supported_resolutions &&
    !m.supported_resolutions.includes(request.resolution)
  ) {
    return reject(
      `resolution ${request.resolution} is not supported by ${m.id}; supported: ${listOf(m.supported_resolutions)}`,
      'resolution',
    );
  }
  if (
    request.aspect_ratio &&
    m.supported_aspect_ratios &&
    !m.supported_aspect_ratios.includes(request.aspect_ratio)
  ) {
    return reject(
      `aspect_ratio ${request.aspect_ratio} is not supported by ${m.id}; supported: ${listOf(m.supported_aspect_ratios)}`,
      'aspect_ratio',
    );
  }
  let size = request.size ? parseSize(request.size) : undefined;
  if (request.size) {
    const sizes: readonly string[] | null = m.supported_sizes;
    if (!size || (sizes && !sizes.includes(request.size))) {
      return reject(
        `size ${request.size} is not supported by ${m.id}; supported: ${listOf(sizes ?? ['WIDTHxHEIGHT'])}`,
        'size',
      );
    }
  }
  for (const image of images) {
    if (!m.supported_frame_images?.includes(image.frame_type)) {
      return reject(
        `frame_type ${image.frame_type} is not supported by ${m.id}; supported: ${listOf(m.supported_frame_images ?? [])}`,
        'frame_images',
      );
    }
  }
  if (request.seed !== undefined && m.seed === false) {
    return reject(`${m.id} does not support seed`, 'seed');
  }
  if (request.generate_audio && m.generate_audio === false) {
    return reject(`${m.id} does not support generate_audio`, 'generate_audio');
  }

  size ??= dimensionsFor(
    request.resolution ?? m.supported_resolutions?.[0] ?? '720p',
    request.aspect_ratio ?? m.supported_aspect_ratios?.[0] ?? '16:9',
  );
  const durationSeconds = request.duration ?? (durations ? Math.max(...durations) : 8);
  if (request.duration === undefined) adjustments.push(`duration defaulted to ${durationSeconds}`);
  return {
    ok: true,
    generation: {
      model: m.id,
      durationSeconds,
      width: size?.width ?? 1280,
      height: size?.height ?? 720,
      count: 1,
      // "Defaults to the endpoint's generate_audio capability flag, false if not set."
      audio: request.generate_audio ?? m.generate_audio ?? false,
      adjustments,
    },
  };
}
