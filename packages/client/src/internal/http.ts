/**
 * Request building and response reading for `callRoute`: URLs and query strings, JSON and
 * multipart bodies, text bodies read chunk by chunk (ImageRouter's heartbeats), and the
 * classification of network errors.
 * @internal
 * @module
 */

/**
 * Joins a base URL and a path, and appends the defined query values.
 *
 * @example
 * buildUrl('https://openrouter.ai/api/v1/', '/videos/abc/content', { index: 0 });
 * // 'https://openrouter.ai/api/v1/videos/abc/content?index=0'
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  query: Readonly<Record<string, unknown>> | undefined,
): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, String(item));
    }
  }
  return url.toString();
}

const isBlob = (value: unknown): value is Blob =>
  typeof Blob !== 'undefined' && value instanceof Blob;

/**
 * Whether a body holds a file (a `Blob` or `File`, at the top level or in an array), which only
 * a multipart body can carry.
 *
 * @example
 * containsFile({ 'image[]': [new File(['x'], 'a.png')] }); // true
 */
export function containsFile(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  return Object.values(body).some(
    (value) => isBlob(value) || (Array.isArray(value) && value.some(isBlob)),
  );
}

/**
 * Encodes a body as multipart form data: files as files, arrays as repeated fields, objects as
 * JSON text, everything else as text.
 *
 * @example
 * toFormData({ model: 'ir/test-video', 'image[]': [file] });
 */
export function toFormData(body: Readonly<Record<string, unknown>>): FormData {
  const form = new FormData();
  const append = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (isBlob(value)) {
      form.append(key, value, value instanceof File ? value.name : 'upload');
    } else if (typeof value === 'object') {
      form.append(key, JSON.stringify(value));
    } else {
      form.append(key, String(value));
    }
  };
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value) && (value.length === 0 || value.some(isBlob))) {
      for (const item of value) append(key, item);
    } else {
      append(key, value);
    }
  }
  return form;
}

/**
 * Reads a body as text, calling `onHeartbeat` for each whitespace-only chunk that arrives before
 * any content (ImageRouter writes a space every 3 s while it renders). Rejects with the signal's
 * reason as soon as `signal` aborts, and cancels the body, even where the fetch implementation
 * does not propagate the abort to a body already being read (msw's mocked streams).
 *
 * @example
 * const text = await readText(response, () => console.log('still rendering'), signal);
 */
export async function readText(
  response: Response,
  onHeartbeat?: () => void,
  signal?: AbortSignal,
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      if (chunk.length > 0 && chunk.trim() === '' && text.trim() === '') onHeartbeat?.();
      text += chunk;
    }
    return text + decoder.decode();
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Parses JSON that may start with whitespace (JSON allows it; ImageRouter's heartbeats put it
 * there). `undefined` for an empty body.
 *
 * @example
 * parseJson('   {"ok":true}'); // { ok: true }
 */
export function parseJson(text: string): unknown {
  return text.trim() === '' ? undefined : JSON.parse(text);
}

/** Network error codes (on the error or its `cause` chain) that mean nothing was sent. */
const BEFORE_SEND = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes that do not heal by retrying (configuration or certificate problems). */
const PERMANENT = new Set([
  'ENOTFOUND',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * What a failed `fetch` says about where it failed.
 *
 * @example
 * if (classifyNetworkError(error).beforeSend) retry();
 */
export interface NetworkFailure {
  /** Every `code` found on the error and its causes. */
  readonly codes: readonly string[];
  /** True only when a code proves the connection was never established. */
  readonly beforeSend: boolean;
  readonly permanent: boolean;
}

/**
 * Classifies a rejected `fetch` by the error codes on its `cause` chain (undici puts
 * `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, … there). Anything not known to fail before the
 * connection is up counts as possibly sent.
 *
 * @example
 * classifyNetworkError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })).beforeSend; // true
 */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerCode = (inner as { code?: unknown } | null)?.code;
        if (typeof innerCode === 'string') codes.push(innerCode);
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return {
    codes,
    beforeSend: codes.length > 0 && codes.every((c) => BEFORE_SEND.has(c)),
    permanent: codes.some((c) => PERMANENT.has(c)),
  };
}
