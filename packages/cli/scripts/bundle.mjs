/**
 * Bundles the `reelkit` command into one file (dist/reelkit.js). Node's ES module loader spends
 * most of a cold start resolving and compiling a few hundred files (zod, fastify, the spec and
 * the mocks); one file starts `reelkit mock` in about two thirds of the time (see BENCHMARKS.md).
 * The conformance kit and the client stay outside: they are imported lazily by the commands
 * that need them, so `reelkit mock` never loads them; they are the package's only dependencies,
 * since everything else is inlined here. bin/reelkit.js (the `reelkit` bin) runs this file.
 * No source map: one for the whole bundle is over 5 MB, and the published file is the bundle.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

// What the package depends on stays outside the bundle; everything else is inlined.
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));

const outfile = 'dist/reelkit.js';
await build({
  entryPoints: ['dist/bin.js'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  external: Object.keys(dependencies),
  // CommonJS dependencies (fastify's) call require(); give the ES module bundle one.
  banner: {
    js: "import { createRequire as reelkitCreateRequire } from 'node:module';\nconst require = reelkitCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
