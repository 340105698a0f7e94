/**
 * Request and response types of a spec route, inferred from its Zod schemas: no request or
 * response type is written by hand.
 * @module
 */
import type { RouteDef, z } from '@reelkit/spec';

/**
 * HTTP statuses that carry a successful answer.
 *
 * @example
 * const ok = (status: number): status is SuccessStatus => status >= 200 && status < 300;
 */
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;

/**
 * What a call of route `R` takes: `params` when the route has path parameters, `query` when it
 * has a query, `body` (any of its encodings) when it has one; each typed with `z.input`.
 *
 * @example
 * type In = RouteInput<typeof openrouter.routes.getVideo>; // { params: { jobId: string } }
 */
export type RouteInput<R extends RouteDef> = (R extends {
  readonly params: infer P extends z.ZodType;
}
  ? { readonly params: z.input<P> }
  : { readonly params?: undefined }) &
  (R extends { readonly query: infer Q extends z.ZodType }
    ? { readonly query?: z.input<Q> }
    : { readonly query?: undefined }) &
  (R extends { readonly body: readonly (infer B)[] }
    ? B extends { readonly schema: infer S extends z.ZodType }
      ? { readonly body: z.input<S> }
      : never
    : { readonly body?: undefined });

type OutputOf<D> = D extends { readonly schema: infer S extends z.ZodType }
  ? z.output<S>
  : Response;

/**
 * The success statuses route `R` declares.
 *
 * @example
 * type S = RouteSuccessStatus<typeof openrouter.routes.createVideo>; // 202
 */
export type RouteSuccessStatus<R extends RouteDef> = Extract<keyof R['responses'], SuccessStatus>;

/**
 * What a call of route `R` answers: the `z.output` of each declared success schema, or the raw
 * `Response` for a binary answer (`video/mp4`).
 *
 * @example
 * type Out = RouteOutput<typeof openrouter.routes.createVideo>; // VideoGenerationResponse
 */
export type RouteOutput<R extends RouteDef> = {
  [S in RouteSuccessStatus<R>]: OutputOf<R['responses'][S]>;
}[RouteSuccessStatus<R>];
