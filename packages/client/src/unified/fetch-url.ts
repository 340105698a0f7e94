/**
 * Opens a generated video by URL with the client's machinery (retries, timeouts, typed errors).
 * The key goes only to the router's own origin, never to third-party storage.
 * @internal
 * @module
 */
import type { RouteDef } from '@reelkit/spec';
import type { CallOptions, Transport } from '../core/call-route.js';
import { callRoute } from '../core/call-route.js';

const DOWNLOAD_ROUTE = {
  operationId: 'downloadVideo',
  method: 'GET',
  path: '',
  summary: 'Download a generated video',
  auth: 'optional',
  responses: { 200: { description: 'The video', contentType: 'video/mp4' } },
  provenance: { level: 'provisional', source: '@reelkit/client' },
} as const satisfies RouteDef;

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * GETs `url` as a video: the raw `Response`, its body not yet read.
 *
 * @example
 * const response = await fetchVideoUrl(transport, 'https://storage.imagerouter.io/x.mp4', { signal });
 */
export async function fetchVideoUrl(
  transport: Transport,
  url: string,
  options: CallOptions,
): Promise<Response> {
  const sameOrigin = originOf(url) !== undefined && originOf(url) === originOf(transport.baseUrl);
  const { apiKey: _key, ...rest } = transport;
  const { data } = await callRoute(DOWNLOAD_ROUTE, {
    ...rest,
    ...(sameOrigin && transport.apiKey ? { apiKey: transport.apiKey } : {}),
    ...options,
    baseUrl: url,
  });
  return data;
}
