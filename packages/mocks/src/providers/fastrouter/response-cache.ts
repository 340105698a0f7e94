/**
 * FastRouter's response caching for the task family (response-caching docs): a request with a
 * `cache_key` header and the same exact prompt and options reuses a live, successful task, free
 * of charge.
 * @module
 */
import type { fastrouterSpec } from '@reelkit/spec';
import type { FastRouterContext, FastRouterJob } from './job-data.js';

type VideoRequest = fastrouterSpec.FastRouterVideoRequest;

/** `cache_key` header limits (response-caching docs). */
const CACHE_KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;
/** How long an entry lives when the request sets no `cache.expiration_time`. */
const DEFAULT_CACHE_TTL_SECONDS = 57_600;

/**
 * Whether a `cache_key` header value is one FastRouter accepts.
 *
 * @example
 * isValidCacheKey('demo:v1'); // true
 */
export const isValidCacheKey = (cacheKey: string): boolean => CACHE_KEY.test(cacheKey);

/**
 * The exact-match part of the response-cache lookup (prompt similarity 1.0: exact prompt).
 *
 * @example
 * cacheFingerprint('demo', { model: 'google/veo3', prompt: 'a cat' }, 'pollo');
 */
export function cacheFingerprint(
  cacheKey: string,
  request: VideoRequest,
  provider: string,
): string {
  const options = request.cache ?? {};
  return JSON.stringify([
    cacheKey,
    options.filter_on_model === false ? null : request.model,
    options.filter_on_provider === true ? provider : null,
    request.prompt,
    request.image ?? null,
    request.length ?? null,
    request.seconds ?? null,
    request.resolution ?? null,
    request.aspectRatio ?? null,
    request.size ?? null,
    request.mode ?? null,
    request.seed ?? null,
    request.generateAudio ?? null,
  ]);
}

/**
 * When a cache entry made now for `request` stops matching, in simulated ms.
 *
 * @example
 * cacheUntil(clock.now(), request);
 */
export function cacheUntil(now: number, request: VideoRequest): number {
  return now + (request.cache?.expiration_time ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
}

/**
 * A live, successful task of the same key created from the same cached request, if any.
 *
 * @example
 * const hit = await cacheHit(ctx, fingerprint);
 */
export async function cacheHit(
  ctx: FastRouterContext,
  fingerprint: string,
): Promise<FastRouterJob | undefined> {
  const now = ctx.services.clock.now();
  return (await ctx.services.jobs.list()).find((job) => {
    const data = job.data;
    return (
      data.cache?.fingerprint === fingerprint &&
      data.succeeds &&
      now < data.cache.until &&
      job.apiKey === ctx.apiKey &&
      now < job.expiresAt
    );
  });
}
