/**
 * The `reelkit` bin (bin/reelkit.js, committed so npm links it before the build) runs a bundle
 * (scripts/bundle.mjs): check that it starts, serves a mock and reaches the lazily imported
 * packages, since the other CLI tests run the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const binEntry = fileURLToPath(new URL('../bin/reelkit.js', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/reelkit.js', import.meta.url));

/** Runs the bundle until it prints a line matching `until` (or exits), within `timeoutMs`. */
function runBundle(args: string[], until?: RegExp, timeoutMs = 20_000) {
  const child = spawn(process.execPath, [binEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise<{
    output: string;
    match?: RegExpMatchArray;
    stop: () => Promise<number | null>;
  }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${String(until)} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const stop = () =>
      new Promise<number | null>((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('exit', (code) => done(code));
        child.kill('SIGINT');
      });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = until ? output.match(until) : null;
      if (match) {
        clearTimeout(timer);
        resolve({ output, match, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ output, stop });
    });
  });
}

// Each test starts node on the bundle: seconds on a loaded machine. A cap on a hang, not a measure.
const startUpCap = { timeout: 30_000 };

describe.skipIf(!existsSync(bundle))(
  'the bundled reelkit bin (run npm run build first)',
  startUpCap,
  () => {
    it('serves a mock that answers over HTTP and stops on SIGINT', async () => {
      const run = await runBundle(
        ['mock', '--provider', 'openrouter', '--port', '0', '--clock', 'manual'],
        /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/,
      );
      const origin = run.match?.[1];
      expect(origin).toBeDefined();
      const health = await fetch(`${origin}/__reelkit/health`);
      expect(health.status).toBe(200);
      const models = await fetch(`${origin}/api/v1/videos/models`);
      expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
      expect(await run.stop()).toBe(0);
    });

    it('reaches the lazily imported conformance kit', async () => {
      // The command imports the kit before it checks the target, so this message needs the kit.
      const run = await runBundle([
        'conformance',
        '--provider',
        'openrouter',
        '--base-url',
        'http://127.0.0.1:9/api/v1',
        '--api-key',
        'test',
      ]);
      expect(run.output).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9\/api\/v1/);
      expect(run.output).not.toMatch(/Cannot find (module|package)/);
    });
  },
);

describe('the bin entry without a build', startUpCap, () => {
  it('says how to build instead of failing on a missing module', () => {
    const copy = mkdtempSync(join(tmpdir(), 'reelkit-unbuilt-'));
    try {
      mkdirSync(join(copy, 'bin'));
      copyFileSync(binEntry, join(copy, 'bin', 'reelkit.js'));
      const run = spawnSync(process.execPath, [join(copy, 'bin', 'reelkit.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('run `npm run build`');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
