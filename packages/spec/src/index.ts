/**
 * `@reelkit/spec`: the four routers' video APIs declared once in Zod — schemas, route tables,
 * lifecycles, model catalogs and the rules each router applies — from which the OpenAPI
 * documents, mocks, client and conformance checks are derived.
 *
 * @example
 * import { providers, fullPath } from '@reelkit/spec';
 * for (const p of Object.values(providers)) {
 *   for (const route of Object.values(p.routes)) console.log(route.method, fullPath(p, route));
 * }
 * @module
 */
import { fastrouter } from './providers/fastrouter/index.js';
import { imagerouter } from './providers/imagerouter/index.js';
import { openrouter } from './providers/openrouter/index.js';
import { routmy } from './providers/routmy/index.js';
import type { ProviderId, ProviderSpec } from './provider.js';

export * from './common/media.js';
export * from './common/scenarios.js';
export * from './define.js';
export * from './lifecycle.js';
export * from './openapi/generate.js';
export * from './path.js';
export * from './limits.js';
export * from './provenance.js';
export * from './provider.js';
export * from './router.js';
export { z } from './zod.js';
export * as fastrouterSpec from './providers/fastrouter/index.js';
export * as imagerouterSpec from './providers/imagerouter/index.js';
export * as openrouterSpec from './providers/openrouter/index.js';
export * as routmySpec from './providers/routmy/index.js';
export { fastrouter, imagerouter, openrouter, routmy };

/**
 * Every router's spec by id.
 *
 * @example
 * providers.openrouter.defaultPort; // 4010
 */
export const providers: Record<ProviderId, ProviderSpec> = {
  openrouter,
  imagerouter,
  fastrouter,
  routmy,
};
