import { openrouterSpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from './errors.js';
import { verifyWebhook } from './webhooks.js';

const { WEBHOOK_HEADERS, WEBHOOK_HEADER_KEYS } = openrouterSpec;
const secret = 'whsec_reelkit_test';
const now = Date.UTC(2026, 3, 24, 12, 0, 0);
const t = Math.floor(now / 1000);
const event = {
  type: 'video.generation.completed',
  created_at: '2026-04-24T12:00:00.000Z',
  data: {
    id: 'abc123',
    status: 'completed',
    generation_id: 'gen-xyz789',
    model: 'google/veo-3.1',
    unsigned_urls: ['https://openrouter.ai/api/v1/videos/abc123/content?index=0'],
    usage: { cost: 0.5, is_byok: false },
  },
};
const rawBody = JSON.stringify(event);
const sign = (body: string, key = secret, timestamp = t) => ({
  [WEBHOOK_HEADERS.signature]: openrouterSpec.signatureHeader({
    secret: key,
    timestamp,
    rawBody: body,
  }),
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookVerificationError);
    return (e as WebhookVerificationError).code;
  }
  return 'no error';
};

describe('verifyWebhook', () => {
  it('returns the typed event for a valid delivery (Headers or a plain record)', () => {
    expect(verifyWebhook(rawBody, sign(rawBody), secret, { now })).toEqual(event);
    expect(verifyWebhook(rawBody, new Headers(sign(rawBody)), secret, { now }).type).toBe(
      'video.generation.completed',
    );
  });
  it('rejects a tampered body', () => {
    const tampered = rawBody.replace('0.5', '0.05');
    expect(codeOf(() => verifyWebhook(tampered, sign(rawBody), secret, { now }))).toBe(
      'webhook_signature_mismatch',
    );
  });
  it('rejects a wrong secret', () => {
    expect(codeOf(() => verifyWebhook(rawBody, sign(rawBody, 'other'), secret, { now }))).toBe(
      'webhook_signature_mismatch',
    );
  });
  it('rejects a signature over "<t>.<body>" (dot instead of the documented comma)', async () => {
    const { createHmac } = await import('node:crypto');
    const dotted = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
    const headers = { [WEBHOOK_HEADER_KEYS.signature]: `t=${t},v1=${dotted}` };
    expect(codeOf(() => verifyWebhook(rawBody, headers, secret, { now }))).toBe(
      'webhook_signature_mismatch',
    );
  });
  it('rejects a stale timestamp and one from the future beyond the tolerance', () => {
    expect(
      codeOf(() => verifyWebhook(rawBody, sign(rawBody, secret, t - 301), secret, { now })),
    ).toBe('webhook_timestamp_out_of_tolerance');
    expect(
      codeOf(() => verifyWebhook(rawBody, sign(rawBody, secret, t + 301), secret, { now })),
    ).toBe('webhook_timestamp_out_of_tolerance');
    expect(verifyWebhook(rawBody, sign(rawBody, secret, t - 299), secret, { now }).type).toBe(
      'video.generation.completed',
    );
  });
  it('rejects missing and malformed headers', () => {
    expect(codeOf(() => verifyWebhook(rawBody, {}, secret, { now }))).toBe(
      'webhook_signature_missing',
    );
    expect(
      codeOf(() =>
        verifyWebhook(rawBody, { [WEBHOOK_HEADER_KEYS.signature]: 'v1=abc' }, secret, { now }),
      ),
    ).toBe('webhook_signature_malformed');
  });
  it('is exact about the signature: 64 lowercase hex, nothing before or after', () => {
    const header = sign(rawBody)[WEBHOOK_HEADERS.signature];
    const hex = header.slice(header.indexOf('v1=') + 3);
    const variants = [
      `${header}zz`, // hex decoding would silently drop the tail
      `${header}00`,
      header.slice(0, -1),
      `t=${t},v1=${hex.toUpperCase()}`,
      `t=${t}, v1=${hex}`,
      ` t=${t},v1=${hex}`,
      `t=${t},v1=${hex},`,
      `t=${t},t=${t},v1=${hex}`,
      `t=${t},v1=${hex},x=1`,
      `t=+${t},v1=${hex}`,
      `t=${t}`,
      `t=${t},v1=${hex},${'v1=' + '0'.repeat(64) + ','}`.repeat(100),
    ];
    for (const variant of variants) {
      expect(
        codeOf(() =>
          verifyWebhook(rawBody, { [WEBHOOK_HEADER_KEYS.signature]: variant }, secret, { now }),
        ),
        variant.slice(0, 100),
      ).toBe('webhook_signature_malformed');
    }
  });
  it('accepts several v1 (the sender rotating its secret) and other schemes it skips', () => {
    const hex = (key: string) =>
      openrouterSpec.computeSignature({ secret: key, timestamp: t, rawBody });
    const rotating = `t=${t},v1=${hex('old-secret')},v0=abc123,v1=${hex(secret)}`;
    expect(
      verifyWebhook(rawBody, { [WEBHOOK_HEADER_KEYS.signature]: rotating }, secret, { now }).type,
    ).toBe('video.generation.completed');
    // The receiver rotating: either of its secrets verifies; neither of two wrong ones does.
    const single = sign(rawBody, 'next-secret');
    expect(verifyWebhook(rawBody, single, ['next-secret', secret], { now }).data.id).toBe('abc123');
    expect(codeOf(() => verifyWebhook(rawBody, single, ['a', 'b'], { now }))).toBe(
      'webhook_signature_mismatch',
    );
  });
  it('rejects a correctly signed body that is not a video event', () => {
    const body = JSON.stringify({ type: 'video.generation.done', data: {} });
    expect(codeOf(() => verifyWebhook(body, sign(body), secret, { now }))).toBe(
      'webhook_payload_invalid',
    );
  });
});
