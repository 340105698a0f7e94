/**
 * Worker (a): the reelkit OpenRouter mock as `npm start` serves it (`startMocks`, fastify mount),
 * on a manual clock so that polled jobs stay in one state. Before it reports ready it creates a
 * pool of jobs and moves the clock until they are all completed.
 *
 * argv: `[poolSize]` (default 64).
 * @module
 */
import type { ReelkitServerInfo } from '../protocol.js';
import { BASE_PATH, SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { fundBenchKey, loadMocks, onMessage, runWorker, send } from './worker.js';

/** Longer than any OpenRouter model queues and renders, shorter than the 24 h job TTL. */
const COMPLETE_ALL_MS = 60 * 60 * 1000;

runWorker(async () => {
  const poolSize = Number(process.argv[2] ?? 64);
  const { mocks, serve } = await loadMocks();
  const running = await serve.startMocks({
    providers: ['openrouter'],
    ports: { openrouter: 0 },
    host: '127.0.0.1',
    clock: 'manual',
    // Submits on a frozen clock leave every job unfinished: past the default cap of 100,000 the
    // mock would answer 429, so this run lifts it (the memory reading has its own worker).
    maxJobs: 10_000_000,
  });
  const server = running.servers[0];
  if (!server) throw new Error('startMocks started no server');
  const { engine, origin } = server;
  fundBenchKey(engine);
  const jobIds: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const response = await engine.handle(
      new Request(`${origin}${BASE_PATH}/videos`, {
        method: 'POST',
        headers: SUBMIT_HEADERS,
        body: SUBMIT_BODY,
      }),
    );
    if (response.status !== 202) {
      throw new Error(`submit answered ${response.status}: ${await response.text()}`);
    }
    const { id } = (await response.json()) as { id: string };
    jobIds.push(id);
  }
  if (!mocks.isControllable(engine.clock)) throw new Error('expected a manual clock');
  await engine.clock.advance(COMPLETE_ALL_MS);

  onMessage((message) => {
    if (message.type !== 'stop') return;
    // A normal exit, so that `--cpu-prof` writes its profile.
    void running.close().finally(() => process.exit(0));
  });
  send<ReelkitServerInfo>({
    type: 'ready',
    info: { origin, jobIds, readyAtUs: Number(process.hrtime.bigint() / 1000n) },
  });
});
