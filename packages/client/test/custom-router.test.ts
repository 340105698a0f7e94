/**
 * `examples/custom-router` end to end, so the vendor example cannot rot: a router declared in one
 * file gets an OpenAPI document, a mock over fastify, a video through the client's generic flow
 * and a passing conformance run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAsyncJobMock, createManualClock, createMockEngine } from '@reelkit/mocks';
import { createMswHandlers } from '@reelkit/mocks/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterClient } from '../src/index.js';
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

describe('a router declared with defineRouter, mounted with msw', () => {
  it("answers a client on the router's own origin, with no network, on a manual clock", async () => {
    const clock = createManualClock();
    const engine = createMockEngine({ provider: createAsyncJobMock(acme), clock });
    const server = setupServer(...createMswHandlers(engine));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const client = createRouterClient(acme, {
        baseUrl: `${acme.origin}${acme.basePath}`,
        apiKey: 'acme-msw-key',
        clock,
      });
      const statuses: string[] = [];
      const pending = client.generateVideo({
        model: 'acme/swift',
        prompt: 'a kite over the sea',
        onProgress: (e) => e.changed && statuses.push(e.status),
      });
      // The client waits on the manual clock: move it until the job is done.
      let settled = false;
      const done = pending.finally(() => {
        settled = true;
      });
      for (let step = 0; step < 200 && !settled; step++) {
        await clock.advance(5_000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const result = await done;
      const lifecycle = acme.lifecycles[acme.facts.job?.lifecycle ?? ''];
      expect(lifecycle?.success).toBeDefined();
      expect(result.providerStatus).toBe(lifecycle?.success);
      expect(statuses.at(-1)).toBe(lifecycle?.success);
      expect((result.videos[0]?.url ?? '').startsWith(acme.origin)).toBe(true);
      const bytes = new Uint8Array(await (await result.download()).arrayBuffer());
      // An MP4 starts with its ftyp box.
      expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('ftyp');
      expect(engine.diagnostics).toEqual([]);
    } finally {
      server.close();
    }
  }, 60_000);
});
