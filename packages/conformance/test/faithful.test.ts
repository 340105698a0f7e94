/**
 * The faithful mocks keep every promise: all four routers, in-process (engine.fetch, with a key
 * list) and over fastify on loopback (without one), pass with zero failures. Every skip has a
 * reason, and the skips are exactly the expected ones.
 */
import { createManualClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import { listenMockServer } from '@reelkit/mocks/fastify';
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../src/index.js';
import { engineTarget, httpTarget, runConformance } from '../src/index.js';
import { TEST_KEY, WEBHOOK_SECRET } from './broken/index.js';

const NO_ERRORS_SEEN = "errors use the router's envelope";

/** Skips whatever the mount: what a router's mock cannot show (no such scenario, no error seen). */
const ALWAYS_SKIPPED: Record<ProviderId, readonly string[]> = {
  openrouter: [`listVideosModels: ${NO_ERRORS_SEEN}`, 'createVideos: scenario provider-error'],
  fastrouter: [`listModels: ${NO_ERRORS_SEEN}`, 'createVideo: scenario cancelled'],
  imagerouter: [
    `listModelsV1: ${NO_ERRORS_SEEN}`,
    `listModelsV2: ${NO_ERRORS_SEEN}`,
    'createVideoGeneration: scenario cancelled',
    'createVideoGeneration: scenario expired',
  ],
  routmy: ['createVideoGeneration: scenario cancelled', 'createVideoGeneration: scenario expired'],
};

/** Further skips over fastify, where the mock runs without a key list (any key is accepted). */
const WITHOUT_KEY_LIST: Record<ProviderId, readonly string[]> = {
  openrouter: [
    'createVideos: rejects an invalid API key',
    'getVideos: rejects an invalid API key',
    'listVideosContent: rejects an invalid API key',
  ],
  fastrouter: [
    'createVideo: rejects an invalid API key',
    'getVideoResponse: rejects an invalid API key',
    'getAsyncResponse: rejects an invalid API key',
    'getVideo: rejects an invalid API key',
  ],
  imagerouter: [
    'createVideoGeneration: rejects an invalid API key',
    'getCredits: rejects an invalid API key',
  ],
  // Without a key list nothing answers listModels with an error.
  routmy: [
    `listModels: ${NO_ERRORS_SEEN}`,
    'createVideoGeneration: rejects an invalid API key',
    'listModels: rejects an invalid API key',
  ],
};

function expectConformant(report: ConformanceReport, skips: readonly string[]): void {
  const failed = report.results.filter((r) => r.status === 'fail');
  expect(failed.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  const skipped = report.results.filter((r) => r.status === 'skip');
  for (const r of skipped) expect(r.message, `${r.id} says why it is skipped`).toBeTruthy();
  expect(skipped.map((r) => r.id).sort()).toEqual([...skips].sort());
  expect(report.summary.failed).toBe(0);
  expect(report.summary.passed).toBeGreaterThan(15);
}

describe.each(PROVIDER_IDS)('the faithful %s mock', (id) => {
  it('passes in-process (engine.fetch at the real origin, key list enforced)', async () => {
    const engine = createMockEngine({
      provider: mockProviders[id],
      clock: createManualClock(),
      apiKeys: [TEST_KEY],
      webhooks: { secret: WEBHOOK_SECRET, allowHttpLoopback: true },
    });
    const target = await engineTarget(engine, { apiKey: TEST_KEY });
    expect(target).toMatchObject({ controllable: true, live: false, clock: 'manual' });
    const report = await runConformance({
      provider: id,
      target,
      keysEnforced: true,
      webhook: { secret: WEBHOOK_SECRET },
    });
    expectConformant(report, ALWAYS_SKIPPED[id]);
    expect(engine.diagnostics).toEqual([]);
    // Time moved on the control plane only; the report says so.
    expect(report.time).toMatchObject({ clock: 'manual', moved: 'advanced', waitedMs: 0 });
    expect(report.time?.advances).toBeGreaterThan(0);
    expect(report.time?.shortfalls).toEqual([]);
    // Real time goes to ffprobe decoding each video and to loopback traffic, not to waiting.
  }, 30_000);

  it('passes over fastify on loopback (any key accepted; webhooks set up by the kit)', async () => {
    // Started as `npm start` does: unsigned webhooks, no http callbacks. The kit sets both up on
    // the control plane for the run and puts them back.
    const engine = createMockEngine({ provider: mockProviders[id], clock: createManualClock() });
    const server = await listenMockServer({ engine, port: 0 });
    try {
      const target = await httpTarget({ provider: id, baseUrl: server.baseUrl, apiKey: 'any-key' });
      expect(target).toMatchObject({ controllable: true, origin: server.origin });
      const report = await runConformance({ provider: id, target });
      expectConformant(report, [...ALWAYS_SKIPPED[id], ...WITHOUT_KEY_LIST[id]]);
      expect(report.target).toEqual({ baseUrl: server.baseUrl, controllable: true, live: false });
      expect(engine.diagnostics).toEqual([]);
      expect(engine.webhookSettings).toEqual({
        allowHttpLoopback: false,
        allowPrivateNetworks: false,
      });
      const webhookChecks = report.results.filter((r) => r.check.startsWith('webhook'));
      expect(webhookChecks.every((r) => r.status === 'pass')).toBe(true);
      // Delivery, signature, its wall-clock timestamp, idempotency key, payload vs poll.
      expect(webhookChecks.length).toBe(id === 'openrouter' ? 5 : 0);
    } finally {
      await server.close();
    }
  }, 30_000);
});
