/**
 * Memory with many jobs stored, and eviction: the orchestrator side. The mock server runs in its
 * own worker process; this process submits jobs to it over loopback HTTP with autocannon (a
 * bounded number of requests per wave) and asks the worker for readings between waves.
 * @module
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { BenchOptions } from './options.js';
import { startServerWorker } from './processes.js';
import type {
  MemoryExpireReply,
  MemoryReadReply,
  MemoryReading,
  MemoryResult,
  MemoryServerInfo,
} from './protocol.js';
import { SUBMIT_BODY, SUBMIT_HEADERS } from './protocol.js';
import { BENCH_ROUTES } from './routes.js';
import { round } from './stats.js';

/** Connections submitting at once (the throughput runs use the same default). */
const CONNECTIONS = 50;
/** Jobs submitted after the TTL: the store sweeps on new traffic. */
const AFTER_TTL = 1000;
/** Upper bound for one answer of the worker (a full GC of a large heap takes well under it). */
const ANSWER_MS = 60_000;

/** Submits `count` jobs in four bounded autocannon runs, logging each quarter. */
async function submitWave(
  origin: string,
  count: number,
  label: string,
  log: (line: string) => void,
): Promise<void> {
  const quarters = [0, 1, 2, 3].map(
    (i) => Math.floor((count * (i + 1)) / 4) - Math.floor((count * i) / 4),
  );
  let sent = 0;
  for (const amount of quarters) {
    if (amount === 0) continue;
    const result = await autocannon({
      url: `${origin}${BENCH_ROUTES.submit}`,
      method: 'POST',
      headers: { ...SUBMIT_HEADERS },
      body: SUBMIT_BODY,
      connections: Math.min(CONNECTIONS, amount),
      amount,
      timeout: 10,
    });
    const ok = result['2xx'];
    if (ok !== amount || result.errors > 0) {
      throw new Error(
        `${label}: ${ok} of ${amount} submits answered 2xx (${result.non2xx} non-2xx, ${result.errors} errors)`,
      );
    }
    sent += amount;
    log(`  ${label}: ${sent.toLocaleString('en-US')} jobs`);
  }
}

/**
 * Measures the mock server's memory with `options.jobs` jobs stored, then after the TTL, then
 * after a second wave.
 *
 * @example
 * const memory = await measureMemory(options, {}, console.log);
 */
export async function measureMemory(
  options: BenchOptions,
  env: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<MemoryResult> {
  const count = options.jobs;
  const worker = await startServerWorker<MemoryServerInfo>('memory', {
    env,
    nodeFlags: ['--expose-gc'],
    onProgress: (line) => log(`  ${line}`),
    timeoutMs: 30_000,
  });
  const { origin, ttlMs } = worker.info;
  const readings: MemoryReading[] = [];
  const read = async (label: string) => {
    const reply = await worker.request<MemoryReadReply>({ type: 'memory-read', label }, ANSWER_MS);
    readings.push(reply.reading);
    log(
      `  ${label}: ${reply.reading.jobs.toLocaleString('en-US')} jobs, RSS ${reply.reading.rssMB} MB`,
    );
    return reply;
  };
  try {
    await read('mock server started, no jobs');
    const started = performance.now();
    await submitWave(origin, count, 'first wave', log);
    const createSeconds = (performance.now() - started) / 1000;
    await read(`${count.toLocaleString('en-US')} jobs stored`);

    const expired = await worker.request<MemoryExpireReply>({ type: 'memory-expire' }, ANSWER_MS);
    await submitWave(origin, AFTER_TTL, 'traffic after the TTL', log);
    const swept = await read('after the TTL, swept by new traffic');

    await submitWave(origin, count, 'second wave', log);
    const last = await read(`second wave of ${count.toLocaleString('en-US')} jobs`);
    return {
      jobsRequested: count,
      gcForced: true,
      ttlHours: round(ttlMs / 3_600_000, 2),
      createSeconds: round(createSeconds, 2),
      readings,
      jobsAfterEviction: swept.reading.jobs,
      assetsSampled: expired.assetsSampled,
      assetsStillHeld: swept.assetsStillHeld ?? 0,
      diagnostics: last.diagnostics,
    };
  } finally {
    await worker.stop();
  }
}
