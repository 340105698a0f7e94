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

/**
 * Fixed-window request counters as handlers reach them: in this process ({@link RateLimiter}) or
 * in a shared store, counted atomically across replicas.
 *
 * @example
 * const verdict = await ctx.services.rateLimiter.hit(`video:${key}`, 10, 1000);
 */
export interface RateLimits {
  hit(key: string, limit: number, windowMs: number): RateVerdict | Promise<RateVerdict>;
}

/** Counts requests per key and window, in this process. */
export interface RateLimiter extends RateLimits {
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
