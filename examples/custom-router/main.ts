/**
 * `npm run example:custom-router`: everything reelkit derives from the one-file declaration in
 * `acme-video.ts`. It writes the router's OpenAPI document, serves its mock (fastify, a free
 * loopback port), generates a video through the client's generic flow, runs the conformance kit
 * against the mock, and exits 0 only if every check passes (or is skipped with a reason).
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRouterClient } from '@reelkit/client';
import { httpTarget, runConformance } from '@reelkit/conformance';
import { createAsyncJobMock, createMockEngine } from '@reelkit/mocks';
import { listenMockServer } from '@reelkit/mocks/fastify';
import { generateOpenApiDocument, serializeOpenApiDocument } from '@reelkit/spec';
import { acme } from './acme-video.js';

/** What one run found, for a test to read. */
export interface ExampleOutcome {
  readonly openapiFile: string;
  readonly operations: readonly string[];
  readonly videoBytes: number;
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly failures: readonly string[];
}

/**
 * Runs the example; `log` receives each line it prints.
 *
 * @example
 * const outcome = await runExample({ log: console.log });
 * outcome.summary.failed; // 0
 */
export async function runExample(
  options: { readonly log?: (line: string) => void; readonly outDir?: string } = {},
): Promise<ExampleOutcome> {
  const log = options.log ?? (() => undefined);
  const document = generateOpenApiDocument(acme);
  const openapiFile = join(options.outDir ?? tmpdir(), `${acme.id}.openapi.json`);
  await writeFile(openapiFile, serializeOpenApiDocument(document));
  const operations = Object.values(acme.routes).map((r) => `${r.method} ${acme.basePath}${r.path}`);
  log(`OpenAPI document: ${openapiFile} (${operations.join(', ')})`);

  // An auto clock: the mock's simulated time never waits, and the client waits on it too.
  const engine = createMockEngine({ provider: createAsyncJobMock(acme) });
  const server = await listenMockServer({ engine, port: 0 });
  try {
    log(`mock of ${acme.title} on ${server.baseUrl}`);
    const client = createRouterClient(acme, {
      baseUrl: server.baseUrl,
      apiKey: 'acme-example-key',
      clock: engine.clock,
    });
    const result = await client.generateVideo({
      model: 'acme/swift',
      prompt: 'a paper boat on a pond',
      onProgress: (e) => e.changed && log(`  ${e.status} (${e.canonicalStatus})`),
    });
    const video = await (await result.download()).arrayBuffer();
    log(`generated ${result.id}: ${video.byteLength} bytes of MP4 from ${result.videos[0]?.url}`);

    const target = await httpTarget({ provider: acme.id, router: acme, baseUrl: server.baseUrl });
    const report = await runConformance({
      provider: acme.id,
      router: acme,
      target,
      ffprobe: false,
    });
    const failures = report.results.filter((r) => r.status === 'fail');
    for (const failure of failures) log(`  FAIL ${failure.id}: ${failure.message ?? ''}`);
    const { summary } = report;
    log(
      `conformance: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
    );
    return {
      openapiFile,
      operations,
      videoBytes: video.byteLength,
      summary,
      failures: failures.map((f) => `${f.id}: ${f.message ?? ''}`),
    };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await runExample({ log: (line) => console.log(line) });
  process.exitCode = outcome.summary.failed === 0 && outcome.summary.passed > 0 ? 0 : 1;
}
