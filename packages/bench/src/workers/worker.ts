/**
 * The worker side of the IPC protocol, and how workers load `@reelkit/mocks` (the workspace
 * build, or another build given by `--mocks-from` for before/after experiments).
 * @module
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Mocks from '@reelkit/mocks';
import type * as MocksServe from '@reelkit/mocks/serve';
import type { OrchestratorMessage, WorkerMessage } from '../protocol.js';
import { API_KEY, isOrchestratorMessage } from '../protocol.js';

/** Environment variable naming a package directory whose `dist/` replaces `@reelkit/mocks`. */
export const MOCKS_FROM_ENV = 'REELKIT_BENCH_MOCKS_FROM';

/**
 * Sends a message to the orchestrator (a no-op when the worker runs on its own).
 *
 * @example
 * send({ type: 'progress', message: '10,000 jobs' });
 */
export function send<T>(message: WorkerMessage<T>): void {
  process.send?.(message);
}

/**
 * Calls `listener` for every message of the orchestrator.
 *
 * @example
 * onMessage((m) => { if (m.type === 'stop') process.exit(0); });
 */
export function onMessage(listener: (message: OrchestratorMessage) => void): void {
  process.on('message', (message: unknown) => {
    if (isOrchestratorMessage(message)) listener(message);
  });
}

/**
 * Runs a worker's main function, reporting a failure to the orchestrator and exiting non-zero.
 *
 * @example
 * runWorker(async () => send({ type: 'result', result: await measure() }));
 */
export function runWorker(main: () => Promise<void>): void {
  // If the orchestrator dies (Ctrl-C, a crash), the IPC channel closes: leave no server behind.
  process.once('disconnect', () => process.exit(0));
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    send({ type: 'error', message });
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}

/** The parts of `@reelkit/mocks` the workers use. */
export interface LoadedMocks {
  readonly mocks: typeof Mocks;
  readonly serve: typeof MocksServe;
}

/**
 * Loads `@reelkit/mocks`, or the build under `$REELKIT_BENCH_MOCKS_FROM/dist` when that is set.
 *
 * @example
 * const { mocks } = await loadMocks();
 * const engine = mocks.createMockEngine({ provider: mocks.openrouterMock });
 */
export async function loadMocks(): Promise<LoadedMocks> {
  const from = process.env[MOCKS_FROM_ENV];
  if (!from) {
    return { mocks: await import('@reelkit/mocks'), serve: await import('@reelkit/mocks/serve') };
  }
  const url = (file: string) => pathToFileURL(join(from, 'dist', file)).href;
  return {
    mocks: (await import(url('index.js'))) as typeof Mocks,
    serve: (await import(url('serve.js'))) as typeof MocksServe,
  };
}

/** Credits far beyond what any run spends. */
const UNLIMITED_CREDITS = 1e12;

/**
 * Gives the benchmark's API key more credits than any run spends, on engines that keep balances
 * (the mock answers 402 once a key's default credits are spent, as the router does).
 *
 * @example
 * fundBenchKey(engine);
 */
export function fundBenchKey(engine: object): void {
  const { ledger } = engine as { ledger?: { set(key: string, amount: number): void } };
  ledger?.set(API_KEY, UNLIMITED_CREDITS);
}

/**
 * Forces a full garbage collection when node runs with `--expose-gc`; says whether it could.
 *
 * @example
 * if (!collectGarbage()) console.warn('RSS includes garbage');
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
