/**
 * FastRouter's video API bodies. FastRouter answers in two families: a task envelope (Pollo-style,
 * `data.taskId` + `data.status`) for most models, and an OpenAI Videos object for Sora models.
 * Sources: the video-generation docs page (`seeds/fastrouter-video-generation.txt`), the docs
 * OpenAPI as summarised in provider-apis.md §3, and the response-caching docs of `fastrouter/docs`.
 * @module
 */
import { provenance } from '../../provenance.js';
import { fastrouterSoraLifecycle, fastrouterTaskLifecycle } from './lifecycle.js';
import { z } from '../../zod.js';

const SEED =
  'docs.fastrouter.ai/api-reference/video-generation-api (seeds/fastrouter-video-generation.txt)';
const OPENAPI = 'FastRouter docs OpenAPI "fastrouter-api" (provider-apis.md §3.2–3.5)';
const CACHING =
  'fastrouter/docs explore-features/response-caching-images-and-video-async.md, response-caching.md';
const ERROR_CODES = 'fastrouter/docs api-reference/error-codes.md';

/** `resolution` values the docs list across all models. */
export const RESOLUTIONS = ['480p', '720p', '1080p'] as const;
/** `aspectRatio` values the docs list across all models. */
export const ASPECT_RATIOS = ['16:9', '9:16', '4:3', '3:4', '1:1', '5:3', '3:5'] as const;
/** `size` values (Sora models only). */
export const SORA_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
/** `seconds` values (Sora models only); strings, as OpenAI's Videos API takes them. */
export const SORA_SECONDS = ['4', '8', '12'] as const;
/** `length` values the docs list across all models ("4, 5, 6, 8, 10, 12"). */
export const LENGTHS = [4, 5, 6, 8, 10, 12] as const;
/** `mode` values ("if supported by the model"). */
export const MODES = ['std', 'pro'] as const;

/**
 * Status words of the task family (`data.status`, `data.generations[].status`): its lifecycle's
 * statuses (see lifecycle.ts for why `completed` is among them).
 */
export const TASK_STATUSES = fastrouterTaskLifecycle.statuses;
/** Status words of the Sora family (OpenAI `VideoResource.status`): its lifecycle's statuses. */
export const SORA_STATUSES = fastrouterSoraLifecycle.statuses;

export type Resolution = (typeof RESOLUTIONS)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type SoraSize = (typeof SORA_SIZES)[number];
export type SoraSeconds = (typeof SORA_SECONDS)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type SoraStatus = (typeof SORA_STATUSES)[number];

// zod-to-openapi 9 renders a multi-value z.literal([...]) as a one-value enum, so spell out a union.
const lengthLiteral = z.union([
  z.literal(4),
  z.literal(5),
  z.literal(6),
  z.literal(8),
  z.literal(10),
  z.literal(12),
]) satisfies z.ZodType<(typeof LENGTHS)[number]>;

const soraSecondsNumber = z.union([z.literal(4), z.literal(8), z.literal(12)]);

/** The optional `cache` object of the response-caching docs ("identical for images and videos"). */
export const FastRouterCacheOptions = z
  .object({
    expiration_time: z.number().int().min(60).max(604800).optional().openapi({ default: 57600 }),
    filter_on_model: z.boolean().optional().openapi({ default: true }),
    filter_on_provider: z.boolean().optional().openapi({ default: false }),
    similarity_threshold: z.number().min(0).max(1).optional().openapi({ default: 1 }),
  })
  .openapi('FastRouterCacheOptions', {
    description: 'Response caching; needs the `cache_key` header. Text-only options are ignored.',
  });

export const FastRouterVideoRequest = z
  .object({
    model: z.string().min(1).openapi({ example: 'google/veo3' }),
    prompt: provenance(z.string().min(1).optional(), {
      level: 'official-docs',
      source: `${SEED}; ${OPENAPI}`,
      note: 'Sources disagree: the OpenAPI marks prompt required; the docs page tables put it on the optional line of every image-to-video model (only image is required). A client following the docs sends image-to-video without a prompt, so the mock accepts that (with an image, on a model that takes one); text-to-video still needs a prompt (400 missing_prompt).',
    }).openapi({ description: 'Natural language description of the video scene' }),
    image: provenance(z.string().optional(), {
      level: 'official-docs',
      source: SEED,
      note: 'URL only (JPG/PNG), base64 is not supported, image aspect ratio 1:4 to 4:1. The judge rejects non-URLs.',
    }).openapi({ example: 'https://example.com/image.jpg' }),
    length: lengthLiteral
      .optional()
      .openapi({ description: 'Duration in seconds (non-Sora models)' }),
    seconds: provenance(z.union([z.enum(SORA_SECONDS), soraSecondsNumber]).optional(), {
      level: 'official-docs',
      source: SEED,
      note: 'Sora models. Sources disagree on the type: the parameter table lists numbers (4, 8, 12), the Sora example sends the string "8"; both are accepted, and answers carry the string. The table names the field "length / seconds", so length is accepted on Sora models too.',
    }),
    resolution: z.enum(RESOLUTIONS).optional(),
    aspectRatio: z.enum(ASPECT_RATIOS).optional(),
    size: z.enum(SORA_SIZES).optional().openapi({ description: 'WIDTHxHEIGHT (Sora models only)' }),
    mode: z.enum(MODES).optional(),
    seed: z.number().int().optional().openapi({ example: 42 }),
    generateAudio: z.boolean().optional(),
    cache: FastRouterCacheOptions.optional(),
  })
  .openapi('FastRouterVideoRequest', {
    description: 'camelCase fields; each model accepts the subset its table lists.',
    example: {
      model: 'google/veo3',
      length: 8,
      prompt: 'A robot walking on Mars',
      generateAudio: true,
    },
  });

/** `usage` / `estimate_usage` of a task-family create response. */
export const FastRouterEstimateUsage = z
  .strictObject({
    chat_id: z.string(),
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    api_key_credits_used: z.number().optional(),
    user_key_credits_used: provenance(z.number().optional(), {
      level: 'official-docs',
      source: CACHING,
      note: 'The credit fields are omitted on a cache hit.',
    }),
    credits_used: z.number().optional(),
    provider: provenance(z.string(), {
      level: 'official-docs',
      source: CACHING,
      note: 'Empty string on a cache hit (response-caching.md).',
    }),
  })
  .openapi('FastRouterEstimateUsage');

/** `usage` of poll responses and Sora-family bodies; 1 credit = 1 USD (costUsd = credits_used). */
export const FastRouterCreditsUsage = z
  .strictObject({
    chat_id: z.string().optional(),
    api_key_credits_used: z.number(),
    user_key_credits_used: z.number(),
    credits_used: z.number(),
    provider: z.string(),
  })
  .openapi('FastRouterCreditsUsage');

export const FastRouterTaskCreateResponse = z
  .strictObject({
    chat_id: z.string().openapi({ example: 'fr_c513522e-983c-4e99-8af0-adabf9b71ed0' }),
    model: z.string(),
    code: provenance(z.enum(['SUCCESS', 'success']), {
      level: 'official-docs',
      source: `${SEED}; ${CACHING}`,
      note: 'The video page shows SUCCESS, the caching docs success; both are accepted.',
    }),
    message: z.string().openapi({ example: 'Video generation started' }),
    data: z.strictObject({
      taskId: provenance(z.string(), {
        level: 'official-docs',
        source: CACHING,
        note: 'Newer ids are fr_-prefixed ULIDs (fr_01M1H4T9E9JC0VAQV11EBDQHFW); the video page shows taskabc123.',
      }),
      status: provenance(z.enum(['waiting', 'processing']), {
        level: 'official-docs',
        source: `${SEED}; ${CACHING}`,
        note: 'waiting on the video page, processing in the caching docs (also on cache hits).',
      }),
    }),
    usage: FastRouterEstimateUsage.optional(),
    estimate_usage: provenance(FastRouterEstimateUsage.optional(), {
      level: 'official-docs',
      source: CACHING,
      note: 'The video page names this object usage, the caching docs estimate_usage; exactly one is present. The mock sends estimate_usage (newer docs).',
    }),
    cached: z
      .boolean()
      .optional()
      .openapi({ description: 'true on a cache hit; absent on a miss' }),
  })
  .refine((body) => (body.usage === undefined) !== (body.estimate_usage === undefined), {
    message: 'exactly one of usage and estimate_usage is expected',
    path: ['estimate_usage'],
  })
  .openapi('FastRouterTaskCreateResponse');

/** One entry of `data.generations` (Pollo's generation record). */
export const FastRouterGeneration = z
  .strictObject({
    id: z.string(),
    createdDate: z.iso.datetime(),
    updatedDate: z.iso.datetime(),
    status: z.enum(TASK_STATUSES),
    failMsg: z.string().openapi({ description: 'Failure reason; empty string on success' }),
    url: z
      .string()
      .openapi({ description: 'Provider URL; may expire before fastrouter_assets.urls' }),
    mediaType: z.literal('video'),
  })
  .openapi('FastRouterGeneration');

/** FastRouter's hosted copy of the outputs ("treat fastrouter_assets.urls as authoritative"). */
export const FastRouterAssets = z
  .strictObject({
    status: provenance(z.string(), {
      level: 'official-docs',
      source: CACHING,
      note: 'Only "ready" is documented; other values are unconfirmed.',
    }),
    urls: z.array(z.string()),
    expires_at: z.number().int(),
    cached_at: z.number().int(),
  })
  .openapi('FastRouterAssets');

export const FastRouterTaskStatusResponse = z
  .strictObject({
    chat_id: z.string().optional(),
    code: z.enum(['SUCCESS', 'success']),
    message: z.string(),
    data: z.strictObject({
      taskId: z.string(),
      status: provenance(z.enum(TASK_STATUSES).optional(), {
        level: 'official-docs',
        source: `${CACHING}; ${SEED}`,
        note: 'Present in the caching docs example, absent from the video page example (the generations carry it).',
      }),
      generations: z.array(FastRouterGeneration),
      costUsd: z.number().optional(),
      credit: z.number().optional().openapi({ description: "The upstream provider's credits" }),
    }),
    fastrouter_assets: FastRouterAssets.optional(),
    usage: FastRouterCreditsUsage.optional(),
  })
  .openapi('FastRouterTaskStatusResponse');

/** An OpenAI Videos object as FastRouter relays it for Sora models (create and poll). */
export const FastRouterSoraVideo = z
  .strictObject({
    id: z.string().openapi({ example: 'video_68f0e573755081918d6f03011d59eef40940842a41bb50ea' }),
    chat_id: z.string(),
    object: z.literal('video'),
    created_at: z.number().int(),
    status: z.enum(SORA_STATUSES),
    completed_at: provenance(z.number().int().nullable(), {
      level: 'official-docs',
      source: SEED,
      note: '0 until completed in FastRouter examples; OpenAI sends null. Both accepted.',
    }),
    expires_at: z.number().int().nullable(),
    model: z
      .string()
      .openapi({ description: 'Upstream model name, e.g. sora-2-pro (no openai/ prefix)' }),
    progress: z.number().int().min(0).max(100).optional(),
    seconds: z.string(),
    size: z.string(),
    usage: FastRouterCreditsUsage,
    error: provenance(
      z.strictObject({ code: z.string(), message: z.string() }).nullable().optional(),
      {
        level: 'provisional',
        source: 'OpenAI openapi.yaml VideoResource.error (provider-apis.md §5.2)',
        note: 'No FastRouter failure example; the mock sends OpenAI-style error on failed Sora jobs.',
      },
    ),
  })
  .openapi('FastRouterSoraVideo');

/** 200 body of `POST /videos`: the task envelope, or a Sora video object for Sora models. */
export const FastRouterCreateVideoResponse = z
  .union([FastRouterTaskCreateResponse, FastRouterSoraVideo])
  .openapi('FastRouterCreateVideoResponse');

/** 200 JSON body of the three poll routes: task record, or a Sora video object for Sora models. */
export const FastRouterVideoStatusResponse = z
  .union([FastRouterTaskStatusResponse, FastRouterSoraVideo])
  .openapi('FastRouterVideoStatusResponse');

export const FastRouterGetVideoResponseRequest = z
  .object({
    taskId: z
      .string()
      .min(1)
      .openapi({ description: 'The taskId or id returned from the initial /videos request' }),
    model: z.string().min(1).openapi({ description: 'Must match the original request' }),
  })
  .openapi('FastRouterGetVideoResponseRequest', {
    example: { taskId: 'taskabc123', model: 'google/veo3' },
  });

export const FastRouterGetAsyncResponseRequest = z
  .object({
    taskId: z.string().min(1),
    model: provenance(z.string().min(1).optional(), {
      level: 'official-docs',
      source: CACHING,
      note: '"fr_-prefixed IDs require no model"; other ids need it (judgePoll).',
    }),
  })
  .openapi('FastRouterGetAsyncResponseRequest', {
    example: { taskId: 'fr_01M1Y389KN0KN28AT3733Q505H' },
  });

export const FastRouterTaskParams = z.object({
  task_id: z.string().min(1).openapi({ example: 'fr_01M1Y389KN0KN28AT3733Q505H' }),
});

/**
 * One entry of `GET /models`. Only the documented core is typed; the full schema lives in
 * GitBook's hosted spec, which was not retrievable, so unknown fields pass through.
 */
export const FastRouterModel = provenance(
  z.looseObject({
    id: z.string(),
    name: z.string(),
    object: z.string().openapi({ example: 'model' }),
    created: z.number().int(),
    owned_by: z.string(),
    context_length: z.number().int().nullable().optional(),
    max_completion_tokens: z.number().int().nullable().optional(),
    pricing: z.record(z.string(), z.unknown()).optional(),
    architecture: z
      .looseObject({
        input_modalities: z.array(z.string()).optional(),
        output_modalities: z.array(z.string()).optional(),
      })
      .optional(),
  }),
  {
    level: 'provisional',
    source: `${OPENAPI} (truncated); fastrouter/docs .gitbook/assets/skill.md`,
    note: 'How video models are marked and which parameters they list is unconfirmed.',
  },
).openapi('FastRouterModel');

export const FastRouterModelsListResponse = z
  .strictObject({ object: z.literal('list'), data: z.array(FastRouterModel) })
  .openapi('FastRouterModelsListResponse');

export const FastRouterError = z
  .strictObject({
    error: z.strictObject({
      message: z.string(),
      type: z.string(),
      code: z.string(),
      status: z.number().int(),
    }),
  })
  .openapi('FastRouterError', {
    description: 'FastRouter error envelope (docs OpenAPI UnauthorizedError / RateLimitError).',
    example: {
      error: {
        message: 'Your API key is invalid, disabled, or your OAuth session has expired.',
        type: 'authentication_error',
        code: 'invalid_credentials',
        status: 401,
      },
    },
  });

/** A documented error status: its meaning, and the body fields the mock fills in by default. */
export interface ErrorStatusDef {
  /** The status's name in FastRouter's error-code table, verbatim. */
  readonly meaning: string;
  /** The docs' description of the status, verbatim. */
  readonly description: string;
  /** Default `error.message`. */
  readonly message: string;
  readonly type: string;
  readonly code: string;
}

/**
 * FastRouter's documented error statuses. `meaning` and `description` are copied from the
 * error-code table; `message`, `type` and `code` are ours (provisional): no example error body was
 * found, so the default messages reuse the docs' wording where it reads like a message.
 *
 * @example
 * FASTROUTER_ERRORS[402].meaning; // 'Insufficient Credits'
 */
export const FASTROUTER_ERRORS = {
  400: {
    meaning: 'Bad Request',
    description:
      'The request is malformed. This could be due to missing parameters, invalid formats, or CORS issues.',
    message: 'The request is malformed.',
    type: 'invalid_request_error',
    code: 'bad_request',
  },
  401: {
    meaning: 'Invalid Credentials',
    description:
      'Your API key is invalid, disabled, or your OAuth session has expired. Check your credentials.',
    message: 'Your API key is invalid, disabled, or your OAuth session has expired.',
    type: 'authentication_error',
    code: 'invalid_credentials',
  },
  402: {
    meaning: 'Insufficient Credits',
    description:
      'Your account or API key has run out of credits. Add more credits and retry the request.',
    message: 'Your account or API key has run out of credits.',
    type: 'insufficient_credits',
    code: 'insufficient_credits',
  },
  403: {
    meaning: 'Moderation Blocked',
    description:
      'The input was flagged by the model’s content moderation system. Modify the prompt and try again.',
    message: 'The input was flagged by the model’s content moderation system.',
    type: 'moderation_error',
    code: 'moderation_blocked',
  },
  404: {
    meaning: 'Not Found',
    description: 'Invalid taskId or expired result',
    message: 'Invalid taskId or expired result',
    type: 'not_found_error',
    code: 'task_not_found',
  },
  429: {
    meaning: 'Rate Limited',
    description:
      'You have exceeded your request limits (TPM/RPM). Slow down or increase your limits.',
    message: 'You have exceeded your request limits (TPM/RPM).',
    type: 'rate_limit_error',
    code: 'rate_limited',
  },
  500: {
    meaning: 'Internal Error',
    description:
      'Something went wrong on our side. Retry the request, and contact support if the issue persists.',
    message: 'Something went wrong on our side.',
    type: 'api_error',
    code: 'internal_error',
  },
  502: {
    meaning: 'Model Down / Invalid Response',
    description:
      'The selected model is currently unavailable or returned an invalid response. Retry or use fallback models.',
    message: 'The selected model is currently unavailable or returned an invalid response.',
    type: 'upstream_error',
    code: 'model_down',
  },
} as const satisfies Record<number, ErrorStatusDef>;

/** A status in {@link FASTROUTER_ERRORS}. */
export type FastRouterErrorStatus = keyof typeof FASTROUTER_ERRORS;

/** Where the error table comes from. */
export const FASTROUTER_ERRORS_PROVENANCE = {
  level: 'official-docs',
  source: `${ERROR_CODES}; ${OPENAPI} (404 "Invalid taskId or expired result", 400 "Invalid taskId or model" on poll routes)`,
  note: 'Statuses and their meanings are documented; message, type and code values are provisional.',
} as const;

/**
 * Builds an error body for a documented status, with the default message unless one is given.
 *
 * @example
 * fastrouterError(404);
 * // { error: { message: 'Invalid taskId or expired result', type: 'not_found_error', code: 'task_not_found', status: 404 } }
 */
export function fastrouterError(
  status: FastRouterErrorStatus,
  overrides: { message?: string; type?: string; code?: string } = {},
): FastRouterError {
  const def: ErrorStatusDef = FASTROUTER_ERRORS[status];
  return {
    error: {
      message: overrides.message ?? def.message,
      type: overrides.type ?? def.type,
      code: overrides.code ?? def.code,
      status,
    },
  };
}

export type FastRouterVideoRequest = z.infer<typeof FastRouterVideoRequest>;
export type FastRouterTaskCreateResponse = z.infer<typeof FastRouterTaskCreateResponse>;
export type FastRouterTaskStatusResponse = z.infer<typeof FastRouterTaskStatusResponse>;
export type FastRouterSoraVideo = z.infer<typeof FastRouterSoraVideo>;
export type FastRouterCreateVideoResponse = z.infer<typeof FastRouterCreateVideoResponse>;
export type FastRouterVideoStatusResponse = z.infer<typeof FastRouterVideoStatusResponse>;
export type FastRouterGetVideoResponseRequest = z.infer<typeof FastRouterGetVideoResponseRequest>;
export type FastRouterGetAsyncResponseRequest = z.infer<typeof FastRouterGetAsyncResponseRequest>;
export type FastRouterModel = z.infer<typeof FastRouterModel>;
export type FastRouterModelsListResponse = z.infer<typeof FastRouterModelsListResponse>;
export type FastRouterError = z.infer<typeof FastRouterError>;
