/**
 * Mounts mock engines in-process with msw: requests to the routers' real origins are answered by
 * the engine without any network.
 * @module
 */
import type { HttpHandler } from 'msw';
import { http } from 'msw';
import type { BaseMockEngine } from '../core/engine.js';

/**
 * msw handlers that answer every request to the router's origin (its real origin by default).
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const server = setupServer(...createMswHandlers(engine));
 * server.listen();
 * await fetch('https://openrouter.ai/api/v1/videos/models'); // answered by the engine
 */
export function createMswHandlers(
  engine: BaseMockEngine,
  options: { origin?: string } = {},
): HttpHandler[] {
  const origin = (options.origin ?? engine.provider.spec.origin).replace(/\/$/, '');
  return [http.all(`${origin}/*`, ({ request }) => engine.handle(request))];
}
