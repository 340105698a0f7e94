/**
 * A reelkit mock on a real, scaled clock (what `npm start` serves, ×30) stamps bodies and signs
 * webhooks with the wall clock, while its own simulated time runs far ahead (issue #11). The kit
 * judges those times against the wall clock; a kit that compared them with the mock's simulated
 * time would fail the faithful mock. The scale here is ×1000, so a job takes a fraction of a
 * second of real time; nothing asserts how long anything took.
 */
import { createMockEngine, createRealClock, mockProviders } from '@reelkit/mocks';
import type { ProviderId } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { engineTarget, runConformance } from '../src/index.js';
import { TEST_KEY, WEBHOOK_SECRET } from './broken/index.js';

const ONLY: Partial<Record<ProviderId, readonly string[]>> = {
  openrouter: [
    'createVideos: webhook signature verifies',
    'createVideos: webhook signature timestamp is wall-clock time',
  ],
  imagerouter: [
    'createVideoGeneration: timestamps are consistent',
    'createVideoGeneration: created is in milliseconds',
  ],
  routmy: ['createVideoGeneration: timestamps are consistent'],
};

describe('a mock on a real ×1000 clock', () => {
  it.each(Object.entries(ONLY))(
    '%s: body and signature times pass on the wall clock',
    async (id, only) => {
      const provider = id as ProviderId;
      const engine = createMockEngine({
        provider: mockProviders[provider],
        clock: createRealClock({ timeScale: 1000 }),
        apiKeys: [TEST_KEY],
        webhooks: { secret: WEBHOOK_SECRET, allowHttpLoopback: true },
      });
      const target = await engineTarget(engine, { apiKey: TEST_KEY });
      expect(target.clock).toBe('real');
      const report = await runConformance({
        provider,
        target,
        keysEnforced: true,
        only: [...only!],
        webhook: { secret: WEBHOOK_SECRET },
      });
      const results = report.results.map((r) => ({
        id: r.id,
        status: r.status,
        message: r.message,
      }));
      expect(results.filter((r) => only!.includes(r.id))).toEqual(
        only!.map((check) => expect.objectContaining({ id: check, status: 'pass' })),
      );
    },
  );
});
