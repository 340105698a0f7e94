/**
 * The OpenRouter mock's responses pass a `prism proxy` built from OpenRouter's own published
 * OpenAPI (packages/spec/reference/openrouter-openapi-videos.json) with zero violations.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../src/adapters/fastify.js';
import { listenMockServer } from '../src/adapters/fastify.js';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { openrouterMock } from '../src/providers/openrouter.js';
import { openrouterJourney } from './journeys.js';

const here = dirname(fileURLToPath(import.meta.url));
const OFFICIAL = join(here, '..', '..', 'spec', 'reference', 'openrouter-openapi-videos.json');
const prismBin = join(
  dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
  'dist',
  'index.js',
);

function startPrism(upstream: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [prismBin, 'proxy', OFFICIAL, upstream, '-h', '127.0.0.1', '-p', String(port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`prism proxy did not start:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`prism exited ${code}:\n${output}`)));
  });
}

describe('OpenRouter mock through prism proxy (official OpenAPI)', () => {
  const clock = createManualClock();
  const engine = createMockEngine({ provider: openrouterMock, clock });
  let server: RunningMockServer;
  let prism: ChildProcess;
  const port = 4650 + (process.pid % 200);

  beforeAll(async () => {
    server = await listenMockServer({ engine, port: 0 });
    prism = await startPrism(server.baseUrl, port);
  }, 40_000);
  afterAll(async () => {
    prism?.kill('SIGTERM');
    await server?.close();
  });

  it('reports no sl-violations over a whole job, errors and the catalog', async () => {
    const violations: string[] = [];
    const observed: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const header = res.headers.get('sl-violations');
      if (header) violations.push(`${init?.method ?? 'GET'} ${String(input)}: ${header}`);
      return res;
    };
    const origin = `http://127.0.0.1:${port}`;
    // Prism re-encodes binary bodies it proxies, so the MP4 is only checked by its first box
    // here; the mounts test parses the same download directly.
    await openrouterJourney(
      { baseUrl: origin, fetch: observed, advance: (ms) => clock.advance(ms) },
      { parseMp4: false },
    );
    // Error envelopes too: bad input, unknown job, content before completion.
    const bad = await observed(`${origin}/videos`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x', duration: 5 }),
    });
    expect(bad.status).toBe(400);
    expect(
      (await observed(`${origin}/videos/nope`, { headers: { authorization: 'Bearer k' } })).status,
    ).toBe(404);
    const early = await observed(`${origin}/videos`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x' }),
    });
    const { id } = (await early.json()) as { id: string };
    expect(
      (
        await observed(`${origin}/videos/${id}/content`, {
          headers: { authorization: 'Bearer k' },
        })
      ).status,
    ).toBe(400);
    expect(violations).toEqual([]);
  }, 60_000);
});
