import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exceedsJsonDepth,
  InvalidBodyEncodingError,
  readBodyText,
  utf8Length,
} from './json-body.js';

// One seed for every property here (an assert may set its own): CI runs the same cases each time.
fc.configureGlobal({ seed: 20_261_204 });

describe('utf8Length', () => {
  it('counts the bytes TextEncoder writes for any JSON text', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        for (const json of [JSON.stringify(value), JSON.stringify(text)]) {
          expect(utf8Length(json)).toBe(encoder.encode(json).byteLength);
        }
      }),
      { seed: 7, numRuns: 2_000 },
    );
  });

  it('counts 1, 2, 3 and 4-byte characters', () => {
    expect([utf8Length('a'), utf8Length('é'), utf8Length('€'), utf8Length('🎬')]).toEqual([
      1, 2, 3, 4,
    ]);
  });
});

describe('exceedsJsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(100)}\\"[["}`, 1)).toBe(false);
    expect(exceedsJsonDepth('['.repeat(100_000), 32)).toBe(true);
  });
  it('agrees with the depth of any JSON value', () => {
    const depth = (value: unknown): number =>
      typeof value === 'object' && value !== null
        ? 1 + Math.max(0, ...Object.values(value).map(depth))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, max) => {
        expect(exceedsJsonDepth(JSON.stringify(value), max)).toBe(depth(value) > max);
      }),
    );
  });
});

describe('readBodyText', () => {
  it('refuses invalid UTF-8 in a Web Request instead of replacing it', async () => {
    const bad = new Request('http://x/', { method: 'POST', body: new Uint8Array([0x7b, 0xff]) });
    await expect(readBodyText(bad)).rejects.toBeInstanceOf(InvalidBodyEncodingError);
    const good = new Request('http://x/', { method: 'POST', body: '{"é":1}' });
    expect(await readBodyText(good)).toBe('{"é":1}');
  });
});
