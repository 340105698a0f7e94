/**
 * The route pipeline: one router request from match to answer — route, key, parameters, body,
 * capacity, scenario, fault, handler — each refusal in the router's envelope through `respond()`.
 * @module
 */
import type { RouteDef, RouteMatcher } from '@reelkit/spec';
import { StateStoreError } from '../state/types.js';
import { MockError } from './errors.js';
import { faultAfterHandler, faultBeforeHandler, faultOf } from './fault-application.js';
import type { ResolvedRouteLimits } from './limits.js';
import { NO_BODY, parseBody } from './parse-body.js';
import type { IncomingRequest, PlainResponse } from './request.js';
import type { Responder } from './respond.js';
import type { ScenarioChooser } from './scenario-choice.js';
import { createInterner } from './strings.js';
import type { Namespace } from './namespace.js';
import type { MockProvider, RequestContext } from './types.js';
import type { RequestTarget } from './url.js';

/** Options of {@link createRoutePipeline}. */
export interface RoutePipelineOptions {
  readonly provider: MockProvider;
  readonly router: RouteMatcher;
  readonly limitsOf: (route: RouteDef) => ResolvedRouteLimits;
  /** Accepted API keys; any non-empty Bearer key when undefined. */
  readonly apiKeys: ReadonlySet<string> | undefined;
  /** The public origin answers name, when the mock is behind a proxy. */
  readonly publicOrigin: string | undefined;
  readonly responder: Responder;
  readonly scenarios: ScenarioChooser;
}

/** Answers one request to the router's own routes (never the control plane), in namespace `ns`. */
export type RoutePipeline = (
  request: IncomingRequest,
  target: RequestTarget,
  ns: Namespace,
) => Promise<Response | PlainResponse>;

/** The key of an `Authorization: Bearer <key>` header (scheme case-insensitive, as in RFC 6750). */
function bearerKey(request: IncomingRequest): string | undefined {
  const header = request.headers.get('authorization')?.trim();
  if (!header || header.length < 8 || header.slice(0, 6).toLowerCase() !== 'bearer')
    return undefined;
  // At least one space after the scheme: 'Bearerxyz' names no key.
  if (!/\s/.test(header[6] as string)) return undefined;
  return header.slice(7).trim() || undefined;
}

/**
 * Creates the route pipeline of a router.
 *
 * @example
 * const handleRoute = createRoutePipeline({ provider, router, limitsOf, apiKeys: undefined, publicOrigin: undefined, responder, scenarios });
 * await handleRoute(request, parseTarget(request.url), namespace);
 */
export function createRoutePipeline(options: RoutePipelineOptions): RoutePipeline {
  const { provider, router, limitsOf, apiKeys, responder, scenarios } = options;
  const { respond } = responder;
  // Jobs keep the API key and origin of their request: one shared copy each, not one per job.
  const internKey = createInterner(10_000);
  const internOrigin = createInterner(1_000);

  /** The router's 429 when the job store is full. */
  const storeFull = (maxJobs: number) =>
    provider.error('rate_limited', {
      message: `The mock holds ${maxJobs} unfinished jobs (its --max-jobs); retry when some finish.`,
      retryAfterSeconds: 30,
    });

  return async function handleRoute(request, target, ns) {
    const { services } = ns;
    const match = router.match(request.method.toUpperCase(), target.pathname);
    if (!match) {
      return respond(
        provider.error('not_found', { message: `No route ${request.method} ${target.pathname}.` }),
      );
    }
    const { route, key } = match;
    const apiKey = bearerKey(request);
    // A key on an optional-auth route is checked only where the router documents a 401 there.
    if (
      route.auth === 'bearer' ||
      (route.auth === 'optional' && request.headers.has('authorization') && route.responses[401])
    ) {
      const keyless =
        !apiKey &&
        !request.headers.has('authorization') &&
        provider.keylessAccess?.({ routeKey: key, params: match.params, search: target.search }) ===
          true;
      if (!apiKey && !keyless)
        return respond(provider.error('unauthorized', { reason: 'missing' }), route);
      if (apiKey && apiKeys && !apiKeys.has(apiKey))
        return respond(provider.error('unauthorized', { reason: 'invalid' }), route);
    }
    const params = route.params ? route.params.safeParse(match.params) : undefined;
    if (params && !params.success)
      return respond(provider.error('validation', { issues: params.error.issues }), route);
    const query = route.query
      ? route.query.safeParse(Object.fromEntries(new URLSearchParams(target.search)))
      : undefined;
    if (query && !query.success)
      return respond(provider.error('validation', { issues: query.error.issues }), route);
    const limits = limitsOf(route);
    const parsed = route.body ? await parseBody(provider, route.body, request, limits) : NO_BODY;
    // A body refusal (413 over the limit) is the router's on every route, documented or not.
    if (!parsed.ok) return respond(parsed.reply, route, 'if-declared');
    const full = limits.createsJob && services.jobs.isFull();
    // In memory the answer is at hand: skip the microtask an `await` would cost every request.
    if (full instanceof Promise ? await full : full) {
      return respond(storeFull(services.jobs.maxJobs), route);
    }

    const scenario = scenarios.choose(request, parsed.body, ns.defaultScenario, services.random);
    if (scenario instanceof MockError) return respond(scenario.toReply());
    if (scenario.effect.kind === 'http') {
      const reply = provider.error(scenario.effect.error);
      // Use the scenario only where the router documents that answer (status and body).
      const declared = route.responses[reply.status];
      if (declared && (!declared.schema || declared.schema.safeParse(reply.body).success)) {
        return respond(reply, route);
      }
      if (scenario.source !== 'random') {
        return respond(
          new MockError(
            'MOCK_ERR_UNKNOWN_SCENARIO',
            `Scenario '${scenario.name}' answers ${reply.status}, which ${provider.spec.title} does not document for ${route.operationId}; use it on another route.`,
          ).toReply(),
        );
      }
    }
    const ctx: RequestContext = {
      routeKey: key,
      route,
      request,
      target,
      origin: options.publicOrigin ?? internOrigin(target.origin),
      params: (params?.data as Record<string, string> | undefined) ?? match.params,
      query: (query?.data as Record<string, unknown> | undefined) ?? {},
      body: parsed.body,
      files: parsed.files,
      apiKey: apiKey === undefined ? undefined : internKey(apiKey),
      scenario,
      services,
      validate: (status, body) => responder.check(route, status, body),
    };
    const found = faultOf(ns.faults, scenario, route.operationId, match.params, parsed.body);
    const fault = found instanceof Promise ? await found : found;
    if (fault) {
      const early = await faultBeforeHandler(fault, provider, services.clock, services.random);
      // A fault rule answers on any route, as the router's 429 or 500 would.
      if (early) return respond(early, route, 'if-declared');
    }
    const handler = provider.handlers[key];
    try {
      // Most handlers answer synchronously: skip the microtask an `await` would cost them.
      const result = handler!(ctx);
      const answer = respond(result instanceof Promise ? await result : result, route);
      return fault ? await faultAfterHandler(answer, fault, services.clock) : answer;
    } catch (error) {
      // The state store failing is the engine's to answer (the router's 503), not a crash.
      if (error instanceof StateStoreError) throw error;
      // A shared store finds itself full only when the job is stored.
      if (error instanceof MockError && error.code === 'MOCK_ERR_STORE_FULL')
        return respond(storeFull(services.jobs.maxJobs), route);
      if (error instanceof MockError) return respond(error.toReply());
      return responder.internalError(route.operationId, error, route);
    }
  };
}
