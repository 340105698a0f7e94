/**
 * Worker (a): the reelkit mock in one of its {@link MockConfig}s, served by `startMocks` and the
 * fastify mount as the CLI serves it. Before it reports ready it creates a pool of OpenRouter
 * jobs and lets them complete, so that polls read a job that no longer changes: on the manual
 * clock it moves the clock; on the real clock (× 30) it waits, a few seconds at most.
 *
 * argv: `[config] [poolSize]` (default `manual`, 64).
 * @module
 */
import type { MockEngine } from '@reelkit/mocks';
import type { StartMocksOptions } from '@reelkit/mocks/serve';
import type { MockConfig, ReelkitServerInfo } from '../protocol.js';
import { SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { BENCH_ROUTES, BENCH_STATUSES } from '../routes.js';
import { fundBenchKey, loadMocks, onMessage, runWorker, send } from './worker.js';

/** Longer than any OpenRouter model queues and renders, shorter than the 24 h job TTL. */
const COMPLETE_ALL_MS = 60 * 60 * 1000;
/** Real time to wait for the pool on the real clock: its slowest job takes ~5 s at × 30. */
const REAL_WAIT_LIMIT_MS = 60_000;
const REAL_WAIT_STEP_MS = 50;

function configOf(arg: string | undefined): MockConfig {
  if (arg === undefined || arg === 'manual') return 'manual';
  if (arg === 'default') return 'default';
  throw new Error(`unknown mock configuration '${arg}' (default or manual)`);
}

/** `startMocks` options of a configuration; `default` leaves every option at its default. */
function startOptions(config: MockConfig, providers: readonly string[]): StartMocksOptions {
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
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

runWorker(async () => {
  const config = configOf(process.argv[2]);
  const poolSize = Number(process.argv[3] ?? 64);
  const { mocks, serve } = await loadMocks();
  const providerIds = Object.keys(mocks.mockProviders);
  const running = await serve.startMocks(startOptions(config, providerIds));
  const server = running.servers.find((s) => s.engine.provider.spec.id === 'openrouter');
  if (!server) throw new Error('startMocks started no OpenRouter mock');
  const { origin } = server;
  // Started without a store: the engine keeps its state in this process, where the pool is read.
  const engine = server.engine as MockEngine;
  fundBenchKey(engine);
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
  const clock = engine.clock;
  if (mocks.isControllable(clock)) {
    await clock.advance(COMPLETE_ALL_MS);
  } else {
    const jobs = jobIds.map((id) => engine.jobs.get(id));
    const done = () => jobs.every((job) => job !== undefined && engine.jobs.isTerminalNow(job));
    const giveUpAt = Date.now() + REAL_WAIT_LIMIT_MS;
    while (!done()) {
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
  send<ReelkitServerInfo>({
    type: 'ready',
    info: { config, origin, jobIds },
  });
});
