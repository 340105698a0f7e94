/**
 * `@reelkit/client`: a reference client for video-generation routers. One interface over the
 * four routers (`generateVideo`, `downloadVideo`), typed per-router clients derived from the spec
 * (`createOpenRouterClient`, …), the route-level core (`callRoute`) and webhook verification.
 * @module
 */
export * from './core/call-route.js';
export * from './core/clock.js';
export * from './core/errors.js';
export * from './core/retry.js';
export * from './core/route-client.js';
export type * from './core/route-types.js';
export * from './core/webhooks.js';
export * from './providers/fastrouter.js';
export * from './providers/imagerouter.js';
export * from './providers/openrouter.js';
export * from './providers/profiles.js';
export * from './providers/routmy.js';
export type * from './providers/base.js';
export * from './unified/async-job.js';
export * from './unified/reelkit.js';
export * from './unified/router-client.js';
export type * from './unified/types.js';
