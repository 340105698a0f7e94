/**
 * Small statistics helpers.
 * @module
 */

/**
 * The median of a non-empty list (the mean of the middle two for an even count); NaN when empty.
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The `q` quantile (0..1) by linear interpolation between closest ranks; NaN when empty.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.99); // 3.97
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

/**
 * Rounds to `digits` decimals.
 *
 * @example
 * round(1.23456, 2); // 1.23
 */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
