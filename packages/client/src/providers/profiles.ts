/**
 * What the client knows about each router beyond its spec: how long its calls take, how often to
 * poll it, which POST routes only read, and which submit failures prove nothing was started.
 * These are client policy, not API facts, so they live here rather than in `@reelkit/spec`; the
 * poll cadence, a router's own recommendation, is read from the spec's facts where it has them.
 * @module
 */
import type { PollCadence, ProviderId, ProviderSpec, RouterFacts } from '@reelkit/spec';
import { fastrouter, openrouter, PROVIDER_IDS } from '@reelkit/spec';

/** Poll cadence of an asynchronous router: a fact of the router, declared in its spec. */
export type { PollCadence };

/**
 * One router's client policy.
 *
 * @example
 * PROFILES.routmy.generateTimeoutMs; // 900000 (15 minutes, as the docs' curl --max-time 900)
 */
export interface ProviderProfile {
  readonly id: ProviderId | (string & {});
  /** The environment variable the API key is read from by default. */
  readonly envKey: string;
  /** POST routes that only read (safe to repeat). */
  readonly readRoutes: readonly string[];
  /** Submit statuses answered before any work started (retried): see `core/retry.ts`. */
  readonly submitRetryStatuses: readonly number[];
  /** Default timeouts by route key, for long synchronous requests. */
  readonly routeTimeoutMs: Readonly<Record<string, number>>;
  /** Default overall timeout of `generateVideo`. */
  readonly generateTimeoutMs: number;
  /** Poll cadence (asynchronous routers). */
  readonly poll?: PollCadence;
}

const MINUTE = 60_000;

/**
 * The four routers' client policies.
 *
 * - OpenRouter: polls at the cadence of its facts ("recommended: every 10–30 seconds"); a submit
 *   is retried on 429 and 503 only (a 500 may hide a created job).
 * - ImageRouter: one long request (15 min); its server answers 500 only before generation starts
 *   (later failures are HTTP 200 with an error body), so a 500 submit is retried too.
 * - FastRouter: poll at the spec's cadence (`fastrouter.facts.pollCadence`; its pending-job
 *   safety timeout is 30 min); `getVideoResponse` and `getAsyncResponse` are POST but only read.
 * - rout.my: one long request, "allow about 15 minutes" (`curl --max-time 900`); a 502 is the
 *   generation failing, not a transport fault, and is not retried.
 *
 * @example
 * PROFILES.fastrouter.readRoutes; // ['getVideoResponse', 'getAsyncResponse']
 */
export const PROFILES: Readonly<Record<ProviderId, ProviderProfile>> = {
  openrouter: {
    id: 'openrouter',
    envKey: 'OPENROUTER_API_KEY',
    readRoutes: [],
    submitRetryStatuses: [429, 503],
    routeTimeoutMs: {},
    generateTimeoutMs: 30 * MINUTE,
    ...(openrouter.facts.pollCadence ? { poll: openrouter.facts.pollCadence } : {}),
  },
  imagerouter: {
    id: 'imagerouter',
    envKey: 'IMAGEROUTER_API_KEY',
    readRoutes: [],
    submitRetryStatuses: [429, 500, 503],
    routeTimeoutMs: { createVideo: 15 * MINUTE },
    generateTimeoutMs: 15 * MINUTE,
  },
  fastrouter: {
    id: 'fastrouter',
    envKey: 'FASTROUTER_API_KEY',
    readRoutes: ['getVideoResponse', 'getAsyncResponse'],
    submitRetryStatuses: [429, 503],
    routeTimeoutMs: {},
    generateTimeoutMs: 30 * MINUTE,
    ...(fastrouter.facts.pollCadence ? { poll: fastrouter.facts.pollCadence } : {}),
  },
  routmy: {
    id: 'routmy',
    envKey: 'ROUTMY_API_KEY',
    readRoutes: [],
    submitRetryStatuses: [429, 503],
    routeTimeoutMs: { createVideo: 15 * MINUTE },
    generateTimeoutMs: 15 * MINUTE,
  },
};

/**
 * The client policy of any router: a built-in router's profile, or for a router declared with
 * `defineRouter` a default one (key from `<ID>_API_KEY`, submits retried on 429 and 503 only, the
 * poll cadence of its facts).
 *
 * @example
 * profileOf(acme).envKey; // 'ACME_VIDEO_API_KEY'
 */
export function profileOf(
  spec: Pick<ProviderSpec, 'id'> & { readonly facts?: Pick<RouterFacts, 'pollCadence'> },
): ProviderProfile {
  if ((PROVIDER_IDS as readonly string[]).includes(spec.id)) return PROFILES[spec.id as ProviderId];
  const cadence = spec.facts?.pollCadence;
  return {
    id: spec.id,
    envKey: `${spec.id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`,
    readRoutes: [],
    submitRetryStatuses: [429, 503],
    routeTimeoutMs: {},
    generateTimeoutMs: 30 * MINUTE,
    ...(cadence ? { poll: cadence } : {}),
  };
}
