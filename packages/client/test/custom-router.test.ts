/**
 * `examples/custom-router` end to end, so the vendor example cannot rot: a router declared in one
 * file gets an OpenAPI document, a mock over fastify, a video through the client's generic flow
 * and a passing conformance run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from '../../../examples/custom-router/main.js';
import { acme } from '../../../examples/custom-router/acme-video.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelkit-custom-router-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('examples/custom-router', () => {
  it('writes the OpenAPI document, generates a video and passes the kit', async () => {
    const lines: string[] = [];
    const outcome = await runExample({ log: (line) => lines.push(line), outDir: dir });
    const document = JSON.parse(await readFile(outcome.openapiFile, 'utf8')) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths).sort()).toEqual(
      Object.values(acme.routes)
        .map((r) => r.path)
        .sort(),
    );
    // The mock's smallest clip is still kilobytes: a body, not an empty answer.
    expect(outcome.videoBytes).toBeGreaterThan(1000);
    expect(outcome.failures).toEqual([]);
    expect(outcome.summary.failed).toBe(0);
    expect(outcome.summary.passed).toBeGreaterThan(20);
    expect(lines.at(-1)).toMatch(/^conformance: \d+ passed, 0 failed/);
  }, 120_000);
});
