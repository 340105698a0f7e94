/**
 * Prints first-generation and cached times of the mock MP4 writer.
 *
 * Usage: `npx tsx packages/mocks/scripts/mp4-timing.ts [WIDTHxHEIGHT@SECONDS ...]`
 * (defaults to 720p, 1080p and 4K at 8 s). Pass one spec per run for cold-JIT numbers.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { createMp4Generator } from '../src/core/mp4.js';
import type { VideoSpec } from '../src/core/mp4.js';

const DEFAULT_SPECS = ['1280x720@8', '1920x1080@8', '3840x2160@8'];

function parseSpec(text: string): VideoSpec {
  const match = /^(\d+)x(\d+)@(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) throw new Error(`expected WIDTHxHEIGHT@SECONDS, got ${text}`);
  return { width: Number(match[1]), height: Number(match[2]), durationSeconds: Number(match[3]) };
}

const args = process.argv.slice(2);
for (const text of args.length > 0 ? args : DEFAULT_SPECS) {
  const spec = parseSpec(text);
  // A fresh generator per spec, so the first call is never a cache hit.
  const generator = createMp4Generator();
  let start = performance.now();
  const bytes = await generator.generate(spec);
  const firstMs = performance.now() - start;
  start = performance.now();
  await generator.generate(spec);
  const cachedMs = performance.now() - start;
  console.log(
    `${text.padEnd(14)} first ${firstMs.toFixed(2).padStart(7)} ms` +
      `  cached ${cachedMs.toFixed(3)} ms  ${String(bytes.length).padStart(6)} bytes`,
  );
}
