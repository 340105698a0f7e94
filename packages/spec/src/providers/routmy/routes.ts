import type { ResponseDef } from '../../define.js';
import { defineRoute } from '../../define.js';
import type { Provenance } from '../../provenance.js';
import { z } from '../../zod.js';
import {
  ROUTMY_SOURCES,
  RoutMyErrorResponse,
  RoutMyModelsListResponse,
  RoutMyVideoRequest,
  RoutMyVideoResponse,
} from './schemas.js';

const ERRORS: Provenance = { level: 'official-docs', source: ROUTMY_SOURCES.errors };

/** A declared error status; the descriptions quote the errors page's "Meaning" column. */
const error = (description: string, fact: Provenance = ERRORS): ResponseDef => ({
  description,
  schema: RoutMyErrorResponse,
  provenance: fact,
});

const RetryHeaders = z.object({
  'retry-after': z
    .string()
    .optional()
    .openapi({
      description:
        'Seconds to wait before retrying. Not documented by rout.my (provisional); its docs ' +
        'advise backoff with jitter, and "For daily quota, retry after the reset window".',
    }),
});

const tooMany = (description: string): ResponseDef => ({
  ...error(description),
  headers: RetryHeaders,
});

/**
 * rout.my's video endpoints, relative to `/v1`.
 *
 * Of the statuses on the errors page, 405 (wrong method: not a response of these operations) and
 * 499 (logged when the client disconnects: the client never receives it) are not declared.
 *
 * @example
 * routmyRoutes.createVideo.path; // '/video/generations'
 */
export const routmyRoutes = {
  createVideo: defineRoute({
    operationId: 'createVideoGeneration',
    method: 'POST',
    path: '/video/generations',
    summary: 'Generate videos synchronously',
    description:
      'The HTTP connection stays open while the provider renders the result; allow about 15 ' +
      'minutes (`curl --max-time 900`). Generated video URLs are temporary.',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: RoutMyVideoRequest }],
    responses: {
      200: { description: 'The generated videos.', schema: RoutMyVideoResponse },
      400: error(
        'Invalid request body, missing field, unsupported parameter, or policy-blocked prompt.',
      ),
      401: error('Missing or invalid API key.'),
      403: error('The key is valid, but the model is not available to the account.'),
      404: error('Wrong path or unknown model (code model_not_found).', {
        level: 'official-docs',
        source: `${ROUTMY_SOURCES.errors}; ${ROUTMY_SOURCES.models}`,
      }),
      429: {
        ...tooMany(
          'Rate limit or quota exhausted. Quota is checked against a worst-case estimate ' +
            'before generation starts.',
        ),
        provenance: {
          level: 'official-docs',
          source: `${ROUTMY_SOURCES.videos}; ${ROUTMY_SOURCES.errors}`,
        },
      },
      500: error('Internal server error.'),
      502: error('Upstream provider failed or no provider succeeded.'),
      503: error('Temporary service or quota backend issue.'),
    },
    provenance: {
      level: 'official-docs',
      source: ROUTMY_SOURCES.videos,
      note:
        'Error bodies and statuses from the errors page; the server-side timeout is not ' +
        'documented beyond the --max-time 900 example.',
    },
  }),
  listModels: defineRoute({
    operationId: 'listModels',
    method: 'GET',
    path: '/models',
    summary: 'List the model catalog visible to your account',
    description:
      'All model types (chat, embeddings, images, video) in one list; no field marks video ' +
      'models. With a valid key, is_available reflects your plan.',
    auth: 'optional',
    responses: {
      200: { description: 'The model catalog.', schema: RoutMyModelsListResponse },
      401: error('Missing or invalid API key.', {
        level: 'provisional',
        source: ROUTMY_SOURCES.errors,
        note:
          'The key is optional here; we assume an invalid key is still refused rather than ' +
          'ignored.',
      }),
      429: tooMany('Rate limit or quota exhausted.'),
      500: error('Internal server error.'),
      503: error('Temporary service or quota backend issue.'),
    },
    provenance: {
      level: 'official-docs',
      source: ROUTMY_SOURCES.models,
      note: '"The Authorization header is optional for public catalog browsing."',
    },
  }),
} as const;
