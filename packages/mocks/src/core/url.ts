/**
 * Request URLs, split without WHATWG parsing when they are already in normal form. `new URL()`
 * costs more than the rest of the engine's work on a poll; a URL whose host is lower-case,
 * whose port is not the default and whose path has no dot segments, percent escapes or
 * backslashes parses to exactly its own pieces, so those are read off directly. Anything else
 * goes through `URL`.
 * @module
 */

/** The parts of a request URL the engine routes on. */
export interface RequestTarget {
  /** `http://127.0.0.1:4010` */
  readonly origin: string;
  readonly pathname: string;
  /** `?a=1`, or `''` */
  readonly search: string;
}

// Characters URL leaves as they are: in the path, unreserved ones without '.'; in the query,
// those outside its percent-encode set (no space, quotes, '<', '>' or non-ASCII).
const NORMAL =
  /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d+)?(\/[\w\-~/]*)(\?[\w\-.~!$&()*+,;=:@/?%]*)?$/;

/**
 * Splits a request URL into origin, path and query, as `new URL(url)` would.
 *
 * @example
 * parseTarget('http://127.0.0.1:4010/api/v1/videos/abc?index=0');
 * // { origin: 'http://127.0.0.1:4010', pathname: '/api/v1/videos/abc', search: '?index=0' }
 */
export function parseTarget(url: string): RequestTarget {
  const m = NORMAL.exec(url);
  const [, scheme, host, port = '', pathname, search = ''] = m ?? [];
  const defaultPort = port === (scheme === 'https' ? ':443' : ':80') || port === ':';
  if (m && scheme && host && pathname && !defaultPort && !/^:0\d/.test(port)) {
    return { origin: `${scheme}://${host}${port}`, pathname, search: search === '?' ? '' : search };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, pathname: parsed.pathname, search: parsed.search };
}
