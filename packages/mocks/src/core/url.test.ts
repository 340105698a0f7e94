import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTarget, targetOf } from './url.js';

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
  });

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
