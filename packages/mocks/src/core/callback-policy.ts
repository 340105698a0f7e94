/**
 * Which `callback_url`s a mock will call. By default only HTTPS to public addresses, so that a
 * request cannot make the mock call into the network it runs in (cloud metadata at
 * 169.254.169.254, a router at 192.168.1.1, a service on loopback). The operator may allow more:
 * `allowHttpLoopback` (`--allow-http-callbacks`) for a receiver on the same machine, and
 * `allowPrivateNetworks` (`--allow-private-callbacks`) for receivers on private networks.
 *
 * The URL is checked when the job is created and again before every attempt; a server on Node
 * also checks every address a name resolves to, and connects to the address it checked (see
 * `createGuardedFetch` in `@reelkit/mocks/serve`). Pure: no Node APIs.
 * @module
 */

/** What the operator allows beyond public HTTPS. */
export interface CallbackPolicy {
  /** `http://` and `https://` to loopback (127.0.0.0/8, ::1, `localhost`). */
  readonly allowHttpLoopback?: boolean;
  /**
   * Private, shared and link-local networks (10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16,
   * fc00::/7, fe80::/10) and loopback, over HTTPS; over HTTP too with `allowHttpLoopback`.
   */
  readonly allowPrivateNetworks?: boolean;
}

/** The longest `callback_url` accepted, in characters (browsers and CDNs cut near 2,000). */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Where an address leads. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  /** 0.0.0.0, ::, multicast, broadcast, documentation and reserved ranges: never a receiver. */
  | 'unroutable';

type V4Range = readonly [base: number, bits: number, kind: AddressKind];

const v4 = (text: string): number =>
  text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

const V4_RANGES: readonly V4Range[] = (
  [
    ['0.0.0.0', 8, 'unroutable'],
    ['10.0.0.0', 8, 'private'],
    ['100.64.0.0', 10, 'private'],
    ['127.0.0.0', 8, 'loopback'],
    ['169.254.0.0', 16, 'link-local'],
    ['172.16.0.0', 12, 'private'],
    ['192.0.0.0', 24, 'unroutable'],
    ['192.0.2.0', 24, 'unroutable'],
    ['192.168.0.0', 16, 'private'],
    ['198.18.0.0', 15, 'unroutable'],
    ['198.51.100.0', 24, 'unroutable'],
    ['203.0.113.0', 24, 'unroutable'],
    ['224.0.0.0', 4, 'unroutable'],
    ['240.0.0.0', 4, 'unroutable'],
  ] as const
).map(([base, bits, kind]) => [v4(base), bits, kind] as const);

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function classifyV4(value: number): AddressKind {
  for (const [base, bits, kind] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (value >= base && value < base + size) return kind;
  }
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (brackets and a zone allowed), or undefined. */
function parseV6(text: string): number[] | undefined {
  let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (!address.includes(':')) return undefined;
  const lastColon = address.lastIndexOf(':');
  const last = address.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 (::ffff:127.0.0.1) becomes its two hex groups.
    if (!DOTTED_QUAD.test(last)) return undefined;
    const value = v4(last);
    const hex = (n: number) => n.toString(16);
    address = `${address.slice(0, lastColon + 1)}${hex(Math.floor(value / 65536))}:${hex(value % 65536)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  const explicit = [...head, ...rest];
  if (!explicit.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const missing = 8 - explicit.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [
    ...head.map((g) => parseInt(g, 16)),
    ...Array<number>(halves.length === 2 ? missing : 0).fill(0),
    ...rest.map((g) => parseInt(g, 16)),
  ];
}

function classifyV6(groups: readonly number[]): AddressKind {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = groups;
  const upperZero = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (upperZero && f === 0 && g === 0 && h <= 1) return h === 1 ? 'loopback' : 'unroutable';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
  if (
    (upperZero && (f === 0xffff || f === 0)) ||
    (a === 0x64 && b === 0xff9b && !c && !d && !e && !f)
  )
    return classifyV4(g * 65536 + h);
  if ((a & 0xfe00) === 0xfc00) return 'private';
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xff00) === 0xff00) return 'unroutable';
  if (a === 0x2001 && b === 0x0db8) return 'unroutable';
  return 'public';
}

/**
 * What kind of address an IP literal is; `undefined` for anything that is not one.
 *
 * @example
 * classifyAddress('169.254.169.254'); // 'link-local'
 * classifyAddress('::ffff:10.0.0.1'); // 'private'
 * classifyAddress('93.184.216.34'); // 'public'
 */
export function classifyAddress(address: string): AddressKind | undefined {
  if (DOTTED_QUAD.test(address)) return classifyV4(v4(address));
  const groups = parseV6(address);
  return groups ? classifyV6(groups) : undefined;
}

const HTTPS_ONLY =
  'callbacks must use HTTPS (http:// is allowed to loopback with --allow-http-callbacks)';

/**
 * Why the policy refuses an address of `kind` over `protocol` (`http:` or `https:`), or undefined.
 *
 * @example
 * refuseAddress('loopback', 'https:', {}); // 'it is a loopback address; …'
 */
export function refuseAddress(
  kind: AddressKind,
  protocol: string,
  policy: CallbackPolicy,
): string | undefined {
  const http = protocol === 'http:';
  switch (kind) {
    case 'public':
      return http ? HTTPS_ONLY : undefined;
    case 'loopback':
      if (policy.allowHttpLoopback || (policy.allowPrivateNetworks && !http)) return undefined;
      return 'it leads to loopback; start the mock with --allow-http-callbacks to call a local receiver';
    case 'private':
    case 'link-local':
      if (!policy.allowPrivateNetworks) {
        return `it leads to a ${kind} address; start the mock with --allow-private-callbacks to call one`;
      }
      return http && !policy.allowHttpLoopback
        ? 'http:// to a private network needs --allow-http-callbacks as well'
        : undefined;
    case 'unroutable':
      return 'it leads to an address no receiver can have (unspecified, multicast or reserved)';
  }
}

/** The host as written in the URL (without user info, port or brackets), lower-cased. */
function writtenHost(raw: string): string {
  const afterScheme = raw.slice(raw.indexOf('//') + 2);
  const authority = afterScheme.split(/[/?#\\]/, 1)[0] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase();
}

/**
 * Why a `callback_url` is refused, or undefined when the policy allows it. Checks the length,
 * the scheme, credentials in the URL, IP literals written in any form but the canonical dotted
 * quad (`0x7f000001`, `2130706433`, `127.1`, `0177.0.0.1`), and the address of IP literals and
 * `localhost` names. Other names are checked when resolved, before every delivery.
 *
 * @example
 * checkCallbackUrl('https://hooks.example.com/reelkit', {}); // undefined (allowed)
 * checkCallbackUrl('https://10.0.0.1/', {}); // 'it leads to a private address; …'
 */
export function checkCallbackUrl(raw: string, policy: CallbackPolicy): string | undefined {
  if (raw.length > MAX_CALLBACK_URL_LENGTH) {
    return `it is longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'it is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'callbacks must use HTTPS';
  if (url.username || url.password) return 'it carries credentials (user:password@)';
  const host = url.hostname.toLowerCase();
  if (writtenHost(raw) !== host) {
    return `its host is not written in canonical form (${host} written another way)`;
  }
  const kind =
    host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : classifyAddress(host);
  if (kind) return refuseAddress(kind, url.protocol, policy);
  // A name: its addresses are checked when it is resolved. http:// can only be right if it
  // resolves to a network the operator opened to plain HTTP.
  if (url.protocol === 'http:' && !(policy.allowHttpLoopback && policy.allowPrivateNetworks)) {
    return HTTPS_ONLY;
  }
  return undefined;
}
