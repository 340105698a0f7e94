/**
 * OpenRouter's `unsigned_urls`: the content route plus a per-job token, so the guide's download
 * without a key works while the route without the token keeps requiring the key.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeylessRequest, RequestContext } from '../../core/types.js';

/** The download tokens of one mock: unguessable without its secret, nothing stored per job. */
export interface DownloadTokens {
  /** The `&token=…` each of a job's video URLs carries. */
  videoUrlQuery(job: { readonly id: string }): string;
  /** `keylessAccess`: the content route without a key, when the URL carries the job's token. */
  keylessAccess(request: KeylessRequest): boolean;
  /** Whether a content request without a key carries the job's token. */
  keylessContent(ctx: RequestContext): boolean;
}

/**
 * Download tokens derived from `secret` (default: 32 random bytes per mock, so nobody can guess
 * a job's download URL, whatever the seed).
 *
 * @example
 * const tokens = createDownloadTokens();
 * tokens.videoUrlQuery({ id: 'job1' }); // '&token=…'
 */
export function createDownloadTokens(secret: Uint8Array = randomBytes(32)): DownloadTokens {
  const tokenOf = (jobId: string) =>
    createHmac('sha256', secret).update(jobId).digest('base64url').slice(0, 32);
  const matches = (jobId: string, token: string) => {
    const expected = Buffer.from(tokenOf(jobId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return {
    videoUrlQuery: (job) => `&token=${tokenOf(job.id)}`,
    keylessAccess({ routeKey, params, search }) {
      if (routeKey !== 'getVideoContent') return false;
      const token = new URLSearchParams(search).get('token');
      return token !== null && matches(params.jobId ?? '', token);
    },
    keylessContent(ctx) {
      const token = ctx.query.token as string | undefined;
      return token !== undefined && matches(ctx.params.jobId ?? '', token);
    },
  };
}
