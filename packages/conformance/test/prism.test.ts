/**
 * `--via-prism` against a small OpenRouter look-alike that breaks the catalog's schema: prism's
 * `sl-violations` become a failing `prism-violation` check naming the operation, the field and the
 * curl; responses that keep the document pass; invalid requests sent on purpose do not count.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningMocks } from '@reelkit/mocks/serve';
import { startMocks } from '@reelkit/mocks/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismProxy } from '../src/prism.js';
import { parseViolations, startPrismProxy } from '../src/prism.js';

let upstream: Server;
let upstreamUrl: string;
let prism: PrismProxy;
const seenByUpstream: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seenByUpstream.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/__reelkit/health') return json(200, { ok: true, provider: 'openrouter' });
      if (req.url === '/api/v1/videos/models') return json(200, { data: [{ id: 5 }] });
      if (req.method === 'POST' && req.url === '/api/v1/videos') {
        const parsed = JSON.parse(body) as { duration?: unknown };
        if (typeof parsed.duration === 'string') {
          return json(400, { error: { code: 400, message: 'duration must be a number' } });
        }
        return json(202, {
          id: 'job_1',
          polling_url: `${upstreamUrl}/videos/job_1`,
          status: 'pending',
        });
      }
      return json(404, { error: { code: 404, message: 'not found' } });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;
  prism = await startPrismProxy({ provider: 'openrouter', upstream: upstreamUrl });
}, 90_000);

afterAll(async () => {
  await prism?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

const auth = { authorization: 'Bearer secret-key', 'content-type': 'application/json' };

describe('startPrismProxy', () => {
  it('looks like the target: same base path, control plane passed straight through', async () => {
    expect(prism.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(prism.openapiFile).toMatch(/spec[/\\]openapi[/\\]openrouter\.json$/);
    const health = await fetch(new URL('/__reelkit/health', prism.baseUrl));
    expect(await health.json()).toEqual({ ok: true, provider: 'openrouter' });
    expect(seenByUpstream).toContain('GET /__reelkit/health');
    expect(prism.observations()).toHaveLength(0);
  });

  it('reports schema violations in responses as a failing prism-violation check', async () => {
    const models = await fetch(`${prism.baseUrl}/videos/models`, {
      headers: { authorization: auth.authorization },
    });
    expect(models.status).toBe(200);
    expect(await models.json()).toEqual({ data: [{ id: 5 }] });

    const created = await fetch(`${prism.baseUrl}/videos`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a fox' }),
    });
    expect(created.status).toBe(202);
    // A negative check's deliberately wrong request: prism flags the request, not the response.
    const invalid = await fetch(`${prism.baseUrl}/videos`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a fox', duration: 'long' }),
    });
    expect(invalid.status).toBe(400);

    const results = prism.results();
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['listVideosModels: prism-violation', 'fail'],
      ['createVideos: prism-violation', 'pass'],
    ]);
    const failure = results[0];
    expect(failure?.check).toBe('prism-violation');
    expect(failure?.rule).toMatch(/(@reelkit|packages)\/spec\/openapi\/openrouter\.json/);
    expect(failure?.message).toMatch(
      /^1 of 1 responses broke the OpenAPI document\. GET \/api\/v1\/videos\/models → 200: Response body property data\.0 must have required property '\w+'; /,
    );
    expect(failure?.message).toContain("required property 'canonical_slug'");
    expect(failure?.message).toMatch(/; and 4 more$/);
    const exchange = failure?.exchanges[0];
    expect(exchange?.request.url).toBe(`${upstreamUrl}/videos/models`);
    expect(exchange?.request.headers.authorization).toBe('Bearer $API_KEY');
    expect(exchange?.request.curl).toBe(
      `curl -sS -X GET '${upstreamUrl}/videos/models' \\\n  -H "Authorization: Bearer $API_KEY"`,
    );
    expect(exchange?.response?.body).toBe('{"data":[{"id":5}]}');
    expect(results[1]?.message).toBe('2 responses validated, no violations.');
    expect(prism.observations()[2]?.violations[0]?.location).toEqual([
      'request',
      'body',
      'duration',
    ]);
  });
});

describe('parseViolations', () => {
  it('reads the header and survives garbage', () => {
    expect(parseViolations(undefined)).toEqual([]);
    expect(
      parseViolations(
        '[{"location":["response","body"],"severity":"Error","code":"type","message":"m"}]',
      ),
    ).toEqual([{ location: ['response', 'body'], severity: 'Error', code: 'type', message: 'm' }]);
    expect(parseViolations('{oops')[0]?.message).toBe('unreadable sl-violations: {oops');
  });
});

describe('startPrismProxy in front of the faithful OpenRouter mock', () => {
  let mocks: RunningMocks;
  let proxy: PrismProxy;

  beforeAll(async () => {
    mocks = await startMocks({
      providers: ['openrouter'],
      ports: { openrouter: 0 },
      clock: 'auto',
    });
    proxy = await startPrismProxy({
      provider: 'openrouter',
      upstream: mocks.servers[0]?.baseUrl ?? '',
    });
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await mocks?.close();
  });

  it('finds no violation over a whole job, the catalog and an error', async () => {
    const headers = { authorization: 'Bearer test' };
    const created = await fetch(`${proxy.baseUrl}/videos`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1-fast', prompt: 'a fox', duration: 4 }),
    });
    expect(created.status).toBe(202);
    const { id, polling_url } = (await created.json()) as { id: string; polling_url: string };
    // Absolute URLs on the target's origin come back on the relay's, so checks stay behind prism.
    expect(polling_url).toBe(`${proxy.baseUrl}/videos/${id}`);
    let status = 'pending';
    for (let i = 0; i < 50 && status !== 'completed'; i++) {
      const polled = await fetch(`${proxy.baseUrl}/videos/${id}`, { headers });
      status = ((await polled.json()) as { status: string }).status;
    }
    expect(status).toBe('completed');
    const content = await fetch(`${proxy.baseUrl}/videos/${id}/content?index=0`, { headers });
    expect(content.headers.get('content-type')).toBe('video/mp4');
    const viaPrism = Buffer.from(await content.arrayBuffer());
    const direct = await fetch(`${proxy.upstream}/videos/${id}/content?index=0`, { headers });
    // Prism re-encodes binary bodies; the relay fetches them again straight from the target.
    expect(viaPrism.equals(Buffer.from(await direct.arrayBuffer()))).toBe(true);
    expect(viaPrism.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect((await fetch(`${proxy.baseUrl}/videos/models`, { headers })).status).toBe(200);
    expect((await fetch(`${proxy.baseUrl}/videos/nope`, { headers })).status).toBe(404);

    const results = proxy.results();
    expect(results.map((r) => [r.operationId, r.status])).toEqual([
      ['createVideos', 'pass'],
      ['getVideos', 'pass'],
      ['listVideosContent', 'pass'],
      ['listVideosModels', 'pass'],
    ]);
    const download = proxy.observations().find((o) => o.operationId === 'listVideosContent');
    expect(download?.replayed).toBe(true);
    expect(download?.exchange.response?.body).toBe(`(video/mp4, ${viaPrism.length} bytes)`);
    expect(results[2]?.message).toContain('1 binary answer was fetched again straight from');
  }, 30_000);
});
