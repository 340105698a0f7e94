/**
 * Worker (a): the reelkit mock in one of its {@link MockConfig}s, served by `startMocks` and the
 * fastify mount as the CLI serves it. Before it reports ready it creates a pool of OpenRouter
 * jobs and lets them complete, so that polls read a job that no longer changes: on the manual
 * clock it moves the clock; on the real clock (× 30) it waits, a few seconds at most.
 *
 * The `redis` configuration then counts its own Redis traffic for requests sent one at a time
 * (see `redis-probe.ts`) and reports it with its origin.
 *
 * argv: `[config] [poolSize] [redisUrl]` (default `manual`, 64; the URL for `redis` only).
 * @module
 */
import type { BaseMockEngine } from '@reelkit/mocks';
import type { StartMocksOptions } from '@reelkit/mocks/serve';
import type { MockConfig, ReelkitServerInfo } from '../protocol.js';
import { API_KEY, SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { BENCH_ROUTES, BENCH_STATUSES } from '../routes.js';
import { probeRedisTraffic } from './redis-probe.js';
import { loadMocks, onMessage, runWorker, send } from './worker.js';

/** Longer than any OpenRouter model queues and renders, shorter than the 24 h job TTL. */
const COMPLETE_ALL_MS = 60 * 60 * 1000;
/** Real time to wait for the pool on the real clock: its slowest job takes ~5 s at × 30. */
const REAL_WAIT_LIMIT_MS = 60_000;
const REAL_WAIT_STEP_MS = 50;

/**
 * Credits far beyond what any run spends, within what a store keeps exactly (Redis holds
 * micro-units in a double: 1e9 × 1e6 is below 2^53).
 */
const BENCH_CREDITS = 1e9;

function configOf(arg: string | undefined): MockConfig {
  if (arg === undefined || arg === 'manual') return 'manual';
  if (arg === 'default' || arg === 'redis') return arg;
  throw new Error(`unknown mock configuration '${arg}' (default, manual or redis)`);
}

/** `startMocks` options of a configuration; `default` leaves every option at its default. */
function startOptions(
  config: MockConfig,
  providers: readonly string[],
  redisUrl: string | undefined,
): StartMocksOptions {
  const host = '127.0.0.1';
  // Submits on a frozen clock leave every job unfinished: past the default cap of 100,000 the
  // mock would answer 429, so the bench lifts it (the memory reading has its own worker).
  const maxJobs = 10_000_000;
  switch (config) {
    case 'default':
      // Every router, each on a free port rather than 4010–4013 (a developer's `npm start` may
      // hold those); clock, time scale, seed and the rest as `reelkit mock` leaves them.
      return {
        host,
        maxJobs,
        ports: Object.fromEntries(providers.map((id) => [id, 0])) as StartMocksOptions['ports'],
      };
    case 'manual':
      return {
        host,
        maxJobs,
        providers: ['openrouter'],
        ports: { openrouter: 0 },
        clock: 'manual',
      };
    case 'redis':
      if (!redisUrl) throw new Error('the redis configuration needs a redis:// URL (argv[4])');
      // The default configuration (same clock: real × 30) with its state on Redis.
      return { ...startOptions('default', providers, undefined), store: redisUrl };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

runWorker(async () => {
  const config = configOf(process.argv[2]);
  const poolSize = Number(process.argv[3] ?? 64);
  const { mocks, serve } = await loadMocks();
  const providerIds = Object.keys(mocks.mockProviders);
  const redisUrl = process.argv[4];
  const running = await serve.startMocks(startOptions(config, providerIds, redisUrl));
  const server = running.servers.find((s) => s.engine.provider.spec.id === 'openrouter');
  if (!server) throw new Error('startMocks started no OpenRouter mock');
  const { origin } = server;
  // Through the default namespace, where requests without a namespace land, in memory or on Redis.
  const engine: BaseMockEngine = server.engine;
  await (await engine.namespace()).services.ledger.set(API_KEY, BENCH_CREDITS);
  const jobIds: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const response = await engine.handle(
      new Request(`${origin}${BENCH_ROUTES.submit}`, {
        method: 'POST',
        headers: SUBMIT_HEADERS,
        body: SUBMIT_BODY,
      }),
    );
    if (response.status !== BENCH_STATUSES.submit) {
      throw new Error(`submit answered ${response.status}: ${await response.text()}`);
    }
    const { id } = (await response.json()) as { id: string };
    jobIds.push(id);
  }
  if (config === 'manual') {
    await (await engine.namespace()).advanceClock(COMPLETE_ALL_MS);
  } else {
    // A namespace opened again reads the clock again (on Redis, a snapshot per opening).
    const done = async () => {
      const { services } = await engine.namespace();
      for (const id of jobIds) {
        const job = await services.jobs.get(id);
        if (!job || !services.jobs.isTerminalNow(job)) return false;
      }
      return true;
    };
    const giveUpAt = Date.now() + REAL_WAIT_LIMIT_MS;
    while (!(await done())) {
      if (Date.now() > giveUpAt) {
        throw new Error(`the job pool did not complete within ${REAL_WAIT_LIMIT_MS} ms`);
      }
      await sleep(REAL_WAIT_STEP_MS);
    }
  }

  onMessage((message) => {
    if (message.type !== 'stop') return;
    // A normal exit, so that `--cpu-prof` writes its profile.
    void running.close().finally(() => process.exit(0));
  });
  const redisProbe =
    config === 'redis' ? await probeRedisTraffic(origin, jobIds[0] as string) : undefined;
  send<ReelkitServerInfo>({
    type: 'ready',
    info: { config, origin, jobIds, ...(redisProbe ? { redisProbe } : {}) },
  });
});
