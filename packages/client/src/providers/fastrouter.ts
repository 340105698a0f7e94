/**
 * The FastRouter client: `createVideo`, the three poll routes (`getVideo`, `getVideoResponse`,
 * `getAsyncResponse`) and `listModels`, typed from the spec's route table. Both answer families
 * are typed: the task envelope (most models) and OpenAI Videos objects (Sora models).
 * @module
 */
import { fastrouter, fastrouterSpec } from '@reelkit/spec';
import type { ClientOptions, RouteMethod, RouteMethods } from '../core/route-client.js';
import type { ClientBase } from './base.js';
import { buildClient } from './base.js';

type Routes = typeof fastrouter.routes;

/**
 * A typed FastRouter video client. `getVideoResponse` may resolve to the raw `Response` (an MP4
 * stream) for a completed Sora job, as FastRouter's docs say it streams the video then.
 *
 * @example
 * const task = await client.createVideo({ body: { model: 'google/veo3', prompt: 'a robot on Mars' } });
 */
export type FastRouterClient = Omit<RouteMethods<Routes>, 'getVideoResponse'> & {
  readonly getVideoResponse: RouteMethod<Routes['getVideoResponse'], Response>;
} & ClientBase<typeof fastrouter>;

/**
 * Creates a FastRouter client. Its POST poll routes count as reads (retried like GETs).
 *
 * @example
 * const client = createFastRouterClient({ apiKey: process.env.FASTROUTER_API_KEY });
 * const created = await client.createVideo({ body: { model: 'google/veo3', prompt: 'a robot', length: 8 } });
 * const taskId = 'data' in created ? created.data.taskId : created.id;
 * const status = await client.getVideo({ params: { task_id: taskId } });
 */
export function createFastRouterClient(options: ClientOptions = {}): FastRouterClient {
  const { methods, transport } = buildClient(
    fastrouter,
    options,
    fastrouterSpec.SORA_BINARY_ON_COMPLETION.routes,
  );
  return {
    ...(methods as FastRouterClient),
    provider: 'fastrouter',
    spec: fastrouter,
    transport,
  };
}
