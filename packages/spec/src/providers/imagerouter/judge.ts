import { parseSize } from '../../common/media.js';
import type { Judgement } from '../../provider.js';
import type { CatalogEntry } from './catalog.js';
import {
  FALLBACK_SIZE,
  findEntry,
  IMAGE_MODEL_IDS,
  IMAGEROUTER_CATALOG,
  resolveSeconds,
} from './catalog.js';
import type { VideoGenerationRequest } from './schemas.js';
import { IMAGEROUTER_MESSAGES, VideoGenerationRequest as RequestSchema } from './schemas.js';

/**
 * Where the judge looks things up; tests swap the catalog.
 *
 * @example
 * judgeImageRouter({ model: 'acme/x' }, { catalog: [myEntry] });
 */
export interface JudgeOptions {
  readonly catalog?: readonly CatalogEntry[];
  readonly imageModelIds?: readonly string[];
}

const invalid = (message: string): Judgement => ({
  ok: false,
  status: 400,
  message,
  type: 'invalid_request_error',
});

const isFile = (value: unknown): boolean => typeof value === 'object' && value !== null;
const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * The uploaded images the router would see. multer files land under `image` or `image[]`; the
 * router renames `image[]` to `image` only when `image` is absent, then uses the first file.
 * Strings (a JSON `image` URL, or a text form field) are not uploads and are ignored.
 *
 * @example
 * uploadedImages({ 'image[]': [new File(['x'], 'a.png')] }).files.length; // 1
 */
export function uploadedImages(request: Record<string, unknown>): {
  files: unknown[];
  ignored: string[];
} {
  const direct = asList(request['image']).filter(isFile);
  const bracketed = asList(request['image[]']).filter(isFile);
  const files = direct.length > 0 ? direct : bracketed;
  const ignored: string[] = [];
  for (const key of ['image', 'image[]'] as const) {
    if (asList(request[key]).some((v) => typeof v === 'string')) ignored.push(key);
  }
  if (direct.length > 0 && bracketed.length > 0) ignored.push('image[]');
  return { files, ignored };
}

/**
 * The `response_format` the router honours: test models skip storage processing and always
 * answer with the URL (`videoService`: `if (fetchParams.model.includes('test')) return result`).
 *
 * @example
 * effectiveResponseFormat(findEntry('ir/test-video')!, 'b64_json'); // 'url'
 */
export function effectiveResponseFormat(
  entry: CatalogEntry,
  requested: VideoGenerationRequest['response_format'],
): VideoGenerationRequest['response_format'] {
  const providerModel = entry.model.providers[0]?.model_name ?? entry.id;
  return providerModel.includes('test') ? 'url' : requested;
}

/**
 * Judges an ImageRouter generation request (JSON or multipart fields) as the router does:
 * - zod validation answers 400 with the first failing field's message (`invalid_request_error`);
 * - an unknown model answers 400 `model '<id>' is not available` (aliases resolve first; an image
 *   model id gets "is an image model");
 * - `seconds: 'auto'`, or a number the model does not offer, silently becomes `default_seconds`;
 * - `size: 'auto'` becomes the model's first size, or 1280x720 for models without a list;
 * - an uploaded image for a model whose provider cannot take one fails with
 *   `This model does not support image inputs`. That check runs after validation, inside
 *   generation, and the router writes the error body before setting a status, so the client sees
 *   **HTTP 200** with `{"error": {"message": ..., "type": "internal_error"}}` (generationWrapper's
 *   catch-all type). The verdict says `status: 200` for that reason. Insufficient credits (checked
 *   earlier, by the engine's ledger) would win over it.
 *
 * @example
 * judgeImageRouter({ model: 'google/veo-3.1', prompt: 'a cat', seconds: 7 });
 * // { ok: true, generation: { durationSeconds: 4, width: 1280, height: 720, adjustments: [...] } }
 */
export function judgeImageRouter(
  request: Record<string, unknown>,
  options: JudgeOptions = {},
): Judgement {
  const parsed = RequestSchema.safeParse(request);
  if (!parsed.success) return invalid(parsed.error.issues[0]?.message ?? 'Invalid input');
  const body = parsed.data;
  const entry = findEntry(body.model, options.catalog ?? IMAGEROUTER_CATALOG);
  if (!entry) {
    const imageModels = options.imageModelIds ?? IMAGE_MODEL_IDS;
    return invalid(
      imageModels.includes(body.model)
        ? IMAGEROUTER_MESSAGES.imageModel(body.model)
        : IMAGEROUTER_MESSAGES.modelNotAvailable(body.model),
    );
  }
  const m = entry.model;
  const adjustments: string[] = [];
  if (entry.id !== body.model)
    adjustments.push(`model alias ${body.model} resolved to ${entry.id}`);

  const { files, ignored } = uploadedImages(request);
  if (files.length > 0 && !m.supported_params.edit) {
    return {
      ok: false,
      status: 200,
      message: IMAGEROUTER_MESSAGES.imageInputUnsupported,
      type: 'internal_error',
    };
  }
  if (files.length > 1) adjustments.push(`only the first of ${files.length} images is used`);
  for (const key of ignored)
    adjustments.push(`${key} ignored: not an uploaded file the router reads`);

  const durationSeconds = resolveSeconds(entry, body.seconds);
  if (body.seconds === 'auto') {
    adjustments.push(`seconds 'auto' resolved to default_seconds ${durationSeconds}`);
  } else if (body.seconds !== durationSeconds) {
    adjustments.push(
      `seconds ${body.seconds} is not offered by ${entry.id} (${(m.seconds ?? []).join(', ')}); default_seconds ${durationSeconds} used`,
    );
  }

  const defaultSize = m.sizes?.[0] ?? FALLBACK_SIZE;
  let size = defaultSize;
  if (entry.model.providers[0]?.id === 'test') {
    // The test handler returns one fixed clip whatever was asked.
    if (body.size !== 'auto')
      adjustments.push(`${entry.id} ignores size; the clip is ${FALLBACK_SIZE}`);
    size = FALLBACK_SIZE;
  } else if (body.size === 'auto') {
    adjustments.push(`size 'auto' resolved to ${defaultSize}`);
  } else {
    const asked = parseSize(body.size);
    const normalised = asked ? `${asked.width}x${asked.height}` : body.size;
    if (!m.sizes || m.sizes.includes(normalised)) {
      size = normalised;
    } else {
      // Providers differ (ignore, map to a ratio, or fail); the mock keeps the default. Provisional.
      adjustments.push(`size ${body.size} is not offered by ${entry.id}; ${defaultSize} used`);
    }
  }

  if (body.quality !== 'auto' && !m.supported_params.quality) {
    adjustments.push(`quality ${body.quality} ignored: ${entry.id} does not apply quality`);
  }
  const format = effectiveResponseFormat(entry, body.response_format);
  if (format !== body.response_format) {
    adjustments.push(
      `response_format ${body.response_format} ignored: test models always return a url`,
    );
  }

  const dims = parseSize(size) ?? { width: 1280, height: 720 };
  return {
    ok: true,
    generation: {
      model: entry.id,
      durationSeconds,
      width: dims.width,
      height: dims.height,
      count: 1,
      audio: entry.audio ?? false,
      adjustments,
    },
  };
}
