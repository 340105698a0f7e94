/**
 * Finds which route of a router's table a URL belongs to, and builds URLs from the table, relative
 * to the target's base URL (so a router mounted under a prefix still matches).
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import { compileRouteMatcher } from '@reelkit/spec';

/** A route of the table with its key. */
export interface RouteRef {
  readonly key: string;
  readonly route: RouteDef;
}

/** Matches requests against a provider's routes. */
export interface RouteTable {
  readonly routes: readonly RouteRef[];
  /** The route a method and absolute URL address on the target, if any. */
  match(method: string, url: string): (RouteRef & { params: Record<string, string> }) | undefined;
  /** The route by its key; throws for an unknown key (a bug in a driver). */
  get(key: string): RouteDef;
  /** The absolute URL of a route on the target. */
  url(
    key: string,
    params?: Readonly<Record<string, string>>,
    query?: Readonly<Record<string, string>>,
  ): string;
}

/**
 * Compiles a provider's route table against a target base URL. Static routes win over
 * parameterised ones, as in the mock router (`/videos/models` before `/videos/{jobId}`).
 *
 * @example
 * const table = compileRouteTable(openrouter, 'http://127.0.0.1:4010/api/v1');
 * table.match('GET', 'http://127.0.0.1:4010/api/v1/videos/abc')?.route.operationId; // 'getVideos'
 */
export function compileRouteTable(spec: ProviderSpec, baseUrl: string): RouteTable {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const matcher = compileRouteMatcher(spec.routes, prefix);
  const paths = new Map(matcher.routes.map((c) => [c.key, c.path]));
  const unknown = (key: string) =>
    new Error(`[reelkit/conformance] ${spec.title} has no route '${key}'.`);
  return {
    routes: Object.entries(spec.routes).map(([key, route]) => ({ key, route })),
    match(method, url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return undefined;
      }
      if (parsed.origin !== base.origin) return undefined;
      return matcher.match(method.toUpperCase(), parsed.pathname);
    },
    get(key) {
      const route = spec.routes[key];
      if (!route) throw unknown(key);
      return route;
    },
    url(key, params = {}, query = {}) {
      const template = paths.get(key);
      if (!template) throw unknown(key);
      // The kit sends what a target gave it (an empty id included) to see what the target answers.
      const path = template.build(params, { lenient: true });
      const search = new URLSearchParams(query).toString();
      return `${base.origin}${prefix}${path}${search ? `?${search}` : ''}`;
    },
  };
}
