/**
 * Worker: memory with many jobs stored, and eviction. Submits N jobs through `engine.handle` on a
 * manual clock, reads RSS after a full GC (run with `--expose-gc`), moves the clock past the
 * router's job TTL, lets the store's own sweep run (it runs every 1,000 creations), and submits a
 * second wave of N to show that memory stays bounded.
 *
 * argv: `[jobs]` (default 100000).
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { MemoryReading, MemoryResult } from '../protocol.js';
import { BASE_PATH, SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { round } from '../stats.js';
import { collectGarbage, fundBenchKey, loadMocks, runWorker, send } from './worker.js';

const ORIGIN = 'http://127.0.0.1:4010';
const MB = 1024 * 1024;
/** How many evicted jobs' assets to check the media store for. */
const ASSET_SAMPLE = 1000;

runWorker(async () => {
  const count = Number(process.argv[2] ?? 100_000);
  const { mocks } = await loadMocks();
  const clock = mocks.createManualClock({ start: Date.now() });
  const engine = mocks.createMockEngine({ provider: mocks.openrouterMock, clock });
  fundBenchKey(engine);
  const readings: MemoryReading[] = [];
  let gcForced = false;
  const read = (label: string) => {
    gcForced = collectGarbage();
    const usage = process.memoryUsage();
    const reading = {
      label,
      jobs: engine.jobs.size,
      rssMB: round(usage.rss / MB, 1),
      heapTotalMB: round(usage.heapTotal / MB, 1),
      heapUsedMB: round(usage.heapUsed / MB, 1),
    };
    readings.push(reading);
    send({
      type: 'progress',
      message: `${label}: ${reading.jobs.toLocaleString('en-US')} jobs, RSS ${reading.rssMB} MB`,
    });
  };
  const submit = async (n: number, wave: string) => {
    const step = Math.max(1, Math.floor(n / 4));
    for (let i = 1; i <= n; i++) {
      const response = await engine.handle(
        new Request(`${ORIGIN}${BASE_PATH}/videos`, {
          method: 'POST',
          headers: SUBMIT_HEADERS,
          body: SUBMIT_BODY,
        }),
      );
      if (response.status !== 202) {
        throw new Error(`submit ${i} answered ${response.status}: ${await response.text()}`);
      }
      await response.arrayBuffer();
      if (i % step === 0 && i < n) {
        send({ type: 'progress', message: `${wave}: ${i.toLocaleString('en-US')} jobs` });
      }
    }
  };

  read('engine created, no jobs');
  const started = performance.now();
  await submit(count, 'first wave');
  const createSeconds = (performance.now() - started) / 1000;
  read(`${count.toLocaleString('en-US')} jobs stored`);

  const sample = engine.jobs
    .list()
    .slice(0, ASSET_SAMPLE)
    .flatMap((job) => job.assets);
  const ttlMs = engine.provider.jobTtlMs;
  // Past every job's end (an hour covers the slowest model) and then past its TTL.
  await clock.advance(ttlMs + 2 * 60 * 60 * 1000);
  // One sweep interval's worth of new traffic triggers the store's own sweep.
  await submit(1000, 'traffic after the TTL');
  const jobsAfterEviction = engine.jobs.size;
  read('after the TTL, swept by new traffic');
  const assetsStillHeld = sample.filter((id) => engine.media.spec(id) !== undefined).length;

  await submit(count, 'second wave');
  read(`second wave of ${count.toLocaleString('en-US')} jobs`);

  send<MemoryResult>({
    type: 'result',
    result: {
      jobsRequested: count,
      gcForced,
      ttlHours: round(ttlMs / 3_600_000, 2),
      createSeconds: round(createSeconds, 2),
      readings,
      jobsAfterEviction,
      assetsSampled: sample.length,
      assetsStillHeld,
      diagnostics: engine.diagnostics.length,
    },
  });
});
