/**
 * Finding and starting Prism: the generated OpenAPI document it validates against, the optional
 * `@stoplight/prism-cli` package, a free port, and the child process up to its "listening" line.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderId } from '@reelkit/spec';

/** Lines of Prism's output kept to explain a failed start. */
const START_LOG_LINES = 40;

/**
 * Why `--via-prism` could not start, with a stable code.
 *
 * @example
 * catch (e) { if (e instanceof PrismProxyError && e.code === 'prism-not-installed') console.error(e.message); }
 */
export class PrismProxyError extends Error {
  override readonly name = 'PrismProxyError';
  constructor(
    readonly code: 'openapi-not-found' | 'prism-not-installed' | 'prism-start-failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The OpenAPI document reelkit generated for a provider.
 *
 * @example
 * defaultOpenApiFile('openrouter'); // '/…/node_modules/@reelkit/spec/openapi/openrouter.json'
 */
export function defaultOpenApiFile(provider: ProviderId): string {
  const require = createRequire(import.meta.url);
  const candidates = [
    ...(require.resolve.paths('@reelkit/spec') ?? []).map((dir) =>
      join(dir, '@reelkit', 'spec', 'openapi', `${provider}.json`),
    ),
    // In the reelkit repository: packages/conformance/{src,dist}/prism/launcher.* → packages/spec/openapi.
    fileURLToPath(new URL(`../../../spec/openapi/${provider}.json`, import.meta.url)),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new PrismProxyError(
      'openapi-not-found',
      `No OpenAPI document for ${provider}: looked for @reelkit/spec/openapi/${provider}.json. ` +
        'Run `npm run openapi` in the reelkit repository, or pass openapiFile.',
    );
  }
  return found;
}

/**
 * Where Prism's command is. `@stoplight/prism-cli` is an optional peer dependency (about 90 MB that
 * only `--via-prism` needs), so it is looked up when a proxy starts, from `from` (by default this
 * module, which finds it in the project that installed the kit).
 *
 * @example
 * spawn(process.execPath, [prismBin(), 'proxy', doc, upstream]);
 */
export function prismBin(from: string | URL = import.meta.url): string {
  let pkg: string;
  try {
    pkg = createRequire(from).resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new PrismProxyError(
      'prism-not-installed',
      '--via-prism needs Prism, an optional peer dependency that is not installed: ' +
        'npm install --save-dev @stoplight/prism-cli (on Node 20 and 22: @stoplight/prism-cli@~5.14.2)',
    );
  }
  return join(dirname(pkg), 'dist', 'index.js');
}

/**
 * A port free on 127.0.0.1 right now, for Prism to listen on.
 *
 * @example
 * const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Runs Prism with `args` (its bin first) and resolves once it listens; rejects with its last
 * output lines when it exits or takes longer than `timeoutMs`.
 *
 * @example
 * const child = await startPrism([prismBin(), 'proxy', doc, upstream, '-p', String(port)], 60_000);
 */
export function startPrism(
  args: readonly string[],
  timeoutMs: number,
  log?: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let started = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new PrismProxyError('prism-start-failed', `prism proxy ${why}:\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        log?.(line);
        tail.push(line);
        if (tail.length > START_LOG_LINES) tail.shift();
        if (!started && line.includes('Prism is listening')) {
          started = true;
          clearTimeout(timer);
          resolve(child);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`could not run: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (!started) fail(`exited (${signal ?? `code ${code}`}) before listening`);
    });
  });
}

/** How long Prism may take to exit after SIGTERM before it is killed, in ms. */
const STOP_GRACE_MS = 5000;

/**
 * Stops a Prism started by {@link startPrism}: SIGTERM, then SIGKILL after a grace period.
 *
 * @example
 * await stopPrism(child);
 */
export async function stopPrism(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
