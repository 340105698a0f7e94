/**
 * HTTP load with autocannon: the three workloads, and one bounded run against one target.
 * @module
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { AUTH_HEADERS, SUBMIT_BODY, SUBMIT_HEADERS } from './protocol.js';
import { BENCH_STATUSES } from './routes.js';
import { round } from './stats.js';

/** The workloads. */
export type Workload = 'poll' | 'submit' | 'mixed';

/** Every workload, in the order a run drives them. */
export const WORKLOADS: readonly Workload[] = ['poll', 'submit', 'mixed'];

/**
 * The HTTP targets: the reelkit mock in its two configurations (see `MOCK_CONFIGS`), and the
 * baselines: a bare `node:http` server and raw fastify answering the same bytes, and Prism.
 */
export type Target =
  'reelkit-default' | 'reelkit-manual' | 'reelkit-redis' | 'node-http' | 'fastify' | 'prism';

/** Every target, in the order each round drives them. */
export const ALL_TARGETS: readonly Target[] = [
  'reelkit-default',
  'reelkit-manual',
  'reelkit-redis',
  'node-http',
  'fastify',
  'prism',
];

/** How the reports name each target. */
export const TARGET_LABELS: Readonly<Record<Target, string>> = {
  'reelkit-default': 'reelkit, default configuration (npm start)',
  'reelkit-manual': 'reelkit, OpenRouter alone, manual clock',
  'reelkit-redis': 'reelkit, default configuration, one replica on Redis',
  'node-http': 'bare node:http, same bytes',
  fastify: 'raw fastify, same bytes',
  prism: 'prism mock',
};

/**
 * The targets each workload drives. The two configurations meet on polls, the workload their
 * goal is about, and so does bare node:http, the poll goal's reference; submit and mixed run on
 * what users run, beside raw fastify (and Prism, which cannot serve the MP4s that mixed
 * downloads). The Redis replica meets the default configuration on polls and submits, the
 * workloads its goals compare. Fewer pairs keep the run near its former length.
 */
export const WORKLOAD_TARGETS: Readonly<Record<Workload, readonly Target[]>> = {
  poll: ALL_TARGETS,
  submit: ['reelkit-default', 'reelkit-redis', 'fastify', 'prism'],
  mixed: ['reelkit-default', 'fastify'],
};

/** Paths of one target (Prism serves the document's paths, without the `/api/v1` base). */
export interface TargetPaths {
  readonly origin: string;
  readonly submit: string;
  /** A completed job's poll path. */
  readonly poll: string;
  /** Poll path of a job id, for the mixed workload. */
  readonly pollOf: (id: string) => string;
  /** A completed job's content path. */
  readonly content: string;
  /** The exact poll body this target answers, checked on every response. */
  readonly pollBody?: string;
  /** The server's process id, to read the CPU time it spends (Linux). */
  readonly pid?: number;
}

/** One load run's outcome. */
export interface LoadSample {
  readonly target: Target;
  readonly workload: Workload;
  /** 0 for the warm-up run. */
  readonly round: number;
  /** Successful (2xx) responses per second; a mixed iteration is three requests. */
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /**
   * CPU time the server process spent per successful response, in µs (user + system, from
   * /proc; absent elsewhere). Other work on the machine changes it much less than throughput.
   */
  readonly cpuUsPerReq?: number;
  /** Poll responses whose body differed from the expected bytes. */
  readonly mismatches: number;
  readonly seconds: number;
  /** For a target on Redis: what Redis did over the run, per successful response. */
  readonly redis?: RedisPerRequest;
}

/** Redis's side of a load run, per successful response (from `INFO cpu commandstats`). */
export interface RedisPerRequest {
  /** Commands Redis processed (a Lua script is one). */
  readonly commands: number;
  readonly byCommand: Readonly<Record<string, number>>;
  /** CPU time redis-server used, µs. */
  readonly cpuUs: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
}

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/**
 * CPU time (user + system) a process has used so far, in ms, or undefined off Linux.
 *
 * @example
 * const before = cpuTimeMs(pid);
 */
export function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

interface MixedContext {
  jobId?: string;
}

/** The request part of autocannon's options (a single request's path goes in the URL). */
type Shape = Pick<
  autocannon.Options,
  'url' | 'method' | 'headers' | 'body' | 'requests' | 'expectBody'
>;

function shapeOf(workload: Workload, paths: TargetPaths): Shape {
  switch (workload) {
    case 'poll':
      return {
        url: paths.origin + paths.poll,
        method: 'GET',
        headers: { ...AUTH_HEADERS },
        ...(paths.pollBody !== undefined ? { expectBody: paths.pollBody } : {}),
      };
    case 'submit':
      return {
        url: paths.origin + paths.submit,
        method: 'POST',
        headers: { ...SUBMIT_HEADERS },
        body: SUBMIT_BODY,
      };
    case 'mixed':
      // Submit a job, poll it, download a completed job's video: three requests per iteration.
      return {
        url: paths.origin,
        requests: [
          {
            method: 'POST',
            path: paths.submit,
            headers: { ...SUBMIT_HEADERS },
            body: SUBMIT_BODY,
            onResponse: (status, body, context) => {
              const ctx = context as MixedContext;
              if (status === BENCH_STATUSES.submit)
                ctx.jobId = (JSON.parse(body) as { id: string }).id;
            },
          },
          {
            method: 'GET',
            headers: { ...AUTH_HEADERS },
            setupRequest: (request, context) => ({
              ...request,
              path: paths.pollOf((context as MixedContext).jobId ?? 'missing'),
            }),
          },
          { method: 'GET', path: paths.content, headers: { ...AUTH_HEADERS } },
        ],
      };
  }
}

/**
 * Drives one target with one workload for `seconds` (autocannon stops on time; its request
 * timeout bounds each request).
 *
 * @example
 * const sample = await runLoad('reelkit', 'poll', paths, { connections: 50, seconds: 3 }, 1);
 */
export async function runLoad(
  target: Target,
  workload: Workload,
  paths: TargetPaths,
  options: LoadOptions,
  roundNumber: number,
): Promise<LoadSample> {
  const cpuBefore = cpuTimeMs(paths.pid);
  const result = await autocannon({
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    // autocannon stops at the first sample tick after the duration: tick every 100 ms, not 1 s.
    sampleInt: 100,
    ...shapeOf(workload, paths),
  });
  const cpuAfter = cpuTimeMs(paths.pid);
  const ok = result['2xx'];
  const cpuUsPerReq =
    cpuBefore !== undefined && cpuAfter !== undefined && ok > 0
      ? round(((cpuAfter - cpuBefore) * 1000) / ok, 1)
      : undefined;
  return {
    target,
    workload,
    round: roundNumber,
    reqPerSec: round(ok / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    ...(cpuUsPerReq !== undefined ? { cpuUsPerReq } : {}),
    seconds: round(result.duration, 3),
  };
}
