/**
 * Starting, talking to and stopping the processes the benchmark measures: its own workers (forked
 * with an IPC channel), Prism and the `reelkit` command line. Every wait is bounded.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { OrchestratorMessage } from './protocol.js';
import { isWorkerMessage } from './protocol.js';
import type { WorkerName } from './paths.js';
import { openrouterOpenApi, prismBin, repoRoot, workerExecArgv, workerFile } from './paths.js';
import { UNMOUNTED_MODELS_PATH } from './routes.js';

/** Options of {@link runWorker} and {@link startServerWorker}. */
export interface WorkerOptions {
  readonly args?: readonly string[];
  /** Extra node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly onProgress?: (message: string) => void;
  /** Give up (and kill the worker) after this long. */
  readonly timeoutMs: number;
}

function forkWorker(name: WorkerName, options: WorkerOptions): ChildProcess {
  return fork(workerFile(name), [...(options.args ?? [])], {
    cwd: repoRoot,
    execArgv: [...workerExecArgv(), ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Waits for the worker's first `ready` or `result` message. */
function firstAnswer<T>(
  name: WorkerName,
  child: ChildProcess,
  options: WorkerOptions,
  kind: 'ready' | 'result',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${name} gave no ${kind} within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      reject(new Error(`worker ${name} exited (${signal ?? code}) before its ${kind} message`));
    };
    child.on('exit', onExit);
    child.on('message', (message: unknown) => {
      if (!isWorkerMessage<T>(message)) return;
      switch (message.type) {
        case 'progress':
          options.onProgress?.(message.message);
          return;
        case 'error':
          done();
          reject(new Error(`worker ${name} failed: ${message.message}`));
          return;
        case 'ready':
          if (kind === 'ready') {
            done();
            resolve(message.info);
          }
          return;
        case 'result':
          if (kind === 'result') {
            done();
            resolve(message.result);
          }
          return;
        case 'reply':
          // Answers to request(), which listens for them itself.
          return;
      }
    });
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs a worker that measures something and reports one result, then exits.
 *
 * @example
 * const memory = await runWorker<MemoryResult>('memory', { args: ['100000'], timeoutMs: 60_000 });
 */
export async function runWorker<T>(name: WorkerName, options: WorkerOptions): Promise<T> {
  const child = forkWorker(name, options);
  try {
    return await firstAnswer<T>(name, child, options, 'result');
  } finally {
    await exited(child, 5_000);
  }
}

/** A server worker that is up. */
export interface ServerWorker<T> {
  readonly info: T;
  readonly pid: number | undefined;
  send(message: OrchestratorMessage): void;
  /** Sends a message and waits (bounded) for the worker's `reply`. */
  request<R>(message: OrchestratorMessage, timeoutMs: number): Promise<R>;
  /** Asks the worker to close and exit (normally, so `--cpu-prof` writes); kills it if it hangs. */
  stop(): Promise<void>;
}

/**
 * Forks a server worker and waits until it reports ready. `before` runs right after the fork, for
 * messages the worker needs before it can be ready.
 *
 * @example
 * const reelkit = await startServerWorker<ReelkitServerInfo>('reelkit-server', { timeoutMs: 30_000 });
 * await reelkit.stop();
 */
export async function startServerWorker<T>(
  name: WorkerName,
  options: WorkerOptions,
  before?: (child: ChildProcess) => void,
): Promise<ServerWorker<T>> {
  const child = forkWorker(name, options);
  before?.(child);
  let info: T;
  try {
    info = await firstAnswer<T>(name, child, options, 'ready');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    info,
    pid: child.pid,
    send: (message) => void child.send(message),
    request<R>(message: OrchestratorMessage, timeoutMs: number) {
      return new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => {
          done();
          reject(new Error(`worker ${name} did not answer ${message.type} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (answer: unknown) => {
          if (!isWorkerMessage<R>(answer)) return;
          // (Progress lines are forwarded by the listener that waited for `ready`.)
          if (answer.type === 'reply') {
            done();
            resolve(answer.reply);
          } else if (answer.type === 'error') {
            done();
            reject(new Error(`worker ${name} failed: ${answer.message}`));
          }
        };
        const onExit = () => {
          done();
          reject(new Error(`worker ${name} exited before answering ${message.type}`));
        };
        const done = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(message);
      });
    },
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies OrchestratorMessage);
      else child.kill('SIGTERM');
      await exited(child, 10_000);
    },
  };
}

/**
 * A free TCP port on 127.0.0.1 (bound, read and released).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A plain HTTP GET: status and body, or `undefined` if nothing answers. */
export function httpGet(
  url: string,
  headers: Readonly<Record<string, string>> = {},
  timeoutMs = 1000,
): Promise<{ status: number; body: Buffer } | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { ...headers }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** A plain HTTP request with a body. */
export function httpSend(
  url: string,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `url` until it answers with `accept(status)`, every `intervalMs`, for at most
 * `timeoutMs`; resolves to the time of the first accepted answer (performance.now() ms).
 *
 * @example
 * await waitForHttp(`${origin}/__reelkit/health`, { timeoutMs: 10_000 });
 */
export async function waitForHttp(
  url: string,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    accept?: (status: number) => boolean;
    exited?: () => boolean;
  },
): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  const accept = options.accept ?? ((status: number) => status === 200);
  while (performance.now() < deadline) {
    const answer = await httpGet(url, {}, 500);
    if (answer && accept(answer.status)) return performance.now();
    if (options.exited?.()) throw new Error(`the process serving ${url} exited`);
    await sleep(options.intervalMs ?? 5);
  }
  throw new Error(`${url} did not answer within ${options.timeoutMs} ms`);
}

/** A running Prism mock. */
export interface PrismMock {
  readonly origin: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `prism mock` on the generated OpenRouter document and waits until it answers. Its log
 * goes nowhere; at `error` level it also costs Prism nothing.
 *
 * @example
 * const prism = await startPrism({ timeoutMs: 30_000, logLevel: 'error' });
 * await prism.stop();
 */
export async function startPrism(options: {
  timeoutMs: number;
  logLevel: string;
}): Promise<PrismMock> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      prismBin(),
      'mock',
      openrouterOpenApi,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--verboseLevel',
      options.logLevel,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}${UNMOUNTED_MODELS_PATH}`, {
      timeoutMs: options.timeoutMs,
      intervalMs: 50,
      accept: () => true,
      exited: () => child.exitCode !== null,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`prism mock did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    origin,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited(child, 5_000);
    },
  };
}

/**
 * Spawns a command and measures the time from spawn to the first 200 answer of `url`, then
 * stops it. Polls every 2 ms.
 *
 * @example
 * const ms = await timeToFirstAnswer([cliBin, 'mock', '--port', '4010'], 'http://127.0.0.1:4010/__reelkit/health');
 */
export async function timeToFirstAnswer(
  args: readonly string[],
  url: string,
  timeoutMs: number,
): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [...args], { cwd: repoRoot, stdio: 'ignore' });
  try {
    const answered = await waitForHttp(url, {
      timeoutMs,
      intervalMs: 2,
      exited: () => child.exitCode !== null,
    });
    return answered - start;
  } finally {
    child.kill('SIGTERM');
    await exited(child, 5_000);
  }
}
