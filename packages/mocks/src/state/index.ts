/**
 * `@reelkit/mocks/state`: the engine's state (jobs, ledger, rate-limit counters, fault counts,
 * webhook deliveries, clock offset, settings) behind small async interfaces, in memory or on
 * Redis. An engine given a store (`createMockEngine({ provider, store })`) keeps its namespaces
 * there; every engine on the same Redis acts as one mock.
 *
 * @example
 * import { createMemoryState, createRedisState } from '@reelkit/mocks/state';
 * const store = process.env.REDIS_URL ? createRedisState({ redis: process.env.REDIS_URL }) : createMemoryState();
 * const engine = createMockEngine({ provider: mockProviders.openrouter, store });
 * const state = store.namespace('ci-run-42', { defaultBalance: 100 }); // or read it directly
 * await state.ledger.charge('sk-test', 0.5);
 * @module
 */
export * from './types.js';
export * from './memory.js';
export * from './redis.js';
