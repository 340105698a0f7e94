/**
 * Small helpers the provider mocks share.
 * @module
 */
import type { Random } from '../core/random.js';

/** Draws a duration from a [min, max] range in ms. */
export function drawMs(random: Random, [min, max]: readonly [number, number]): number {
  return min + Math.round(random.next() * (max - min));
}

/**
 * Words validation issues as `path: message; path: message`.
 *
 * @example
 * describeIssues([{ path: ['duration'], message: 'Expected number' }]); // 'duration: Expected number'
 */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
