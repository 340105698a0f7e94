/**
 * Starts the mock servers of one or all routers on loopback, each on its own origin and port with
 * the real API's paths. This is what `npm start` and `reelkit mock` run.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS, providers } from '@reelkit/spec';
import type { MockServerOptions, RunningMockServer } from './adapters/fastify.js';
import { listenMockServer } from './adapters/fastify.js';
import type { Clock, ClockMode } from './core/clock.js';
import { createAutoClock, createManualClock, createRealClock } from './core/clock.js';
import type { BaseMockEngine } from './core/engine.js';
import { createMockEngine } from './core/engine.js';
import type { StateStore } from './state/types.js';
import { createMemoryState } from './state/memory.js';
import { createRedisState } from './state/redis.js';
import { MockError } from './core/errors.js';
import type { FaultRule } from './core/faults.js';
import { createGuardedFetch } from './guarded-fetch.js';
import { mockProviders } from './providers/index.js';

export { CallbackRefusedError, createGuardedFetch } from './guarded-fetch.js';
export type { GuardedFetchOptions } from './guarded-fetch.js';

/** Options of {@link startMocks}. */
export interface StartMocksOptions {
  /** Which routers; default all four. */
  readonly providers?: readonly ProviderId[];
  /** A port per router; default each router's `defaultPort` (4010–4013). 0 picks a free port. */
  readonly ports?: Partial<Record<ProviderId, number>>;
  /**
   * Address to listen on; default `127.0.0.1`. Anything but loopback needs `controlToken`
   * (starting without one is refused, saying why).
   */
  readonly host?: string;
  /** Guards the control plane: see `MockEngineOptions.controlToken`. */
  readonly controlToken?: string;
  /** The origin clients reach a router's mock at, behind a proxy (`https://mocks.example.com`). */
  readonly publicUrls?: Partial<Record<ProviderId, string>>;
  /** Default `real`. */
  readonly clock?: ClockMode;
  /** Simulated seconds per real second with the real clock. Default 30 (a 90 s Veo job in 3 s). */
  readonly timeScale?: number;
  readonly seed?: number;
  readonly apiKeys?: readonly string[];
  readonly defaultScenario?: string;
  readonly faultRates?: Readonly<Record<string, number>>;
  /** Fault rules on the wire, active from the start. */
  readonly faults?: readonly FaultRule[];
  /** Webhook signing secret, default callback and the callback policy's permissions. */
  readonly webhooks?: {
    readonly secret?: string;
    readonly defaultCallbackUrl?: string;
    readonly allowHttpLoopback?: boolean;
    readonly allowPrivateNetworks?: boolean;
  };
  /** Most jobs each mock stores (default `DEFAULT_MAX_JOBS`, 100,000), per namespace with a store. */
  readonly maxJobs?: number;
  /**
   * Where state lives: left out, in each mock's memory (one namespace); `redis://host:port/db`
   * (or `rediss://`), shared by every process started with the same URL, so replicas behind a
   * load balancer act as one mock; `memory://`, namespaces in this process. Each router keeps its
   * own keys (`reelkit:<router>:…`).
   */
  readonly store?: string;
  /** With a store: most namespaces each router holds (default 1000). */
  readonly maxNamespaces?: number;
  /** With a store: this process's name in leases and in health answers. */
  readonly replica?: string;
  /** Slow-client limits and the body cap of each server (see `MockServerOptions`). */
  readonly server?: Pick<
    MockServerOptions,
    | 'requestTimeoutSeconds'
    | 'headersTimeoutSeconds'
    | 'maxConnectionsPerClient'
    | 'maxBufferedBodyBytes'
    | 'bodyLimit'
  >;
}

/** The default simulated-seconds-per-second of `npm start`. */
export const DEFAULT_TIME_SCALE = 30;

/** Running mock servers, closed together. */
export interface RunningMocks {
  readonly servers: readonly RunningMockServer[];
  close(): Promise<void>;
}

function makeClock(mode: ClockMode, timeScale: number): Clock {
  switch (mode) {
    case 'real':
      return createRealClock({ timeScale });
    case 'manual':
      return createManualClock({ start: Date.now() });
    case 'auto':
      return createAutoClock({ start: Date.now() });
  }
}

/**
 * Starts the requested mock servers; if one fails to start, the others are closed again.
 *
 * @example
 * const mocks = await startMocks({ providers: ['openrouter'], ports: { openrouter: 0 }, clock: 'manual' });
 * console.log(mocks.servers[0].baseUrl); // http://127.0.0.1:41234/api/v1
 * await mocks.close();
 */
/**
 * The state store of one router's mock for a `--store` URL, or undefined for none.
 *
 * @example
 * const store = openStore('redis://127.0.0.1:6379/0', 'openrouter', {}); // keys under reelkit:openrouter
 */
export function openStore(
  url: string | undefined,
  router: string,
  limits: { maxJobs?: number; maxNamespaces?: number },
): StateStore | undefined {
  if (url === undefined) return undefined;
  const options = {
    ...(limits.maxJobs !== undefined ? { maxJobs: limits.maxJobs } : {}),
    ...(limits.maxNamespaces !== undefined ? { maxNamespaces: limits.maxNamespaces } : {}),
  };
  if (url === 'memory://' || url === 'memory') return createMemoryState(options);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RangeError(
      `[reelkit] a store is redis://host:port/db, rediss://… or memory://, not '${url.slice(0, 100)}'.`,
    );
  }
  return createRedisState({ ...options, redis: url, keyPrefix: `reelkit:${router}` });
}

export async function startMocks(options: StartMocksOptions = {}): Promise<RunningMocks> {
  const ids = options.providers ?? PROVIDER_IDS;
  const servers: RunningMockServer[] = [];
  const engines: BaseMockEngine[] = [];
  const stores: StateStore[] = [];
  if (options.store !== undefined && options.clock === 'auto') {
    throw new RangeError(
      "[reelkit] the auto clock runs inside one process; with a store, use the 'real' or 'manual' clock.",
    );
  }
  const guardedFetch = createGuardedFetch({
    policy: options.webhooks ?? {},
    ...(options.webhooks?.defaultCallbackUrl
      ? { trustedUrls: [options.webhooks.defaultCallbackUrl] }
      : {}),
  });
  try {
    for (const id of ids) {
      const provider = mockProviders[id];
      if (!provider) throw new MockError('MOCK_ERR_NOT_FOUND', `No mock for '${id}' yet.`);
      const store = openStore(options.store, id, options);
      if (store) {
        stores.push(store);
        // Refuse to start on a store that does not answer, saying so, rather than serve errors.
        await store.sharedSecret().catch((error: unknown) => {
          throw new Error(
            `[reelkit] the state store does not answer: ${error instanceof Error ? error.message.replace('[reelkit] ', '') : String(error)}`,
          );
        });
      }
      const clockMode = options.clock ?? 'real';
      const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE;
      const engine = createMockEngine({
        provider,
        ...(store
          ? {
              store,
              storeClock: { mode: clockMode === 'manual' ? 'manual' : 'real', timeScale },
              ...(options.replica !== undefined ? { replica: options.replica } : {}),
            }
          : { clock: makeClock(clockMode, timeScale) }),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
        ...(options.defaultScenario ? { defaultScenario: options.defaultScenario } : {}),
        ...(options.faultRates ? { faultRates: options.faultRates } : {}),
        // Deliveries connect only to addresses the callback policy allows, checked at connect time.
        webhooks: { ...options.webhooks, fetch: guardedFetch },
        ...(options.faults ? { faults: options.faults } : {}),
        ...(options.controlToken !== undefined ? { controlToken: options.controlToken } : {}),
        ...(options.publicUrls?.[id] ? { publicUrl: options.publicUrls[id] } : {}),
        ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
      });
      engines.push(engine);
      const port = options.ports?.[id] ?? providers[id].defaultPort;
      servers.push(
        await listenMockServer({
          engine,
          port,
          ...options.server,
          ...(options.host ? { host: options.host } : {}),
        }),
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  // Servers first (no new requests), then engines (webhook work handed back), then stores.
  async function closeAll(): Promise<void> {
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled(engines.map((e) => e.close()));
    await Promise.allSettled(stores.map((s) => s.close()));
  }
  return { servers, close: closeAll };
}
