/**
 * Starts a throwaway `redis-server` from PATH for tests: on a free loopback port, in a temporary
 * directory, with persistence off, stopped (and its directory removed) by `stop()`.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why Redis tests cannot run here, or undefined when `redis-server` is on PATH. */
export const redisMissing: string | undefined =
  spawnSync('redis-server', ['--version']).status === 0
    ? undefined
    : 'redis-server is not on PATH (Debian: apt-get install redis-server; .ci/run installs it)';

/** A running test Redis. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server, to play a Redis that stops answering. */
  freeze(frozen: boolean): void;
  stop(): Promise<void>;
}

/** A port no one listens on now, from the kernel (the server takes it right after). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** How long redis-server may take to say it is ready (real ms; it takes a few ms). */
const START_TIMEOUT_MS = 10_000;

/**
 * Starts `redis-server` on 127.0.0.1 and resolves once it accepts connections.
 *
 * @example
 * const redis = await startRedisServer();
 * const store = createRedisState({ redis: redis.url });
 * await redis.stop();
 */
export async function startRedisServer(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'reelkit-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'notice',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
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
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    freeze: (frozen) => void child.kill(frozen ? 'SIGSTOP' : 'SIGCONT'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
