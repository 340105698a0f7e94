/**
 * `@reelkit/mocks`: stateful mock servers of video-generation routers. One engine,
 * `handle(Request) → Response`, mounted by fastify (real HTTP) and by msw (in-process).
 * @module
 */
export * from './core/clock.js';
