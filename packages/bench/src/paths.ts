/**
 * Where the benchmark finds the repository, its own workers and the programs it measures. The
 * same code runs built (`dist/*.js`, plain node) and from source (`src/*.ts`, under vitest), and
 * starts its workers the same way it was started.
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** `packages/bench`. */
export const benchRoot = resolve(here, '..');

/** The monorepo root. */
export const repoRoot = resolve(here, '..', '..', '..');

/** True under vitest or tsx (this file is TypeScript), false when run from `dist/`. */
export const fromSource = import.meta.url.endsWith('.ts');

/** The worker names, one file each under `workers/`. */
export type WorkerName =
  'reelkit-server' | 'fastify-server' | 'node-http-server' | 'engine-loop' | 'memory';

/**
 * The file of a worker, next to this module in `src/` or `dist/`.
 *
 * @example
 * fork(workerFile('memory'), [], { execArgv: workerExecArgv() });
 */
export function workerFile(name: WorkerName): string {
  return join(here, 'workers', `${name}.${fromSource ? 'ts' : 'js'}`);
}

/**
 * Node flags a worker needs to load the way this process did: from source, TypeScript through tsx
 * and workspace packages through their `@reelkit/source` export condition.
 *
 * @example
 * workerExecArgv(); // [] when built
 */
export function workerExecArgv(): string[] {
  return fromSource ? ['--import', 'tsx', '--conditions=@reelkit/source'] : [];
}

/** The built `reelkit` command line (`npm run build` makes it). */
export const cliBin = join(repoRoot, 'packages', 'cli', 'dist', 'reelkit.js');

/** The generated OpenRouter OpenAPI document that Prism mocks. */
export const openrouterOpenApi = join(repoRoot, 'packages', 'spec', 'openapi', 'openrouter.json');

/** Default location of the results file. */
export const defaultResultsFile = join(benchRoot, 'results', 'latest.json');

/**
 * The Prism CLI's entry script.
 *
 * @example
 * spawn(process.execPath, [prismBin(), 'mock', openrouterOpenApi]);
 */
export function prismBin(): string {
  const pkg = createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json');
  return join(dirname(pkg), 'dist', 'index.js');
}
