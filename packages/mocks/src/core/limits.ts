/**
 * The request limits of one mock, read once from the router's limits in `@reelkit/spec`
 * (`REQUEST_LIMITS`): body size per route, JSON depth, prompt length, and which routes create jobs.
 * @module
 */
import type { ProviderId, ProviderSpec, RequestLimits, RouteDef, RouteLimits } from '@reelkit/spec';
import {
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MAX_PROMPT_CHARS,
  REQUEST_LIMITS,
  SMALL_BODY_BYTES,
} from '@reelkit/spec';

/** Limits of one route, resolved (routes the spec does not list get the router's default). */
export interface ResolvedRouteLimits extends RouteLimits {
  readonly maxJsonDepth: number;
  readonly maxPromptChars: number;
}

/** Body limit of the control plane (`/__reelkit/*`): its bodies are a few fields. */
export const CONTROL_BODY_BYTES = SMALL_BODY_BYTES;

/** The limits a router with no entry in `REQUEST_LIMITS` gets (a vendor's own router). */
const FALLBACK: RequestLimits = {
  maxPromptChars: DEFAULT_MAX_PROMPT_CHARS,
  promptProvenance: { level: 'provisional', source: 'reelkit default' },
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  maxBodyBytes: SMALL_BODY_BYTES,
  routes: {},
};

/**
 * Resolves every route's limits once; the lookup per request is one map read.
 *
 * @example
 * const limitsOf = createRouteLimits(openrouter);
 * limitsOf(openrouter.routes.createVideo).createsJob; // true
 */
export function createRouteLimits(spec: ProviderSpec): (route: RouteDef) => ResolvedRouteLimits {
  const limits = Object.hasOwn(REQUEST_LIMITS, spec.id)
    ? REQUEST_LIMITS[spec.id as ProviderId]
    : FALLBACK;
  const byRoute = new Map<RouteDef, ResolvedRouteLimits>();
  for (const route of Object.values(spec.routes)) {
    const own = Object.hasOwn(limits.routes, route.operationId)
      ? limits.routes[route.operationId]
      : undefined;
    byRoute.set(route, {
      maxBodyBytes: own?.maxBodyBytes ?? limits.maxBodyBytes,
      createsJob: own?.createsJob ?? false,
      maxJsonDepth: limits.maxJsonDepth,
      maxPromptChars: limits.maxPromptChars,
    });
  }
  const fallback: ResolvedRouteLimits = {
    maxBodyBytes: limits.maxBodyBytes,
    createsJob: false,
    maxJsonDepth: limits.maxJsonDepth,
    maxPromptChars: limits.maxPromptChars,
  };
  return (route) => byRoute.get(route) ?? fallback;
}
