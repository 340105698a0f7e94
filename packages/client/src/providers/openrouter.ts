/**
 * The OpenRouter client: `createVideo`, `getVideo`, `getVideoContent`, `listModels`, typed from
 * the spec's route table.
 * @module
 */
import { openrouter } from '@reelkit/spec';
import type { ClientOptions, RouteMethods } from '../core/route-client.js';
import type { ClientBase } from './base.js';
import { buildClient } from './base.js';

/**
 * A typed OpenRouter video client: one method per route of `openrouter.routes`.
 *
 * @example
 * const job = await client.createVideo({ body: { model: 'google/veo-3.1', prompt: 'a cat' } });
 */
export type OpenRouterClient = RouteMethods<typeof openrouter.routes> &
  ClientBase<typeof openrouter>;

/**
 * Creates an OpenRouter client. Methods take `{ params, query, body }` as the route declares them
 * and resolve to the parsed answer (`getVideoContent` to the raw `Response`, an MP4 stream).
 *
 * @example
 * const client = createOpenRouterClient({ apiKey: process.env.OPENROUTER_API_KEY });
 * const job = await client.createVideo({ body: { model: 'google/veo-3.1', prompt: 'a cat', duration: 4 } });
 * const status = await client.getVideo({ params: { jobId: job.id } });
 * if (status.status === 'completed') {
 *   const mp4 = await client.getVideoContent({ params: { jobId: job.id }, query: { index: 0 } });
 *   await fs.promises.writeFile('cat.mp4', new Uint8Array(await mp4.arrayBuffer()));
 * }
 */
export function createOpenRouterClient(options: ClientOptions = {}): OpenRouterClient {
  const { methods, transport } = buildClient(openrouter, options);
  return { ...methods, provider: 'openrouter', spec: openrouter, transport };
}
