/**
 * The benchmark's own `redis-server` for the Redis-store configuration: started on a free loopback
 * port in a temporary directory with persistence off, stopped (directory removed) at the end, and
 * read between load runs: commands Redis processed (by type) and CPU it used.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';

/**
 * Why the Redis rows cannot run here, or undefined when `redis-server` is on PATH.
 *
 * @example
 * if (redisServerMissing()) log(`Redis rows skipped: ${redisServerMissing()}`);
 */
export function redisServerMissing(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : 'redis-server is not on PATH (Debian: apt-get install redis-server; .ci/run installs it)';
}

/** Redis's own counters at one moment. */
export interface RedisCounters {
  /** Calls per command type (`get`, `evalsha`, `multi` …), the benchmark's own INFO left out. */
  readonly calls: Readonly<Record<string, number>>;
  /** CPU time (user + system) of redis-server so far, µs, from `INFO cpu`. */
  readonly cpuUs: number;
}

/** A running benchmark Redis. */
export interface BenchRedis {
  readonly url: string;
  readonly pid: number;
  readonly version: string;
  /** Redis's counters now (one INFO round trip on a connection of the benchmark's own). */
  counters(): Promise<RedisCounters>;
  stop(): Promise<void>;
}

/** redis-server says it is ready within milliseconds; this bounds a broken start. */
const START_TIMEOUT_MS = 10_000;

/**
 * Parses `INFO cpu commandstats`: calls per command (INFO itself left out) and CPU time.
 *
 * @example
 * parseInfo('used_cpu_sys:0.5\r\nused_cpu_user:1.5\r\ncmdstat_get:calls=3,usec=9,usec_per_call=3.00');
 * // { calls: { get: 3 }, cpuUs: 2000000 }
 */
export function parseInfo(text: string): RedisCounters {
  const calls: Record<string, number> = {};
  let cpuSeconds = 0;
  for (const line of text.split(/\r?\n/)) {
    const stat = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (stat?.[1] && stat[2] && stat[1] !== 'info') calls[stat[1]] = Number(stat[2]);
    const cpu = /^used_cpu_(?:sys|user):([\d.]+)/.exec(line);
    if (cpu?.[1]) cpuSeconds += Number(cpu[1]);
  }
  return { calls, cpuUs: Math.round(cpuSeconds * 1e6) };
}

/**
 * What happened between two readings: calls per command type and Redis CPU, per `requests`.
 *
 * @example
 * const perRequest = countersPerRequest(before, after, 30_000);
 */
export function countersPerRequest(
  before: RedisCounters,
  after: RedisCounters,
  requests: number,
): { commands: number; byCommand: Record<string, number>; cpuUs: number } {
  const byCommand: Record<string, number> = {};
  let commands = 0;
  for (const [name, calls] of Object.entries(after.calls)) {
    const delta = calls - (before.calls[name] ?? 0);
    if (delta <= 0) continue;
    commands += delta;
    byCommand[name] = Math.round((delta / requests) * 1000) / 1000;
  }
  return {
    commands: Math.round((commands / requests) * 1000) / 1000,
    byCommand,
    cpuUs: Math.round(((after.cpuUs - before.cpuUs) / requests) * 10) / 10,
  };
}

function waitReady(child: ChildProcess): Promise<void> {
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * Starts `redis-server` on 127.0.0.1 (free port, temporary directory, no RDB or AOF).
 *
 * @example
 * const redis = await startBenchRedis();
 * try { ... redis.url ... } finally { await redis.stop(); }
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'reelkit-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A benchmark that exits without stop() (a crash, Ctrl-C: see main.ts) leaves no Redis behind.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stopServer = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  let client: Redis | undefined;
  try {
    await waitReady(child);
    // Drain its log so that a full pipe never blocks it.
    child.stdout?.resume();
    child.stderr?.resume();
    client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    const server = await client.info('server');
    const version = /redis_version:(\S+)/.exec(server)?.[1] ?? 'unknown';
    const reader = client;
    return {
      url: `redis://127.0.0.1:${port}/0`,
      pid: child.pid as number,
      version,
      counters: async () => parseInfo(String(await reader.call('INFO', 'cpu', 'commandstats'))),
      async stop() {
        reader.disconnect();
        await stopServer();
      },
    };
  } catch (error) {
    client?.disconnect();
    await stopServer();
    throw error;
  }
}
