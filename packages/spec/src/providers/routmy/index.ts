/**
 * rout.my's synchronous video API: one long `POST /v1/video/generations` (up to ~15 minutes),
 * a model catalog with plan availability, and a token quota checked before generation.
 * @see https://docs.rout.my/api/videos
 * @module
 */
import { defineRouter } from '../../router.js';
import { capabilitiesOf, ROUTMY_CATALOG } from './catalog.js';
import { routmyFacts } from './facts.js';
import { judgeRoutMy } from './judge.js';
import { routmyLifecycle } from './lifecycle.js';
import { routmyRoutes } from './routes.js';
import { RoutMyErrorResponse, RoutMyVideoRequest } from './schemas.js';

/**
 * The rout.my video API, declared once.
 *
 * @example
 * import { routmy } from './index.js';
 * routmy.routes.createVideo.path; // '/video/generations' (under routmy.basePath, '/v1')
 */
export const routmy = defineRouter({
  id: 'routmy',
  title: 'rout.my',
  description:
    'Synchronous video generation: the connection stays open while the provider renders (allow ' +
    '~15 min); token quota checked against a worst-case estimate first.',
  origin: 'https://api.rout.my',
  basePath: '/v1',
  defaultPort: 4013,
  flow: 'sync',
  docs: [
    'https://docs.rout.my/api/videos',
    'https://docs.rout.my/models',
    'https://docs.rout.my/api/errors',
    'https://docs.rout.my/api/error-resolver',
  ],
  routes: routmyRoutes,
  lifecycles: { video: routmyLifecycle },
  errorSchema: RoutMyErrorResponse,
  models: ROUTMY_CATALOG.map(capabilitiesOf),
  judge: (request) => judgeRoutMy(RoutMyVideoRequest.parse(request)),
  facts: routmyFacts,
});

export * from './catalog.js';
export * from './facts.js';
export * from './judge.js';
export * from './lifecycle.js';
export * from './quota.js';
export * from './routes.js';
export * from './schemas.js';
