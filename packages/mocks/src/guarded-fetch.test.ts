import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackRefusedError, createGuardedFetch } from './guarded-fetch.js';

let port = 0;
const received: string[] = [];
const receiver = createServer((request, response) => {
  received.push(`${request.method} ${request.url}`);
  if (request.url === '/redirect') {
    response.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
    return;
  }
  response.writeHead(204).end();
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

// Names resolved by the test, never by DNS: a rebinding name answers loopback.
const resolve = (hostname: string) =>
  Promise.resolve(
    hostname === 'rebind.test'
      ? [{ address: '127.0.0.1', family: 4 }]
      : [{ address: '10.9.9.9', family: 4 }],
  );
const post = (fetcher: typeof fetch, url: string) =>
  fetcher(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

describe('createGuardedFetch', () => {
  it('refuses a name that resolves to loopback unless loopback is allowed', async () => {
    const strict = createGuardedFetch({ policy: {}, resolve });
    const before = received.length;
    await expect(post(strict, `http://rebind.test:${port}/hook`)).rejects.toBeInstanceOf(
      CallbackRefusedError,
    );
    expect(received.length).toBe(before);
    const local = createGuardedFetch({ policy: { allowHttpLoopback: true }, resolve });
    expect((await post(local, `http://rebind.test:${port}/hook`)).status).toBe(204);
    expect(received.at(-1)).toBe('POST /hook');
  });
  it('refuses a name that resolves to a private address unless private networks are allowed', async () => {
    const strict = createGuardedFetch({ policy: { allowHttpLoopback: true }, resolve });
    await expect(post(strict, `https://private.test:${port}/`)).rejects.toThrow(
      /private\.test resolves to 10\.9\.9\.9/,
    );
  });
  it('calls a trusted URL (the operator-configured default) wherever it leads', async () => {
    const url = `http://rebind.test:${port}/trusted`;
    const trusted = createGuardedFetch({ policy: {}, resolve, trustedUrls: [url] });
    expect((await post(trusted, url)).status).toBe(204);
  });
  it('answers a redirect with its status and never follows it', async () => {
    const local = createGuardedFetch({ policy: { allowHttpLoopback: true }, resolve });
    const before = received.length;
    expect((await post(local, `http://rebind.test:${port}/redirect`)).status).toBe(302);
    expect(received.slice(before)).toEqual(['POST /redirect']);
  });
});
