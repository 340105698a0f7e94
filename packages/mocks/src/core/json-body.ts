/**
 * Small helpers for JSON reply bodies on the hot path, kept free of Node APIs so the engine runs
 * wherever `fetch` does (msw in a browser too).
 * @module
 */

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
