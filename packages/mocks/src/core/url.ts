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
// those outside its percent-encode set (no space, quotes, '<', '>' or non-ASCII). The host must
// be lower-case and the port free of leading zeros.
const NORMAL_AUTHORITY = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[1-9]\d*)?$/;
const NORMAL_PATH = /^(\/[\w\-~/]*)(\?[\w\-.~!$&()*+,;=:@/?%]*)?$/;
const SPLIT = /^(https?):\/\/([^/?#\\]*)(.*)$/s;

function viaUrl(url: string): RequestTarget {
  const parsed = new URL(url);
  return { origin: parsed.origin, pathname: parsed.pathname, search: parsed.search };
}

// A server sees one origin almost always: keep the last one built rather than a new string.
let lastScheme = '';
let lastAuthority = '';
let lastOrigin = '';
function originOf(scheme: 'http' | 'https', authority: string): string {
  if (scheme !== lastScheme || authority !== lastAuthority) {
    [lastScheme, lastAuthority, lastOrigin] = [scheme, authority, `${scheme}://${authority}`];
  }
  return lastOrigin;
}

/**
 * The target of a request from its scheme, `Host` and request line path, as `new URL()` would
 * split `scheme://authority/path?query`: what a server adapter knows without building a URL.
 *
 * @example
 * targetOf('http', '127.0.0.1:4010', '/api/v1/videos/abc');
 * // { origin: 'http://127.0.0.1:4010', pathname: '/api/v1/videos/abc', search: '' }
 */
export function targetOf(
  scheme: 'http' | 'https',
  authority: string,
  pathAndQuery: string,
): RequestTarget {
  const path = NORMAL_PATH.exec(pathAndQuery);
  const defaultPort = authority.endsWith(scheme === 'https' ? ':443' : ':80');
  if (path?.[1] && !defaultPort && NORMAL_AUTHORITY.test(authority)) {
    const search = path[2] && path[2] !== '?' ? path[2] : '';
    return { origin: originOf(scheme, authority), pathname: path[1], search };
  }
  return viaUrl(`${scheme}://${authority}${pathAndQuery}`);
}

/**
 * Splits a request URL into origin, path and query, as `new URL(url)` would.
 *
 * @example
 * parseTarget('http://127.0.0.1:4010/api/v1/videos/abc?index=0');
 * // { origin: 'http://127.0.0.1:4010', pathname: '/api/v1/videos/abc', search: '?index=0' }
 */
export function parseTarget(url: string): RequestTarget {
  const m = SPLIT.exec(url);
  const scheme = m?.[1];
  return scheme === 'http' || scheme === 'https'
    ? targetOf(scheme, m?.[2] ?? '', m?.[3] ?? '')
    : viaUrl(url);
}
