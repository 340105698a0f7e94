import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseTarget, publicOrigin, targetOf, validHost } from './url.js';

const viaUrl = (url: string) => {
  const parsed = new URL(url);
  return { origin: parsed.origin, pathname: parsed.pathname, search: parsed.search };
};

describe('parseTarget', () => {
  it('agrees with new URL() on any web URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(parseTarget(url)).toEqual(viaUrl(url));
      }),
      { seed: 11, numRuns: 5_000 },
    );
    // 5,000 runs take about 1 s on an idle machine; give a loaded CI box room.
  }, 30_000);

  it('agrees with new URL() when built from a Host header and a request line path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http' as const, 'https' as const),
        fc.oneof(fc.mixedCase(fc.domain()), fc.ipV4()),
        fc.option(fc.integer({ min: 0, max: 65_535 })),
        fc.webPath(),
        fc.option(fc.webQueryParameters()),
        (scheme, host, port, path, query) => {
          const authority = port === null ? host : `${host}:${port}`;
          const target = `${path.startsWith('/') ? path : `/${path}`}${query === null ? '' : `?${query}`}`;
          expect(targetOf(scheme, authority, target)).toEqual(
            viaUrl(`${scheme}://${authority}${target}`),
          );
        },
      ),
      { seed: 12, numRuns: 5_000 },
    );
  });

  it('agrees with new URL() on the forms a normal-form shortcut could get wrong', () => {
    for (const url of [
      'http://127.0.0.1:4010/api/v1/videos/abc',
      'http://127.0.0.1:4010/api/v1/videos/abc?index=0&x=%20',
      'http://127.0.0.1:4010/api/v1/videos/abc?',
      'http://127.0.0.1:4010/api/v1/videos/abc#frag',
      'http://LOCALHOST:4010/api/v1/videos',
      'http://localhost:80/api/v1/videos',
      'https://localhost:443/api/v1/videos',
      'http://localhost:04010/api',
      'http://localhost:/api',
      'http://127.0.0.1:4010/api/v1/../v1/videos/abc',
      'http://127.0.0.1:4010/api/v1/%2e%2e/videos',
      'http://127.0.0.1:4010/api/v1/videos/a%62c',
      'http://127.0.0.1:4010/api\\v1/videos',
      'http://127.0.0.1:4010/api/v1/videos/é',
      'http://[::1]:4010/api/v1/videos',
      'http://xn--nxasmq6b.example/api',
    ]) {
      expect(parseTarget(url), url).toEqual(viaUrl(url));
    }
  });
});

describe('validHost', () => {
  it.each([
    ['127.0.0.1:4010', '127.0.0.1:4010'],
    ['localhost', 'localhost'],
    ['Mock.Example:80', 'mock.example'],
    ['[::1]:4010', '[::1]:4010'],
    ['my_service:8080', 'my_service:8080'],
  ])('accepts %j as %j', (host, normal) => {
    expect(validHost(host)).toBe(normal);
  });

  it.each([
    'a b',
    '[zz]',
    'a%zz',
    'x/__reelkit/reset?',
    'user:pass@127.0.0.1',
    'a#b',
    'a\\b',
    '127.0.0.1:99999',
    '127.1',
    '0x7f000001',
    '[0:0:0:0:0:0:0:1]',
    '',
    'h'.repeat(400),
  ])('refuses %j', (host) => {
    expect(validHost(host)).toBeUndefined();
  });
});

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'localhost:4010',
    'app.localhost',
    '127.0.0.1:1',
    '127.9.9.9',
    '[::1]:4010',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(['evil.example', '10.0.0.1:4010', 'localhost.evil.example', '[::2]', '128.0.0.1'])(
    '%s is not',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('publicOrigin', () => {
  it('keeps an origin', () => {
    expect(publicOrigin('https://Mocks.Example.com/')).toBe('https://mocks.example.com');
    expect(publicOrigin('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080');
  });
  it.each([
    ['not a url', /is not a URL/],
    ['ftp://x.example', /http: or https:/],
    ['https://u:p@x.example', /credentials/],
    ['https://x.example/openrouter', /origin only/],
    ['https://x.example/?a=1', /origin only/],
  ])('refuses %j', (url, message) => expect(() => publicOrigin(url)).toThrow(message));
});
