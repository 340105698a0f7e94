/**
 * Reading a router's error body: the message, code, type, blamed field and metadata, from any of
 * the four routers' envelopes or a plain-text body.
 * @module
 */

/**
 * The fields routers put in their error envelopes, read from any of the four shapes.
 *
 * @example
 * const { message, code } = providerErrorFields(body);
 */
export interface ProviderErrorFields {
  readonly message?: string;
  readonly code?: string;
  readonly type?: string;
  readonly param?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** The most of a plain-text error body kept as its message, in characters. */
const MAX_TEXT_MESSAGE_CHARS = 500;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

/**
 * Reads `{ error: { message, code, type, param, metadata } }` (OpenRouter, ImageRouter,
 * FastRouter, rout.my all use a variant of it), or a plain-text body.
 *
 * @example
 * providerErrorFields({ error: { code: 402, message: 'Insufficient credits' } });
 * // { message: 'Insufficient credits', code: '402' }
 */
export function providerErrorFields(body: unknown): ProviderErrorFields {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    return trimmed ? { message: trimmed.slice(0, MAX_TEXT_MESSAGE_CHARS) } : {};
  }
  if (!isRecord(body)) return {};
  const error = isRecord(body.error) ? body.error : body;
  const message = text(error.message) ?? text(body.message);
  const code = text(error.code);
  const type = text(error.type);
  const param = text(error.param);
  const metadata = isRecord(error.metadata) ? error.metadata : undefined;
  return {
    ...(message !== undefined ? { message } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(param !== undefined ? { param } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

/**
 * The router's words in one line: its message, then its code and type in brackets.
 *
 * @example
 * describeProviderError({ message: 'Not found', code: '404' }); // 'Not found (404)'
 */
export function describeProviderError(fields: ProviderErrorFields): string {
  const extra = [fields.code, fields.type].filter((v): v is string => Boolean(v));
  return `${fields.message ?? '(no message)'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}
