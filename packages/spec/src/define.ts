import type { Provenance } from './provenance.js';
import type { z } from './zod.js';

/** HTTP methods the routers' video APIs use. */
export type HttpMethod = 'GET' | 'POST';

/**
 * How a route authenticates.
 * - `bearer`: `Authorization: Bearer <key>` is required.
 * - `optional`: a key is accepted (and may change the answer) but not required.
 * - `none`: no key is read.
 */
export type AuthMode = 'bearer' | 'optional' | 'none';

/** One accepted request body encoding. */
export interface BodyDef {
  readonly contentType: 'application/json' | 'multipart/form-data';
  readonly schema: z.ZodType;
}

/** One declared response of a route. */
export interface ResponseDef {
  readonly description: string;
  /** Defaults to `application/json`. Binary responses (`video/mp4`) have no schema. */
  readonly contentType?: string;
  readonly schema?: z.ZodType;
  /** Binary content types the same status may carry instead (e.g. `video/mp4`). */
  readonly binaryAlternatives?: readonly string[];
  /** Documented response headers (for example `Retry-After` on 429). */
  readonly headers?: z.ZodObject;
  /** Why this status is declared when the router's own spec does not list it. */
  readonly provenance?: Provenance;
}

/**
 * One endpoint of a router, declared once. The OpenAPI documents, the mock engine's router, the
 * client and the conformance kit all iterate over these definitions.
 *
 * Paths use the OpenAPI `{param}` form and are the full path on the router's origin.
 */
export interface RouteDef {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly auth: AuthMode;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** Accepted encodings, in order of preference. */
  readonly body?: readonly BodyDef[];
  readonly responses: Readonly<Record<number, ResponseDef>>;
  readonly provenance: Provenance;
}

/**
 * Identity helper that keeps a route's literal types.
 *
 * @example
 * const getVideo = defineRoute({
 *   operationId: 'getVideos', method: 'GET', path: '/api/v1/videos/{jobId}', summary: 'Poll a job',
 *   auth: 'bearer', responses: { 200: { description: 'Job status', schema: VideoGenerationResponse } },
 *   provenance: { level: 'official-spec', source: 'openapi.yaml' },
 * });
 */
export function defineRoute<const R extends RouteDef>(route: R): R {
  return route;
}

/** Lists a route's declared status codes in ascending order. */
export function declaredStatuses(route: RouteDef): number[] {
  return Object.keys(route.responses)
    .map(Number)
    .sort((a, b) => a - b);
}
