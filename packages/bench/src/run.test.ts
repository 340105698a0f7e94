/**
 * A smoke run of the whole harness with tiny durations: every measurement produces numbers and
 * every target gets a verdict. No timing is asserted; speed belongs in `npm run bench`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchOptions } from './options.js';
import { DEFAULT_OPTIONS } from './options.js';
import { cliBin } from './paths.js';
import { markdownReport, consoleReport } from './report.js';
import { runBench } from './run.js';

const SMOKE: BenchOptions = {
  ...DEFAULT_OPTIONS,
  seconds: 0.3,
  warmupSeconds: 0.2,
  rounds: 1,
  connections: 4,
  jobs: 1500,
  startupRuns: 1,
  engineSeconds: 0.2,
  profileOnMiss: false,
};

describe.skipIf(!existsSync(cliBin))('npm run bench, smoke run', () => {
  it('measures every target and reports a verdict for each goal', async () => {
    const lines: string[] = [];
    const results = await runBench(SMOKE, (line) => lines.push(line), 'smoke');

    expect(results.bodies.identical).toBe(true);
    for (const workload of ['poll', 'submit', 'mixed'] as const) {
      const targets = results.load.filter((l) => l.workload === workload).map((l) => l.target);
      expect(targets).toEqual(
        workload === 'mixed' ? ['reelkit', 'fastify'] : ['reelkit', 'fastify', 'prism'],
      );
    }
    for (const summary of results.load) {
      expect(summary.reqPerSec, `${summary.workload} ${summary.target}`).toBeGreaterThan(0);
      expect(summary.errors + summary.mismatches).toBe(0);
    }
    expect(results.ratios.map((r) => r.name)).toContain('poll: reelkit / fastify');
    expect(results.engine.poll.ops).toBeGreaterThan(0);
    expect(results.engine.submit.ops).toBeGreaterThan(0);
    expect(results.startup.runsMs).toHaveLength(1);
    expect(results.startup.medianMs).toBeGreaterThan(0);
    expect(results.memory.readings.map((r) => r.jobs)).toEqual([0, 1500, 1000, 2500]);
    expect(results.memory.readings.every((r) => r.rssMB > 0)).toBe(true);

    const statuses = Object.fromEntries(results.verdicts.map((v) => [v.metric, v.status]));
    expect(Object.keys(statuses)).toHaveLength(7);
    expect(['PASS', 'MISS']).toContain(
      statuses['conformance suite over four routers on virtual time'],
    );
    // 1,500 jobs is not the 100,000 the goal names: no verdict rather than an extrapolated one.
    expect(statuses['RSS with 100,000 jobs stored']).toBe('NOT MEASURED');
    expect(consoleReport(results).join('\n')).toContain('verdict');
    expect(markdownReport(results)).toContain('Conformance suite on virtual time');
    expect(lines.length).toBeGreaterThan(10);
  });
});
