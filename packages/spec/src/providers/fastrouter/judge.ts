import type { Judgement } from '../../provider.js';
import { findFastRouterModel, resolveOutput } from './catalog.js';
import type { FastRouterVideoModelSpec } from './catalog.js';
import { FASTROUTER_ERRORS } from './schemas.js';
import type { FastRouterVideoRequest } from './schemas.js';

type Rejection = Extract<Judgement, { ok: false }>;

const reject = (message: string, param: string, code: string): Rejection => ({
  ok: false,
  status: 400,
  message,
  param,
  type: FASTROUTER_ERRORS[400].type,
  code,
});

const invalid = (
  param: string,
  model: string,
  supported: readonly (string | number)[],
): Rejection =>
  reject(
    `Invalid ${param} for ${model}. Supported: ${supported.join(', ')}`,
    param,
    `invalid_${param}`,
  );

const isHttpUrl = (value: string): boolean => {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/** Request fields a model's table may not list; when it does not, the router ignores them. */
const listed = (spec: FastRouterVideoModelSpec): Record<string, boolean> => ({
  image: spec.imageToVideo,
  // "length / seconds": Sora models take `length` as another name of `seconds`.
  length: spec.lengths !== null || spec.seconds !== null,
  seconds: spec.seconds !== null,
  resolution: spec.resolutions !== null,
  aspectRatio: spec.aspectRatios !== null,
  size: spec.sizes !== null,
  mode: false,
  seed: spec.seed,
  generateAudio: spec.generateAudio,
});

/**
 * Judges a schema-valid FastRouter create request as the router does, following the model's row
 * of the docs' parameter tables: an unknown model, a missing required parameter (image for
 * image-to-video-only models, resolution where the table puts it on the required line), a value
 * outside the model's list or an image that is not a URL answers 400. Parameters the model's
 * table does not list are ignored and reported in `adjustments`. The statuses follow the docs;
 * every message is ours (provisional): FastRouter publishes no error example.
 *
 * @example
 * judgeFastRouter({ model: 'google/veo3', prompt: 'a cat', length: 5 });
 * // { ok: false, status: 400, message: 'Invalid length for google/veo3. Supported: 8', param: 'length', ... }
 * judgeFastRouter({ model: 'openai/sora-2-pro', prompt: 'a cat', seconds: 8 }).ok; // true ("8" too)
 */
export function judgeFastRouter(request: FastRouterVideoRequest): Judgement {
  const entry = findFastRouterModel(request.model);
  if (!entry) {
    return reject(
      `Model ${request.model} is not a supported video model`,
      'model',
      'invalid_model',
    );
  }
  const { spec } = entry;
  const id = spec.id;

  if (spec.imageToVideo && !spec.textToVideo && request.image === undefined) {
    return reject(`image is required for ${id}`, 'image', 'missing_image');
  }
  if (request.image !== undefined && spec.imageToVideo && !isHttpUrl(request.image)) {
    return reject(
      `Invalid image for ${id}. Only image URLs are accepted; base64 is not supported`,
      'image',
      'invalid_image',
    );
  }
  // The docs' tables put prompt on the optional line of image-to-video models: an image is enough.
  if (request.prompt === undefined && !(spec.imageToVideo && request.image !== undefined)) {
    return reject(
      spec.imageToVideo ? `prompt or image is required for ${id}` : `prompt is required for ${id}`,
      'prompt',
      'missing_prompt',
    );
  }
  if (spec.resolutionRequired && request.resolution === undefined) {
    return reject(`resolution is required for ${id}`, 'resolution', 'missing_resolution');
  }
  if (request.length !== undefined && spec.lengths && !spec.lengths.includes(request.length)) {
    return invalid('length', id, spec.lengths);
  }
  // Sora: `seconds` as a string ("8", the example) or a number (8, the table), else `length`.
  const soraSeconds = request.seconds ?? request.length;
  if (soraSeconds !== undefined && spec.seconds) {
    const accepted: readonly string[] = spec.seconds;
    if (!accepted.includes(String(soraSeconds))) {
      return invalid(request.seconds !== undefined ? 'seconds' : 'length', id, spec.seconds);
    }
  }
  if (request.resolution && spec.resolutions && !spec.resolutions.includes(request.resolution)) {
    return invalid('resolution', id, spec.resolutions);
  }
  if (
    request.aspectRatio &&
    spec.aspectRatios &&
    !spec.aspectRatios.includes(request.aspectRatio)
  ) {
    return invalid('aspectRatio', id, spec.aspectRatios);
  }
  if (request.size && spec.sizes && !spec.sizes.includes(request.size)) {
    return invalid('size', id, spec.sizes);
  }

  const adjustments: string[] = [];
  const table = listed(spec);
  for (const [field, accepted] of Object.entries(table)) {
    if (!accepted && request[field as keyof FastRouterVideoRequest] !== undefined) {
      adjustments.push(`${field} ignored: not a parameter of ${id}`);
    }
  }
  if (spec.lengths && request.length === undefined) {
    adjustments.push(`length defaulted to ${spec.defaultLength}`);
  }
  if (spec.seconds && request.seconds !== undefined && request.length !== undefined) {
    adjustments.push(`length ignored: seconds given`);
  }
  if (spec.seconds && soraSeconds === undefined) {
    adjustments.push(`seconds defaulted to "${spec.defaultLength}"`);
  }
  const output = resolveOutput(spec, request);
  return {
    ok: true,
    generation: {
      model: id,
      durationSeconds: output.durationSeconds,
      width: output.width,
      height: output.height,
      count: 1,
      audio: spec.nativeAudio || (spec.generateAudio && request.generateAudio === true),
      adjustments,
    },
  };
}

/** The three poll routes, by route key. */
export type PollRoute = 'getVideoResponse' | 'getAsyncResponse' | 'getVideo';

/** What a poll request names, and the job it names if the store has one. */
export interface PollInput {
  readonly route: PollRoute;
  readonly taskId: string;
  readonly model?: string;
  /** The stored job, or `undefined` when the id is unknown or its result expired. */
  readonly job?: { readonly model: string };
}

/** The verdict on a poll request: go ahead, or the error to answer. */
export type PollVerdict = { readonly ok: true } | Rejection;

const pollReject = (
  status: 400 | 404,
  message: string,
  param: string,
  code: string,
): Rejection => ({
  ok: false,
  status,
  message,
  param,
  type: FASTROUTER_ERRORS[status].type,
  code,
});

/**
 * The prefix of FastRouter's own ids (task ids, chat ids): a task id with it needs no `model` on
 * `getAsyncResponse` ("fr_-prefixed IDs require no model", caching docs).
 *
 * @example
 * 'fr_01M1NH55R9NM02M56D57P2F5FY'.startsWith(FASTROUTER_ID_PREFIX); // true
 */
export const FASTROUTER_ID_PREFIX = 'fr_';

/**
 * Judges a poll request before the job's status is read: an unknown or expired task answers 404
 * "Invalid taskId or expired result"; a `model` that does not match the original request answers
 * 400 "Invalid taskId or model" (both phrases from the docs OpenAPI). `getVideoResponse` needs the
 * model (schema); `getAsyncResponse` needs it unless the id is `fr_`-prefixed ("fr_-prefixed IDs
 * require no model").
 *
 * @example
 * judgePoll({ route: 'getAsyncResponse', taskId: 'video_123', job: { model: 'openai/sora-2-pro' } });
 * // { ok: false, status: 400, message: 'Invalid taskId or model', param: 'model', ... }
 */
export function judgePoll(input: PollInput): PollVerdict {
  if (!input.job) {
    return pollReject(404, FASTROUTER_ERRORS[404].message, 'taskId', FASTROUTER_ERRORS[404].code);
  }
  const needsModel =
    input.route === 'getVideoResponse' ||
    (input.route === 'getAsyncResponse' && !input.taskId.startsWith(FASTROUTER_ID_PREFIX));
  const mismatch = input.model !== undefined && input.model !== input.job.model;
  if ((needsModel && input.model === undefined) || (input.route !== 'getVideo' && mismatch)) {
    return pollReject(400, 'Invalid taskId or model', 'model', 'invalid_task_or_model');
  }
  return { ok: true };
}
