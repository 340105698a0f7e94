/**
 * OpenRouter's webhook contract: event names, headers and the signature scheme, as its
 * video-generation guide and webhooks cookbook document them.
 * @module
 */
import { createHmac } from 'node:crypto';

/** Terminal statuses that trigger a webhook delivery, one event type each. */
export const WEBHOOK_STATUSES = ['completed', 'failed', 'cancelled', 'expired'] as const;

/** One of {@link WEBHOOK_STATUSES}. */
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** The header names of a delivery, as OpenRouter's docs spell them. */
export const WEBHOOK_HEADERS = {
  idempotencyKey: 'X-OpenRouter-Idempotency-Key',
  signature: 'X-OpenRouter-Signature',
} as const;

const lowercase = <S extends string>(name: S): Lowercase<S> => name.toLowerCase() as Lowercase<S>;

/**
 * {@link WEBHOOK_HEADERS} in lower case: the keys of Node's `req.headers` and of the headers a
 * delivery is sent with.
 *
 * @example
 * req.headers[WEBHOOK_HEADER_KEYS.signature]; // 't=1714000000,v1=…'
 */
export const WEBHOOK_HEADER_KEYS = {
  idempotencyKey: lowercase(WEBHOOK_HEADERS.idempotencyKey),
  signature: lowercase(WEBHOOK_HEADERS.signature),
} as const;

/** Receivers in the docs reject signatures older than this many seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The event type for a terminal status.
 *
 * @example
 * webhookEventType('completed'); // 'video.generation.completed'
 */
export function webhookEventType<S extends WebhookStatus>(status: S): `video.generation.${S}` {
  return `video.generation.${status}`;
}

/**
 * The idempotency key of a delivery: `<job_id>-<status>`, the same on every retry.
 *
 * @example
 * idempotencyKey('job_test', 'completed'); // 'job_test-completed'
 */
export function idempotencyKey(jobId: string, status: WebhookStatus): string {
  return `${jobId}-${status}`;
}

/**
 * The `v1` signature: lowercase hex HMAC-SHA256, keyed by the signing secret, of
 * `"<timestamp>,<raw body>"`. The separator is a comma, not a dot, as OpenRouter documents.
 *
 * @example
 * computeSignature({ secret: 'whsec', timestamp: 1714000000, rawBody: '{"type":"..."}' });
 */
export function computeSignature(input: {
  secret: string;
  timestamp: number;
  rawBody: string | Uint8Array;
}): string {
  const hmac = createHmac('sha256', input.secret);
  hmac.update(`${input.timestamp},`);
  hmac.update(input.rawBody);
  return hmac.digest('hex');
}

/**
 * The `X-OpenRouter-Signature` header value: `t=<unix seconds>,v1=<hex>`.
 *
 * @example
 * signatureHeader({ secret: 'whsec', timestamp: 1714000000, rawBody: body });
 * // 't=1714000000,v1=5f0c…'
 */
export function signatureHeader(input: {
  secret: string;
  timestamp: number;
  rawBody: string | Uint8Array;
}): string {
  return `t=${input.timestamp},v1=${computeSignature(input)}`;
}

/** The longest signature header accepted: room for a timestamp and dozens of signatures. */
export const MAX_SIGNATURE_HEADER_LENGTH = 4096;

/** A `v1` signature: exactly 64 lowercase hex characters (HMAC-SHA256). */
const V1_SIGNATURE = /^[0-9a-f]{64}$/;
/** Other schemes (`v0`, a future `v2`): hex values, skipped. */
const OTHER_SCHEME = /^v[0-9]+$/;

/**
 * The headers of one delivery attempt: JSON content type, the event's idempotency key and, when a
 * signing secret is set, the signature of the raw body at `timestamp` (unix seconds).
 *
 * @example
 * deliveryHeaders({ jobId: 'job_test', status: 'completed', rawBody, secret: 'whsec', timestamp: 1714000000 });
 * // { 'content-type': 'application/json', 'x-openrouter-idempotency-key': 'job_test-completed', 'x-openrouter-signature': 't=1714000000,v1=…' }
 */
export function deliveryHeaders(input: {
  jobId: string;
  status: WebhookStatus;
  rawBody: string | Uint8Array;
  secret?: string | undefined;
  timestamp: number;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [WEBHOOK_HEADER_KEYS.idempotencyKey]: idempotencyKey(input.jobId, input.status),
  };
  if (input.secret) {
    headers[WEBHOOK_HEADER_KEYS.signature] = signatureHeader({
      secret: input.secret,
      timestamp: input.timestamp,
      rawBody: input.rawBody,
    });
  }
  return headers;
}

/**
 * Splits a signature header into its timestamp and `v1` signatures; `undefined` when malformed.
 * The grammar is strict: comma-separated `key=value` elements with no whitespace, exactly one
 * `t=<unix seconds>`, one or more `v1=<64 lowercase hex>` (several during a secret rotation),
 * other `v<n>=<hex>` schemes ignored, anything else refused.
 *
 * @example
 * parseSignatureHeader(`t=1714000000,v1=${'ab'.repeat(32)}`); // { timestamp: 1714000000, signatures: ['abab…'] }
 * parseSignatureHeader(`t=1714000000,v1=${'ab'.repeat(32)}zz`); // undefined
 */
export function parseSignatureHeader(
  header: string,
): { timestamp: number; signatures: string[] } | undefined {
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return undefined;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 't') {
      if (timestamp !== undefined || !/^[0-9]{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!V1_SIGNATURE.test(value)) return undefined;
      signatures.push(value);
    } else if (!OTHER_SCHEME.test(key) || !/^[0-9a-f]+$/.test(value)) {
      return undefined;
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}
