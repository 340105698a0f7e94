/**
 * The `reelkit` bin is a bundle (scripts/bundle.mjs): check that the built file starts, serves a
 * mock and reaches the lazily imported packages, since the other CLI tests run the sources.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = fileURLToPath(new URL('../dist/reelkit.js', import.meta.url));

/** Runs the bundle until it prints a line matching `until` (or exits), within `timeoutMs`. */
function runBundle(args: string[], until?: RegExp, timeoutMs = 20_000) {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

describe.skipIf(!existsSync(bundle))('the bundled reelkit bin (run npm run build first)', () => {
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
});
