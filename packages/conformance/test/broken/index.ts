/**
 * Every deliberately broken server the kit must catch.
 */
import { fastrouterVariants } from './fastrouter.js';
import { fidelityVariants } from './fidelity.js';
import { openrouterVariants } from './openrouter.js';
import type { BrokenVariant } from './support.js';
import { syncVariants } from './sync-routers.js';

export type { BrokenVariant, ExpectedFailure } from './support.js';
export { TEST_KEY, WEBHOOK_SECRET } from './support.js';

/** All variants, across the four routers. */
export const brokenVariants: readonly BrokenVariant[] = [
  ...openrouterVariants,
  ...fastrouterVariants,
  ...syncVariants,
  ...fidelityVariants,
];
