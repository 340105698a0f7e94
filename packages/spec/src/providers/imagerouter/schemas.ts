/**
 * ImageRouter's video API bodies. ImageRouter is open source (`DaWe35/image-router`); the
 * request rules and error texts follow its server code at 9615cf3 (2026-02-11), the listing and
 * credits shapes follow its docs site (newer than the code) where the two differ.
 * @module
 */
import { provenance } from '../../provenance.js';
import { z } from '../../zod.js';

/**
 * Source of the facts marked `official-code`.
 *
 * @example
 * provenance(z.string(), { level: 'official-code', source: `${CODE} src/index.js` });
 */
export const CODE = 'DaWe35/image-router @ 9615cf3 (2026-02-11)';
/**
 * The docs page of the generation endpoint.
 *
 * @example
 * fetch(DOCS_VIDEO); // the page the request and response examples come from
 */
export const DOCS_VIDEO = 'https://docs.imagerouter.io/api-reference/video-generation';
/**
 * The docs page of the model listing.
 *
 * @example
 * fetch(DOCS_MODELS); // describes GET /v2/models
 */
export const DOCS_MODELS = 'https://docs.imagerouter.io/api-reference/models';
/**
 * The docs page of the credits endpoint.
 *
 * @example
 * fetch(DOCS_CREDITS); // describes GET /v1/credits
 */
export const DOCS_CREDITS = 'https://docs.imagerouter.io/api-reference/credits';

/**
 * The `response_format` values (default `url`).
 *
 * @example
 * RESPONSE_FORMATS.includes('b64_ephemeral'); // true
 */
export const RESPONSE_FORMATS = ['url', 'b64_json', 'b64_ephemeral'] as const;
/**
 * The `quality` values (default `auto`).
 *
 * @example
 * QUALITIES[0]; // 'auto'
 */
export const QUALITIES = ['auto', 'low', 'medium', 'high'] as const;
/**
 * The size rule of `validateVideoParams.js` (no spaces, `x`, `X`, `×` or `*`).
 *
 * @example
 * SIZE_PATTERN.test('1280×720'); // true
 */
export const SIZE_PATTERN = /^\d+([xX×*])\d+$/;
/**
 * multer's per-file limit (`uploadMiddleware.js`).
 *
 * @example
 * file.size > MAX_UPLOAD_BYTES; // multer would answer 400
 */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/**
 * Images the docs allow per request ("Add your image files (up to 16)").
 *
 * @example
 * files.slice(0, MAX_UPLOAD_FILES);
 */
export const MAX_UPLOAD_FILES = 16;

/**
 * The router's own error texts, verbatim. Functions build the ones that embed a value.
 *
 * @example
 * IMAGEROUTER_MESSAGES.modelNotAvailable('acme/nope'); // "model 'acme/nope' is not available"
 */
export const IMAGEROUTER_MESSAGES = {
  promptTooLong:
    "'prompt' must be 10,000 characters or less. Please contact ImageRouter support if you need a higher limit.",
  promptNotString: "'prompt' must be a string",
  modelRequired: "'model' is a required parameter",
  sizeFormat: "'size' must be 'auto' or in the format 'WIDTHxHEIGHT' (e.g. '1024x768')",
  secondsNotNumber: "'seconds' must be a number",
  secondsTooSmall: "'seconds' must be at least 1",
  secondsTooLarge: "'seconds' must be 60 or less",
  modelNotAvailable: (model: string) => `model '${model}' is not available`,
  imageModel: (model: string) =>
    `'${model}' is an image model. Please use the image generation endpoint.`,
  imageInputUnsupported: 'This model does not support image inputs',
  insufficientCredits: (minimumUsd: number) =>
    `Insufficient credits (this model needs minimum $${minimumUsd} credits), please topup your ImageRouter account: https://imagerouter.io/pricing`,
  uploadError: (multerMessage: string) => `File upload error: ${multerMessage}`,
  authMissing: 'Authorization header must be provided as Bearer token',
  authInvalid: 'Invalid API key',
  authTokenLength: (length: number) => `Invalid authorization token length: ${length}`,
  modelNotFound: (model: string) => `The model '${model}' does not exist.`,
  keyRateLimited: 'API key rate limit exceeded, please try again later.',
  ipRateLimited: 'Too many requests, please try again later.',
  ipGenerationRateLimited: 'Too many image generation requests, please try again later.',
  internal: 'Internal server error',
} as const;

/**
 * The `error.type` words the router uses.
 *
 * @example
 * ERROR_TYPES.includes('rate_limit_error'); // true
 */
export const ERROR_TYPES = [
  'invalid_request_error',
  'unauthorized',
  'access_denied',
  'deposit_required',
  'rate_limit_error',
  'internal_error',
] as const;

// ImageRouter validates with zod 3; these rebuild zod 3's default texts so the mock echoes them.
const zod3Type = (input: unknown): string => {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
};
const zod3InvalidString = (issue: { input?: unknown }): string =>
  issue.input === undefined ? 'Required' : `Expected string, received ${zod3Type(issue.input)}`;
const zod3Enum =
  (values: readonly string[]) =>
  (issue: { input?: unknown }): string => {
    const expected = values.map((v) => `'${v}'`).join(' | ');
    return typeof issue.input === 'string'
      ? `Invalid enum value. Expected ${expected}, received '${issue.input}'`
      : `Expected ${expected}, received ${zod3Type(issue.input)}`;
  };

/**
 * The text fields of a generation request, in the order `validateVideoParams.js` declares them:
 * the router answers 400 with the message of the first failing field, so the order matters.
 * The same rules apply to JSON and to multipart bodies (express parses both into `req.body`).
 */
const videoFields = {
  prompt: z
    .string({ error: IMAGEROUTER_MESSAGES.promptNotString })
    .max(10000, { error: IMAGEROUTER_MESSAGES.promptTooLong })
    .optional()
    .openapi({ description: 'Text input. Many models require a prompt, but not all.' }),
  model: provenance(
    z
      .string({ error: zod3InvalidString })
      .min(1, { error: IMAGEROUTER_MESSAGES.modelRequired })
      .openapi({ example: 'ir/test-video' }),
    {
      level: 'official-code',
      source: `${CODE} src/services/validateVideoParams.js, src/services/modelAliases.js`,
      note: "A missing model answers zod 3's default 'Required'; aliases such as kwaivgi/kling-2.5-turbo-pro resolve to the real id.",
    },
  ),
  response_format: z
    .enum(RESPONSE_FORMATS, { error: zod3Enum(RESPONSE_FORMATS) })
    .default('url')
    .openapi({
      description:
        'url: hosted on storage.imagerouter.io; b64_json: base64 (still stored); b64_ephemeral: base64, not stored.',
    }),
  quality: z
    .enum(QUALITIES, { error: zod3Enum(QUALITIES) })
    .default('auto')
    .openapi({ description: 'Passed on only to models whose provider applies quality.' }),
  size: z
    .string({ error: zod3InvalidString })
    .refine((value) => value === 'auto' || SIZE_PATTERN.test(value), {
      error: IMAGEROUTER_MESSAGES.sizeFormat,
    })
    .default('auto')
    .openapi({
      description: "'auto' (the model's default) or WIDTHxHEIGHT.",
      pattern: '^(auto|\\d+[xX×*]\\d+)$',
      example: 'auto',
    }),
  seconds: provenance(
    z
      .union([
        z.literal('auto'),
        z.coerce
          .number({ error: IMAGEROUTER_MESSAGES.secondsNotNumber })
          .min(1, { error: IMAGEROUTER_MESSAGES.secondsTooSmall })
          .max(60, { error: IMAGEROUTER_MESSAGES.secondsTooLarge }),
      ])
      .default('auto'),
    {
      level: 'official-code',
      source: `${CODE} src/services/validateVideoParams.js, src/services/helpers.js resolveSeconds`,
      note: "Coerced from text (multipart). A number the model does not offer silently becomes the model's default_seconds.",
    },
  ),
};

/**
 * `POST /v1/openai/videos/generations` as JSON (text-to-video; the OpenAI SDK path).
 *
 * @example
 * VideoGenerationRequest.parse({ model: 'ir/test-video' }).seconds; // 'auto'
 */
export const VideoGenerationRequest = z
  .object(videoFields)
  .openapi('ImageRouterVideoGenerationRequest', {
    description:
      'JSON encoding. File uploads are impossible in JSON, so image-to-video needs the multipart encoding; the 2026-02 code reads no JSON image field.',
    example: {
      prompt: 'YOUR_PROMPT',
      model: 'ir/test-video',
      size: 'auto',
      seconds: 'auto',
      response_format: 'url',
    },
  });

/**
 * One uploaded image. multer rejects a file over 25 MB with 400 `File upload error: File too large`.
 *
 * @example
 * UploadedImage.safeParse(new File(['x'], 'a.png')).success; // true
 */
export const UploadedImage = z
  .file()
  .max(MAX_UPLOAD_BYTES, { error: IMAGEROUTER_MESSAGES.uploadError('File too large') })
  .openapi({ type: 'string', format: 'binary' });

const uploads = z.array(UploadedImage).max(MAX_UPLOAD_FILES);

/**
 * `POST /v1/openai/videos/generations` as multipart/form-data (the "unified endpoint"): the same
 * text fields plus image files under `image[]` or `image`. Repeated fields arrive as arrays.
 *
 * @example
 * VideoGenerationMultipartRequest.parse({ model: 'ir/test-video', seconds: '5' }).seconds; // 5
 */
export const VideoGenerationMultipartRequest = z
  .object({
    ...videoFields,
    'image[]': provenance(uploads.optional(), {
      level: 'official-docs',
      source: DOCS_VIDEO,
      note: 'Only the first image is used. The docs allow 16; the 2026-02 multer config allowed 6 per field (more answered 400 "File upload error: Unexpected field"). image[] is read only when image is absent.',
    }),
    image: provenance(uploads.optional(), {
      level: 'official-code',
      source: `${CODE} src/routes/videoRoutes.js, src/middleware/uploadMiddleware.js`,
      note: 'Accepted by the code besides image[]; wins when both are sent.',
    }),
  })
  .openapi('ImageRouterVideoGenerationMultipartRequest');

/**
 * One video of `data`: a hosted `url` or base64 `b64_json` (for `b64_json` and `b64_ephemeral`),
 * never both. One object with a refinement (not a union) so a bad field is reported at its path.
 *
 * @example
 * VideoItem.safeParse({ url: 'u', b64_json: 'b' }).success; // false
 */
export const VideoItem = z
  .strictObject({
    url: z.string().optional().openapi({
      example: 'https://storage.imagerouter.io/fffb4426-efbd-4bcc-87d5-47e6936bf0bb.mp4',
    }),
    b64_json: z.string().optional().openapi({
      description: 'Base64 bytes; some providers (Vertex) give a data: URI.',
    }),
    revised_prompt: z.string().nullable().optional().openapi({ description: 'null for video.' }),
  })
  .refine((item) => (item.url === undefined) !== (item.b64_json === undefined), {
    error: 'an item carries exactly one of url or b64_json',
  })
  .openapi('ImageRouterVideoItem', {
    oneOf: [{ required: ['url'] }, { required: ['b64_json'] }],
  });

/**
 * A finished generation.
 *
 * @example
 * VideoGenerationResponse.parse(JSON.parse(await response.text())).data[0]?.url;
 */
export const VideoGenerationResponse = z
  .strictObject({
    created: provenance(z.number().int().nonnegative(), {
      level: 'official-code',
      source: `${DOCS_VIDEO}; ${CODE} src/services/videoService.js`,
      note: 'Milliseconds in the docs example; seconds from the open-source test-video and several provider handlers. The schema accepts both (live answers mix them); the mock answers milliseconds for every model, as the docs show (createImageRouterMock({ testModels: "source" }) gives the test model seconds).',
    }),
    data: z.array(VideoItem).min(1),
    latency: z.number().int().nonnegative().openapi({ description: 'Generation time in ms.' }),
    cost: provenance(z.number().nonnegative(), {
      level: 'official-code',
      source: `${CODE} src/services/generationWrapper.js`,
      note: 'USD, postPriceInt / 10000 (four decimals).',
    }),
  })
  .openapi('ImageRouterVideoGenerationResponse', {
    example: {
      created: 1769286389027,
      data: [{ url: 'https://storage.imagerouter.io/fffb4426-efbd-4bcc-87d5-47e6936bf0bb.mp4' }],
      latency: 6942,
      cost: 0.004,
    },
  });

/**
 * The error object inside the envelope.
 *
 * @example
 * ErrorObject.parse({ message: 'Invalid API key', type: 'unauthorized' });
 */
export const ErrorObject = z.strictObject({
  message: z.string(),
  type: z.string().openapi({
    description: `Seen: ${ERROR_TYPES.join(', ')}; forwarded provider errors carry the provider's word.`,
  }),
  code: z.string().nullable().optional(),
  param: z.string().nullable().optional(),
});

/**
 * ImageRouter's error envelope: `{ error: { message, type, code?, param? } }`.
 *
 * @example
 * ErrorResponse.parse({ error: { message: 'Invalid API key', type: 'unauthorized' } });
 */
export const ErrorResponse = z
  .strictObject({ error: ErrorObject })
  .openapi('ImageRouterErrorResponse', {
    example: { error: { message: "model 'x' is not available", type: 'invalid_request_error' } },
  });

/**
 * A provider error forwarded as-is by `generationWrapper` (`error.errorResponse`): the provider's
 * HTTP status and status text ride along beside the envelope.
 *
 * @example
 * ForwardedErrorResponse.parse({ status: 400, statusText: 'INVALID_ARGUMENT', error: { message: 'm', type: 'INVALID_ARGUMENT' } });
 */
export const ForwardedErrorResponse = z
  .strictObject({
    status: z.number().int().optional(),
    statusText: z.string().optional(),
    error: ErrorObject,
  })
  .openapi('ImageRouterForwardedErrorResponse');

/**
 * What HTTP 200 carries on the generation route: a finished video, or an error that happened
 * after validation. Once generation starts, the router flushes `200` and writes a space every 3 s
 * as a heartbeat, so the body may begin with whitespace and a later failure cannot change the
 * status. Even without heartbeats the error path writes the body before setting the status.
 *
 * @example
 * const body = VideoGenerationResult.parse(JSON.parse(text));
 * if ('error' in body) throw new Error(body.error.message); // failed, though HTTP 200
 */
export const VideoGenerationResult = provenance(
  z.union([VideoGenerationResponse, ErrorResponse, ForwardedErrorResponse]),
  {
    level: 'official-code',
    source: `${CODE} src/services/videoService.js, src/services/generationWrapper.js, test/api.test.js`,
    note: 'Failures after validation (insufficient credits, image to a model without image input, provider errors, moderation) come back as HTTP 200 with an error body, possibly without a JSON content type. Read from source and the project test; unconfirmed in production.',
  },
).openapi('ImageRouterVideoGenerationResult');

/**
 * How a provider of a model is priced (`PricingScheme.js`).
 *
 * @example
 * PRICING_TYPES.includes(provider.pricing.type);
 */
export const PRICING_TYPES = ['fixed', 'calculated', 'post_generation'] as const;

/**
 * `{min, average, max}` in USD per video.
 *
 * @example
 * PriceRange.parse({ min: 1.2, average: 1.6, max: 3.2 });
 */
export const PriceRange = z
  .strictObject({ min: z.number(), average: z.number(), max: z.number() })
  .openapi('ImageRouterPriceRange');

/**
 * @example
 * ModelPricing.parse({ type: 'fixed', value: 0 });
 */
export const ModelPricing = z
  .strictObject({
    type: z.enum(PRICING_TYPES),
    value: z.number().optional().openapi({ description: 'USD per video (fixed) or base price.' }),
    range: PriceRange.optional(),
  })
  .openapi('ImageRouterModelPricing');

/**
 * @example
 * ModelProvider.parse({ id: 'test', model_name: 'ir/test-video', pricing: { type: 'fixed', value: 0 } });
 */
export const ModelProvider = z
  .strictObject({
    id: z.string().openapi({ example: 'gemini' }),
    model_name: z.string().openapi({ example: 'veo-3.1-generate-preview' }),
    pricing: ModelPricing,
  })
  .openapi('ImageRouterModelProvider');

/**
 * @example
 * SupportedParams.parse({ mask: false, quality: false, edit: true });
 */
export const SupportedParams = z
  .strictObject({ mask: z.boolean(), quality: z.boolean(), edit: z.boolean() })
  .openapi('ImageRouterSupportedParams', {
    description: 'Whether the first provider applies a mask, quality or input image (edit).',
  });

/**
 * One model of `GET /v1/models` (keyed by id, so no `id` inside). Tolerant of unknown fields:
 * the listing also covers image models and the live service is newer than the code.
 *
 * @example
 * Model.parse(listing['google/veo-3.1']).seconds; // [4, 6, 8]
 */
export const Model = z
  .object({
    providers: z.array(ModelProvider).min(1),
    release_date: z.string().openapi({ example: '2025-10-15' }),
    sizes: z.array(z.string()).optional(),
    seconds: z.array(z.number()).optional(),
    default_seconds: z.number().optional(),
    output: z.array(z.enum(['image', 'video'])),
    supported_params: SupportedParams,
  })
  .openapi('ImageRouterModel');

/**
 * `GET /v1/models`: an object keyed by model id (not an array).
 *
 * @example
 * Object.keys(ModelsV1Response.parse(await (await fetch(url)).json()));
 */
export const ModelsV1Response = provenance(z.record(z.string(), Model), {
  level: 'official-code',
  source: `${CODE} src/index.js, src/shared/videoModels/**`,
}).openapi('ImageRouterModelsV1Response');

/** What a model accepts, as `/v2/models` reports it.
 *
 * @example
 * ModelInputs.parse({ image: true, mask: false, quality: false, size: ['custom'] });
 */
export const ModelInputs = z
  .object({
    image: z.boolean(),
    mask: z.boolean(),
    quality: z.boolean(),
    size: z.array(z.string()).optional().openapi({
      description: "Accepted sizes; ['custom'] when the model takes any WIDTHxHEIGHT.",
    }),
    seconds: z.array(z.number()).optional(),
  })
  .openapi('ImageRouterModelInputs');

/**
 * `GET /v1/models/{modelId}`: the raw model, with its `inputs`.
 *
 * @example
 * ModelDetail.parse(await (await fetch(`${origin}/v1/models/ir%2Ftest-video`)).json());
 */
export const ModelDetail = Model.extend({
  id: z.string().optional(),
  inputs: ModelInputs.optional(),
}).openapi('ImageRouterModelDetail');

/**
 * One model of `GET /v2/models`. With `fields=` only the listed fields appear, so everything but
 * `id` is optional.
 *
 * @example
 * ModelV2.parse({ id: 'ir/test-video', name: 'ir/test-video' });
 */
export const ModelV2 = provenance(
  z.object({
    id: z.string().openapi({ example: 'ir/test-video' }),
    name: z.string().optional(),
    aliases: z.array(z.string()).optional(),
    release_date: z.string().optional(),
    inputs: ModelInputs.optional(),
    output: z.array(z.enum(['image', 'video'])).optional(),
    price: PriceRange.optional(),
  }),
  {
    level: 'official-docs',
    source: `${DOCS_MODELS}; ${CODE} src/index.js`,
    note: 'Fields from the docs examples (name, aliases, inputs, output, price) and the code (release_date, inputs, price); name is assumed to equal id (provisional).',
  },
).openapi('ImageRouterModelV2');

/**
 * `GET /v2/models` as the docs describe it: an array of model objects, each with its `id`.
 *
 * @example
 * ModelsV2Response.parse(await (await fetch(`${origin}/v2/models`)).json())[0]?.id;
 */
export const ModelsV2Response = provenance(z.array(ModelV2), {
  level: 'official-docs',
  source: DOCS_MODELS,
  note: 'The 2026-02 code returned an object keyed by id instead (ModelsV2KeyedResponse); the docs are newer and win. The mock can serve the keyed shape behind a switch.',
}).openapi('ImageRouterModelsV2Response');

/**
 * `GET /v2/models` as the 2026-02 code returned it: keyed by id.
 *
 * @example
 * ModelsV2KeyedResponse.safeParse({ 'ir/test-video': { output: ['video'] } }).success; // true
 */
export const ModelsV2KeyedResponse = provenance(
  z.record(z.string(), ModelV2.omit({ id: true }).extend({ id: z.string().optional() })),
  { level: 'official-code', source: `${CODE} src/index.js` },
).openapi('ImageRouterModelsV2KeyedResponse');

/**
 * `GET /v1/credits`: USD amounts as decimal strings.
 *
 * @example
 * Number(CreditsResponse.parse(body).remaining_credits); // 25.5
 */
export const CreditsResponse = z
  .strictObject({
    remaining_credits: z.string().regex(/^-?\d+(\.\d+)?$/),
    credit_usage: z.string().regex(/^-?\d+(\.\d+)?$/),
    total_deposits: z.string().regex(/^-?\d+(\.\d+)?$/),
  })
  .openapi('ImageRouterCreditsResponse', {
    example: { remaining_credits: '25.5000', credit_usage: '4.5000', total_deposits: '30.0000' },
  });

const free = z.enum(['true', 'false']).optional();
const limit = z.coerce.number().int().positive().optional();

/**
 * Query of `GET /v1/models` (code).
 *
 * @example
 * ModelsV1Query.parse({ type: 'video', limit: '10' }).limit; // 10
 */
export const ModelsV1Query = z.object({
  type: z.enum(['image', 'video']).optional(),
  provider: z.string().optional(),
  free,
  name: z.string().optional(),
  sort: z.string().optional().openapi({ example: 'date' }),
  limit,
});

/**
 * Query of `GET /v2/models` (docs).
 *
 * @example
 * ModelsV2Query.parse({ outputType: 'video', sort: 'date' });
 */
export const ModelsV2Query = z.object({
  outputType: z.enum(['image', 'video']).optional(),
  inputType: z.enum(['image', 'mask', 'quality', 'size', 'seconds']).optional(),
  provider: z.string().optional().openapi({ description: 'Partial, case-insensitive.' }),
  free,
  name: z
    .string()
    .optional()
    .openapi({ description: 'Model name or alias; partial, case-insensitive.' }),
  sort: z.enum(['name', 'provider', 'price', 'date']).optional(),
  limit,
  fields: z
    .string()
    .optional()
    .openapi({ description: 'Comma-separated fields, e.g. name,aliases.' }),
});

/**
 * Path of the single-model routes; ids contain a slash, so clients URL-encode them.
 *
 * @example
 * ModelParams.parse({ modelId: decodeURIComponent('google%2Fveo-3.1') });
 */
export const ModelParams = z.object({
  modelId: z.string().min(1).openapi({ example: 'google%2Fveo-3.1' }),
});

export type VideoGenerationRequest = z.infer<typeof VideoGenerationRequest>;
export type VideoGenerationMultipartRequest = z.infer<typeof VideoGenerationMultipartRequest>;
export type VideoGenerationResponse = z.infer<typeof VideoGenerationResponse>;
export type VideoGenerationResult = z.infer<typeof VideoGenerationResult>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
export type Model = z.infer<typeof Model>;
export type ModelV2 = z.infer<typeof ModelV2>;
export type ModelPricing = z.infer<typeof ModelPricing>;
export type CreditsResponse = z.infer<typeof CreditsResponse>;
