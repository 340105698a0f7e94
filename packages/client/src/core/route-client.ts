/**
 * Builds a typed client from a router's spec: one method per route key, each a `callRoute` with
 * the request and response types inferred from the route's schemas.
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import type {
  CallOptions,
  CallRouteOptions,
  RetryEvent,
  RouteResponse,
  Transport,
} from './call-route.js';
import { callRoute } from './call-route.js';
import type { Clock } from './clock.js';
import type { RequestKind } from './retry.js';
import type { RouteInput, RouteOutput } from './route-types.js';

/**
 * One route as a method: `(input, options?) => Promise<output>`; `input` may be left out when
 * the route needs no params and no body.
 *
 * @example
 * const getVideo: RouteMethod<typeof openrouter.routes.getVideo> = client.getVideo;
 * await getVideo({ params: { jobId: 'abc123' } });
 */
export type RouteMethod<R extends RouteDef, Extra = never> =
  object extends RouteInput<R>
    ? (input?: RouteInput<R>, options?: CallOptions) => Promise<RouteOutput<R> | Extra>
    : (input: RouteInput<R>, options?: CallOptions) => Promise<RouteOutput<R> | Extra>;

/**
 * A method per route key of a route table.
 *
 * @example
 * type OpenRouterMethods = RouteMethods<typeof openrouter.routes>; // createVideo, getVideo, getVideoContent, listModels
 */
export type RouteMethods<Routes extends Record<string, RouteDef>> = {
  readonly [K in keyof Routes]: RouteMethod<Routes[K]>;
};

/**
 * Options every per-router client takes.
 *
 * @example
 * createOpenRouterClient({ apiKey: process.env.OPENROUTER_API_KEY, baseUrl: 'http://127.0.0.1:4010/api/v1' });
 */
export interface ClientOptions {
  /** Default: the router's `<ID>_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** Origin plus base path. Default: the real API (`https://openrouter.ai/api/v1`, …). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** Waits and elapsed time (pass a mock engine's `clock` in tests). Default: system clock. */
  readonly clock?: Clock;
  /** Arms in-flight timeouts. Default: the system clock (see `Transport.timeoutClock`). */
  readonly timeoutClock?: Clock;
  /** Headers sent with every request. */
  readonly headers?: HeadersInit;
  /** Default per-call options (timeout, retry budget, lenient parsing, drift and retry hooks). */
  readonly timeoutMs?: number;
  readonly retry?: CallOptions['retry'];
  readonly lenient?: boolean;
  readonly onSchemaDrift?: CallOptions['onSchemaDrift'];
  readonly onRetry?: CallOptions['onRetry'];
}

/**
 * How the builder treats each route, beyond what the route table says.
 *
 * @example
 * createRouteMethods(fastrouter, transport, { kinds: { getAsyncResponse: 'read' } });
 */
export interface RouteClientPolicy<Routes extends Record<string, RouteDef>> {
  /** Overrides of the read/submit classification (POST routes that only read). */
  readonly kinds?: Partial<Record<keyof Routes, RequestKind>>;
  /** Default timeouts by route (long synchronous requests). */
  readonly timeouts?: Partial<Record<keyof Routes, number>>;
  /** Statuses that prove a submit was not processed. */
  readonly submitRetryStatuses?: readonly number[];
  /** Routes whose JSON answer may be replaced by a video (`allowBinary`). */
  readonly binary?: readonly (keyof Routes)[];
}

/**
 * The resolved transport of a client, shared by its methods and by the unified interface.
 *
 * @example
 * client.transport.baseUrl; // 'https://openrouter.ai/api/v1'
 */
export type ClientTransport = Transport & {
  readonly baseUrl: string;
  readonly defaults: CallOptions;
};

/**
 * Reads an environment variable where one exists (Node), without failing elsewhere.
 * @internal
 *
 * @example
 * env('OPENROUTER_API_KEY');
 */
export function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Resolves client options into a transport for `spec`.
 *
 * @example
 * const transport = resolveTransport(openrouter, { apiKey: 'sk-or-…' }, 'OPENROUTER_API_KEY');
 */
export function resolveTransport(
  spec: ProviderSpec,
  options: ClientOptions,
  envKey: string,
  submitRetryStatuses?: readonly number[],
): ClientTransport {
  const apiKey = options.apiKey ?? env(envKey);
  return {
    baseUrl: (options.baseUrl ?? `${spec.origin}${spec.basePath}`).replace(/\/+$/, ''),
    provider: spec.id,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timeoutClock ? { timeoutClock: options.timeoutClock } : {}),
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    ...(submitRetryStatuses ? { submitRetryStatuses } : {}),
    defaults: {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
      ...(options.lenient !== undefined ? { lenient: options.lenient } : {}),
      ...(options.onSchemaDrift ? { onSchemaDrift: options.onSchemaDrift } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    },
  };
}

/**
 * Per-route settings `invokeRoute` applies under the call's own options.
 *
 * @example
 * await invokeRoute(route, transport, input, {}, { timeoutMs: 900_000 });
 */
export interface RouteSettings {
  readonly kind?: RequestKind;
  readonly timeoutMs?: number;
  readonly allowBinary?: boolean;
}

/**
 * Calls `route` with a client's transport and defaults, then the call's input and options, and
 * returns the whole answer (status, headers, data, attempts).
 *
 * @example
 * const { data, headers } = await invokeRoute(openrouter.routes.getVideo, client.transport, { params: { jobId } });
 */
export async function invokeRoute<R extends RouteDef>(
  route: R,
  transport: ClientTransport,
  input: RouteInput<R> | undefined,
  options: CallOptions = {},
  settings: RouteSettings = {},
): Promise<RouteResponse<RouteOutput<R> | Response>> {
  const headers = new Headers(transport.defaultHeaders);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  const merged = {
    ...transport,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...transport.defaults,
    ...input,
    ...options,
    defaultHeaders: headers,
    headers: undefined,
    ...(settings.kind ? { kind: settings.kind } : {}),
    allowBinary: settings.allowBinary ?? false,
    // Both hear about retries: the client's hook and the call's (generateVideo counts them).
    onRetry: (event: RetryEvent) => {
      transport.defaults.onRetry?.(event);
      if (options.onRetry !== transport.defaults.onRetry) options.onRetry?.(event);
    },
  };
  // The input's shape was checked by RouteInput<R>; the spread loses that link for TypeScript.
  return callRoute<R, boolean>(route, merged as unknown as CallRouteOptions<R>);
}

/**
 * Builds one method per route of `spec.routes`. Each method is `invokeRoute(route, …)` with the
 * client's transport and the route's settings from `policy`; it resolves to the parsed `data`.
 *
 * @example
 * const methods = createRouteMethods(openrouter, resolveTransport(openrouter, {}, 'OPENROUTER_API_KEY'));
 * await methods.listModels();
 */
export function createRouteMethods<Routes extends Record<string, RouteDef>>(
  spec: ProviderSpec<Routes>,
  transport: ClientTransport,
  policy: RouteClientPolicy<Routes> = {},
): RouteMethods<Routes> {
  const methods: Record<string, unknown> = {};
  for (const [key, route] of Object.entries(spec.routes) as [keyof Routes & string, RouteDef][]) {
    const settings = routeSettings(policy, key);
    methods[key] = async (input?: RouteInput<RouteDef>, options?: CallOptions) =>
      (await invokeRoute(route, transport, input, options, settings)).data;
  }
  return methods as RouteMethods<Routes>;
}

/**
 * The settings of one route under a policy.
 * @internal
 *
 * @example
 * routeSettings({ kinds: { getAsyncResponse: 'read' } }, 'getAsyncResponse').kind; // 'read'
 */
export function routeSettings<Routes extends Record<string, RouteDef>>(
  policy: RouteClientPolicy<Routes>,
  key: keyof Routes,
): RouteSettings {
  const kind = policy.kinds?.[key];
  const timeoutMs = policy.timeouts?.[key];
  return {
    ...(kind ? { kind } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    allowBinary: policy.binary?.includes(key) ?? false,
  };
}
