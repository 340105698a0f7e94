import type { ResponseDef } from '../../define.js';
import { defineRoute } from '../../define.js';
import { z } from '../../zod.js';
import {
  ContentQuery,
  ErrorResponse,
  JobParams,
  VideoGenerationRequest,
  VideoGenerationResponse,
  VideoModelsListResponse,
} from './schemas.js';

const SPEC = {
  level: 'official-spec',
  source: 'OpenRouterTeam/docs openapi/openapi.yaml @ c26125a',
} as const;

const error = (description: string): ResponseDef => ({ description, schema: ErrorResponse });

const RetryHeaders = z.object({
  'retry-after': z.string().optional().openapi({ description: 'Seconds to wait before retrying.' }),
});

/** OpenRouter's four video endpoints, relative to `/api/v1`. */
export const openrouterRoutes = {
  createVideo: defineRoute({
    operationId: 'createVideos',
    method: 'POST',
    path: '/videos',
    summary: 'Submit a video generation request',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: VideoGenerationRequest }],
    responses: {
      202: { description: 'Video generation request accepted', schema: VideoGenerationResponse },
      400: error('Bad Request - Invalid request parameters or malformed input'),
      401: error('Unauthorized - Authentication required or invalid credentials'),
      402: error('Payment Required - Insufficient credits or quota to complete request'),
      404: error('Not Found - Resource does not exist'),
      429: { ...error('Too Many Requests - Rate limit exceeded'), headers: RetryHeaders },
      500: error('Internal Server Error - Unexpected server error'),
    },
    provenance: SPEC,
  }),
  getVideo: defineRoute({
    operationId: 'getVideos',
    method: 'GET',
    path: '/videos/{jobId}',
    summary: 'Poll video generation status',
    auth: 'bearer',
    params: JobParams,
    responses: {
      200: { description: 'Video generation status', schema: VideoGenerationResponse },
      401: error('Unauthorized - Authentication required or invalid credentials'),
      404: error('Not Found - Resource does not exist'),
      500: error('Internal Server Error - Unexpected server error'),
    },
    provenance: SPEC,
  }),
  getVideoContent: defineRoute({
    operationId: 'listVideosContent',
    method: 'GET',
    path: '/videos/{jobId}/content',
    summary: 'Download generated video content',
    description:
      "Streams the MP4 of a completed job. Before completion the mock answers 400 and for an index past the outputs 404 (both provisional: OpenRouter does not document which). The mock also serves it without a key when the URL carries the job's download `token`, as its `unsigned_urls` do.",
    auth: 'bearer',
    params: JobParams,
    query: ContentQuery,
    responses: {
      200: {
        description:
          'Video content stream. The body is the raw video bytes proxied from the upstream provider.',
        contentType: 'video/mp4',
      },
      400: error('Bad Request - Invalid request parameters or malformed input'),
      401: error('Unauthorized - Authentication required or invalid credentials'),
      404: error('Not Found - Resource does not exist'),
      500: error('Internal Server Error - Unexpected server error'),
      502: error('Bad Gateway - Provider/upstream API failure'),
    },
    provenance: {
      ...SPEC,
      note: 'The spec requires bearer auth, as the skill shows; the guide downloads unsigned_urls[0] without a key, as OpenRouter-authored clients do. The mock requires the key here unless the URL carries the per-job token its unsigned_urls carry.',
    },
  }),
  listModels: defineRoute({
    operationId: 'listVideosModels',
    method: 'GET',
    path: '/videos/models',
    summary: 'List all video generation models',
    auth: 'optional',
    responses: {
      200: {
        description: 'Returns a list of video generation models',
        schema: VideoModelsListResponse,
      },
      400: error('Bad Request - Invalid request parameters or malformed input'),
      500: error('Internal Server Error - Unexpected server error'),
    },
    provenance: {
      ...SPEC,
      note: 'The spec applies bearer auth globally, but the docs call this endpoint without a key and list no 401; the mock accepts both.',
    },
  }),
} as const;
