/**
 * Helpers the drivers share: picking cheap, checkable parameters from a catalog and asking the
 * spec's judge what a request will produce.
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import { dimensionsFor, parseSize, pathParamNames } from '@reelkit/spec';
import type { ExpectedVideo, RouteRequestContext, RouteRequestParts } from './types.js';

/**
 * The prompt of every generation the kit requests: short, harmless, cheap to render.
 *
 * @example
 * ({ model, prompt: PROMPT });
 */
export const PROMPT = 'reelkit conformance check: a red cube turning slowly on a white table';

/**
 * A job id no router issued.
 *
 * @example
 * session.call('getVideo', { params: { jobId: UNKNOWN_ID } }); // expect 404
 */
export const UNKNOWN_ID = 'reelkit-no-such-id-0000';

/**
 * A model id no router lists.
 *
 * @example
 * ({ ...plan.body, model: UNKNOWN_MODEL }); // expect a client error
 */
export const UNKNOWN_MODEL = 'reelkit/no-such-model';

/**
 * The spec's verdict on a request: what it will produce, or that it is refused (a schema failure
 * counts as a refusal with status 400).
 *
 * @example
 * judged(openrouter, { model: 'google/veo-3.1', prompt: 'x', duration: 4 })?.durationSeconds; // 4
 */
export function judged(
  spec: ProviderSpec,
  body: Record<string, unknown>,
): ExpectedVideo | undefined {
  try {
    const verdict = spec.judge(body);
    if (!verdict.ok) return undefined;
    const { durationSeconds, width, height, count } = verdict.generation;
    return { durationSeconds, width, height, count };
  } catch {
    return undefined;
  }
}

/**
 * Whether the spec's judge refuses a request (by its rules or by the request schema).
 *
 * @example
 * refused(openrouter, { model: 'reelkit/no-such-model', prompt: 'x' }); // true
 */
export function refused(spec: ProviderSpec, body: Record<string, unknown>): boolean {
  try {
    return !spec.judge(body).ok;
  } catch {
    return true;
  }
}

const area = (size: string): number => {
  const d = parseSize(size);
  return d ? d.width * d.height : Infinity;
};

/**
 * The cheapest size to check honouring with: the smallest area, and among those one that is not
 * the default, so a server that ignores the size is caught.
 *
 * @example
 * pickSize(['1280x720', '720x1280', '1920x1080'], '1280x720'); // '720x1280'
 */
export function pickSize(sizes: readonly string[], defaultSize: string): string | undefined {
  if (sizes.length === 0) return undefined;
  const smallest = Math.min(...sizes.map(area));
  const candidates = sizes.filter((s) => area(s) === smallest);
  return candidates.find((s) => s !== defaultSize) ?? candidates[0];
}

/**
 * The resolution word with the shortest side.
 *
 * @example
 * lowestResolution(['1080p', '720p']); // '720p'
 */
export function lowestResolution<R extends string>(resolutions: readonly R[]): R | undefined {
  const side = (r: string) => dimensionsFor(r)?.height ?? Infinity;
  return [...resolutions].sort((a, b) => side(a) - side(b))[0];
}

/**
 * An aspect ratio other than the default, when the model offers one.
 *
 * @example
 * otherThan(['16:9', '9:16'], '16:9'); // '9:16'
 */
export function otherThan<T>(values: readonly T[], fallback: T): T | undefined {
  return values.find((v) => v !== fallback) ?? undefined;
}

/**
 * Names of a route's path parameters.
 *
 * @example
 * pathParams(openrouter.routes.getVideo); // ['jobId']
 */
export function pathParams(route: RouteDef): string[] {
  return pathParamNames(route.path);
}

/**
 * The parts of a request to a route that the generic rules can build: path parameters (a model id
 * for `*model*` names, else the job id) and, for the generation route, the plan's body.
 *
 * @example
 * defaultRequestParts(openrouter, 'createVideo', 'getVideo', { plan, job }); // { params: { jobId: job.id } }
 */
export function defaultRequestParts(
  spec: ProviderSpec,
  createRoute: string,
  routeKey: string,
  context: RouteRequestContext,
): RouteRequestParts | undefined {
  const route = spec.routes[routeKey];
  if (!route) return undefined;
  const params: Record<string, string> = {};
  for (const name of pathParams(route)) {
    if (/model/i.test(name)) params[name] = context.unknownId ? UNKNOWN_MODEL : context.plan.model;
    else params[name] = context.unknownId ? UNKNOWN_ID : (context.job?.id ?? UNKNOWN_ID);
  }
  const hasParams = Object.keys(params).length > 0;
  if (route.body) {
    if (routeKey !== createRoute) return undefined;
    return { ...(hasParams ? { params } : {}), json: context.plan.body };
  }
  return hasParams ? { params } : {};
}

/**
 * A record's string field, if it is one.
 *
 * @example
 * str({ id: 'a', n: 1 }, 'id'); // 'a'
 */
export function str(value: unknown, key: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/**
 * A record's field, if the value is a record.
 *
 * @example
 * field({ data: [] }, 'data'); // []
 */
export function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Seconds or milliseconds since the epoch, as milliseconds (values below 1e11 are seconds).
 *
 * @example
 * epochMs(1_767_225_600); // 1_767_225_600_000
 */
export function epochMs(value: number): number {
  return value < 1e11 ? value * 1000 : value;
}
