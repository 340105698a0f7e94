/**
 * A typed client for any router declared with `defineRouter`: one method per route, and
 * `generateVideo` through the generic asynchronous-job flow of its `facts.job`.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { RouteDef, RouterSpec } from '@reelkit/spec';
import type { CallOptions } from '../core/call-route.js';
import { abortReason, systemClock } from '../core/clock.js';
import type { ClientOptions, RouteMethods } from '../core/route-client.js';
import type { ClientBase } from '../providers/base.js';
import { buildClient } from '../providers/base.js';
import { profileOf } from '../providers/profiles.js';
import { runAsyncJob } from './async-job.js';
import { FlowContext } from './flow.js';
import type { GeneratedVideo, ProgressEvent, VideoTimings } from './types.js';

/** A generation on a router declared with `defineRouter`. */
export interface RouterVideoRequest {
  readonly model: string;
  readonly prompt?: string;
  readonly duration?: number;
  /** Router fields sent as they are, over the ones above. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Overall deadline; default the profile's (30 min). */
  readonly timeoutMs?: number;
  /** Wait before the first poll; later waits follow the router's poll cadence. */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** A finished generation: the videos, the timings, and a download of each. */
export interface RouterVideoResult {
  readonly id: string;
  readonly providerStatus: string;
  readonly videos: readonly GeneratedVideo[];
  readonly timings: VideoTimings;
  readonly raw: { readonly submit?: unknown; readonly final: unknown };
  /** Opens video `index` (authenticated where the router needs it). */
  download(index?: number, options?: CallOptions): Promise<Response>;
}

/** The client of a router declared with `defineRouter`. */
export type RouterClient<Spec extends RouterSpec<Record<string, RouteDef>>> = RouteMethods<
  Spec['routes']
> &
  ClientBase<Spec> & {
    /** Submits, polls and returns the finished videos (throws `GenerationFailedError`). */
    generateVideo(request: RouterVideoRequest): Promise<RouterVideoResult>;
  };

/**
 * A client for a router declared with `defineRouter`.
 *
 * @example
 * const client = createRouterClient(acme, { baseUrl: 'http://127.0.0.1:5210/v1', apiKey: 'k' });
 * const result = await client.generateVideo({ model: 'acme/swift', prompt: 'a cat' });
 * const mp4 = await (await result.download()).arrayBuffer();
 */
export function createRouterClient<Spec extends RouterSpec<Record<string, RouteDef>>>(
  router: Spec,
  options: ClientOptions = {},
): RouterClient<Spec> {
  const { methods, transport } = buildClient(router, options);
  const profile = profileOf(router);
  const client = {
    ...methods,
    provider: router.id,
    spec: router,
    transport,
    async generateVideo(request: RouterVideoRequest): Promise<RouterVideoResult> {
      if (request.signal?.aborted) throw abortReason(request.signal);
      const ctx = new FlowContext({
        provider: router.id,
        clock: options.clock ?? systemClock,
        timeoutMs: request.timeoutMs ?? profile.generateTimeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        random: Math.random,
        jobId: `local_${randomUUID()}`,
      });
      const body = {
        model: request.model,
        ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
        ...(request.duration !== undefined ? { duration: request.duration } : {}),
        ...request.body,
      };
      const outcome = await runAsyncJob(router, client, body, ctx, {
        ...(profile.poll ? { cadence: profile.poll } : {}),
        ...(request.pollIntervalMs !== undefined ? { pollIntervalMs: request.pollIntervalMs } : {}),
      });
      return {
        id: ctx.jobId,
        providerStatus: outcome.providerStatus,
        videos: outcome.videos,
        timings: ctx.timings(),
        raw: outcome.raw,
        download: (index = 0, callOptions = {}) => outcome.download(index, callOptions),
      };
    },
  };
  return client as unknown as RouterClient<Spec>;
}
