/**
 * Every router's mock provider, by id.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import type { MockProvider } from '../core/types.js';
import { fastrouterMock } from './fastrouter/index.js';
import { imagerouterMock } from './imagerouter/index.js';
import { openrouterMock } from './openrouter.js';
import { routmyMock } from './routmy/index.js';

export * from './fastrouter/index.js';
export * from './imagerouter/index.js';
export * from './openrouter.js';
export * from './routmy/index.js';

/**
 * The default mock provider of each router: every id of `PROVIDER_IDS` has one, so
 * `mockProviders.openrouter` and `mockProviders[id]` need no check.
 *
 * @example
 * createMockEngine({ provider: mockProviders.openrouter });
 */
export const mockProviders: Readonly<Record<ProviderId, MockProvider>> = {
  openrouter: openrouterMock,
  imagerouter: imagerouterMock,
  fastrouter: fastrouterMock,
  routmy: routmyMock,
};
