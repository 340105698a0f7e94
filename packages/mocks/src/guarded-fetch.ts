/**
 * Webhook delivery on Node that holds to the callback policy at connection time: the receiver's
 * name is resolved, every address it resolves to is checked against the policy, and the
 * connection goes to an address that passed (no second lookup, so a DNS answer that changes
 * between check and connect, "DNS rebinding", cannot slip through). Redirects are never followed:
 * a 3xx is an answer like any other non-2xx.
 * @module
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CallbackPolicy } from './core/callback-policy.js';
import { classifyAddress, refuseAddress } from './core/callback-policy.js';

/** Options of {@link createGuardedFetch}. */
export interface GuardedFetchOptions {
  readonly policy: CallbackPolicy;
  /** URLs the operator configured (`--webhook-url`): called wherever they lead. */
  readonly trustedUrls?: readonly string[];
  /** Resolves a name to its addresses; default `dns.lookup`. Tests inject their own. */
  readonly resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

const resolveWithDns = (hostname: string) =>
  new Promise<readonly LookupAddress[]>((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** An address the callback policy refuses; the attempt fails with this message. */
export class CallbackRefusedError extends Error {
  override readonly name = 'CallbackRefusedError';
  readonly code = 'ERR_CALLBACK_REFUSED';
}

/**
 * A `fetch` for webhook deliveries (POST with a string body) that connects only to addresses the
 * policy allows. It answers a `Response` with the receiver's status and no body (the dispatcher
 * reads only the status).
 *
 * @example
 * const engine = createMockEngine({ provider, webhooks: {
 *   fetch: createGuardedFetch({ policy: { allowHttpLoopback: true } }),
 * } });
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const resolveName = options.resolve ?? resolveWithDns;
  const trusted = new Set(options.trustedUrls ?? []);
  const guarded = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const isTrusted = trusted.has(url.href) || trusted.has(String(input));
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolveName(hostname).then(
        (addresses) => {
          const allowed = isTrusted
            ? addresses
            : addresses.filter(
                (a) =>
                  !refuseAddress(
                    classifyAddress(a.address) ?? 'unroutable',
                    url.protocol,
                    options.policy,
                  ),
              );
          const first = allowed[0];
          if (!first) {
            const listed = addresses.map((a) => a.address).join(', ') || 'no address';
            callback(
              new CallbackRefusedError(
                `Refused by the callback policy: ${hostname} resolves to ${listed}, which the mock may not call.`,
              ),
              '',
              0,
            );
            return;
          }
          if (lookupOptions.all) callback(null, allowed as LookupAddress[]);
          else callback(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      );
    };
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          lookup,
          agent: false,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          const status = response.statusCode ?? 0;
          // Only the status matters: a receiver that streams an endless body is not read.
          response.destroy();
          try {
            resolve(new Response(null, { status }));
          } catch {
            reject(new Error(`The receiver answered an invalid status ${status}.`));
          }
        },
      );
      request.on('error', reject);
      request.end(typeof init.body === 'string' ? init.body : undefined);
    });
  };
  return guarded as typeof fetch;
}
