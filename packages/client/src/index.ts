/**
 * `@reelkit/client`: a reference client for video-generation routers.
 * @module
 */
export * from './core/errors.js';
export * from './core/webhooks.js';
