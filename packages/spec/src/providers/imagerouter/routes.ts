import type { ResponseDef } from '../../define.js';
import { defineRoute } from '../../define.js';
import type { Provenance } from '../../provenance.js';
import { z } from '../../zod.js';
import {
  CODE,
  CreditsResponse,
  DOCS_CREDITS,
  DOCS_MODELS,
  DOCS_VIDEO,
  ErrorResponse,
  IMAGEROUTER_MESSAGES as M,
  ModelDetail,
  ModelParams,
  ModelsV1Query,
  ModelsV1Response,
  ModelsV2Query,
  ModelsV2Response,
  ModelV2,
  VideoGenerationMultipartRequest,
  VideoGenerationRequest,
  VideoGenerationResult,
} from './schemas.js';

const code = (files: string, note?: string): Provenance => ({
  level: 'official-code',
  source: `${CODE} ${files}`,
  ...(note ? { note } : {}),
});

const error = (description: string, provenance?: Provenance): ResponseDef => ({
  description,
  schema: ErrorResponse,
  ...(provenance ? { provenance } : {}),
});

const badQuery = error(
  'A query parameter outside the documented values, type invalid_request_error',
  {
    level: 'provisional',
    source: 'reelkit',
    note: 'How the real server answers an unknown filter or sort value is not documented; the mock answers 400.',
  },
);

/**
 * express-rate-limit v7 with `standardHeaders: true, legacyHeaders: false`: draft-6 `RateLimit-*`
 * headers, and `Retry-After` on a 429. Exact set from library defaults, unconfirmed in production.
 */
const RateLimitHeaders = z.object({
  'retry-after': z.string().optional().openapi({ description: 'Seconds to wait before retrying.' }),
  'ratelimit-limit': z.string().optional(),
  'ratelimit-remaining': z.string().optional(),
  'ratelimit-reset': z
    .string()
    .optional()
    .openapi({ description: 'Seconds until the window resets.' }),
  'ratelimit-policy': z.string().optional(),
});

const tooMany = (description: string): ResponseDef => ({
  ...error(
    description,
    code(
      'src/middleware/*.js',
      'RateLimit-* and Retry-After come from express-rate-limit defaults (unconfirmed).',
    ),
  ),
  headers: RateLimitHeaders,
});

const ipLimited = tooMany(`Per-IP limit (20 req/s on all routes): "${M.ipRateLimited}"`);
const internal = error(`Middleware or unhandled error: "${M.internal}", type internal_error`);

/**
 * ImageRouter's video endpoints; `basePath` is empty, so paths are full.
 *
 * @example
 * imagerouterRoutes.createVideo.body.map((b) => b.contentType); // ['application/json', 'multipart/form-data']
 */
export const imagerouterRoutes = {
  createVideo: defineRoute({
    operationId: 'createVideoGeneration',
    method: 'POST',
    path: '/v1/openai/videos/generations',
    summary: 'Generate a video (synchronous; JSON or multipart)',
    description:
      'Holds the connection until the video is done. Once generation starts the router sends HTTP 200 at once and writes a space every 3 s, so the body may start with whitespace and a failure after validation arrives as HTTP 200 with an error body. Image-to-video needs multipart (image[] files).',
    auth: 'bearer',
    body: [
      { contentType: 'application/json', schema: VideoGenerationRequest },
      { contentType: 'multipart/form-data', schema: VideoGenerationMultipartRequest },
    ],
    responses: {
      200: {
        description:
          'The finished video ({created, data, latency, cost}), or an {"error": {...}} body for a failure after validation (insufficient credits, image to a model without image input, provider error).',
        schema: VideoGenerationResult,
        provenance: code(
          'src/services/videoService.js, src/services/generationWrapper.js, test/api.test.js',
          'The success shape is documented; 200-with-error is read from source and the project test (unconfirmed in production).',
        ),
      },
      400: error(
        `Validation (zod message of the first bad field, "${M.modelNotAvailable('x')}", ...) or upload error ("File upload error: ..."), type invalid_request_error`,
        code('src/services/validateVideoParams.js, src/middleware/uploadMiddleware.js'),
      ),
      401: error(
        `"${M.authMissing}", "${M.authInvalid}" or "Invalid authorization token length: N", type unauthorized`,
        code('src/middleware/apiKeyMiddleware.js'),
      ),
      403: error(
        'Guest-token IP mismatch or free-tier rules; types access_denied, deposit_required or unauthorized',
        code(
          'src/middleware/*.js',
          'Messages not recorded; the mock words them itself (provisional).',
        ),
      ),
      429: tooMany(
        `Per-key limit (balance/6 req/s, 1 to 20): "${M.keyRateLimited}", type rate_limit_error; per-IP limits: "${M.ipRateLimited}", "${M.ipGenerationRateLimited}"`,
      ),
      500: error(
        `Middleware or unhandled error before generation started: "${M.internal}", type internal_error`,
        code('src/index.js', 'Errors after generation started come back as 200 instead.'),
      ),
    },
    provenance: {
      level: 'official-docs',
      source: `${DOCS_VIDEO}; ${CODE} src/routes/videoRoutes.js, src/services/validateVideoParams.js`,
    },
  }),
  listModelsV1: defineRoute({
    operationId: 'listModelsV1',
    method: 'GET',
    path: '/v1/models',
    summary: 'List models, keyed by id',
    auth: 'none',
    query: ModelsV1Query,
    responses: {
      200: { description: 'An object keyed by model id', schema: ModelsV1Response },
      400: badQuery,
      429: ipLimited,
      500: internal,
    },
    provenance: code(
      'src/index.js',
      'Query parameters from the code; the docs now describe /v2/models.',
    ),
  }),
  getModelV1: defineRoute({
    operationId: 'getModelV1',
    method: 'GET',
    path: '/v1/models/{modelId}',
    summary: 'Get one model (raw, with inputs)',
    auth: 'none',
    params: ModelParams,
    responses: {
      200: { description: 'The model', schema: ModelDetail },
      404: error(
        `"${M.modelNotFound('x')}", type invalid_request_error, param model, code model_not_found`,
        code('src/index.js'),
      ),
      429: ipLimited,
      500: internal,
    },
    provenance: code('src/index.js'),
  }),
  listModelsV2: defineRoute({
    operationId: 'listModelsV2',
    method: 'GET',
    path: '/v2/models',
    summary: 'List models (filter, sort, limit, select fields)',
    auth: 'none',
    query: ModelsV2Query,
    responses: {
      200: { description: 'An array of model objects, each with its id', schema: ModelsV2Response },
      400: badQuery,
      429: ipLimited,
      500: internal,
    },
    provenance: {
      level: 'official-docs',
      source: DOCS_MODELS,
      note: 'The 2026-02 code answered an object keyed by id with a type= filter; the newer docs describe an array and outputType/inputType/fields. We follow the docs.',
    },
  }),
  getModelV2: defineRoute({
    operationId: 'getModelV2',
    method: 'GET',
    path: '/v2/models/{modelId}',
    summary: 'Get one model by its URL-encoded id',
    auth: 'none',
    params: ModelParams,
    responses: {
      200: { description: 'A single model object', schema: ModelV2 },
      404: error('Unknown model', {
        level: 'provisional',
        source: DOCS_MODELS,
        note: 'The docs give no error; we assume the /v1 404 body.',
      }),
      429: ipLimited,
      500: internal,
    },
    provenance: { level: 'official-docs', source: DOCS_MODELS },
  }),
  getCredits: defineRoute({
    operationId: 'getCredits',
    method: 'GET',
    path: '/v1/credits',
    summary: "The key owner's balance, usage and deposits (USD, decimal strings)",
    auth: 'bearer',
    responses: {
      200: { description: 'Credits', schema: CreditsResponse },
      401: error(
        `"${M.authMissing}" or "${M.authInvalid}", type unauthorized`,
        code('src/middleware/apiKeyMiddleware.js'),
      ),
      429: ipLimited,
      500: internal,
    },
    provenance: { level: 'official-docs', source: DOCS_CREDITS },
  }),
} as const;
