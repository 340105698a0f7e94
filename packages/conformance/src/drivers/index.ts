/**
 * The driver of each router.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import { fastrouterDriver } from './fastrouter.js';
import { imagerouterDriver } from './imagerouter.js';
import { openrouterDriver } from './openrouter.js';
import { routmyDriver } from './routmy.js';
import type { Driver } from './types.js';

export type * from './types.js';
export type { AsyncJobDriverQuirks } from './async-job.js';
export { asyncJobDriver, defaultPlan } from './async-job.js';

/**
 * Every router's driver by id.
 *
 * @example
 * drivers.openrouter.flow; // 'async'
 */
export const drivers: Readonly<Record<ProviderId, Driver>> = {
  openrouter: openrouterDriver,
  imagerouter: imagerouterDriver,
  fastrouter: fastrouterDriver,
  routmy: routmyDriver,
};
