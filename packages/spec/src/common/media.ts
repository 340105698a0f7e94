/**
 * Shared arithmetic for video sizes: resolution words, aspect ratios and `WIDTHxHEIGHT` strings.
 * @module
 */

/** Pixel dimensions of a video. */
export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

const SHORT_SIDE: Readonly<Record<string, number>> = {
  '480p': 480,
  '720p': 720,
  '768p': 768,
  '1080p': 1080,
  '1K': 720,
  '2K': 1440,
  '4K': 2160,
};

/**
 * Parses `"1280x720"` (also `X`, `×` or `*` as the separator, as ImageRouter accepts).
 *
 * @example
 * parseSize('1280x720'); // { width: 1280, height: 720 }
 */
export function parseSize(size: string): Dimensions | undefined {
  const match = /^(\d+)\s*[xX×*]\s*(\d+)$/.exec(size.trim());
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Formats dimensions as `WIDTHxHEIGHT`. */
export function formatSize({ width, height }: Dimensions): string {
  return `${width}x${height}`;
}

const even = (n: number): number => 2 * Math.round(n / 2);

/**
 * Turns a resolution word and an aspect ratio into pixels: the resolution names the short side,
 * the long side follows from the ratio, rounded to an even number as H.264 needs.
 *
 * @example
 * dimensionsFor('720p', '9:16'); // { width: 720, height: 1280 }
 */
export function dimensionsFor(resolution: string, aspectRatio = '16:9'): Dimensions | undefined {
  const short = SHORT_SIDE[resolution];
  const [w, h] = aspectRatio.split(':').map(Number);
  if (short === undefined || !w || !h) return undefined;
  const ratio = Math.max(w, h) / Math.min(w, h);
  const long = even(short * ratio);
  return w >= h ? { width: long, height: short } : { width: short, height: long };
}

/** The resolution word whose short side matches the given dimensions best. */
export function resolutionOf({ width, height }: Dimensions): string {
  const short = Math.min(width, height);
  let best = '720p';
  let bestDistance = Infinity;
  for (const [word, side] of Object.entries(SHORT_SIDE)) {
    if (word === '1K') continue;
    const distance = Math.abs(side - short);
    if (distance < bestDistance) [best, bestDistance] = [word, distance];
  }
  return best;
}
