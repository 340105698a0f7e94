/**
 * Which spec route a relayed request addresses (the spec's one route matcher), and whether its
 * answer may be fetched again straight from the target.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import { compileRouteMatcher, fastrouterSpec, providers } from '@reelkit/spec';

/**
 * Operations answered with a body prism proxy would corrupt (it re-encodes binary bodies as
 * text), that can be asked again directly without side effects: downloads (GET) and read-only
 * polls a router documents as streaming the video.
 *
 * @example
 * replayable('openrouter', 'GET', 'getVideoContent'); // true
 */
export function replayable(provider: ProviderId, method: string, operationId: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return (
    provider === 'fastrouter' &&
    (fastrouterSpec.SORA_BINARY_ON_COMPLETION.routes as readonly string[]).includes(operationId)
  );
}

/**
 * The operation id of a request path (relative to the base path), or `unknown (<method> <path>)`.
 *
 * @example
 * operationMatcher('openrouter')('GET', '/videos/abc'); // 'getVideo'
 */
export function operationMatcher(provider: ProviderId): (method: string, path: string) => string {
  const matcher = compileRouteMatcher(providers[provider].routes);
  return (method: string, path: string): string =>
    matcher.match(method, path)?.route.operationId ?? `unknown (${method} ${path})`;
}
