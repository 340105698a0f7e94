/**
 * OpenRouter's asynchronous video API: submit → poll → download, with webhooks.
 * @see https://openrouter.ai/docs/guides/overview/multimodal/video-generation
 * @module
 */
import { defineRouter } from '../../router.js';
import { capabilitiesOf, OPENROUTER_CATALOG } from './catalog.js';
import { openrouterFacts } from './facts.js';
import { judgeOpenRouter } from './judge.js';
import { openrouterLifecycle } from './lifecycle.js';
import { openrouterRoutes } from './routes.js';
import { ErrorResponse, VideoGenerationRequest } from './schemas.js';

/**
 * The OpenRouter video API, declared once: routes, schemas, lifecycle, catalog and facts.
 *
 * @example
 * import { openrouter } from '@reelkit/spec';
 * openrouter.routes.createVideo.path; // '/videos' (under openrouter.basePath, '/api/v1')
 */
export const openrouter = defineRouter({
  id: 'openrouter',
  title: 'OpenRouter',
  description:
    'Asynchronous video generation: submit, poll, download; webhooks on terminal states.',
  origin: 'https://openrouter.ai',
  basePath: '/api/v1',
  defaultPort: 4010,
  flow: 'async',
  docs: [
    'https://openrouter.ai/docs/guides/overview/multimodal/video-generation',
    'https://openrouter.ai/docs/api_reference/videos',
  ],
  routes: openrouterRoutes,
  lifecycles: { video: openrouterLifecycle },
  errorSchema: ErrorResponse,
  models: OPENROUTER_CATALOG.map(capabilitiesOf),
  judge: (request) => judgeOpenRouter(VideoGenerationRequest.parse(request)),
  facts: openrouterFacts,
});

export * from './catalog.js';
export * from './facts.js';
export * from './judge.js';
export * from './lifecycle.js';
export * from './routes.js';
export * from './schemas.js';
export * from './webhooks.js';
