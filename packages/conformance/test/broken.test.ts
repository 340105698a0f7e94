/**
 * The kit proves it can fail: each deliberately broken server fails with exactly the checks that
 * name its defect, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { engineTarget, runConformance } from '../src/index.js';
import { brokenVariants, TEST_KEY } from './broken/index.js';

describe('broken variants', () => {
  it('cover at least ten distinct defects across the four routers', () => {
    expect(new Set(brokenVariants.map((v) => v.defect)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(brokenVariants.map((v) => v.provider))).toEqual(
      new Set(['openrouter', 'fastrouter', 'imagerouter', 'routmy']),
    );
  });

  it.each(brokenVariants.map((v) => [v.name, v] as const))(
    '%s is caught by the check that names it',
    async (_name, variant) => {
      const server = variant.create();
      const target = await engineTarget(server, { apiKey: TEST_KEY });
      // No webhook options: against a mock the kit starts its receiver and sets the mock up itself.
      const report = await runConformance({
        provider: variant.provider,
        target,
        keysEnforced: true,
        ...variant.options,
      });
      const failures = report.results
        .filter((r) => r.status === 'fail')
        .map((r) => ({ id: r.id, check: r.check }));
      expect(failures, variant.defect).toEqual(
        expect.arrayContaining(variant.expected.map((e) => expect.objectContaining(e))),
      );
      expect(failures.map((f) => f.id).sort(), variant.defect).toEqual(
        variant.expected.map((e) => e.id).sort(),
      );
      for (const failure of report.results.filter((r) => r.status === 'fail')) {
        expect(failure.message, failure.id).toBeTruthy();
        expect(failure.exchanges.length, `${failure.id} shows the request`).toBeGreaterThan(0);
        expect(failure.exchanges[0]?.request.curl, failure.id).toMatch(/^curl /);
      }
      // The wrappers break the contract on purpose; the engine underneath stays sound.
      expect(server.engine.diagnostics).toEqual([]);
      // The kit put the mock's webhook settings back as it found them.
      expect(server.engine.webhookSettings).toEqual({
        allowHttpLoopback: false,
        allowPrivateNetworks: false,
      });
    },
    // A variant that never delivers its webhooks makes the kit wait for them in real time.
    30_000,
  );
});
