/**
 * Matches requests to the routes a provider's spec declares (`{param}` paths, full on the origin).
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import { fullPath } from '@reelkit/spec';

/** A route compiled for matching. */
export interface CompiledRoute {
  readonly key: string;
  readonly route: RouteDef;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

/** The result of a match. */
export interface RouteMatch {
  readonly compiled: CompiledRoute;
  readonly params: Record<string, string>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function decodeOrUndefined(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Compiles every route of a provider. Static routes sort before parameterised ones so that
 * `/videos/models` wins over `/videos/{jobId}`.
 *
 * @example
 * const match = compileRoutes(openrouter).match('GET', '/api/v1/videos/abc');
 * match?.params; // { jobId: 'abc' }
 */
export function compileRoutes(provider: ProviderSpec) {
  const compiled: CompiledRoute[] = Object.entries(provider.routes).map(([key, route]) => {
    const paramNames: string[] = [];
    const source = fullPath(provider, route)
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (!name) return escape(part);
        paramNames.push(name);
        return '([^/]+)';
      })
      .join('');
    return { key, route, pattern: new RegExp(`^${source}/?$`), paramNames };
  });
  compiled.sort((a, b) => a.paramNames.length - b.paramNames.length);

  return {
    routes: compiled,
    /** Finds the route for a method and path; `pathMatched` tells a wrong method from an unknown path. */
    match(method: string, pathname: string): RouteMatch | undefined {
      for (const c of compiled) {
        if (c.route.method !== method) continue;
        const m = c.pattern.exec(pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        for (let i = 0; i < c.paramNames.length; i++) {
          const raw = m[i + 1] ?? '';
          const value = raw.includes('%') ? decodeOrUndefined(raw) : raw;
          // Not valid percent-encoding: no route of ours can match it, so the router's 404.
          if (value === undefined) return undefined;
          params[c.paramNames[i] as string] = value;
        }
        return { compiled: c, params };
      }
      return undefined;
    },
  };
}
