/**
 * Types of the unified interface: one request shape for every router, one result shape, and the
 * progress events in between.
 * @module
 */
import type { CanonicalStatus, ProviderId } from '@reelkit/spec';

/**
 * What an input image is for: the first or last frame of the video, or a loose reference.
 * Routers that take one image use it as the first frame.
 *
 * @example
 * const role: ImageRole = 'first_frame';
 */
export type ImageRole = 'first_frame' | 'last_frame' | 'reference';

/**
 * An input image: a URL (`https:` or a `data:` URI), or bytes.
 *
 * @example
 * const byUrl: VideoImage = { url: 'https://example.com/cat.png' };
 * const byBytes: VideoImage = { data: await fs.promises.readFile('cat.png'), mimeType: 'image/png' };
 */
export type VideoImage =
  | { readonly url: string; readonly role?: ImageRole }
  | {
      readonly data: Uint8Array | Blob;
      readonly mimeType?: string;
      readonly filename?: string;
      readonly role?: ImageRole;
    };

/**
 * One progress event of {@link GenerateVideoRequest.onProgress}: the status in the router's words
 * and in canonical words, progress when the router reports it, and the time since the call began.
 *
 * @example
 * onProgress: (e) => console.log(`${e.elapsedMs} ms ${e.status} (${e.canonicalStatus}) ${e.progress ?? ''}`)
 */
export interface ProgressEvent {
  readonly provider: ProviderId | (string & {});
  /** The router's job id, or the client's request id for synchronous routers. */
  readonly jobId: string;
  /** The router's own status word (`pending`, `processing`, `rendering`, …). */
  readonly status: string;
  /** The same status in the canonical lifecycle (spec `lifecycle.canonical`). */
  readonly canonicalStatus: CanonicalStatus;
  /** Whether the status differs from the previous event's. */
  readonly changed: boolean;
  /** 0–100, when the router reports progress (FastRouter's Sora jobs). */
  readonly progress?: number;
  /** Milliseconds since `generateVideo` was called, on the client's clock. */
  readonly elapsedMs: number;
  /** What the event comes from. */
  readonly source: 'submit' | 'poll' | 'heartbeat' | 'response';
}

/**
 * One request for a video, in router-neutral words; each router's fields are derived from it.
 * What a router or model cannot do is refused with a `CapabilityError` before anything is sent.
 *
 * @example
 * const request: GenerateVideoRequest = {
 *   provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a lighthouse at dawn',
 *   duration: 8, resolution: '1080p', aspectRatio: '16:9', audio: true,
 * };
 */
export interface GenerateVideoRequest {
  readonly provider: ProviderId;
  readonly model: string;
  readonly prompt?: string;
  /** Seconds. */
  readonly duration?: number;
  /** `480p`, `720p`, `1080p`, … */
  readonly resolution?: string;
  /** `16:9`, `9:16`, `1:1`, … */
  readonly aspectRatio?: string;
  /** Exact `WIDTHxHEIGHT`; wins over `resolution` and `aspectRatio`. */
  readonly size?: string;
  readonly images?: readonly VideoImage[];
  /** Whether the video has sound. */
  readonly audio?: boolean;
  readonly seed?: number;
  readonly negativePrompt?: string;
  /** Number of videos (rout.my only). Default 1. */
  readonly count?: number;
  /** Router fields merged into the request body as they are (not checked, not mapped). */
  readonly providerOptions?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  /** The whole call: submit, waits, polls, retries. Default per router (15–30 min). */
  readonly timeoutMs?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Headers of the request that starts the generation (e.g. `X-Reelkit-Scenario`). */
  readonly headers?: HeadersInit;
  /** First poll wait for asynchronous routers; grows to the router's maximum. */
  readonly pollIntervalMs?: number;
}

/**
 * One generated video: a URL to download, or the bytes when the router sent them inline.
 *
 * @example
 * const first: GeneratedVideo | undefined = result.videos[0];
 */
export interface GeneratedVideo {
  readonly url?: string;
  readonly bytes?: Uint8Array;
  readonly mimeType?: string;
}

/**
 * How long the call took, on the client's clock.
 *
 * @example
 * console.log(`queued ${result.timings.queuedMs} ms, total ${result.timings.totalMs} ms`);
 */
export interface VideoTimings {
  readonly startedAt: number;
  /** When the router accepted the job (asynchronous routers). */
  readonly submittedAt?: number;
  readonly finishedAt: number;
  readonly totalMs: number;
  /** Time spent in a queued status, where the router reports one. */
  readonly queuedMs?: number;
  /** Status polls made. */
  readonly polls: number;
  /** Retries made by any request of the call. */
  readonly retries: number;
  /** Every status seen, with when it was first seen. */
  readonly statuses: readonly {
    readonly status: string;
    readonly canonicalStatus: CanonicalStatus;
    readonly at: number;
  }[];
}

/**
 * The normalized outcome of {@link GenerateVideoRequest}: always a completed job (anything else is
 * thrown as a `GenerationFailedError`).
 *
 * @example
 * const result = await reelkit.generateVideo({ provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a cat' });
 * result.videos[0]?.url; result.cost; result.raw.final;
 */
export interface VideoResult {
  readonly provider: ProviderId;
  readonly model: string;
  /** The router's job id; for synchronous routers (no id) the client's own request id. */
  readonly id: string;
  /** Canonical status: always `completed`. */
  readonly status: Extract<CanonicalStatus, 'completed'>;
  /** The router's own word for it (`completed`, `succeed`, `succeeded`). */
  readonly providerStatus: string;
  readonly videos: readonly GeneratedVideo[];
  /** USD, as the router reports it (OpenRouter `usage.cost`, ImageRouter `cost`, FastRouter credits). */
  readonly cost?: number;
  readonly timings: VideoTimings;
  /** The router's own answers: the submit (asynchronous routers) and the final one. */
  readonly raw: { readonly submit?: unknown; readonly final: unknown };
}
