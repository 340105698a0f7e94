/**
 * The contract between `generateVideo` and each router's mapping: turn the unified request into
 * the router's body (refusing what it cannot do), then run the router's flow.
 * @internal
 * @module
 */
import type { ModelCapabilities } from '@reelkit/spec';
import type { CallOptions } from '../core/call-route.js';
import type { PollCadence } from '../providers/profiles.js';
import type { FlowContext } from './flow.js';
import type { GeneratedVideo, GenerateVideoRequest } from './types.js';

/**
 * What a finished flow hands back to `generateVideo`.
 *
 * @example
 * const response = await outcome.download(0, { signal });
 */
export interface FlowOutcome {
  readonly providerStatus: string;
  readonly videos: readonly GeneratedVideo[];
  readonly cost?: number;
  readonly raw: { readonly submit?: unknown; readonly final: unknown };
  /** Opens video `index` for download (authenticated where the router needs it). */
  readonly download: (index: number, options: CallOptions) => Promise<Response>;
}

/**
 * One router's part of the unified interface.
 *
 * @example
 * const body = await openrouterFlow.prepare(request, caps);
 * const outcome = await openrouterFlow.run(body, ctx, { request, cadence });
 */
export interface RouterFlow<Client, Body> {
  /** The router's request body; throws `CapabilityError` for what it cannot do. */
  prepare(request: GenerateVideoRequest, caps: ModelCapabilities | undefined): Promise<Body>;
  run(
    client: Client,
    body: Body,
    ctx: FlowContext,
    extra: { readonly request: GenerateVideoRequest; readonly cadence?: PollCadence },
  ): Promise<FlowOutcome>;
}
