/**
 * What every per-router client shares: its methods come from the route table, its policy from
 * `PROFILES`.
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import type {
  ClientOptions,
  ClientTransport,
  RouteClientPolicy,
  RouteMethods,
} from '../core/route-client.js';
import { createRouteMethods, resolveTransport } from '../core/route-client.js';
import type { RequestKind } from '../core/retry.js';
import { profileOf } from './profiles.js';

/**
 * The fields every per-router client has besides its route methods.
 *
 * @example
 * client.provider; // 'openrouter'
 * client.transport.baseUrl; // 'https://openrouter.ai/api/v1'
 */
export interface ClientBase<S extends ProviderSpec> {
  readonly provider: S['id'];
  /** The spec the methods were built from. */
  readonly spec: S;
  /** Base URL, key, fetch, clocks and call defaults the methods use. */
  readonly transport: ClientTransport;
}

/**
 * Builds a router's route methods with its profile's policy.
 *
 * @example
 * const { methods, transport } = buildClient(openrouter, options);
 */
export function buildClient<Routes extends Record<string, RouteDef>>(
  spec: ProviderSpec<Routes>,
  options: ClientOptions,
  binary: readonly (keyof Routes)[] = [],
): {
  methods: RouteMethods<Routes>;
  transport: ClientTransport;
  policy: RouteClientPolicy<Routes>;
} {
  const profile = profileOf(spec);
  const transport = resolveTransport(spec, options, profile.envKey, profile.submitRetryStatuses);
  const kinds: Partial<Record<keyof Routes, RequestKind>> = {};
  for (const key of profile.readRoutes) kinds[key as keyof Routes] = 'read';
  const policy: RouteClientPolicy<Routes> = {
    kinds,
    timeouts: profile.routeTimeoutMs as Partial<Record<keyof Routes, number>>,
    binary,
  };
  return { methods: createRouteMethods(spec, transport, policy), transport, policy };
}
