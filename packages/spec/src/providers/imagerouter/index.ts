/**
 * ImageRouter's synchronous video API: one long `POST` (JSON or multipart) that answers with the
 * finished video, plus model listings and credits. ImageRouter's server is open source, so most
 * facts come from its code.
 * @see https://docs.imagerouter.io/api-reference/video-generation
 * @module
 */
import { defineRouter } from '../../router.js';
import { capabilitiesOf, IMAGEROUTER_CATALOG } from './catalog.js';
import { imagerouterFacts } from './facts.js';
import { judgeImageRouter } from './judge.js';
import { imagerouterLifecycle } from './lifecycle.js';
import { imagerouterRoutes } from './routes.js';
import { ErrorResponse } from './schemas.js';

/**
 * The ImageRouter video API, declared once.
 *
 * @example
 * import { imagerouter } from '@reelkit/spec';
 * imagerouter.routes.createVideo.path; // '/v1/openai/videos/generations' (basePath is '')
 */
export const imagerouter = defineRouter({
  id: 'imagerouter',
  title: 'ImageRouter',
  description:
    'Synchronous video generation: one request (JSON or multipart with an image) held open until the video is ready; errors after validation arrive with HTTP 200.',
  origin: 'https://api.imagerouter.io',
  basePath: '',
  defaultPort: 4011,
  flow: 'sync',
  docs: [
    'https://docs.imagerouter.io/api-reference/video-generation',
    'https://docs.imagerouter.io/api-reference/models',
    'https://docs.imagerouter.io/api-reference/credits',
    'https://docs.imagerouter.io/rate-limits',
    'https://github.com/DaWe35/image-router',
  ],
  routes: imagerouterRoutes,
  lifecycles: { video: imagerouterLifecycle },
  errorSchema: ErrorResponse,
  models: IMAGEROUTER_CATALOG.map(capabilitiesOf),
  // The judge validates itself: invalid bodies get the router's own 400 message.
  judge: (request) => judgeImageRouter(request),
  facts: imagerouterFacts,
});

export * from './catalog.js';
export * from './facts.js';
export * from './judge.js';
export * from './lifecycle.js';
export * from './routes.js';
export * from './schemas.js';
