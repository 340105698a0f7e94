/**
 * What the benchmark sends to the servers it measures, and the messages between the orchestrator
 * and its worker processes.
 * @module
 */

/** The API key every benchmark request carries. */
export const API_KEY = 'sk-reelkit-bench';

/**
 * The OpenRouter route templates the benchmark asks on (`{jobId}` in the poll and content paths),
 * read from the spec in `routes.ts` and sent to the baselines with their bodies.
 */
export interface BenchRoutes {
  readonly submit: string;
  readonly poll: string;
  readonly content: string;
}

/** The success status each of the {@link BenchRoutes} declares in the spec. */
export type BenchStatuses = { readonly [Operation in keyof BenchRoutes]: number };

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

/**
 * The configurations of the reelkit mock the benchmark serves, each in its own process:
 * `default` is what users run (`npm start`, i.e. `reelkit mock` with its defaults), `manual` is
 * the one the benchmark measured alone before (the OpenRouter mock on a manual clock), `redis`
 * is `default` with its state in a `redis-server` the benchmark starts (`--store redis://…`).
 */
export type MockConfig = 'default' | 'manual' | 'redis';

/** Every configuration; the first that runs is the one the baselines copy their bodies from. */
export const MOCK_CONFIG_NAMES: readonly MockConfig[] = ['default', 'manual', 'redis'];

/** What each {@link MockConfig} is, as a reader of the report would start it. */
export const MOCK_CONFIGS: Readonly<Record<MockConfig, { command: string; serves: string }>> = {
  default: {
    command: '`npm start` (`reelkit mock`)',
    serves:
      'all four routers in one process, each on its own port, on the real clock × 30 ' +
      '(`startMocks` with its defaults, as the CLI calls it; ports picked free instead of 4010–4013)',
  },
  manual: {
    command: '`reelkit mock --provider openrouter --clock manual`',
    serves: 'the OpenRouter mock alone, on a manual clock (`startMocks`, fastify mount)',
  },
  redis: {
    command: '`reelkit mock --store redis://127.0.0.1:<free port>/0`',
    serves:
      'one replica on Redis: the default configuration (all four routers, real clock × 30) with ' +
      "every router's state in a `redis-server` the benchmark starts (loopback, persistence off)",
  },
};

/** Redis traffic of requests sent one at a time, counted in the replica's process. */
export interface RedisTrafficPerRequest {
  readonly requests: number;
  /** Commands the replica's Redis client sent, per request (a Lua script is one). */
  readonly commands: number;
  /** The same by command name, per request. */
  readonly byCommand: Readonly<Record<string, number>>;
  /**
   * Times a request waited on Redis: the client going from nothing in flight to something in
   * flight (commands sent together, pipelined or in a MULTI, are one wait).
   */
  readonly roundTrips: number;
}

/** What the Redis replica measured of its own Redis traffic before it reported ready. */
export interface RedisProbe {
  readonly poll: RedisTrafficPerRequest;
  readonly submit: RedisTrafficPerRequest;
  /** Background traffic (the webhook worker looking for due deliveries) while idle. */
  readonly idle: {
    readonly seconds: number;
    readonly commands: number;
    readonly roundTrips: number;
  };
}

/** What the reelkit server worker reports once it listens. */
export interface ReelkitServerInfo {
  readonly config: MockConfig;
  /** The OpenRouter mock's origin. */
  readonly origin: string;
  /** Ids of completed jobs created before the load starts. */
  readonly jobIds: readonly string[];
  /** The `redis` configuration's count of its own Redis traffic. */
  readonly redisProbe?: RedisProbe;
}

/** The bodies the baselines (raw fastify, bare node:http) answer with, copied from the mock byte for byte. */
export interface BaselineBodies {
  /** The routes to answer on, and the status each answers with. */
  readonly routes: BenchRoutes;
  readonly statuses: BenchStatuses;
  readonly poll: string;
  readonly submit: string;
  /** The MP4 of a completed job, base64. */
  readonly mp4Base64: string;
}

/** What the raw fastify and bare node:http workers report once they listen. */
export interface BaselineServerInfo {
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
  | { readonly type: 'bodies'; readonly bodies: BaselineBodies }
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
