import { describe, expect, it } from 'vitest';
import { classifyHttpError, classifyJobEnd } from './classify.js';

describe('classifyHttpError', () => {
  it.each([
    [400, {}, 'bad_request', 'bad_request'],
    [422, { message: 'Flagged by the safety system' }, 'bad_request', 'content_moderated'],
    [401, {}, 'authentication', 'authentication_failed'],
    [402, {}, 'payment_required', 'insufficient_credits'],
    [200, { message: 'Insufficient credits' }, 'payment_required', 'insufficient_credits'],
    [403, { code: 'moderation_blocked' }, 'permission_denied', 'content_moderated'],
    [403, {}, 'permission_denied', 'permission_denied'],
    [404, {}, 'not_found', 'not_found'],
    [429, { message: 'Insufficient quota' }, 'payment_required', 'quota_exceeded'],
    [429, { message: 'Too many requests' }, 'rate_limit', 'rate_limited'],
    [503, {}, 'server', 'server_error'],
    [418, {}, 'other', 'api_error'],
  ] as const)('%i %j → %s / %s', (status, fields, family, code) => {
    const verdict = classifyHttpError(status, fields, {});
    expect(verdict).toMatchObject({ family, code });
    expect(verdict.hint.length).toBeGreaterThan(0);
  });

  it('names the attempts and the Retry-After wait in a rate-limit hint', () => {
    const { hint } = classifyHttpError(429, {}, { attempts: 3, retryAfterMs: 2_000 });
    expect(hint).toBe(
      'Slow down (3 attempts): retry later or lower concurrency. Retry-After: 2 s.',
    );
  });
});

describe('classifyJobEnd', () => {
  it.each([
    ['failed', false, 'generation_failed'],
    ['cancelled', false, 'generation_cancelled'],
    ['expired', false, 'generation_expired'],
    ['expired', true, 'content_moderated'],
  ] as const)('%s (moderated %s) → %s', (status, moderated, code) => {
    expect(classifyJobEnd(status, moderated).code).toBe(code);
  });
});
