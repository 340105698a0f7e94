import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenMockServer } from '../src/adapters/fastify.js';
import { createMswHandlers } from '../src/adapters/msw.js';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';
import type { Mount } from './journeys.js';
import { JOURNEYS } from './journeys.js';

describe.each(Object.entries(JOURNEYS))('%s through both mounts', (id, journey) => {
  const provider = mockProviders[id as keyof typeof JOURNEYS]!;

  it('fastify on a loopback port', async () => {
    const clock = createManualClock();
    const engine = createMockEngine({ provider, clock });
    const server = await listenMockServer({ engine, port: 0 });
    try {
      const mount: Mount = { baseUrl: server.baseUrl, fetch, advance: (ms) => clock.advance(ms) };
      const seen = await journey(mount);
      expect(seen[0]).toBe(
        provider.spec.lifecycles[Object.keys(provider.spec.lifecycles)[0]!]!.initial,
      );
      expect(engine.diagnostics).toEqual([]);
    } finally {
      await server.close();
    }
  });

  describe('msw in-process', () => {
    const clock = createManualClock();
    const engine = createMockEngine({ provider, clock });
    const server = setupServer(...createMswHandlers(engine));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('answers requests to the real origin', async () => {
      const mount: Mount = {
        baseUrl: `${provider.spec.origin}${provider.spec.basePath}`,
        fetch: (input, init) => fetch(input, init),
        advance: (ms) => clock.advance(ms),
      };
      await journey(mount);
      expect(engine.diagnostics).toEqual([]);
    });
  });
});
