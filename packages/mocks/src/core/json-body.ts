/**
 * Small helpers for JSON reply bodies on the hot path, kept free of Node APIs so the engine runs
 * wherever `fetch` does (msw in a browser too).
 * @module
 */
import { MockError } from './errors.js';

/**
 * The UTF-8 byte length of a string, without encoding it. `JSON.stringify` never emits a lone
 * surrogate, so a high surrogate is always half of a 4-byte pair.
 *
 * @example
 * utf8Length('é'); // 2
 */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) length += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      length += 2; // 2 UTF-16 units → 4 bytes
      i++;
    } else length += 2;
  }
  return length;
}

/**
 * Whether a JSON text nests objects and arrays deeper than `maxDepth`. One pass over the text,
 * skipping strings, before `JSON.parse` (and later schema checks, which recurse) ever see it.
 *
 * @example
 * exceedsJsonDepth('{"a":[{"b":1}]}', 2); // true: object → array → object is depth 3
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c /* \ */) i++;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) depth--;
  }
  return false;
}

/** What a client is told about a body that is not UTF-8. */
export const INVALID_UTF8_MESSAGE = 'The request body is not valid UTF-8.';

/**
 * A body that cannot be read as text: not UTF-8. A control-plane request gets it as a 400; a
 * router route answers {@link INVALID_UTF8_MESSAGE} in the router's envelope.
 *
 * @example
 * throw new InvalidBodyEncodingError();
 */
export class InvalidBodyEncodingError extends MockError {
  constructor() {
    super('MOCK_ERR_BAD_BODY', INVALID_UTF8_MESSAGE);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a request body, refusing bytes that are not UTF-8 (`Request.text()` would silently
 * replace them with U+FFFD). Requests that are not a Web `Request` (the fastify adapter's) check
 * the encoding in their own `text()`.
 *
 * @throws {InvalidBodyEncodingError} when the body is not valid UTF-8.
 * @example
 * const text = await readBodyText(request);
 */
export async function readBodyText(request: {
  text(): Promise<string>;
  arrayBuffer?: () => Promise<ArrayBuffer>;
}): Promise<string> {
  if (!(request instanceof Request)) return request.text();
  try {
    return strictUtf8.decode(await request.arrayBuffer());
  } catch (error) {
    if (error instanceof TypeError) throw new InvalidBodyEncodingError();
    throw error;
  }
}
