/**
 * Seeded randomness: the same seed gives the same ids, timings and fault draws.
 * @module
 */

/** A deterministic random source. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A small, fast PRNG (sfc32) seeded from one integer.
 *
 * @example
 * const random = createRandom(42);
 * random.string(20); // the same 20 characters for seed 42, every run
 */
export function createRandom(seed = 1): Random {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162;
  let d = (seed ^ 0xdeadbeef) >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first draws, which correlate with the seed.
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    string(length, alphabet = ALPHANUMERIC) {
      // fromCharCode gives one flat string; += would keep a rope of fragments alive per stored id.
      const codes = new Array<number>(length);
      for (let i = 0; i < length; i++)
        codes[i] = alphabet.charCodeAt(Math.floor(next() * alphabet.length));
      return String.fromCharCode(...codes);
    },
  };
}
