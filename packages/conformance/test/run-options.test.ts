/**
 * How a run is narrowed and reported: `only`, `skip` with reasons, progress events, and the
 * exchanges and timelines each result carries.
 */
import {
  createManualClock,
  createMockEngine,
  createOpenRouterMock,
  mockProviders,
} from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../src/index.js';
import { engineTarget, planConformance, runConformance } from '../src/index.js';

async function openrouterTarget() {
  const engine = createMockEngine({
    provider: mockProviders.openrouter,
    clock: createManualClock(),
  });
  return { engine, target: await engineTarget(engine, { apiKey: 'k' }) };
}

describe('runConformance options', () => {
  it('runs only the selected checks, and only the probes they need', async () => {
    const { engine, target } = await openrouterTarget();
    const report = await runConformance({
      provider: 'openrouter',
      target,
      only: ['getVideos: status sequence legal', 'unknown-model'],
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['createVideos: rejects an unknown model', 'pass'],
      ['getVideos: status sequence legal', 'pass'],
    ]);
    // One happy-path job, no scenario jobs.
    expect(engine.jobs.list().map((j) => j.scenario)).toEqual(['success']);
    const lifecycle = report.results[1]!;
    expect(lifecycle.timeline?.observations.map((o) => o.status)).toEqual(
      expect.arrayContaining(['pending', 'in_progress', 'completed']),
    );
    expect(lifecycle.timeline?.terminal).toBe('completed');
  });

  it('reports skipped checks with their reason and does not run probes nobody needs', async () => {
    const { engine, target } = await openrouterTarget();
    const report = await runConformance({
      provider: 'openrouter',
      target,
      skip: [
        { tests: ['scenario'], reason: 'scenarios are covered by the mock tests' },
        { tests: /^(?!createVideos: scenario)/, reason: 'only scenarios were asked to be skipped' },
      ],
    });
    expect(report.summary).toEqual({ passed: 0, failed: 0, skipped: report.results.length });
    expect(report.results.find((r) => r.id === 'createVideos: scenario failed')?.message).toBe(
      'scenarios are covered by the mock tests',
    );
    expect(engine.jobs.size).toBe(0);
  });

  it('turns negative checks off with negative: false', async () => {
    const { target } = await openrouterTarget();
    const planned = await planConformance({ provider: 'openrouter', target, negative: false });
    const negative = planned.filter((c) =>
      [
        'wrong-type',
        'out-of-set',
        'unknown-model',
        'auth-missing',
        'auth-invalid',
        'unknown-id',
      ].includes(c.check),
    );
    expect(negative.length).toBeGreaterThan(5);
    for (const c of negative) expect(c.skipReason).toMatch(/negative checks are off/);
    // A mock's webhooks are set up by the kit itself, unless turned off.
    expect(planned.find((c) => c.check === 'webhook-signature')?.skipReason).toBeUndefined();
    const off = await planConformance({ provider: 'openrouter', target, webhook: false });
    expect(off.find((c) => c.check === 'webhook-signature')?.skipReason).toBe(
      'webhook checks are turned off (webhook: false)',
    );
  });

  it('emits a start and an end per check', async () => {
    const { target } = await openrouterTarget();
    const events: ProgressEvent[] = [];
    const report = await runConformance({
      provider: 'openrouter',
      target,
      only: /listVideosModels|createVideos: scenario rate-limit/,
      onProgress: (e) => events.push(e),
    });
    const ends = events.flatMap((e) => (e.type === 'end' ? [e.result.id] : []));
    const starts = events.flatMap((e) => (e.type === 'start' ? [e.id] : []));
    expect(new Set(starts)).toEqual(new Set(report.results.map((r) => r.id)));
    expect(new Set(ends)).toEqual(new Set(starts));
    for (const id of starts) {
      expect(events.findIndex((e) => e.type === 'start' && e.id === id)).toBeLessThan(
        events.findIndex((e) => e.type === 'end' && e.result.id === id),
      );
    }
  });

  it('refuses mismatched providers and skips without reasons', async () => {
    const { target } = await openrouterTarget();
    await expect(runConformance({ provider: 'routmy', target })).rejects.toThrow(TypeError);
    await expect(
      runConformance({ provider: 'openrouter', target, skip: [{ tests: ['x'], reason: ' ' }] }),
    ).rejects.toThrow(/has no reason/);
  });

  it('follows relative polling URLs (the form of the OpenAPI example) as well as absolute ones', async () => {
    const engine = createMockEngine({
      provider: createOpenRouterMock({ pollingUrl: 'relative' }),
      clock: createManualClock(),
    });
    const report = await runConformance({
      provider: 'openrouter',
      target: await engineTarget(engine),
      only: ['resolves', 'getVideos: success answers match the schema'],
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['getVideos: success answers match the schema', 'pass'],
      ['getVideos: polling URL resolves', 'pass'],
    ]);
    const polls = report.results[1]!.exchanges.map((e) => e.request.url);
    expect(polls.at(-1)).toMatch(/^https:\/\/openrouter\.ai\/api\/v1\/videos\/\w+$/);
  });
});
