/**
 * The unified interface: `generateVideo` over any of the four routers, `downloadVideo`, and the
 * capability checks in front of both.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { ModelCapabilities, ProviderId } from '@reelkit/spec';
import { openrouterSpec, providers as specs } from '@reelkit/spec';
import type { CallOptions } from '../core/call-route.js';
import type { Clock } from '../core/clock.js';
import { abortReason, systemClock } from '../core/clock.js';
import {
  AbortError,
  CapabilityError,
  ConnectionError,
  InvalidRequestError,
  ReelkitError,
  TimeoutError,
} from '../core/errors.js';
import type { ClientOptions } from '../core/route-client.js';
import type { FastRouterClient } from '../providers/fastrouter.js';
import { createFastRouterClient } from '../providers/fastrouter.js';
import type { ImageRouterClient } from '../providers/imagerouter.js';
import { createImageRouterClient } from '../providers/imagerouter.js';
import type { OpenRouterClient } from '../providers/openrouter.js';
import { createOpenRouterClient } from '../providers/openrouter.js';
import { PROFILES } from '../providers/profiles.js';
import type { RoutMyClient } from '../providers/routmy.js';
import { createRoutMyClient } from '../providers/routmy.js';
import { fastrouterFlow } from './fastrouter.js';
import { fetchVideoUrl } from './fetch-url.js';
import { FlowContext } from './flow.js';
import { imagerouterFlow } from './imagerouter.js';
import { openrouterFlow } from './openrouter.js';
import type { FlowOutcome, RouterFlow } from './router-flow.js';
import { routmyFlow } from './routmy.js';
import type { GenerateVideoRequest, VideoResult } from './types.js';

/**
 * Where model capabilities come from:
 * - `auto` (default): OpenRouter's live `GET /videos/models` (fetched once, cached), the spec
 *   catalogs for the other routers; an unknown model is refused only where the list is live;
 * - `catalog`: the spec catalogs for all four (no request);
 * - `off`: no capability checks (the router judges).
 *
 * @example
 * createReelkit({ capabilities: 'catalog' });
 */
export type CapabilitySource = 'auto' | 'catalog' | 'off';

/**
 * Options of {@link createReelkit}: shared client options, plus per-router ones (key, base URL).
 *
 * @example
 * createReelkit({
 *   providers: { openrouter: { apiKey: process.env.OPENROUTER_API_KEY }, routmy: { baseUrl: 'http://127.0.0.1:4013/v1' } },
 *   retry: { maxRetries: 3 },
 * });
 */
export interface ReelkitOptions extends Omit<ClientOptions, 'apiKey' | 'baseUrl'> {
  /** Per-router options; they win over the shared ones. Keys default to `<ID>_API_KEY`. */
  readonly providers?: Partial<Record<ProviderId, ClientOptions>>;
  readonly capabilities?: CapabilitySource;
  /** How long a fetched model list is reused, on the client's clock. Default 10 minutes. */
  readonly capabilitiesTtlMs?: number;
  /** Random numbers in [0, 1) for the poll jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Options of {@link Reelkit.downloadVideo}.
 *
 * @example
 * await reelkit.downloadVideo(result, { to: 'out.mp4', index: 0, timeoutMs: 120_000 });
 */
export interface DownloadOptions {
  /** Which video of the result. Default 0. */
  readonly index?: number;
  /** A file path (written to `<path>.part`, then renamed), or a stream that receives the bytes. */
  readonly to: string | WritableStream<Uint8Array>;
  readonly signal?: AbortSignal;
  /** The whole download. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Arms the timeout. Default: the system clock. */
  readonly timeoutClock?: Clock;
  /** For results that did not come from this client (e.g. read back from JSON). */
  readonly fetch?: typeof fetch;
}

/**
 * What {@link Reelkit.downloadVideo} wrote.
 *
 * @example
 * const { bytes, path } = await reelkit.downloadVideo(result, { to: 'out.mp4' });
 */
export interface DownloadResult {
  readonly bytes: number;
  readonly contentType: string | undefined;
  readonly path?: string;
}

/**
 * The router's request body a unified request maps to, after the capability checks.
 *
 * @example
 * const { body } = await reelkit.prepareRequest({ provider: 'fastrouter', model: 'openai/sora-2', prompt: 'a cat', duration: 8 });
 * body; // { model: 'openai/sora-2', prompt: 'a cat', seconds: '8' }
 */
export interface PreparedRequest {
  readonly provider: ProviderId;
  readonly body: unknown;
  readonly capabilities: ModelCapabilities | undefined;
}

/**
 * The unified client.
 *
 * @example
 * const reelkit = createReelkit();
 * const result = await reelkit.generateVideo({ provider: 'imagerouter', model: 'ir/test-video', prompt: 'a cat' });
 * await reelkit.downloadVideo(result, { to: 'cat.mp4' });
 */
export interface Reelkit {
  /**
   * Generates one video (or `count` on rout.my) through `request.provider`: checks the request
   * against the model's capabilities, maps it to the router's fields, submits and polls (at the
   * router's cadence) or holds the long request, emits progress, and returns the completed job.
   * Failures are thrown as typed errors (`GenerationFailedError`, `CapabilityError`, …).
   */
  generateVideo(request: GenerateVideoRequest): Promise<VideoResult>;
  /** Writes a result's video to a file or a stream. */
  downloadVideo(result: VideoResult, options: DownloadOptions): Promise<DownloadResult>;
  /** The checked router body of a request, without sending it. */
  prepareRequest(request: GenerateVideoRequest): Promise<PreparedRequest>;
  /** A model's capabilities, as the checks see them (`undefined` when unknown). */
  modelCapabilities(
    provider: ProviderId,
    model: string,
    options?: CallOptions,
  ): Promise<ModelCapabilities | undefined>;
  readonly openrouter: OpenRouterClient;
  readonly imagerouter: ImageRouterClient;
  readonly fastrouter: FastRouterClient;
  readonly routmy: RoutMyClient;
}

/** Where a result keeps its downloader (not enumerable: results stay plain data). */
const DOWNLOAD = Symbol('reelkit.download');
type Downloadable = VideoResult & { readonly [DOWNLOAD]?: FlowOutcome['download'] };

const MINUTE = 60_000;
/** Attempts of a download whose body is cut short. */
const DOWNLOAD_ATTEMPTS = 3;

interface CapabilityLookup {
  readonly caps: ModelCapabilities | undefined;
  /** Whether the list is complete and live, so that an unknown model is an error. */
  readonly authoritative: boolean;
  readonly ids: readonly string[];
}

/**
 * Creates the unified client. Per-router clients are created on first use and shared.
 *
 * @example
 * const reelkit = createReelkit({ providers: { openrouter: { apiKey: process.env.OPENROUTER_API_KEY } } });
 * const result = await reelkit.generateVideo({
 *   provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a lighthouse at dawn', duration: 8,
 *   onProgress: (e) => console.log(e.status, e.elapsedMs),
 * });
 * await reelkit.downloadVideo(result, { to: 'lighthouse.mp4' });
 */
export function createReelkit(options: ReelkitOptions = {}): Reelkit {
  const { providers: perProvider, capabilities = 'auto', random = Math.random } = options;
  const shared: ClientOptions = options;
  const ttl = options.capabilitiesTtlMs ?? 10 * MINUTE;
  const optionsFor = (id: ProviderId): ClientOptions => ({ ...shared, ...perProvider?.[id] });
  const clients: {
    openrouter?: OpenRouterClient;
    imagerouter?: ImageRouterClient;
    fastrouter?: FastRouterClient;
    routmy?: RoutMyClient;
  } = {};
  let openrouterModels: { at: number; list: Promise<ModelCapabilities[]> } | undefined;

  const reelkit: Reelkit = {
    get openrouter() {
      return (clients.openrouter ??= createOpenRouterClient(optionsFor('openrouter')));
    },
    get imagerouter() {
      return (clients.imagerouter ??= createImageRouterClient(optionsFor('imagerouter')));
    },
    get fastrouter() {
      return (clients.fastrouter ??= createFastRouterClient(optionsFor('fastrouter')));
    },
    get routmy() {
      return (clients.routmy ??= createRoutMyClient(optionsFor('routmy')));
    },

    async modelCapabilities(provider, model, callOptions) {
      return (await lookup(provider, model, callOptions)).caps;
    },

    async prepareRequest(request) {
      const found = await lookup(request.provider, request.model, {
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const body = await prepare(request, found);
      return { provider: request.provider, body, capabilities: found.caps };
    },

    async generateVideo(request) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      const profile = PROFILES[request.provider];
      const clock = optionsFor(request.provider).clock ?? systemClock;
      const ctx = new FlowContext({
        provider: request.provider,
        clock,
        timeoutMs: request.timeoutMs ?? profile.generateTimeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        random,
        jobId: `local_${randomUUID()}`,
      });
      const found = await lookup(
        request.provider,
        request.model,
        ctx.callOptions({}, MINUTE),
      ).catch((error: unknown) => {
        throw ctx.restate(error);
      });
      const body = await prepare(request, found);
      const extra = { request, ...(profile.poll ? { cadence: profile.poll } : {}) };
      let outcome: FlowOutcome;
      switch (request.provider) {
        case 'openrouter':
          outcome = await openrouterFlow.run(reelkit.openrouter, body as never, ctx, extra);
          break;
        case 'imagerouter':
          outcome = await imagerouterFlow.run(reelkit.imagerouter, body as never, ctx, extra);
          break;
        case 'fastrouter':
          outcome = await fastrouterFlow.run(reelkit.fastrouter, body as never, ctx, extra);
          break;
        case 'routmy':
          outcome = await routmyFlow.run(reelkit.routmy, body as never, ctx, extra);
          break;
      }
      const result: VideoResult = {
        provider: request.provider,
        model: request.model,
        id: ctx.jobId,
        status: 'completed',
        providerStatus: outcome.providerStatus,
        videos: outcome.videos,
        ...(outcome.cost !== undefined ? { cost: outcome.cost } : {}),
        timings: ctx.timings(),
        raw: outcome.raw,
      };
      Object.defineProperty(result, DOWNLOAD, { value: outcome.download, enumerable: false });
      return result;
    },

    downloadVideo(result, downloadOptions) {
      return downloadVideo(result, {
        ...downloadOptions,
        ...(downloadOptions.timeoutClock || !optionsFor(result.provider).timeoutClock
          ? {}
          : { timeoutClock: optionsFor(result.provider).timeoutClock as Clock }),
      });
    },
  };

  /** The router body of a request (refusing what the model cannot do). */
  async function prepare(request: GenerateVideoRequest, found: CapabilityLookup): Promise<unknown> {
    if (!found.caps && found.authoritative) {
      throw new CapabilityError({
        provider: request.provider,
        model: request.model,
        param: 'model',
        value: request.model,
        accepted: found.ids,
        reason: `${request.provider} does not list the model ${request.model}`,
      });
    }
    const flows: { readonly [K in ProviderId]: RouterFlow<never, unknown> } = {
      openrouter: openrouterFlow as RouterFlow<never, unknown>,
      imagerouter: imagerouterFlow as RouterFlow<never, unknown>,
      fastrouter: fastrouterFlow as RouterFlow<never, unknown>,
      routmy: routmyFlow as RouterFlow<never, unknown>,
    };
    return flows[request.provider].prepare(request, found.caps);
  }

  async function liveOpenRouterModels(callOptions: CallOptions): Promise<ModelCapabilities[]> {
    const clock = optionsFor('openrouter').clock ?? systemClock;
    if (!openrouterModels || clock.now() - openrouterModels.at > ttl) {
      const client = reelkit.openrouter;
      const list = client.listModels(undefined, callOptions).then((answer) =>
        answer.data.map((model) =>
          openrouterSpec.capabilitiesOf({
            model,
            provenance: {
              level: 'official-spec',
              source: `GET ${client.transport.baseUrl}${openrouterSpec.openrouter.routes.listModels.path}`,
            },
          }),
        ),
      );
      openrouterModels = { at: clock.now(), list };
      // A failed fetch is not cached.
      list.catch(() => {
        if (openrouterModels?.list === list) openrouterModels = undefined;
      });
    }
    return openrouterModels.list;
  }

  async function lookup(
    provider: ProviderId,
    model: string,
    callOptions: CallOptions = {},
  ): Promise<CapabilityLookup> {
    if (capabilities === 'off') return { caps: undefined, authoritative: false, ids: [] };
    if (provider === 'openrouter' && capabilities === 'auto') {
      try {
        const list = await liveOpenRouterModels(callOptions);
        return {
          caps: list.find((m) => m.id === model),
          authoritative: true,
          ids: list.map((m) => m.id),
        };
      } catch (error) {
        if (error instanceof AbortError || error instanceof TimeoutError) throw error;
        // The model list is a convenience; the submit will surface a real problem.
      }
    }
    const catalog = specs[provider].models;
    return {
      caps: catalog.find((m) => m.id === model),
      authoritative: false,
      ids: catalog.map((m) => m.id),
    };
  }

  return reelkit;
}

/**
 * Writes video `index` of a result to a file path or a `WritableStream`. Inline bytes are
 * written as they are; URLs are downloaded with retries, the router's key sent only to the
 * router's own origin (OpenRouter's content route needs it).
 *
 * @example
 * const result = await reelkit.generateVideo({ provider: 'routmy', model: 'google/veo-3.1', prompt: 'a cat' });
 * const { bytes } = await downloadVideo(result, { to: 'cat.mp4' });
 */
export async function downloadVideo(
  result: VideoResult,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const index = options.index ?? 0;
  const video = result.videos[index];
  if (!video) {
    throw new InvalidRequestError('downloadVideo', [
      {
        path: ['index'],
        code: 'too_big',
        message: `the result has ${result.videos.length} video(s); index ${index} does not exist`,
      },
    ]);
  }
  const path = typeof options.to === 'string' ? options.to : undefined;
  if (video.bytes) {
    await writeBytes(video.bytes, options.to);
    return {
      bytes: video.bytes.byteLength,
      contentType: video.mimeType,
      ...(path ? { path } : {}),
    };
  }
  if (options.signal?.aborted) throw abortReason(options.signal);
  const timeoutMs = options.timeoutMs ?? 10 * MINUTE;
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const disarm = new AbortController();
  (options.timeoutClock ?? systemClock).sleep(timeoutMs, disarm.signal).then(
    () => controller.abort(new TimeoutError({ timeoutMs, what: 'downloadVideo' })),
    () => undefined,
  );
  const open =
    (result as Downloadable)[DOWNLOAD] ??
    ((_: number, callOptions: CallOptions) =>
      fetchVideoUrl(
        { baseUrl: video.url ?? '', ...(options.fetch ? { fetch: options.fetch } : {}) },
        video.url ?? '',
        callOptions,
      ));
  const target = path ? `${path}.part` : undefined;
  try {
    // A body cut short is downloaded again from the start, into a file, or into a stream that
    // has received nothing yet.
    for (let attempt = 1; ; attempt++) {
      let bytes = 0;
      try {
        const response = await open(index, { signal: controller.signal, timeoutMs });
        const counter = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, sink) {
            bytes += chunk.byteLength;
            sink.enqueue(chunk);
          },
        });
        const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
        const sink: WritableStream<Uint8Array> = target
          ? (Writable.toWeb(createWriteStream(target)) as WritableStream<Uint8Array>)
          : (options.to as WritableStream<Uint8Array>);
        await body
          .pipeThrough(counter)
          .pipeTo(sink, { signal: controller.signal, preventAbort: !target });
        if (target && path) await rename(target, path);
        return {
          bytes,
          contentType: response.headers.get('content-type') ?? video.mimeType,
          ...(path ? { path } : {}),
        };
      } catch (error) {
        if (target) await rm(target, { force: true });
        if (controller.signal.aborted) throw error;
        const cut = !(error instanceof ReelkitError) || error instanceof ConnectionError;
        if (cut && attempt < DOWNLOAD_ATTEMPTS && (target || bytes === 0)) continue;
        if (!target)
          await (options.to as WritableStream<Uint8Array>).abort(error).catch(() => undefined);
        throw error;
      }
    }
  } catch (error) {
    if (controller.signal.aborted) {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof ReelkitError) throw reason;
      throw new AbortError({ reason, jobId: result.id });
    }
    if (error instanceof ReelkitError) throw error;
    throw new ConnectionError({
      url: video.url ?? '(video)',
      maybeSent: true,
      attempts: DOWNLOAD_ATTEMPTS,
      cause: error,
      createsJob: false,
    });
  } finally {
    disarm.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function writeBytes(
  bytes: Uint8Array,
  to: string | WritableStream<Uint8Array>,
): Promise<void> {
  if (typeof to === 'string') {
    await writeFile(`${to}.part`, bytes);
    await rename(`${to}.part`, to);
    return;
  }
  const writer = to.getWriter();
  try {
    await writer.write(bytes);
    await writer.close();
  } finally {
    writer.releaseLock();
  }
}

/**
 * Options of the one-shot {@link generateVideo}: the request plus the router's connection
 * (`apiKey`, `baseUrl`, `fetch`, `clock`, …).
 *
 * @example
 * const options: GenerateVideoOptions = { provider: 'routmy', model: 'google/veo-3.1', prompt: 'a cat', apiKey };
 */
export type GenerateVideoOptions = GenerateVideoRequest &
  Omit<ClientOptions, 'headers' | 'timeoutMs'> & {
    readonly capabilities?: CapabilitySource;
  };

/**
 * One-shot `generateVideo`, without keeping a client: creates one for `options.provider` and
 * calls it. Prefer {@link createReelkit} when generating more than once (it caches OpenRouter's
 * model list and reuses connections).
 *
 * @example
 * const result = await generateVideo({
 *   provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a cat', duration: 4,
 *   apiKey: process.env.OPENROUTER_API_KEY, signal: AbortSignal.timeout(20 * 60_000),
 * });
 * await downloadVideo(result, { to: 'cat.mp4' });
 */
export function generateVideo(options: GenerateVideoOptions): Promise<VideoResult> {
  const { apiKey, baseUrl, fetch, clock, timeoutClock, retry, lenient, onSchemaDrift, onRetry } =
    options;
  const connection: ClientOptions = {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(fetch ? { fetch } : {}),
    ...(clock ? { clock } : {}),
    ...(timeoutClock ? { timeoutClock } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(lenient !== undefined ? { lenient } : {}),
    ...(onSchemaDrift ? { onSchemaDrift } : {}),
    ...(onRetry ? { onRetry } : {}),
  };
  return createReelkit({
    providers: { [options.provider]: connection },
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
  }).generateVideo(options);
}
