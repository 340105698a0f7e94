/**
 * Finds which route of a router's table a URL belongs to, and builds URLs from the table, relative
 * to the target's base URL (so a router mounted under a prefix still matches).
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';

/** A route of the table with its key. */
export interface RouteRef {
  readonly key: string;
  readonly route: RouteDef;
}

interface Compiled extends RouteRef {
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
  const compiled: Compiled[] = Object.entries(spec.routes).map(([key, route]) => {
    const params: string[] = [];
    const source = route.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (!name) return escape(part);
        params.push(name);
        return '([^/]+)';
      })
      .join('');
    return { key, route, params, pattern: new RegExp(`^${escape(prefix)}${source}/?$`) };
  });
  compiled.sort((a, b) => a.params.length - b.params.length);
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
      for (const c of compiled) {
        if (c.route.method !== method.toUpperCase()) continue;
        const m = c.pattern.exec(parsed.pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        c.params.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        });
        return { key: c.key, route: c.route, params };
      }
      return undefined;
    },
    get(key) {
      const route = spec.routes[key];
      if (!route) throw new Error(`[reelkit/conformance] ${spec.title} has no route '${key}'.`);
      return route;
    },
    url(key, params = {}, query = {}) {
      const route = this.get(key);
      const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
        encodeURIComponent(params[name] ?? ''),
      );
      const search = new URLSearchParams(query).toString();
      return `${base.origin}${prefix}${path}${search ? `?${search}` : ''}`;
    },
  };
}
