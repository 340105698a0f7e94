import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from './json-body.js';

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
