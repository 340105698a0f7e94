/**
 * `@reelkit/cli`: the `reelkit` command line as a library (for tests and embedding).
 * @module
 */
export * from './program.js';
