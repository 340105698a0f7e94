/**
 * Route path templates (`/videos/{jobId}/content`), compiled once: a matcher that decodes the
 * parameters of a request path, and a builder that encodes them into one. Mocks, client and kit
 * all address routes through this module, so a path means the same thing everywhere.
 *
 * @example
 * const content = compilePath('/videos/{jobId}/content');
 * content.build({ jobId: 'a/b' }); // '/videos/a%2Fb/content'
 * content.match('/videos/a%2Fb/content'); // { jobId: 'a/b' }
 * @module
 */
import type { RouteDef } from './define.js';

/** A path template compiled for matching and building. */
export interface PathTemplate {
  /** The template as declared, e.g. `/videos/{jobId}`. */
  readonly template: string;
  /** Names of its `{param}` segments, in order. */
  readonly paramNames: readonly string[];
  /**
   * The decoded parameters of a path (percent-encoded, as in a URL's `pathname`, one optional
   * trailing slash), or `undefined` when the path is not this template's or a parameter is not
   * valid percent-encoding (no route can be addressed by it).
   */
  match(pathname: string): Record<string, string> | undefined;
  /**
   * Fills the template, percent-encoding each value so that it stays one segment.
   *
   * @throws TypeError when a value is missing or empty, or is `.` or `..` (which a URL resolves
   * away): such a path would address another route. `{ lenient: true }` fills a missing value
   * with nothing and sends `.`/`..` as they are, for a caller that means to send what it was
   * given (the kit polling whatever id a target answered).
   */
  build(
    params: Readonly<Record<string, unknown>>,
    options?: { readonly lenient?: boolean },
  ): string;
}

const PARAM = /\{([^}]+)\}/g;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Names of a path template's parameters, in order.
 *
 * @example
 * pathParamNames('/v2/models/{modelId}'); // ['modelId']
 */
export function pathParamNames(template: string): string[] {
  return Array.from(template.matchAll(PARAM), (m) => m[1] as string);
}

/**
 * Decodes one path segment; `undefined` for malformed percent-encoding (`%zz`, a lone `%`, bytes
 * that are not UTF-8), which `decodeURIComponent` would throw for.
 *
 * @example
 * decodePathSegment('a%2Fb'); // 'a/b'
 * decodePathSegment('%E0%A4%A'); // undefined
 */
export function decodePathSegment(raw: string): string | undefined {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Compiles a path template. A parameter matches one non-empty segment; `prefix` is a literal
 * (already percent-encoded) path the template is mounted under, such as `/api/v1`.
 *
 * @example
 * compilePath('/videos/{jobId}', '/api/v1').match('/api/v1/videos/abc/'); // { jobId: 'abc' }
 */
export function compilePath(template: string, prefix = ''): PathTemplate {
  const paramNames = pathParamNames(template);
  const source = template
    .split(/\{[^}]+\}/)
    .map(escapeRegExp)
    .join('([^/]+)');
  const mount = prefix.replace(/\/+$/, '');
  const literal = `${mount}${template}`;
  const literalWithSlash = `${literal}/`;
  const pattern = new RegExp(`^${escapeRegExp(mount)}${source}/?$`);
  return {
    template,
    paramNames,
    match(pathname) {
      // A static path (most routes) is a string comparison, not a regular expression.
      if (paramNames.length === 0) {
        return pathname === literal || pathname === literalWithSlash ? {} : undefined;
      }
      const m = pattern.exec(pathname);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < paramNames.length; i++) {
        const value = decodePathSegment(m[i + 1] as string);
        if (value === undefined) return undefined;
        params[paramNames[i] as string] = value;
      }
      return params;
    },
    build(params, options) {
      return buildPath(template, params, options);
    },
  };
}

/**
 * Fills a path template without compiling it: {@link PathTemplate.build} for a template used once.
 *
 * @example
 * buildPath('/v2/models/{modelId}', { modelId: 'google/veo-3.1' }); // '/v2/models/google%2Fveo-3.1'
 */
export function buildPath(
  template: string,
  params: Readonly<Record<string, unknown>>,
  options?: { readonly lenient?: boolean },
): string {
  return template.replace(PARAM, (_, name: string) =>
    encodeURIComponent(checkedParam(name, params[name], options?.lenient === true)),
  );
}

function checkedParam(name: string, value: unknown, lenient: boolean): string {
  if (value === undefined || value === null || value === '') {
    if (lenient) return '';
    throw new TypeError(`[reelkit] the path parameter '${name}' is missing`);
  }
  const text = String(value);
  if (!lenient && (text === '.' || text === '..')) {
    throw new TypeError(`[reelkit] the path parameter '${name}' may not be '${text}'`);
  }
  return text;
}

/** A route found for a request, with its decoded path parameters. */
export interface MatchedRoute<Route extends RouteDef = RouteDef> {
  readonly key: string;
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** A route of a table, with its compiled path. */
export interface CompiledRoute<Route extends RouteDef = RouteDef> {
  readonly key: string;
  readonly route: Route;
  readonly path: PathTemplate;
}

/** A route table compiled for matching requests. */
export interface RouteMatcher<Route extends RouteDef = RouteDef> {
  /** The routes in the order they are tried: static ones before parameterised ones. */
  readonly routes: readonly CompiledRoute<Route>[];
  /**
   * The route an upper-case method and a percent-encoded pathname address, if any. A route
   * whose parameter would not be valid percent-encoding does not match (so, in the routers' tables,
   * where no two `{param}` routes overlap, nothing does: the router's 404).
   */
  match(method: string, pathname: string): MatchedRoute<Route> | undefined;
}

/**
 * Compiles a table of routes (by key) mounted under `prefix`. Routes with fewer parameters are
 * tried first, so `/videos/models` wins over `/videos/{jobId}`.
 *
 * @example
 * const router = compileRouteMatcher(openrouter.routes, openrouter.basePath);
 * router.match('GET', '/api/v1/videos/abc'); // { key: 'getVideo', route, params: { jobId: 'abc' } }
 */
export function compileRouteMatcher<Route extends RouteDef>(
  routes: Readonly<Record<string, Route>>,
  prefix = '',
): RouteMatcher<Route> {
  const compiled: CompiledRoute<Route>[] = Object.entries(routes)
    .map(([key, route]) => ({ key, route, path: compilePath(route.path, prefix) }))
    .sort((a, b) => a.path.paramNames.length - b.path.paramNames.length);
  // Matching runs on every request a mock serves: try only the routes of the request's method.
  const byMethod = new Map<string, CompiledRoute<Route>[]>();
  for (const c of compiled) {
    const list = byMethod.get(c.route.method);
    if (list) list.push(c);
    else byMethod.set(c.route.method, [c]);
  }
  return {
    routes: compiled,
    match(method, pathname) {
      const candidates = byMethod.get(method);
      if (!candidates) return undefined;
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[i] as CompiledRoute<Route>;
        const params = c.path.match(pathname);
        if (params) return { key: c.key, route: c.route, params };
      }
      return undefined;
    },
  };
}
