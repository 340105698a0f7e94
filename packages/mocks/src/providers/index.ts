/**
 * Every router's mock provider, by id.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import type { MockProvider } from '../core/types.js';
import { fastrouterMock } from './fastrouter.js';
import { openrouterMock } from './openrouter.js';
import { routmyMock } from './routmy.js';

export * from './fastrouter.js';
export * from './openrouter.js';
export * from './routmy.js';

/**
 * The default mock provider of each router.
 *
 * @example
 * createMockEngine({ provider: mockProviders.openrouter });
 */
export const mockProviders: Partial<Record<ProviderId, MockProvider>> = {
  openrouter: openrouterMock,
  fastrouter: fastrouterMock,
  routmy: routmyMock,
};
