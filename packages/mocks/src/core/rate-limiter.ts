/**
 * Fixed-window request counting per key on the engine's clock, for routers that document a
 * per-key rate (ImageRouter: balance / 6 requests per second, 1 to 20).
 * @module
 */
import type { Clock } from './clock.js';

/** The verdict on one request. */
export interface RateVerdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
}

/** Counts requests per key and window. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): RateVerdict;
  reset(): void;
}

/**
 * Creates a rate limiter.
 *
 * @example
 * const limiter = createRateLimiter(clock);
 * limiter.hit('sk-a', 2, 1000).allowed; // true, true, then false within the same second
 */
export function createRateLimiter(clock: Clock): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, limit, windowMs) {
      const now = clock.now();
      const start = Math.floor(now / windowMs) * windowMs;
      const current = windows.get(key);
      const window = current && current.start === start ? current : { start, count: 0 };
      window.count++;
      windows.set(key, window);
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (w.start < start) windows.delete(k);
      }
      return {
        allowed: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        resetSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
      };
    },
    reset: () => windows.clear(),
  };
}
