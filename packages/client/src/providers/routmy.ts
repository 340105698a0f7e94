/**
 * The rout.my client: `createVideo` (one synchronous request, 15 min timeout by default) and
 * `listModels`, typed from the spec's route table.
 * @module
 */
import { routmy } from '@reelkit/spec';
import type { ClientOptions, RouteMethods } from '../core/route-client.js';
import type { ClientBase } from './base.js';
import { buildClient } from './base.js';

/**
 * A typed rout.my video client: one method per route of `routmy.routes`.
 *
 * @example
 * const { videos } = await client.createVideo({ body: { model: 'google/veo-3.1', prompt: 'a cat' } });
 */
export type RoutMyClient = RouteMethods<typeof routmy.routes> & ClientBase<typeof routmy>;

/**
 * Creates a rout.my client. `createVideo` holds the connection while the provider renders, so its
 * default timeout is 15 minutes (the docs' `curl --max-time 900`); a quota 429 arrives before
 * generation starts and is a `PaymentRequiredError` with code `quota_exceeded`.
 *
 * @example
 * const client = createRoutMyClient({ apiKey: process.env.ROUTMY_API_KEY });
 * const result = await client.createVideo(
 *   { body: { model: 'google/veo-3.1', prompt: 'a glass cube', duration: 5 } },
 *   { signal: AbortSignal.timeout(900_000) },
 * );
 * result.videos[0]?.url; // temporary URL: download it soon
 */
export function createRoutMyClient(options: ClientOptions = {}): RoutMyClient {
  const { methods, transport } = buildClient(routmy, options);
  return { ...methods, provider: 'routmy', spec: routmy, transport };
}
