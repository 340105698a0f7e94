/**
 * What the kit checks: a router's base URL, a key and a `fetch`, plus whether the target carries
 * the reelkit control plane (`/__reelkit/`) that lets the kit move its clock and pick scenarios.
 * @module
 */
import type { ProviderId, ProviderSpec } from '@reelkit/spec';
import { PROVIDER_IDS, providers } from '@reelkit/spec';

/** How a controllable target keeps time (`GET /__reelkit/health` → `clock.mode`). */
export type TargetClockMode = 'manual' | 'auto' | 'real';

/** A server to check against one router's contract. */
export interface Target {
  /** One of the built-in routers, or the id of a router declared with `defineRouter`. */
  readonly provider: ProviderId | (string & {});
  /** The router's base URL including its base path, e.g. `http://127.0.0.1:4010/api/v1`. */
  readonly baseUrl: string;
  /** The origin of {@link Target.baseUrl}; only URLs on it get the API key. */
  readonly origin: string;
  readonly apiKey?: string;
  readonly fetch: typeof fetch;
  /** Whether `GET <control origin>/__reelkit/health` answered: the target is a reelkit mock. */
  readonly controllable: boolean;
  /** Not controllable: a real router (or a look-alike), where time and faults are out of reach. */
  readonly live: boolean;
  /** The clock of a controllable target; `manual` and `auto` clocks can be advanced. */
  readonly clock?: TargetClockMode;
  /** Where the control plane lives; the origin unless a proxy sits in front of the target. */
  readonly controlOrigin: string;
  /** Sent as `X-Reelkit-Control-Token` on every control-plane call, when the mock has one. */
  readonly controlToken?: string;
}

/** Options of {@link httpTarget}. */
export interface HttpTargetOptions {
  /** A built-in router's id, or the `id` of {@link HttpTargetOptions.router}. */
  readonly provider: ProviderId | (string & {});
  /** The spec of a router declared with `defineRouter`, when `provider` is not a built-in one. */
  readonly router?: Pick<ProviderSpec, 'id' | 'basePath' | 'defaultPort'>;
  /** The router's base URL including its base path, e.g. `http://127.0.0.1:4010/api/v1`. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Defaults to the global `fetch`; pass one to route traffic through a proxy or a recorder. */
  readonly fetch?: typeof fetch;
  /**
   * The origin of the reelkit control plane, when it differs from the base URL's (for example when
   * the traffic goes through a validating proxy). Default: the base URL's origin.
   */
  readonly controlUrl?: string;
  /**
   * The mock's control token (`reelkit mock --control-token`), sent as `X-Reelkit-Control-Token`
   * on every control-plane call.
   */
  readonly controlToken?: string;
  /**
   * A namespace of a mock on a shared store (`reelkit mock --store`), sent as
   * `X-Reelkit-Namespace` on every request, control plane included: runs in different namespaces
   * never see or reset each other's jobs, clock, balances or faults.
   */
  readonly namespace?: string;
}

/**
 * `fetchFn` with `X-Reelkit-Namespace: <namespace>` on every request.
 *
 * @example
 * const inNamespace = withNamespace(fetch, 'ci-run-42');
 */
export function withNamespace(fetchFn: typeof fetch, namespace: string): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.set('x-reelkit-namespace', namespace);
    return fetchFn(input, { ...init, headers });
  }) as typeof fetch;
}

/** What {@link engineTarget} needs of a mock engine (structural, so no runtime dependency). */
export interface EngineLike {
  readonly fetch: typeof fetch;
  readonly provider: { readonly spec: Pick<ProviderSpec, 'id' | 'origin' | 'basePath'> };
}

/** What `GET /__reelkit/health` says about a mock. */
export interface ControlPlaneHealth {
  readonly provider: string;
  readonly clock: TargetClockMode | undefined;
}

function assertProvider(provider: unknown): asserts provider is ProviderId {
  if (!(PROVIDER_IDS as readonly unknown[]).includes(provider)) {
    throw new TypeError(
      `[reelkit/conformance] unknown provider '${String(provider)}'; use one of ${PROVIDER_IDS.join(', ')}.`,
    );
  }
}

/**
 * Asks `GET <origin>/__reelkit/health` whether the target is a reelkit mock. Any failure (no
 * route, a non-JSON answer, a refused connection) means it is not.
 *
 * @example
 * await probeControlPlane(fetch, 'http://127.0.0.1:4010'); // { provider: 'openrouter', clock: 'real' }
 */
export async function probeControlPlane(
  fetchFn: typeof fetch,
  origin: string,
  controlToken?: string,
): Promise<ControlPlaneHealth | undefined> {
  try {
    const response = await fetchFn(`${origin}/__reelkit/health`, {
      headers: {
        'content-type': 'application/json',
        ...(controlToken ? { 'x-reelkit-control-token': controlToken } : {}),
      },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body = (await response.json()) as {
      ok?: unknown;
      provider?: unknown;
      clock?: { mode?: unknown };
    };
    if (body.ok !== true || typeof body.provider !== 'string') return undefined;
    const mode = body.clock?.mode;
    return {
      provider: body.provider,
      clock: mode === 'manual' || mode === 'auto' || mode === 'real' ? mode : undefined,
    };
  } catch {
    return undefined;
  }
}

async function makeTarget(options: {
  provider: string;
  baseUrl: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
  controlOrigin: string;
  controlToken: string | undefined;
}): Promise<Target> {
  const base = new URL(options.baseUrl);
  const baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const health = await probeControlPlane(
    options.fetch,
    options.controlOrigin,
    options.controlToken,
  );
  if (health && health.provider !== options.provider) {
    throw new TypeError(
      `[reelkit/conformance] ${options.controlOrigin} is the reelkit mock of '${health.provider}', not '${options.provider}'; pass --provider ${health.provider} or point at the ${options.provider} mock.`,
    );
  }
  return {
    provider: options.provider,
    baseUrl,
    origin: base.origin,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    fetch: options.fetch,
    controllable: health !== undefined,
    live: health === undefined,
    ...(health?.clock ? { clock: health.clock } : {}),
    controlOrigin: options.controlOrigin,
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
  };
}

/**
 * A target reached over HTTP. Detects the reelkit control plane on the base URL's origin.
 *
 * @example
 * const target = await httpTarget({
 *   provider: 'openrouter', baseUrl: 'http://127.0.0.1:4010/api/v1', apiKey: 'test',
 * });
 * target.controllable; // true when it is `npm start`'s mock
 */
export async function httpTarget(options: HttpTargetOptions): Promise<Target> {
  let spec: Pick<ProviderSpec, 'basePath' | 'defaultPort'>;
  if (options.router) {
    if (options.router.id !== options.provider) {
      throw new TypeError(
        `[reelkit/conformance] provider '${options.provider}' is not the router's id '${options.router.id}'; make them the same.`,
      );
    }
    spec = options.router;
  } else {
    assertProvider(options.provider);
    spec = providers[options.provider];
  }
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new TypeError(
      `[reelkit/conformance] baseUrl '${options.baseUrl}' is not a URL; pass the router's base URL, e.g. http://127.0.0.1:${spec.defaultPort}${spec.basePath}.`,
    );
  }
  return makeTarget({
    provider: options.provider,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fetch: options.namespace
      ? withNamespace(options.fetch ?? fetch, options.namespace)
      : (options.fetch ?? fetch),
    controlOrigin: options.controlUrl ? new URL(options.controlUrl).origin : base.origin,
    controlToken: options.controlToken,
  });
}

/**
 * A target answered in-process by a mock engine (`engine.fetch`), at the router's real origin,
 * e.g. `https://openrouter.ai/api/v1`. Nothing listens on a port.
 *
 * @example
 * const engine = createMockEngine({ provider: mockProviders.openrouter, clock: createManualClock() });
 * const target = await engineTarget(engine, { apiKey: 'test' });
 * target.baseUrl; // 'https://openrouter.ai/api/v1'
 */
export async function engineTarget(
  engine: EngineLike,
  options: { readonly apiKey?: string; readonly controlToken?: string } = {},
): Promise<Target> {
  // The engine's own spec: a built-in router's or one declared with `defineRouter`.
  const { spec } = engine.provider;
  return makeTarget({
    provider: spec.id,
    baseUrl: `${spec.origin}${spec.basePath}`,
    apiKey: options.apiKey,
    fetch: engine.fetch,
    controlOrigin: spec.origin,
    controlToken: options.controlToken,
  });
}
