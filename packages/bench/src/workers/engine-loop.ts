/**
 * Worker (d): the engine in-process, `engine.handle(new Request(...))` awaited in a loop, one
 * request at a time. No sockets, no HTTP parsing: what is left is the engine's own cost per
 * request, which tells how much of the served cost is the engine and how much the mount.
 *
 * argv: `[seconds per operation] [max operations per operation]`.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { EngineLoopResult, LoopResult } from '../protocol.js';
import { AUTH_HEADERS, SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { BENCH_ROUTES, BENCH_STATUSES, jobPath } from '../routes.js';
import { round } from '../stats.js';
import { quantile } from '../stats.js';
import { fundBenchKey, loadMocks, runWorker, send } from './worker.js';

const ORIGIN = 'http://127.0.0.1:4010';
const SUBMIT_URL = `${ORIGIN}${BENCH_ROUTES.submit}`;

async function loop(
  seconds: number,
  maxOps: number,
  operation: () => Promise<void>,
): Promise<LoopResult> {
  // Warm the JIT for a quarter of the time (bounded in count too), then measure.
  const warmUntil = performance.now() + (seconds * 1000) / 4;
  for (let i = 0; i < maxOps / 4 && performance.now() < warmUntil; i++) await operation();
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const stopAt = start + seconds * 1000;
  while (latencies.length < maxOps) {
    const before = performance.now();
    if (before >= stopAt) break;
    await operation();
    latencies.push(performance.now() - before);
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ops: latencies.length,
    seconds: round(elapsed, 3),
    opsPerSec: round(latencies.length / elapsed),
    p50Us: round(quantile(latencies, 0.5) * 1000, 1),
    p99Us: round(quantile(latencies, 0.99) * 1000, 1),
    cpuUsPerOp: round((cpu.user + cpu.system) / Math.max(1, latencies.length), 1),
  };
}

runWorker(async () => {
  const seconds = Number(process.argv[2] ?? 2);
  const maxOps = Number(process.argv[3] ?? 1_000_000);
  const { mocks } = await loadMocks();
  const clock = mocks.createManualClock({ start: Date.now() });
  const engine = mocks.createMockEngine({ provider: mocks.openrouterMock, clock });
  fundBenchKey(engine);

  const submit = async () => {
    const response = await engine.handle(
      new Request(SUBMIT_URL, {
        method: 'POST',
        headers: SUBMIT_HEADERS,
        body: SUBMIT_BODY,
      }),
    );
    if (response.status !== BENCH_STATUSES.submit)
      throw new Error(`submit answered ${response.status}`);
    await response.arrayBuffer();
  };
  const first = await engine.handle(
    new Request(SUBMIT_URL, {
      method: 'POST',
      headers: SUBMIT_HEADERS,
      body: SUBMIT_BODY,
    }),
  );
  const { id } = (await first.json()) as { id: string };
  await clock.advance(60 * 60 * 1000);
  const pollUrl = `${ORIGIN}${jobPath(BENCH_ROUTES.poll, id)}`;
  const poll = async () => {
    const response = await engine.handle(new Request(pollUrl, { headers: AUTH_HEADERS }));
    if (response.status !== BENCH_STATUSES.poll)
      throw new Error(`poll answered ${response.status}`);
    await response.arrayBuffer();
  };

  const pollResult = await loop(seconds, maxOps, poll);
  send({ type: 'progress', message: `engine poll ${pollResult.opsPerSec} ops/s` });
  const submitResult = await loop(seconds, maxOps, submit);
  send<EngineLoopResult>({ type: 'result', result: { poll: pollResult, submit: submitResult } });
});
