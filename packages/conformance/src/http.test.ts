import { openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { INVALID_API_KEY, REPORT_BODY_LIMIT, Session, toCurl } from './http.js';
import { compileRouteTable } from './routes.js';
import type { Target } from './target.js';

const BASE = 'http://127.0.0.1:4010/api/v1';

function session(answer: (request: Request) => Response) {
  const seen: Request[] = [];
  const target: Target = {
    provider: 'openrouter',
    baseUrl: BASE,
    origin: 'http://127.0.0.1:4010',
    apiKey: 'sk-secret',
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      return Promise.resolve(answer(request));
    }) as typeof fetch,
    controllable: false,
    live: true,
    controlOrigin: 'http://127.0.0.1:4010',
  };
  return { seen, session: new Session({ target, table: compileRouteTable(openrouter, BASE) }) };
}

describe('Session', () => {
  it('sends the key, records it masked as $API_KEY and names the route', async () => {
    const { seen, session: s } = session(() => Response.json({ id: 'j1' }, { status: 202 }));
    const reply = await s.call('createVideo', { json: { model: 'm', prompt: "it's" } });
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer sk-secret');
    expect(reply.route?.route.operationId).toBe('createVideos');
    expect(reply.exchange.request.headers.authorization).toBe('Bearer $API_KEY');
    expect(reply.exchange.request.curl).not.toContain('sk-secret');
    expect(reply.exchange.request.curl).toBe(
      `curl -sS -X POST '${BASE}/videos' \\\n  -H "Authorization: Bearer $API_KEY" \\\n  -H 'content-type: application/json' \\\n  --data-raw '{"model":"m","prompt":"it'\\''s"}'`,
    );
    expect(reply).toMatchObject({ status: 202, isJson: true, json: { id: 'j1' } });
  });

  it('never sends the key to another origin, and sends a made-up one on request', async () => {
    const { seen, session: s } = session(() => new Response('ok'));
    await s.send({ method: 'GET', url: 'https://cdn.example/video.mp4' });
    await s.send({ method: 'GET', url: `${BASE}/videos/x`, auth: 'invalid' });
    await s.send({ method: 'GET', url: `${BASE}/videos/x`, auth: 'none' });
    expect(seen.map((r) => r.headers.get('authorization'))).toEqual([
      null,
      `Bearer ${INVALID_API_KEY}`,
      null,
    ]);
  });

  it('truncates long bodies, summarises binary ones and records failed connections', async () => {
    const long = 'x'.repeat(REPORT_BODY_LIMIT + 10);
    const { session: s } = session((r) =>
      r.url.endsWith('/content')
        ? new Response(new Uint8Array(10), { headers: { 'content-type': 'video/mp4' } })
        : new Response(long),
    );
    const text = await s.send({ method: 'GET', url: `${BASE}/videos/models` });
    expect(text.exchange.response).toMatchObject({ bodyTruncated: true });
    expect(text.exchange.response?.body).toHaveLength(REPORT_BODY_LIMIT);
    const binary = await s.send({ method: 'GET', url: `${BASE}/videos/a/content` });
    expect(binary.exchange.response?.body).toBe('<10 bytes of video/mp4>');
    const { session: broken } = session(() => {
      throw new TypeError('fetch failed');
    });
    const none = await broken.send({ method: 'GET', url: `${BASE}/videos/models` });
    expect(none).toMatchObject({ status: 0, error: 'TypeError: fetch failed' });
    expect(none.exchange.error).toBe('TypeError: fetch failed');
  });

  it('quotes curl arguments for a POSIX shell', () => {
    expect(toCurl({ method: 'GET', url: "http://h/a'b", headers: { 'x-a': 'v' } })).toBe(
      `curl -sS -X GET 'http://h/a'\\''b' \\\n  -H 'x-a: v'`,
    );
  });
});
