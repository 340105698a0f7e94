/**
 * A target without the reelkit control plane is live: what needs control skips with the reason,
 * spending stops at the cap, and free models go first.
 */
import type { MockEngine } from '@reelkit/mocks';
import { createAutoClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import type { ProviderId } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { engineTarget, runConformance } from '../src/index.js';

const KEY = 'live-key';

/** A mock that hides its control plane (media downloads stay: they stand for a CDN). */
function liveLike(id: ProviderId): {
  engine: MockEngine;
  fetch: typeof fetch;
  provider: MockEngine['provider'];
} {
  const engine = createMockEngine({
    provider: mockProviders[id],
    clock: createAutoClock({ start: Date.now() }),
    apiKeys: [KEY],
  });
  const fetchFn = ((input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path.startsWith('/__reelkit/') && !path.startsWith('/__reelkit/media/')) {
      return Promise.resolve(new Response('Not Found', { status: 404 }));
    }
    return engine.handle(request);
  }) as typeof fetch;
  return { engine, fetch: fetchFn, provider: engine.provider };
}

describe('a live target', () => {
  it('skips scenarios with the reason and spends nothing over the cap', async () => {
    const server = liveLike('openrouter');
    const target = await engineTarget(server, { apiKey: KEY });
    expect(target).toMatchObject({ controllable: false, live: true });
    const report = await runConformance({ provider: 'openrouter', target, maxCostUsd: 0.01 });
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('createVideos: scenario failed')).toMatchObject({
      status: 'skip',
      message: 'needs the reelkit control plane: target is live',
    });
    expect(byId.get('createVideos: accepts a valid request')).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(
        /cost cap: google\/veo-3.1-lite costs about \$0\.20.*raise maxCostUsd/,
      ),
    });
    // Keys are always enforced on a live target, and the negative checks still run.
    expect(byId.get('createVideos: rejects an invalid API key')?.status).toBe('pass');
    expect(byId.get('getVideos: answers an unknown id with 404')?.status).toBe('pass');
    expect(report.summary.failed).toBe(0);
    expect(report.costUsd).toBe(0);
    expect(server.engine.jobs.size).toBe(0);
  });

  it('uses a free model first and checks it end to end', async () => {
    const server = liveLike('imagerouter');
    const target = await engineTarget(server, { apiKey: KEY });
    const report = await runConformance({ provider: 'imagerouter', target, maxCostUsd: 0 });
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('createVideoGeneration: held request completes')?.status).toBe('pass');
    expect(byId.get('createVideoGeneration: content is a valid MP4')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('ir/test-video'),
    });
    expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    expect(report.costUsd).toBe(0);
  });
});
