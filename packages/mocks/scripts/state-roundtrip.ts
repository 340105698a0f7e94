/**
 * A micro-measure of the state store: ledger charges and job reads per second, on the in-memory
 * store and on a throwaway `redis-server` on loopback, one call in flight at a time (latency of
 * one round trip) and `--concurrency` in flight (throughput of one connection). Not a benchmark
 * of the mock: the engine does not use the state store yet (issue #15).
 *
 * Usage: `npm run state-roundtrip -w @reelkit/mocks` (or `-- --ops 20000 --concurrency 50`).
 * @module
 */
import { parseArgs } from 'node:util';
import type { StateStore } from '../src/state/index.js';
import { createMemoryState, createRedisState } from '../src/state/index.js';
import { redisMissing, startRedisServer } from '../test/support/redis-server.js';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
  },
});
const ops = Number(values.ops);
const concurrency = Number(values.concurrency);
const T0 = Date.UTC(2026, 0, 1);

/** Runs `count` calls with `inFlight` at a time; returns calls per second. */
async function rate(
  count: number,
  inFlight: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function measure(store: StateStore): Promise<void> {
  const state = store.namespace(`roundtrip-${process.pid}`, { defaultBalance: 1e9 });
  await state.jobs.create(
    { id: 'job-1', finishesAt: T0 + 1, expiresAt: T0 + 86_400_000, data: { plan: ['a', 'b'] } },
    { now: T0 },
  );
  // Warm up connections and scripts.
  await rate(1000, 10, () => state.ledger.charge('sk-bench', 0.01));
  for (const inFlight of [1, concurrency]) {
    const charges = await rate(ops, inFlight, () => state.ledger.charge('sk-bench', 0.01));
    const gets = await rate(ops, inFlight, () => state.jobs.get('job-1', T0));
    console.log(
      `${store.kind.padEnd(6)} in flight ${String(inFlight).padStart(3)}: ` +
        `charge ${Math.round(charges).toLocaleString('en-US').padStart(9)} ops/s, ` +
        `get ${Math.round(gets).toLocaleString('en-US').padStart(9)} ops/s`,
    );
  }
  await state.reset();
}

console.log(`state store round trips: ${ops} ops each, node ${process.version}`);
const memory = createMemoryState();
await measure(memory);
await memory.close();
if (redisMissing) {
  console.log(`redis: skipped (${redisMissing})`);
} else {
  const server = await startRedisServer();
  const redis = createRedisState({ redis: server.url });
  try {
    await measure(redis);
  } finally {
    await redis.close();
    await server.stop();
  }
}
