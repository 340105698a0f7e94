/**
 * `@reelkit/mocks/state`: the engine's state (jobs, ledger, rate-limit counters, fault counts,
 * webhook deliveries, clock offset) behind small async interfaces, in memory or on Redis.
 * Not yet used by the engine: wiring it in is the next step of issue #15.
 *
 * @example
 * import { createMemoryState, createRedisState } from '@reelkit/mocks/state';
 * const store = process.env.REDIS_URL ? createRedisState({ redis: process.env.REDIS_URL }) : createMemoryState();
 * const state = store.namespace('ci-run-42', { defaultBalance: 100 });
 * await state.ledger.charge('sk-test', 0.5);
 * @module
 */
export * from './types.js';
export * from './memory.js';
export * from './redis.js';
