/**
 * FastRouter's asynchronous video API: submit → poll by task id, answered in two families (a
 * Pollo-style task envelope, or OpenAI Videos objects for Sora models).
 * @see https://docs.fastrouter.ai/api-reference/video-generation-api
 * @module
 */
import { defineRouter } from '../../router.js';
import { capabilitiesOf, FASTROUTER_CATALOG } from './catalog.js';
import { fastrouterFacts } from './facts.js';
import { judgeFastRouter } from './judge.js';
import { fastrouterLifecycles } from './lifecycle.js';
import { fastrouterRoutes } from './routes.js';
import { FastRouterError, FastRouterVideoRequest } from './schemas.js';

/**
 * The FastRouter video API, declared once.
 *
 * @example
 * import { fastrouter } from '@reelkit/spec';
 * fastrouter.routes.getAsyncResponse.path; // '/getAsyncResponse' (under fastrouter.basePath, '/api/v1')
 */
export const fastrouter = defineRouter({
  id: 'fastrouter',
  title: 'FastRouter',
  description:
    'Asynchronous video generation: submit, then poll by task id (task envelope, or OpenAI Videos objects for Sora models).',
  origin: 'https://go.fastrouter.ai',
  basePath: '/api/v1',
  defaultPort: 4012,
  flow: 'async',
  docs: [
    'https://docs.fastrouter.ai/api-reference/video-generation-api',
    'https://docs.fastrouter.ai/api-reference/video',
    'https://docs.fastrouter.ai/api-reference/error-codes',
    'https://docs.fastrouter.ai/explore-features/response-caching-images-and-video-async',
  ],
  routes: fastrouterRoutes,
  lifecycles: fastrouterLifecycles,
  errorSchema: FastRouterError,
  models: FASTROUTER_CATALOG.map(capabilitiesOf),
  judge: (request) => judgeFastRouter(FastRouterVideoRequest.parse(request)),
  facts: fastrouterFacts,
});

export * from './catalog.js';
export * from './facts.js';
export * from './judge.js';
export * from './lifecycle.js';
export * from './routes.js';
export * from './schemas.js';
