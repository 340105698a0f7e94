#!/usr/bin/env node
// The `reelkit` command. This small file is committed, so npm can link the bin while it installs,
// before anything is built; it runs the bundle that the build writes (scripts/bundle.mjs).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const bundle = new URL('../dist/reelkit.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'reelkit is not built yet (no dist/reelkit.js): run `npm run build` in the reelkit repository.\n',
  );
  process.exit(2);
}
await import(bundle.href);
