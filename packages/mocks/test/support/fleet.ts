/**
 * Starts a mock fleet for tests: a throwaway `redis-server`, N replicas of `reelkit mock` (separate
 * processes, each on its own loopback port, all on the same Redis) and nginx round-robin in front.
 * A replica can be killed (SIGKILL: a crash; SIGTERM: a graceful stop) and restarted on its port.
 * `stop()` always tears everything down, and every replica's output is kept for failure messages.
 *
 * The replicas run the CLI from its TypeScript sources (tsx, with the `@reelkit/source` condition),
 * as vitest runs the tests: so they serve the code under test, never a stale `dist/` bundle, and
 * `npm test` needs no build of the CLI first.
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProviderId } from '@reelkit/spec';
import type { LoadBalancer } from './load-balancer.js';
import { startLoadBalancer } from './load-balancer.js';
import type { TestRedis } from './redis-server.js';
import { startRedisServer } from './redis-server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliSource = fileURLToPath(new URL('../../../cli/src/bin.ts', import.meta.url));

/** Options of {@link startFleet}: what every replica gets (a fleet's replicas must agree). */
export interface FleetOptions {
  readonly provider: ProviderId;
  /** Replica processes (default 3). */
  readonly replicas?: number;
  /**
   * `redis` (default): every replica on one fresh redis-server. `memory`: each replica keeps its
   * own state, which is what the fleet tests exist to catch (and how to debug the harness alone).
   */
  readonly store?: 'redis' | 'memory';
  readonly clock?: 'real' | 'manual';
  readonly timeScale?: number;
  readonly seed?: number;
  readonly controlToken?: string;
  readonly webhookSecret?: string;
  readonly allowHttpCallbacks?: boolean;
  readonly maxJobs?: number;
  /** Further `reelkit mock` options, as given. */
  readonly extraArgs?: readonly string[];
  /** Real ms a replica may take to answer its health check after it starts (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** One replica process. */
export interface Replica {
  readonly index: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the replica directly, bypassing the balancer. */
  readonly origin: string;
  /** Whether its process is running. */
  readonly alive: boolean;
}

/** How a replica process ended. */
export interface ReplicaExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Real ms a replica may take to stop gracefully on SIGTERM. */
const GRACEFUL_STOP_MS = 15_000;

/** A running fleet. */
export interface Fleet {
  /** The balancer's origin, `http://127.0.0.1:<port>`: what clients use. */
  readonly url: string;
  readonly replicas: readonly Replica[];
  readonly balancer: LoadBalancer;
  /** The Redis the replicas share (absent with `store: 'memory'`). */
  readonly redis?: TestRedis;
  /**
   * Sends `signal` to replica `index` and resolves with how its process ended. A replica that
   * does not stop within 15 s of SIGTERM is SIGKILLed and the call rejects: a graceful stop hung.
   */
  kill(index: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<ReplicaExit>;
  /** Starts replica `index` again, on its port, and resolves once it answers its health check. */
  restart(index: number): Promise<void>;
  /** Every replica's output and nginx's error log, for a failure message. */
  logs(): string;
  /** Stops the balancer, the replicas and Redis; safe to call twice, and after a failed start. */
  stop(): Promise<void>;
}

/** Output kept per replica process (the tail: a long run prints little, a crash prints a stack). */
const LOG_LIMIT = 64 * 1024;

interface ReplicaProcess {
  child: ChildProcess;
  exited: Promise<void>;
  output: string;
}

/** The `reelkit mock` arguments of every replica, but the port. */
function replicaArgs(options: FleetOptions, redis: TestRedis | undefined): string[] {
  const args = ['mock', '--provider', options.provider, '--clock', options.clock ?? 'manual'];
  if (options.timeScale !== undefined) args.push('--time-scale', String(options.timeScale));
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (redis) args.push('--store', redis.url);
  if (options.controlToken !== undefined) args.push('--control-token', options.controlToken);
  if (options.webhookSecret !== undefined) args.push('--webhook-secret', options.webhookSecret);
  if (options.allowHttpCallbacks) args.push('--allow-http-callbacks');
  if (options.maxJobs !== undefined) args.push('--max-jobs', String(options.maxJobs));
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** Environment of a replica: the test's, without a control token it did not ask for. */
function replicaEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.REELKIT_CONTROL_TOKEN;
  return env;
}

/**
 * Spawns one replica on `port` (0: the kernel picks) and resolves with its port once it answers
 * its health check; rejects with its output if it exits or does not answer in time.
 */
async function spawnReplica(
  args: readonly string[],
  port: number,
  timeoutMs: number,
): Promise<{ proc: ReplicaProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@reelkit/source', '--import', 'tsx', cliSource, ...args, '--port', String(port)],
    { cwd: repoRoot, env: replicaEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const proc: ReplicaProcess = {
    child,
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
    output: '',
  };
  const append = (chunk: Buffer) => {
    proc.output = (proc.output + chunk.toString()).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const fail = (why: string) => {
    child.kill('SIGKILL');
    return new Error(`replica (${args.join(' ')} --port ${port}) ${why}:\n${proc.output}`);
  };
  const deadline = Date.now() + timeoutMs;
  let listening: number | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw fail('exited');
    listening ??= Number(
      /control: http:\/\/127\.0\.0\.1:(\d+)\/__reelkit\/health/.exec(proc.output)?.[1] ?? NaN,
    );
    if (Number.isNaN(listening)) listening = undefined;
    if (listening !== undefined) {
      const health = await fetch(`http://127.0.0.1:${listening}/__reelkit/health`).catch(
        () => undefined,
      );
      if (health?.ok) return { proc, port: listening };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw fail(`did not answer /__reelkit/health within ${timeoutMs} ms`);
}

/**
 * Starts Redis (unless `store: 'memory'`), `replicas` CLI processes and nginx in front of them.
 *
 * @example
 * const fleet = await startFleet({ provider: 'openrouter', clock: 'manual' });
 * try {
 *   await fetch(`${fleet.url}/api/v1/videos/models`);
 *   await fleet.kill(1, 'SIGKILL');
 *   await fleet.restart(1);
 * } finally {
 *   await fleet.stop();
 * }
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const count = options.replicas ?? 3;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const procs: (ReplicaProcess | undefined)[] = new Array(count).fill(undefined);
  const ports: number[] = new Array(count).fill(0);
  let redis: TestRedis | undefined;
  let balancer: LoadBalancer | undefined;
  let stopped: Promise<void> | undefined;

  const stop = () =>
    (stopped ??= (async () => {
      await balancer?.stop();
      await Promise.all(
        procs.map(async (proc) => {
          if (!proc) return;
          if (proc.child.exitCode === null && proc.child.signalCode === null) {
            proc.child.kill('SIGKILL');
          }
          await proc.exited;
        }),
      );
      await redis?.stop();
    })());

  try {
    if ((options.store ?? 'redis') === 'redis') redis = await startRedisServer();
    const args = replicaArgs(options, redis);
    await Promise.all(
      procs.map(async (_, index) => {
        const started = await spawnReplica(args, 0, timeoutMs);
        procs[index] = started.proc;
        ports[index] = started.port;
      }),
    );
    balancer = await startLoadBalancer(ports.map((port) => `127.0.0.1:${port}`));
    const lb = balancer;
    const replicaAt = (index: number): ReplicaProcess => {
      const proc = procs[index];
      if (!proc) throw new Error(`no replica ${index} (the fleet has ${count})`);
      return proc;
    };
    return {
      url: lb.url,
      balancer: lb,
      ...(redis ? { redis } : {}),
      get replicas() {
        return ports.map((port, index) => ({
          index,
          port,
          origin: `http://127.0.0.1:${port}`,
          alive:
            replicaAt(index).child.exitCode === null && replicaAt(index).child.signalCode === null,
        }));
      },
      async kill(index, signal) {
        const proc = replicaAt(index);
        proc.child.kill(signal);
        let timer: NodeJS.Timeout | undefined;
        const hung = await Promise.race([
          proc.exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), GRACEFUL_STOP_MS);
          }),
        ]);
        clearTimeout(timer);
        if (hung) {
          proc.child.kill('SIGKILL');
          await proc.exited;
          throw new Error(
            `replica ${index} did not stop within ${GRACEFUL_STOP_MS} ms of ${signal}:\n${proc.output}`,
          );
        }
        return { code: proc.child.exitCode, signal: proc.child.signalCode };
      },
      async restart(index) {
        const proc = replicaAt(index);
        if (proc.child.exitCode === null && proc.child.signalCode === null) {
          throw new Error(`replica ${index} is still running: kill it first`);
        }
        const started = await spawnReplica(args, ports[index] as number, timeoutMs);
        started.proc.output = `${proc.output}\n--- restarted ---\n${started.proc.output}`;
        procs[index] = started.proc;
      },
      logs: () =>
        [
          ...procs.map(
            (proc, index) =>
              `--- replica ${index} (port ${ports[index]}) ---\n${proc?.output ?? ''}`,
          ),
          `--- nginx ---\n${lb.log()}`,
        ].join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
