import type { ResponseDef } from '../../define.js';
import { defineRoute } from '../../define.js';
import type { Provenance } from '../../provenance.js';
import { z } from '../../zod.js';
import {
  FASTROUTER_ERRORS,
  FASTROUTER_ERRORS_PROVENANCE,
  FastRouterCreateVideoResponse,
  FastRouterError,
  FastRouterGetAsyncResponseRequest,
  FastRouterGetVideoResponseRequest,
  FastRouterModelsListResponse,
  FastRouterTaskParams,
  FastRouterVideoRequest,
  FastRouterVideoStatusResponse,
  type FastRouterErrorStatus,
} from './schemas.js';

const SEED =
  'docs.fastrouter.ai/api-reference/video-generation-api (seeds/fastrouter-video-generation.txt)';
const OPENAPI = 'FastRouter docs OpenAPI "fastrouter-api" (provider-apis.md §3)';
const VIDEO_MD = 'fastrouter/docs api-reference/video.md @ 75f5245';
const CACHING = 'fastrouter/docs explore-features/response-caching-images-and-video-async.md';

const error = (status: FastRouterErrorStatus, description?: string): ResponseDef => {
  const def = FASTROUTER_ERRORS[status];
  return {
    description: description ?? `${def.meaning}: ${def.description}`,
    schema: FastRouterError,
    provenance: FASTROUTER_ERRORS_PROVENANCE,
  };
};

const RetryHeaders = z.object({
  'retry-after': z.string().optional().openapi({ description: 'Seconds to wait before retrying.' }),
});

const rateLimited: ResponseDef = { ...error(429), headers: RetryHeaders };

const POLL_BODY_PROVENANCE: Provenance = {
  level: 'official-docs',
  source: `${CACHING}; ${SEED}`,
  note: 'Task-family bodies are documented examples; the Sora family shows queued/in_progress only.',
};

const pollResponses = {
  200: {
    description:
      'Video generation status or completed video. Task-family models answer the task record; Sora models answer an OpenAI Videos object. For a completed Sora job getVideoResponse streams the MP4 itself (see SORA_BINARY_ON_COMPLETION).',
    schema: FastRouterVideoStatusResponse,
    provenance: POLL_BODY_PROVENANCE,
  },
  400: error(400, 'Invalid taskId or model'),
  401: error(401),
  404: error(404, 'Invalid taskId or expired result'),
  429: rateLimited,
  500: error(500),
} as const satisfies Record<number, ResponseDef>;

/**
 * The poll route that, per the docs, streams the finished video instead of JSON for a completed
 * Sora job ("Once ready, the video response will be streamed directly"). Its 200 declares JSON
 * and, as a binary alternative, this content type; exact behaviour is unconfirmed.
 *
 * @example
 * SORA_BINARY_ON_COMPLETION.routes.includes('getVideoResponse'); // true
 */
export const SORA_BINARY_ON_COMPLETION = {
  routes: ['getVideoResponse'] as const,
  contentType: 'video/mp4',
  provenance: {
    level: 'official-docs',
    source: SEED,
    note: 'Docs wording plus third-party clients that save a video/* body; the other poll routes are assumed to stay JSON (provisional).',
  } satisfies Provenance,
} as const;

/**
 * FastRouter's video endpoints, relative to `/api/v1`.
 *
 * @example
 * fastrouterRoutes.getVideo.path; // '/videos/{task_id}'
 */
export const fastrouterRoutes = {
  createVideo: defineRoute({
    operationId: 'createVideo',
    method: 'POST',
    path: '/videos',
    summary: 'Submit a video generation task',
    description:
      'Text-to-video and image-to-video. Answers a task envelope (data.taskId), or an OpenAI Videos object (id) for Sora models; poll with either id.',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: FastRouterVideoRequest }],
    responses: {
      200: {
        description: 'Video generation task queued successfully',
        schema: FastRouterCreateVideoResponse,
        provenance: {
          level: 'provisional',
          source: `${OPENAPI}; ${SEED}`,
          note: 'The success status is not stated (200 vs 202). 200: the spec calls it "Video generation task queued successfully" and OpenAI’s create, which the Sora family relays, returns 200; third-party clients accept 200/201/202.',
        },
      },
      400: error(400),
      401: error(401),
      402: error(402),
      403: error(403),
      429: rateLimited,
      500: error(500),
      502: error(502),
    },
    provenance: {
      level: 'official-docs',
      source: `${SEED}; ${OPENAPI}; ${VIDEO_MD}`,
      note: 'The same body can also go to POST /api/v1/chat/completions with a video model (not modelled).',
    },
  }),
  getVideoResponse: defineRoute({
    operationId: 'getVideoResponse',
    method: 'POST',
    path: '/getVideoResponse',
    summary: 'Retrieve a video task (taskId + model)',
    description: 'The first retrieval endpoint; model must match the original request.',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: FastRouterGetVideoResponseRequest }],
    responses: {
      ...pollResponses,
      200: { ...pollResponses[200], binaryAlternatives: [SORA_BINARY_ON_COMPLETION.contentType] },
    },
    provenance: { level: 'official-docs', source: `${SEED}; ${OPENAPI}` },
  }),
  getAsyncResponse: defineRoute({
    operationId: 'getAsyncResponse',
    method: 'POST',
    path: '/getAsyncResponse',
    summary: 'Retrieve an async task (taskId; model unless fr_-prefixed)',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: FastRouterGetAsyncResponseRequest }],
    responses: pollResponses,
    provenance: { level: 'official-docs', source: `${CACHING}; ${VIDEO_MD}` },
  }),
  getVideo: defineRoute({
    operationId: 'getVideo',
    method: 'GET',
    path: '/videos/{task_id}',
    summary: 'Retrieve a video task (recommended)',
    description:
      '"FastRouter supports both GET (recommended) and POST endpoints for retrieving generated videos."',
    auth: 'bearer',
    params: FastRouterTaskParams,
    responses: pollResponses,
    provenance: {
      level: 'official-docs',
      source: VIDEO_MD,
      note: 'Path and parameter name {task_id} from the docs; the response body is only in GitBook’s hosted spec (not retrievable) and is assumed equal to getAsyncResponse (provisional).',
    },
  }),
  listModels: defineRoute({
    operationId: 'listModels',
    method: 'GET',
    path: '/models',
    summary: 'List models',
    description: 'All FastRouter models; the mock lists its video models only.',
    auth: 'none',
    responses: {
      200: {
        description: 'List of models',
        schema: FastRouterModelsListResponse,
        provenance: {
          level: 'provisional',
          source: OPENAPI,
          note: 'The envelope is documented; the entry schema was truncated in the store, so entries pass unknown fields through.',
        },
      },
      500: error(500),
    },
    provenance: {
      level: 'official-docs',
      source: `${OPENAPI}; fastrouter/docs api-reference/models.md`,
      note: '"No authentication required".',
    },
  }),
} as const;
