/**
 * Every router's mock provider, by id.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import type { MockProvider } from '../core/types.js';
import { fastrouterMock } from './fastrouter.js';
import { imagerouterMock } from './imagerouter.js';
import { openrouterMock } from './openrouter.js';
import { routmyMock } from './routmy.js';

export * from './fastrouter.js';
export * from './imagerouter.js';
export * from './openrouter.js';
export * from './routmy.js';

/**
 * The default mock provider of each router.
 *
 * @example
 * createMockEngine({ provider: mockProviders.openrouter });
 */
export const mockProviders: Record<ProviderId, MockProvider> = {
  openrouter: openrouterMock,
  imagerouter: imagerouterMock,
  fastrouter: fastrouterMock,
  routmy: routmyMock,
};
