/**
 * `@reelkit/conformance`: checks any server against a router's contract.
 * @module
 */
export * from './checks/status.js';
