/**
 * Clock-aware speed: against a mock on the real clock the kit moves time on the control plane
 * instead of waiting for it, and the report says which way time moved.
 */
import { createMockEngine, createRealClock, mockProviders } from '@reelkit/mocks';
import { listenMockServer } from '@reelkit/mocks/fastify';
import { describe, expect, it } from 'vitest';
import {
  describeTime,
  engineTarget,
  formatConsoleSummary,
  httpTarget,
  runConformance,
} from '../src/index.js';

describe('time against a mock on the real clock', () => {
  it.each(['openrouter', 'routmy'] as const)(
    '%s: the kit advances the clock instead of waiting (a real-time scale of 1 would take minutes)',
    async (id) => {
      const engine = createMockEngine({
        provider: mockProviders[id],
        clock: createRealClock({ timeScale: 1 }),
      });
      const server = await listenMockServer({ engine, port: 0 });
      try {
        const target = await httpTarget({ provider: id, baseUrl: server.baseUrl, apiKey: 'k' });
        expect(target.clock).toBe('real');
        const report = await runConformance({
          provider: id,
          target,
          only: ['lifecycle', 'accepts', 'content', 'clock'],
        });
        expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
        expect(report.time).toMatchObject({ clock: 'real', moved: 'advanced', shortfalls: [] });
        expect(report.time!.advancedMs).toBeGreaterThan(30_000);
        const clockCheck = report.results.find((r) => r.check === 'clock');
        expect(clockCheck?.status).toBe('pass');
        expect(formatConsoleSummary(report).join('\n')).toMatch(
          /time: the mock's real clock( \(×\d+\))? was advanced [\d,]+ s in \d+ step\(s\) on its control plane \(no waiting\)/,
        );
      } finally {
        await server.close();
      }
    },
    60_000,
  );

  it('waits, and says why, when the control plane refuses to advance a real clock', async () => {
    // An older mock: the real clock could not be moved (409). Scale 3000: a job takes ~50 ms.
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createRealClock({ timeScale: 3000 }),
    });
    const refusing = {
      provider: engine.provider,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname === '/__reelkit/clock/advance') {
          return Response.json(
            {
              error: {
                code: 'MOCK_ERR_CLOCK_NOT_MANUAL',
                message: 'This mock runs on the real clock.',
              },
            },
            { status: 409 },
          );
        }
        return engine.handle(request);
      }) as typeof fetch,
    };
    const report = await runConformance({
      provider: 'openrouter',
      target: await engineTarget(refusing, { apiKey: 'k' }),
      only: ['lifecycle', 'accepts', 'clock'],
    });
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(report.time).toMatchObject({ clock: 'real', moved: 'waited', advances: 0 });
    expect(report.time?.fallback).toContain('answered 409');
    expect(describeTime(report.time)).toMatch(
      /^the kit waited .* of real time for the mock's real clock/,
    );
    const clockCheck = report.results.find((r) => r.check === 'clock');
    expect(clockCheck).toMatchObject({ status: 'skip', message: expect.stringContaining('409') });
  }, 60_000);

  it('says a live target runs on the wall clock', () => {
    expect(
      describeTime({
        clock: 'wall',
        moved: 'waited',
        advancedMs: 0,
        advances: 0,
        waitedMs: 95_000,
        shortfalls: [],
      }),
    ).toBe('the kit waited 1 min 35 s of real time for the wall clock (live target)');
  });
});
