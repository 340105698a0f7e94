/**
 * rout.my's video API bodies, following its docs pages: the video page
 * (https://docs.rout.my/api/videos, saved as `seeds/routmy-video.txt`), the models page
 * (https://docs.rout.my/models) and the errors page (https://docs.rout.my/api/errors).
 *
 * Request schemas hold only what the docs state (types and which fields are required); the value
 * rules rout.my applies (clamping, supported resolutions, quota) live in `judge.ts` and `quota.ts`,
 * so the OpenAPI document does not present our provisional rules as documented ones.
 * @module
 */
import type { Provenance } from '../../provenance.js';
import { provenance } from '../../provenance.js';
import { z } from '../../zod.js';

/**
 * The rout.my docs pages this spec is built from.
 *
 * @example
 * ROUTMY_SOURCES.videos; // 'https://docs.rout.my/api/videos'
 */
export const ROUTMY_SOURCES = {
  videos: 'https://docs.rout.my/api/videos (seeds/routmy-video.txt)',
  models: 'https://docs.rout.my/models',
  errors: 'https://docs.rout.my/api/errors',
  errorResolver: 'https://docs.rout.my/api/error-resolver',
} as const;

const docs = (source: string, note?: string): Provenance => ({
  level: 'official-docs',
  source,
  ...(note ? { note } : {}),
});

/**
 * Resolution words rout.my knows: the field notes name 480p, 720p, 1080p and 4K; the quota table
 * adds 1K and 2K. `WIDTHxHEIGHT` is accepted as well.
 *
 * @example
 * ROUTMY_RESOLUTIONS.includes('1080p'); // true
 */
export const ROUTMY_RESOLUTIONS = ['480p', '720p', '1K', '1080p', '2K', '4K'] as const;

/** One of {@link ROUTMY_RESOLUTIONS}. */
export type RoutMyResolution = (typeof ROUTMY_RESOLUTIONS)[number];

/**
 * Quality words: the field notes name draft, std and pro; the quota table adds optimized and
 * lossless.
 *
 * @example
 * ROUTMY_QUALITIES[0]; // 'draft'
 */
export const ROUTMY_QUALITIES = ['draft', 'std', 'optimized', 'pro', 'lossless'] as const;

/** One of {@link ROUTMY_QUALITIES}. */
export type RoutMyQuality = (typeof ROUTMY_QUALITIES)[number];

/**
 * Aspect ratios the video page names ("Values such as 16:9, 9:16, 1:1, 4:3, 3:4").
 *
 * @example
 * ROUTMY_ASPECT_RATIOS.length; // 5
 */
export const ROUTMY_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;

/**
 * The object form of `prompt`, for image-to-video: `{ "text": "...", "image": "..." }`.
 *
 * @example
 * RoutMyPromptObject.parse({ text: 'Animate this', image: 'https://example.com/a.png' });
 */
export const RoutMyPromptObject = z
  .object({
    text: z.string(),
    image: provenance(z.string().optional(), {
      level: 'provisional',
      source: ROUTMY_SOURCES.videos,
      note:
        'The docs only show both keys together; image is optional here because the text is ' +
        'what makes the prompt.',
    }).openapi({ description: 'URL, data URI or raw base64 image.' }),
  })
  .openapi('RoutMyPromptObject');

const imageInput = (description: string) => z.string().optional().openapi({ description });

/**
 * Body of `POST /v1/video/generations`, field by field as the video page's table lists it.
 * Unknown fields are ignored, as an OpenAI-style router does (not documented either way).
 *
 * @example
 * RoutMyVideoRequest.parse({ model: 'provider/video-model-id', prompt: 'A cube', duration: 5 });
 */
export const RoutMyVideoRequest = z
  .object({
    model: z.string().openapi({ description: 'Exact video model ID from /v1/models.' }),
    prompt: z.union([z.string(), RoutMyPromptObject]).openapi({
      description: 'Text prompt, or { "text": "...", "image": "..." } for image-to-video.',
    }),
    input_image: imageInput('URL, data URI, or raw base64 image for image-to-video.'),
    input_image_b64: imageInput('Explicit base64 image input.'),
    image: imageInput('Accepted alias for image input.'),
    image_url: imageInput('Accepted alias for image input.'),
    input_image_url: imageInput('Accepted alias for image input.'),
    input_video: z.string().optional().openapi({
      description:
        'URL, data URI, or raw base64 source video for edit mode. Triggers video-input accounting.',
    }),
    input_video_b64: z
      .string()
      .optional()
      .openapi({ description: 'Explicit base64 source video input.' }),
    duration: provenance(
      z.number().optional(),
      docs(
        ROUTMY_SOURCES.videos,
        'Clamped server-side to the model maximum; per-model limits are not published (see ' +
          'catalog.ts).',
      ),
    ).openapi({ description: 'Requested duration in seconds. Maximum is clamped server-side.' }),
    resolution: z
      .string()
      .optional()
      .openapi({
        description:
          'Values such as 480p, 720p, 1080p, 4K (1K and 2K appear in the quota table), or ' +
          'WIDTHxHEIGHT.',
        example: '720p',
      }),
    aspect_ratio: z
      .string()
      .optional()
      .openapi({ description: 'Values such as 16:9, 9:16, 1:1, 4:3, 3:4.', example: '16:9' }),
    n: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Number of output videos. Defaults to 1.', default: 1 }),
    audio: z.boolean().optional().openapi({ description: 'Explicit audio on/off.' }),
    quality: z.string().optional().openapi({
      description:
        'Values such as draft, std, or pro (optimized and lossless appear in the quota table).',
      example: 'std',
    }),
    negative_prompt: z.string().optional().openapi({ description: 'Content to avoid.' }),
    seed: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Deterministic generation seed when supported.' }),
    provider_options: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Provider-specific options passed through.' }),
    user: z.string().optional().openapi({ description: 'Client-side user identifier.' }),
  })
  .openapi('RoutMyVideoGenerationRequest', {
    example: {
      model: 'provider/video-model-id',
      prompt: 'A slow camera move across a glass cube on a white table',
      duration: 5,
      resolution: '720p',
      aspect_ratio: '16:9',
      n: 1,
    },
  });

/**
 * One generated video. The URL is temporary: "Download and re-host them if your application needs
 * long-term storage."
 *
 * @example
 * RoutMyVideo.parse({
 *   url: 'https://api.rout.my/public/media/generated.mp4',
 *   mime_type: 'video/mp4',
 * });
 */
export const RoutMyVideo = z
  .strictObject({
    url: z.string().openapi({ description: 'Temporary URL of the generated video.' }),
    mime_type: z.string().openapi({ example: 'video/mp4' }),
  })
  .openapi('RoutMyVideo');

/**
 * Success body of `POST /v1/video/generations` (HTTP 200, sent once rendering ends).
 *
 * @example
 * RoutMyVideoResponse.parse({
 *   created: 1744000000, model: 'provider/video-model-id', duration: 5, videos: [],
 * });
 */
export const RoutMyVideoResponse = z
  .strictObject({
    created: z.number().int().openapi({ description: 'Unix seconds.' }),
    model: z.string(),
    duration: provenance(
      z.number(),
      docs(
        ROUTMY_SOURCES.videos,
        'The mock reports the duration after server-side clamping (provisional: the docs ' +
          'example does not show a clamped request).',
      ),
    ),
    videos: z.array(RoutMyVideo),
  })
  .openapi('RoutMyVideoGenerationResponse', {
    example: {
      created: 1744000000,
      model: 'provider/video-model-id',
      duration: 5,
      videos: [{ url: 'https://api.rout.my/public/media/generated.mp4', mime_type: 'video/mp4' }],
    },
  });

/**
 * One entry of `GET /v1/models`. The list mixes all model types (chat, embeddings, images,
 * video); no field marks a model as video.
 *
 * @example
 * RoutMyModel.parse({ id: 'provider/model-id', object: 'model', created: 1700000000,
 *   owned_by: 'provider', token_multiplier: 1, is_available: true });
 */
export const RoutMyModel = z
  .strictObject({
    id: z.string().openapi({ description: 'Exact model ID to send in requests.' }),
    object: z.literal('model'),
    created: z.number().int().openapi({ description: 'Compatibility timestamp.' }),
    owned_by: z.string().openapi({ description: 'Provider or model group inferred from the ID.' }),
    token_multiplier: z
      .number()
      .openapi({ description: 'Quota multiplier applied to actual token usage.' }),
    is_available: provenance(
      z.boolean(),
      docs(
        ROUTMY_SOURCES.models,
        'Reflects the plan of the key sent; what it says without a key is not documented (the ' +
          'mock sends the catalog default).',
      ),
    ).openapi({ description: 'Whether your current key can use the model.' }),
  })
  .openapi('RoutMyModel');

/**
 * Body of `GET /v1/models`.
 *
 * @example
 * RoutMyModelsListResponse.parse({ object: 'list', data: [] });
 */
export const RoutMyModelsListResponse = z
  .strictObject({ object: z.literal('list'), data: z.array(RoutMyModel) })
  .openapi('RoutMyModelsListResponse', {
    example: {
      object: 'list',
      data: [
        {
          id: 'provider/model-id',
          object: 'model',
          created: 1700000000,
          owned_by: 'provider',
          token_multiplier: 1,
          is_available: true,
        },
      ],
    },
  });

/**
 * rout.my's error body: "API errors return JSON with a consistent error object"
 * (errors page). `param` is not in the documented example; it is accepted as optional because
 * the OpenAI-compatible endpoints may send it (provisional). "Some errors also include an
 * error_id": where it sits is not shown, so we put it inside the error object (provisional).
 *
 * @example
 * RoutMyErrorResponse.parse({
 *   error: { message: 'Invalid request body', type: 'invalid_request_error', code: 'Bad Request' },
 * });
 */
export const RoutMyErrorResponse = z
  .strictObject({
    error: z.strictObject({
      message: z.string(),
      type: z.string().openapi({ example: 'invalid_request_error' }),
      code: provenance(
        z.string(),
        docs(
          ROUTMY_SOURCES.errors,
          'The example uses the HTTP reason phrase ("Bad Request"); the models page names ' +
            'model_not_found. Other codes are provisional.',
        ),
      ),
      param: provenance(z.string().nullable().optional(), {
        level: 'provisional',
        source: ROUTMY_SOURCES.errors,
        note: 'Not in the documented example; OpenAI-style bodies carry it.',
      }),
      error_id: provenance(z.string().optional(), {
        level: 'official-docs',
        source: ROUTMY_SOURCES.errors,
        note:
          '"Some errors also include an error_id"; its place (inside error) and type are ' +
          'provisional.',
      }),
    }),
  })
  .openapi('RoutMyErrorResponse', {
    description: 'rout.my normalized JSON error.',
    example: {
      error: {
        message: 'Invalid request body',
        type: 'invalid_request_error',
        code: 'Bad Request',
      },
    },
  });

/** The `type` and `code` rout.my puts in an error body for one HTTP status. */
export interface RoutMyErrorKind {
  readonly type: string;
  readonly code: string;
  readonly provenance: Provenance;
}

const guessed = (note: string): Provenance => ({
  level: 'provisional',
  source: ROUTMY_SOURCES.errors,
  note,
});
const PHRASE = 'code follows the documented pattern (HTTP reason phrase); type is our guess';

/**
 * `type` and `code` by status. Only 400's pair is documented; the rest follow its pattern.
 * An unknown model uses the code `model_not_found`, named on the models page.
 *
 * @example
 * ROUTMY_ERROR_KINDS[400].code; // 'Bad Request'
 */
export const ROUTMY_ERROR_KINDS = {
  400: {
    type: 'invalid_request_error',
    code: 'Bad Request',
    provenance: docs(ROUTMY_SOURCES.errors),
  },
  401: { type: 'authentication_error', code: 'Unauthorized', provenance: guessed(PHRASE) },
  403: { type: 'permission_error', code: 'Forbidden', provenance: guessed(PHRASE) },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    provenance: {
      level: 'official-docs',
      source: `${ROUTMY_SOURCES.models}; ${ROUTMY_SOURCES.errors}`,
      note:
        'The models page names the code, the errors page the status (404: unknown model); ' +
        'type is our guess. A wrong path would carry "Not Found".',
    },
  },
  429: { type: 'rate_limit_error', code: 'Too Many Requests', provenance: guessed(PHRASE) },
  500: { type: 'server_error', code: 'Internal Server Error', provenance: guessed(PHRASE) },
  502: { type: 'upstream_error', code: 'Bad Gateway', provenance: guessed(PHRASE) },
  503: { type: 'server_error', code: 'Service Unavailable', provenance: guessed(PHRASE) },
} as const satisfies Readonly<Record<number, RoutMyErrorKind>>;

/** A status rout.my documents for its video endpoint. */
export type RoutMyErrorStatus = keyof typeof ROUTMY_ERROR_KINDS;

/**
 * The documented example message of a 400 (errors page), used for a body that fails the schema.
 *
 * @example
 * ROUTMY_INVALID_BODY_MESSAGE; // 'Invalid request body'
 */
export const ROUTMY_INVALID_BODY_MESSAGE = 'Invalid request body';

/** Parsed body of `POST /v1/video/generations`. */
export type RoutMyVideoRequest = z.infer<typeof RoutMyVideoRequest>;
/** Success body of `POST /v1/video/generations`. */
export type RoutMyVideoResponse = z.infer<typeof RoutMyVideoResponse>;
/** One entry of `GET /v1/models`. */
export type RoutMyModel = z.infer<typeof RoutMyModel>;
/** Body of `GET /v1/models`. */
export type RoutMyModelsListResponse = z.infer<typeof RoutMyModelsListResponse>;
/** rout.my's error body. */
export type RoutMyErrorResponse = z.infer<typeof RoutMyErrorResponse>;
