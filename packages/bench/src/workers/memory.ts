/**
 * Worker: the mock server whose memory is measured. It serves the OpenRouter mock as `npm start`
 * does (`startMocks`, fastify mount) on a manual clock; the orchestrator submits jobs to it over
 * loopback HTTP from its own process, so that no client shares this heap, and asks it for
 * readings: RSS after a full GC (run with `--expose-gc`), and the store's job count. It can also
 * move its clock past the router's job TTL, so that new traffic sweeps the expired jobs.
 * @module
 */
import type {
  MemoryExpireReply,
  MemoryReadReply,
  MemoryReading,
  MemoryServerInfo,
} from '../protocol.js';
import type { MockEngine } from '@reelkit/mocks';
import { round } from '../stats.js';
import { collectGarbage, fundBenchKey, loadMocks, onMessage, runWorker, send } from './worker.js';

const MB = 1024 * 1024;
/** How many jobs' assets to check the media store for after eviction. */
const ASSET_SAMPLE = 1000;
/** Past every job's end (an hour covers the slowest OpenRouter model), then past its TTL. */
const PAST_EVERY_END_MS = 2 * 60 * 60 * 1000;

runWorker(async () => {
  const { mocks, serve } = await loadMocks();
  const running = await serve.startMocks({
    providers: ['openrouter'],
    ports: { openrouter: 0 },
    host: '127.0.0.1',
    clock: 'manual',
    // The second wave lands on top of the 1,000 jobs sent after the TTL, all unfinished on the
    // frozen clock: the default cap (100,000) would refuse the wave's last 1,000, which is the cap
    // doing its job, not what this phase measures.
    maxJobs: 1_000_000,
  });
  const server = running.servers[0];
  if (!server) throw new Error('startMocks started no server');
  // Started without a store: the engine keeps its state in this process, where this phase reads it.
  const engine = server.engine as MockEngine;
  const clock = engine.clock;
  if (!mocks.isControllable(clock)) throw new Error('expected a manual clock');
  fundBenchKey(engine);
  let sample: string[] | undefined;

  const read = (label: string): MemoryReading => {
    collectGarbage();
    const usage = process.memoryUsage();
    return {
      label,
      jobs: engine.jobs.size,
      rssMB: round(usage.rss / MB, 1),
      heapTotalMB: round(usage.heapTotal / MB, 1),
      heapUsedMB: round(usage.heapUsed / MB, 1),
    };
  };

  onMessage((message) => {
    switch (message.type) {
      case 'memory-read': {
        const reading = read(message.label);
        const held = sample?.filter((id) => engine.media.spec(id) !== undefined).length;
        send<MemoryReadReply>({
          type: 'reply',
          reply: {
            reading,
            ...(held !== undefined ? { assetsStillHeld: held } : {}),
            diagnostics: engine.diagnostics.length,
          },
        });
        return;
      }
      case 'memory-expire':
        sample = engine.jobs
          .list()
          .slice(0, ASSET_SAMPLE)
          .flatMap((job) => job.assets);
        void clock.advance(engine.provider.jobTtlMs + PAST_EVERY_END_MS).then(() =>
          send<MemoryExpireReply>({
            type: 'reply',
            reply: { assetsSampled: sample?.length ?? 0 },
          }),
        );
        return;
      case 'stop':
        void running.close().finally(() => process.exit(0));
        return;
      case 'bodies':
        return;
    }
  });
  send<MemoryServerInfo>({
    type: 'ready',
    info: { origin: server.origin, ttlMs: engine.provider.jobTtlMs },
  });
});
