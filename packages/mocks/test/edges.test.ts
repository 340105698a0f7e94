/**
 * Bad input at the edges, over the fastify mount on 127.0.0.1, for every router: oversized bodies
 * and uploads, malformed multipart (ImageRouter), invalid JSON, wrong content types, path
 * traversal and very long ids, bad percent-encoding, unknown routes and methods, slow clients.
 * Each gets a clear error in the router's own envelope (its `errorSchema`), and nothing else is
 * affected: a normal request right after succeeds and `engine.diagnostics` stays empty.
 *
 * Limits (documented in src/adapters/fastify.ts and the ImageRouter schemas):
 * - request body: `bodyLimit`, default {@link DEFAULT_BODY_LIMIT} (160 MiB: ImageRouter's uploads
 *   with room for the form encoding); these servers use 64 KiB. Past it, the router's
 *   `payload_too_large` answer: OpenRouter 413; ImageRouter 400 "File upload error: File too
 *   large" (multer's answer); FastRouter and rout.my 400 (they document no 413);
 * - one ImageRouter upload: 25 MB (multer's limit), 16 files per field;
 * - request line and headers: Node's 16 KiB (ids longer than that are refused with a 400);
 * - time to send a request: `requestTimeoutSeconds`, default 30 (headers: 10); these servers use 1 s.
 */
import type { ErrorKind } from '../src/core/types.js';
import type { ProviderId, RouteDef } from '@reelkit/spec';
import { fullPath, imagerouterSpec, PROVIDER_IDS } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../src/adapters/fastify.js';
import { DEFAULT_BODY_LIMIT, listenMockServer } from '../src/adapters/fastify.js';
import { createManualClock } from '../src/core/clock.js';
import type { MockEngine } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';
import type { RawResponse } from './support/http.js';
import { rawRequest, slowClient } from './support/http.js';

const BODY_LIMIT = 64 * 1024;
const TIMEOUT_SECONDS = 1;
const KEY = 'sk-edge';
const AUTH = { authorization: `Bearer ${KEY}` };

/** The paths one router's edge cases use. */
function pathsOf(id: ProviderId) {
  const spec = mockProviders[id].spec;
  const routes = Object.values(spec.routes) as RouteDef[];
  const create = spec.routes.createVideo as RouteDef;
  const listing = routes.find((r) => r.method === 'GET' && !r.params && r.auth !== 'bearer');
  const byId = routes.find((r) => r.method === 'GET' && r.params);
  return {
    create: fullPath(spec, create),
    createAccepts: (create.body ?? []).map((b) => b.contentType),
    listing: fullPath(spec, listing as RouteDef),
    /** A path naming `id` where the router takes one (its own id route, else under create). */
    withId: (raw: string) =>
      byId ? fullPath(spec, byId).replace(/\{[^}]+\}/, raw) : `${fullPath(spec, create)}/${raw}`,
  };
}

describe.each(PROVIDER_IDS)('%s over fastify: bad input at the edges', (id) => {
  const provider = mockProviders[id];
  const spec = provider.spec;
  const paths = pathsOf(id);
  let engine: MockEngine;
  let server: RunningMockServer;
  let port: number;

  beforeAll(async () => {
    engine = createMockEngine({ provider, clock: createManualClock() });
    server = await listenMockServer({
      engine,
      port: 0,
      bodyLimit: BODY_LIMIT,
      requestTimeoutSeconds: TIMEOUT_SECONDS,
    });
    port = Number(new URL(server.origin).port);
  });
  afterAll(() => server.close());

  /** A normal request: the listing answers 200. */
  const normal = () => rawRequest(port, { path: paths.listing, headers: AUTH });

  afterEach(async () => {
    // Nothing else is affected: the next request is answered normally, and no mock bug surfaced.
    expect((await normal()).status).toBe(200);
    expect(engine.diagnostics).toEqual([]);
  });

  /** The answer is the router's own error for `kind`, in its envelope, with a message. */
  function expectRouterError(res: RawResponse, kind: ErrorKind, message?: RegExp): void {
    const expected = provider.error(kind);
    expect(res.status, res.text).toBe(expected.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body: unknown = JSON.parse(res.text);
    const parsed = spec.errorSchema.safeParse(body);
    expect(parsed.success, res.text).toBe(true);
    expect(res.text).toMatch(/"message":"[^"]+/);
    if (message) expect(res.text).toMatch(message);
  }

  const post = (body: string | Uint8Array, headers: Record<string, string>, chunked = false) =>
    rawRequest(port, {
      method: 'POST',
      path: paths.create,
      headers: { ...AUTH, ...headers },
      body,
      chunked,
    });

  const big = JSON.stringify({ model: 'm', prompt: 'x'.repeat(BODY_LIMIT + 1024) });

  it('refuses a body past the limit (with Content-Length) as the router does', async () => {
    const res = await post(big, { 'content-type': 'application/json' });
    expectRouterError(res, 'payload_too_large');
    if (id === 'openrouter') expect(res.status).toBe(413);
  });

  it('refuses a chunked body once it grows past the limit', async () => {
    const res = await post(big, { 'content-type': 'application/json' }, true);
    expectRouterError(res, 'payload_too_large');
  });

  it.each([
    ['truncated JSON', '{"model": "x", "prompt": '],
    ['not JSON at all', 'model=x&prompt=y'],
    ['JSON that is not an object', '[1, 2, 3]'],
    ['JSON null', 'null'],
    ['an empty body', ''],
  ])('refuses %s as a bad request', async (_, body) => {
    const res = await post(body, { 'content-type': 'application/json' });
    expectRouterError(res, 'validation');
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png'])(
    'refuses the content type %s',
    async (type) => {
      const res = await post('{"model":"x","prompt":"y"}', { 'content-type': type });
      expectRouterError(res, 'validation', /not accepted/);
    },
  );

  it('refuses a body without a content type', async () => {
    const res = await post('{"model":"x","prompt":"y"}', {});
    expectRouterError(res, 'validation');
  });

  it.each([
    '..%2F..%2Fetc%2Fpasswd',
    '..%252F..%252Fetc%252Fpasswd',
    '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '..%5C..%5Cwindows%5Cwin.ini',
    '%00',
    'job%00.json',
    '%2F',
  ])('treats the id %s as an unknown id (404), never as a path', async (raw) => {
    const res = await rawRequest(port, { path: paths.withId(raw), headers: AUTH });
    expectRouterError(res, 'not_found');
  });

  it('normalises a literal ../ and answers the resulting path (no route: 404)', async () => {
    const res = await rawRequest(port, {
      path: paths.withId('../../../etc/passwd'),
      headers: AUTH,
    });
    expectRouterError(res, 'not_found');
  });

  it.each([1_000, 8_000])('answers an id of %i characters as unknown (404)', async (length) => {
    const res = await rawRequest(port, { path: paths.withId('a'.repeat(length)), headers: AUTH });
    expectRouterError(res, 'not_found');
  });

  it('refuses an id past 16 KiB of request line in the router envelope and closes', async () => {
    const res = await rawRequest(port, { path: paths.withId('a'.repeat(20_000)), headers: AUTH });
    expectRouterError(res, 'validation', /Request Header Fields Too Large/);
    expect(res.headers.connection).toBe('close');
  });

  it('refuses a path that is not valid percent-encoding as a bad request', async () => {
    const res = await rawRequest(port, { path: paths.withId('%E0%A4%A'), headers: AUTH });
    expectRouterError(res, 'validation', /not a valid url/);
  });

  it.each([
    ['GET', '/nope'],
    ['GET', `${paths.create}/../../../../admin`],
    ['POST', '/'],
    ['DELETE', paths.withId('abc')],
    ['PUT', paths.create],
    ['PATCH', paths.create],
    ['TRACE', paths.create],
    ['PROPFIND', paths.listing],
  ])('answers %s %s with the router 404', async (method, path) => {
    const res = await rawRequest(port, { method, path, headers: AUTH });
    expectRouterError(res, 'not_found');
  });

  it('closes clients that trickle their headers or body past the request timeout, answering others meanwhile', async () => {
    const head =
      `POST ${paths.create} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const started = performance.now();
    const slowBody = slowClient(port, {
      head,
      trickle: `{"model":"x","prompt":"${'y'.repeat(180)}"}`,
      intervalMs: 100,
      giveUpMs: 15_000,
    });
    const slowHeaders = slowClient(port, {
      head: `GET ${paths.listing} HTTP/1.1\r\n`,
      trickle: 'X-Slow: ' + 'z'.repeat(200) + '\r\n\r\n',
      intervalMs: 100,
      giveUpMs: 15_000,
    });
    // Meanwhile, normal requests are answered, while both slow clients still hang on.
    for (let i = 0; i < 5; i++) expect((await normal()).status).toBe(200);
    const normalsDoneMs = performance.now() - started;
    for (const [result, sendable] of [
      [await slowBody, head.length + 200],
      [await slowHeaders, Infinity],
    ] as const) {
      // Closed about when the timeout says (checked four times per timeout), before the
      // request was complete, with the router's error first.
      expect(result.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 100);
      expect(result.closedAfterMs).toBeLessThan(TIMEOUT_SECONDS * 1000 + 4000);
      expect(result.sent).toBeLessThan(sendable);
      expect(normalsDoneMs).toBeLessThan(result.closedAfterMs);
      const [statusLine] = result.received.split('\r\n');
      expect(statusLine).toBe(`HTTP/1.1 ${provider.error('validation').status} Bad Request`);
      const body: unknown = JSON.parse(
        result.received.slice(result.received.indexOf('\r\n\r\n') + 4),
      );
      expect(spec.errorSchema.safeParse(body).success, result.received).toBe(true);
      expect(result.received).toMatch(/Request Timeout/);
    }
  }, 20_000);
});

describe('ImageRouter over fastify: malformed multipart and uploads', () => {
  const provider = mockProviders.imagerouter;
  const path = fullPath(provider.spec, provider.spec.routes.createVideo as RouteDef);
  let engine: MockEngine;
  let server: RunningMockServer;
  let port: number;

  beforeAll(async () => {
    engine = createMockEngine({ provider, clock: createManualClock() });
    server = await listenMockServer({ engine, port: 0, bodyLimit: BODY_LIMIT });
    port = Number(new URL(server.origin).port);
  });
  afterAll(() => server.close());
  afterEach(async () => {
    // A well-formed multipart request with an image is answered normally right after.
    const form = new FormData();
    form.append('model', 'ir/test-video');
    form.append(
      'image[]',
      new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }),
      'a.png',
    );
    const res = await fetch(`${server.origin}${path}`, {
      method: 'POST',
      headers: AUTH,
      body: form,
    });
    expect(res.status).toBe(200);
    expect(imagerouterSpec.VideoGenerationResponse.safeParse(await res.json()).success).toBe(true);
    expect(engine.diagnostics).toEqual([]);
  });

  const expect400 = (res: RawResponse, message?: RegExp) => {
    expect(res.status, res.text).toBe(400);
    const body: unknown = JSON.parse(res.text);
    expect(imagerouterSpec.ErrorResponse.safeParse(body).success, res.text).toBe(true);
    expect((body as { error: { type: string } }).error.type).toBe('invalid_request_error');
    if (message) expect(res.text).toMatch(message);
  };

  const part = (boundary: string, name: string, value: string, filename?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
    `${filename ? `; filename="${filename}"\r\nContent-Type: image/png` : ''}\r\n\r\n${value}\r\n`;

  it.each([
    ['no boundary', 'multipart/form-data', `${part('b', 'model', 'ir/test-video')}--b--\r\n`],
    [
      'a boundary the body never uses',
      'multipart/form-data; boundary=other',
      `${part('b', 'model', 'ir/test-video')}--b--\r\n`,
    ],
    ['no closing boundary', 'multipart/form-data; boundary=b', part('b', 'model', 'ir/test-video')],
    [
      'a part cut mid-header',
      'multipart/form-data; boundary=b',
      '--b\r\nContent-Disposition: form-da',
    ],
    ['garbage', 'multipart/form-data; boundary=b', '\u0000\u0001\u0002 not a form at all'],
    ['an empty body', 'multipart/form-data; boundary=b', ''],
  ])('refuses a multipart body with %s as a bad request', async (_, type, body) => {
    const res = await rawRequest(port, {
      method: 'POST',
      path,
      headers: { ...AUTH, 'content-type': type },
      body,
    });
    expect400(res);
  });

  it('refuses a form without the model, naming the field', async () => {
    const body = `${part('b', 'prompt', 'a cat')}--b--\r\n`;
    const res = await rawRequest(port, {
      method: 'POST',
      path,
      headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect400(res, /Required/);
  });

  it('refuses an upload past the body limit with multer\'s "File too large"', async () => {
    const body =
      part('b', 'model', 'google/veo-3.1') +
      part('b', 'image[]', 'x'.repeat(BODY_LIMIT + 1), 'big.png') +
      '--b--\r\n';
    const res = await rawRequest(port, {
      method: 'POST',
      path,
      headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect400(res, /File upload error: File too large/);
  });

  it('refuses more than 16 images in one field', async () => {
    const body =
      part('b', 'model', 'google/veo-3.1') +
      Array.from({ length: 17 }, (_, i) => part('b', 'image[]', 'png', `${i}.png`)).join('') +
      '--b--\r\n';
    const res = await rawRequest(port, {
      method: 'POST',
      path,
      headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect400(res);
  });
});

describe('limits at their defaults', () => {
  it('documents a 160 MiB body limit by default', () => {
    expect(DEFAULT_BODY_LIMIT).toBe(160 * 1024 * 1024);
  });

  it('refuses one ImageRouter image over 25 MB under the default body limit (multer: "File too large")', async () => {
    const provider = mockProviders.imagerouter;
    const engine = createMockEngine({ provider, clock: createManualClock() });
    const server = await listenMockServer({ engine, port: 0 });
    try {
      const form = new FormData();
      form.append('model', 'google/veo-3.1');
      const tooLarge = new Uint8Array(imagerouterSpec.MAX_UPLOAD_BYTES + 1);
      form.append('image[]', new Blob([tooLarge], { type: 'image/png' }), 'huge.png');
      const url = `${server.origin}${fullPath(provider.spec, provider.spec.routes.createVideo as RouteDef)}`;
      const res = await fetch(url, { method: 'POST', headers: AUTH, body: form });
      expect(res.status).toBe(400);
      const body: unknown = await res.json();
      expect(body).toMatchObject({
        error: { message: 'File upload error: File too large', type: 'invalid_request_error' },
      });
      expect(engine.diagnostics).toEqual([]);
    } finally {
      await server.close();
    }
  }, 30_000);
});
