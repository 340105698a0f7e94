/**
 * What the benchmark sends to the servers it measures, and the messages between the orchestrator
 * and its worker processes.
 * @module
 */

/** The API key every benchmark request carries. */
export const API_KEY = 'sk-reelkit-bench';

/** The OpenRouter base path, on the mock and on the raw fastify baseline. */
export const BASE_PATH = '/api/v1';

/** The submit body: a short 720p Veo clip, valid for the mock and for Prism's validator. */
export const SUBMIT_BODY = JSON.stringify({
  model: 'google/veo-3.1',
  prompt: 'a lighthouse at dawn',
  duration: 4,
  resolution: '720p',
  aspect_ratio: '16:9',
});

/** Headers of a poll or download. */
export const AUTH_HEADERS: Readonly<Record<string, string>> = {
  authorization: `Bearer ${API_KEY}`,
};

/** Headers of a submit. */
export const SUBMIT_HEADERS: Readonly<Record<string, string>> = {
  ...AUTH_HEADERS,
  'content-type': 'application/json',
};

/** What the reelkit server worker reports once it listens. */
export interface ReelkitServerInfo {
  readonly origin: string;
  /** Ids of completed jobs created before the load starts. */
  readonly jobIds: readonly string[];
  /** `process.hrtime` in µs when ready: CPU-profile samples before it are start-up. */
  readonly readyAtUs: number;
}

/** The bodies the raw fastify baseline answers with, copied from the mock byte for byte. */
export interface FastifyBodies {
  readonly poll: string;
  readonly submit: string;
  /** The MP4 of a completed job, base64. */
  readonly mp4Base64: string;
}

/** What the raw fastify worker reports once it listens. */
export interface FastifyServerInfo {
  readonly origin: string;
}

/** Throughput and latency of one operation run in a loop inside one process. */
export interface LoopResult {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** CPU time (user + system) per operation, µs: steadier than wall time on a busy machine. */
  readonly cpuUsPerOp: number;
}

/** The in-process engine measurements. */
export interface EngineLoopResult {
  readonly poll: LoopResult;
  readonly submit: LoopResult;
}

/** One memory reading, after a full GC when `--expose-gc` is on. */
export interface MemoryReading {
  readonly label: string;
  readonly jobs: number;
  readonly rssMB: number;
  /** What V8 has committed for its heap: RSS follows this, not the live set. */
  readonly heapTotalMB: number;
  readonly heapUsedMB: number;
}

/** The memory worker's findings. */
export interface MemoryResult {
  readonly jobsRequested: number;
  readonly gcForced: boolean;
  readonly ttlHours: number;
  readonly createSeconds: number;
  readonly readings: readonly MemoryReading[];
  /** Jobs left after time passed the TTL and the store swept. */
  readonly jobsAfterEviction: number;
  /** Of a sample of the evicted jobs' assets, how many the media store still holds. */
  readonly assetsSampled: number;
  readonly assetsStillHeld: number;
  /** The engine's diagnostics count at the end (mock bugs it noticed). */
  readonly diagnostics: number;
}

/** What the memory worker reports once its server listens. */
export interface MemoryServerInfo {
  readonly origin: string;
  readonly ttlMs: number;
}

/** The memory worker's answer to a `memory-read`. */
export interface MemoryReadReply {
  readonly reading: MemoryReading;
  /** Of the assets sampled at `memory-expire`, how many the media store still holds. */
  readonly assetsStillHeld?: number;
  readonly diagnostics: number;
}

/** The memory worker's answer to a `memory-expire`. */
export interface MemoryExpireReply {
  readonly assetsSampled: number;
}

/** Messages from a worker to the orchestrator. */
export type WorkerMessage<T> =
  | { readonly type: 'ready'; readonly info: T }
  | { readonly type: 'result'; readonly result: T }
  | { readonly type: 'reply'; readonly reply: T }
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Messages from the orchestrator to a worker. */
export type OrchestratorMessage =
  | { readonly type: 'stop' }
  | { readonly type: 'bodies'; readonly bodies: FastifyBodies }
  /** Memory worker: full GC, then answer a {@link MemoryReadReply}. */
  | { readonly type: 'memory-read'; readonly label: string }
  /** Memory worker: sample some jobs' assets, then move the clock past every job's TTL. */
  | { readonly type: 'memory-expire' };

const ORCHESTRATOR_TYPES = ['stop', 'bodies', 'memory-read', 'memory-expire'];

/**
 * Narrows an IPC message to the orchestrator's messages.
 *
 * @example
 * process.on('message', (m) => { if (isOrchestratorMessage(m) && m.type === 'stop') stop(); });
 */
export function isOrchestratorMessage(value: unknown): value is OrchestratorMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    typeof value.type === 'string' &&
    ORCHESTRATOR_TYPES.includes(value.type)
  );
}

/**
 * Narrows an IPC message to a worker's messages; the payload's shape is the worker's contract.
 *
 * @example
 * child.on('message', (m) => { if (isWorkerMessage<MemoryResult>(m) && m.type === 'result') ... });
 */
export function isWorkerMessage<T>(value: unknown): value is WorkerMessage<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    typeof value.type === 'string' &&
    ['ready', 'result', 'reply', 'progress', 'error'].includes(value.type)
  );
}
