/**
 * `--via-prism`: run the checks through `prism proxy` with reelkit's generated OpenAPI document,
 * and turn every `sl-violations` finding in a response into a failing `prism-violation` check.
 *
 * The traffic goes: checks → a small recording relay → prism proxy → the target. The relay looks
 * like the target (same base path; `/__reelkit/` control-plane calls go straight to the target's
 * origin, since prism does not know them) and remembers each exchange with prism's verdict.
 *
 * The code lives in `prism/`: `launcher.ts` (finding and running Prism), `relay.ts` (the recording
 * relay), `routes.ts` (which spec route a request addresses), `violations.ts` (Prism's verdicts
 * into checks) and `proxy.ts` (the three put together).
 * @module
 */
export type {
  PrismObservation,
  PrismProxy,
  PrismProxyOptions,
  PrismViolation,
} from './prism/types.js';
export { defaultOpenApiFile, PrismProxyError, prismBin } from './prism/launcher.js';
export { parseViolations } from './prism/violations.js';
export { startPrismProxy } from './prism/proxy.js';
