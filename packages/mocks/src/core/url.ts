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

// Characters a host[:port] may hold: letters, digits, '.', '-', '_', and ':', '[', ']' for ports
// and IPv6 literals. No '%', '@', '/', '?', '#', '\' or spaces: nothing that could carry a path,
// a query or credentials into a URL built from it.
const HOST_CHARS = /^[A-Za-z0-9._\-:[\]]{1,300}$/;

/**
 * The `host[:port]` of a `Host` header in normal form, or `undefined` when the value is not
 * exactly one valid host with an optional port: spaces, paths (`x/__reelkit/reset?`), percent
 * escapes, credentials, brackets that hold no IPv6 address, ports past 65535 and non-canonical IP
 * forms (`127.1`, `0x7f000001`) are all refused. The default port 80 is dropped, names are
 * lower-cased. It parses a URL: a server should remember the values it has checked.
 *
 * @example
 * validHost('127.0.0.1:4010'); // '127.0.0.1:4010'
 * validHost('Mock.Local:80');  // 'mock.local'
 * validHost('a b');            // undefined
 */
export function validHost(host: string): string | undefined {
  if (!HOST_CHARS.test(host)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return undefined;
  }
  const lower = host.toLowerCase();
  // What URL read must be the whole value, unchanged but for case and an explicit port 80.
  if (parsed.pathname !== '/' || (lower !== parsed.host && lower !== `${parsed.host}:80`))
    return undefined;
  return parsed.host;
}

/**
 * Whether a host (as {@link validHost} returns it, with or without a port) names this machine's
 * loopback interface: `localhost` and its subdomains, `127.0.0.0/8`, `[::1]`.
 *
 * @example
 * isLoopbackHost('127.0.0.1:4010'); // true
 * isLoopbackHost('evil.example');   // false
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/**
 * Checks a public URL (`--public-url`): an `http:` or `https:` origin without credentials, path,
 * query or fragment. Returns its origin; throws a `RangeError` that says what is wrong.
 *
 * @example
 * publicOrigin('https://mocks.example.com/'); // 'https://mocks.example.com'
 * publicOrigin('https://mocks.example.com/openrouter'); // RangeError
 */
export function publicOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(
      `[reelkit] the public URL '${url}' is not a URL; give an origin such as https://mocks.example.com.`,
    );
  }
  const problem =
    parsed.protocol !== 'http:' && parsed.protocol !== 'https:'
      ? 'must be http: or https:'
      : parsed.username || parsed.password
        ? 'must not carry credentials'
        : parsed.pathname !== '/' ||
            parsed.search ||
            parsed.hash ||
            url.includes('?') ||
            url.includes('#')
          ? "must be an origin only, without a path, query or fragment (the routers' paths are kept as they are)"
          : undefined;
  if (problem) throw new RangeError(`[reelkit] the public URL '${url}' ${problem}.`);
  return parsed.origin;
}
