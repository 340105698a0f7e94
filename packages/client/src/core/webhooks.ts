/**
 * Verifies OpenRouter webhook deliveries: `X-OpenRouter-Signature: t=<unix>,v1=<hex>` where the hex
 * is HMAC-SHA256 of `"<t>,<raw body>"` keyed by the workspace's signing secret.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { openrouterSpec } from '@reelkit/spec';
import { WebhookVerificationError } from './errors.js';

const {
  computeSignature,
  parseSignatureHeader,
  VideoWebhookEvent,
  SIGNATURE_TOLERANCE_SECONDS,
  WEBHOOK_HEADERS,
} = openrouterSpec;

/**
 * A verified OpenRouter webhook event.
 *
 * @example
 * const event: OpenRouterWebhookEvent = verifyWebhook(raw, headers, secret);
 */
export type OpenRouterWebhookEvent = openrouterSpec.VideoWebhookEvent;

/**
 * Header access that works with a `Headers` object or a plain Node headers record.
 *
 * @example
 * verifyWebhook(raw, req.headers as HeaderSource, secret); // Node's IncomingHttpHeaders
 */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Options of {@link verifyWebhook}.
 *
 * @example
 * verifyWebhook(raw, headers, secret, { toleranceSeconds: 60, now: clock.now() });
 */
export interface VerifyWebhookOptions {
  /** Maximum age (and future skew) of the signature timestamp, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Current time in ms; inject it to verify on a simulated clock. Default `Date.now()`. */
  now?: number;
}

/**
 * Checks a delivery's signature in constant time and returns the typed event. Pass the raw body
 * exactly as received: re-serialised JSON does not verify. The header must be exactly
 * `t=<unix seconds>,v1=<64 lowercase hex>` (more `v1` while the sender rotates its secret); pass
 * several secrets to accept either side of your own rotation.
 *
 * @throws {WebhookVerificationError} with code `webhook_signature_missing`, `…_malformed`,
 * `…_mismatch`, `webhook_timestamp_out_of_tolerance` or `webhook_payload_invalid`.
 * @example
 * app.post('/hooks/openrouter', async (req) => {
 *   const event = verifyWebhook(await req.text(), req.headers, process.env.OPENROUTER_WEBHOOK_SECRET!);
 *   if (event.type === 'video.generation.completed') console.log(event.data.unsigned_urls);
 * });
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: HeaderSource,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): OpenRouterWebhookEvent {
  const header = readHeader(headers, WEBHOOK_HEADERS.signature);
  if (!header) {
    throw new WebhookVerificationError(
      'webhook_signature_missing',
      `The ${WEBHOOK_HEADERS.signature} header is missing.`,
      'Set a signing secret on the workspace, or do not verify unsigned deliveries.',
    );
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed) {
    throw new WebhookVerificationError(
      'webhook_signature_malformed',
      `The signature header "${header.slice(0, 200)}" is not of the form t=<unix seconds>,v1=<64 lowercase hex>[,v1=<…>].`,
    );
  }
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const age = nowSeconds - parsed.timestamp;
  if (Math.abs(age) > tolerance) {
    throw new WebhookVerificationError(
      'webhook_timestamp_out_of_tolerance',
      `The signature timestamp is ${age} s old; the tolerance is ${tolerance} s.`,
      'Check the receiver clock, or reject this replayed delivery.',
    );
  }
  // The parser admits only 64 lowercase hex characters, so every buffer here is 32 bytes.
  const expected = (typeof secret === 'string' ? [secret] : secret).map((key) =>
    Buffer.from(computeSignature({ secret: key, timestamp: parsed.timestamp, rawBody }), 'hex'),
  );
  // Every pair is compared, in constant time, so the time taken says nothing about which matched.
  let matches = false;
  for (const candidate of parsed.signatures) {
    const given = Buffer.from(candidate, 'hex');
    for (const wanted of expected) {
      if (given.length === wanted.length && timingSafeEqual(given, wanted)) matches = true;
    }
  }
  if (!matches) {
    throw new WebhookVerificationError(
      'webhook_signature_mismatch',
      'The signature does not match the body.',
      'Verify the raw request bytes (not re-serialised JSON) with the workspace signing secret.',
    );
  }
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WebhookVerificationError(
      'webhook_payload_invalid',
      'The body is not JSON.',
      undefined,
      { cause },
    );
  }
  const event = VideoWebhookEvent.safeParse(json);
  if (!event.success) {
    const where = event.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new WebhookVerificationError(
      'webhook_payload_invalid',
      `The signed body is not an OpenRouter video event (bad fields: ${where}).`,
      undefined,
      { cause: event.error },
    );
  }
  return event.data;
}
