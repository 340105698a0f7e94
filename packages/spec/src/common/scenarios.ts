/**
 * Scenario names (see the mocks' `SCENARIOS`) that several routers act out alike.
 * @module
 */

/**
 * What every router that answers a generation or a job with a documented failure can act out: a
 * normal and a slow success, a failed and a moderated generation, an empty account, a rate
 * limit, its own fault and an upstream provider's. A router adds what its lifecycle has beyond
 * these (`expired`, `cancelled`).
 *
 * @example
 * const scenarios = [...GENERATION_SCENARIOS, 'expired'];
 */
export const GENERATION_SCENARIOS = [
  'success',
  'slow',
  'failed',
  'moderation',
  'insufficient-credits',
  'rate-limit',
  'server-error',
  'provider-error',
] as const;
