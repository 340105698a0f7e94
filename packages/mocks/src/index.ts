/**
 * `@reelkit/mocks`: stateful mock servers of video-generation routers. One engine,
 * `handle(Request) → Response`, mounted by fastify (`@reelkit/mocks/fastify`) and by msw
 * (`@reelkit/mocks/msw`); the engine is also a `fetch`.
 *
 * @example
 * import { createMockEngine, mockProviders, createManualClock } from '@reelkit/mocks';
 * const engine = createMockEngine({ provider: mockProviders.openrouter, clock: createManualClock() });
 * const client = new SomeClient({ fetch: engine.fetch });
 * @module
 */
export * from './core/callback-policy.js';
export * from './core/clock.js';
export * from './core/engine.js';
export * from './core/errors.js';
export { INTERNAL_ERROR_HEADER } from './core/respond.js';
export * from './core/faults.js';
export * from './core/ledger.js';
export * from './core/webhooks.js';
export * from './core/media.js';
export * from './core/namespace.js';
export * from './core/mp4.js';
export * from './core/random.js';
export * from './core/scenarios.js';
export * from './core/store.js';
export type * from './core/types.js';
export * from './generic/async-job.js';
export * from './providers/index.js';
