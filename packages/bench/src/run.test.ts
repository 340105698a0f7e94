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
import { redisServerMissing } from './redis-server.js';
import { runBench } from './run.js';

/** Without redis-server the Redis rows are skipped, and the run says why. */
const redisMissing = redisServerMissing();
const onRedis = redisMissing ? [] : ['reelkit-redis'];

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
    expect(results.bodies.source).toBe('default');
    // Both configurations answer a poll body of the same size (only ids, ports and times differ).
    expect(results.bodies.pollBytesByConfig.manual).toBe(results.bodies.pollBytes);
    expect(results.load.filter((l) => l.workload === 'poll').map((l) => l.target)).toEqual([
      'reelkit-default',
      'reelkit-manual',
      ...onRedis,
      'node-http',
      'fastify',
      'prism',
    ]);
    expect(results.load.filter((l) => l.workload === 'submit').map((l) => l.target)).toEqual([
      'reelkit-default',
      ...onRedis,
      'fastify',
      'prism',
    ]);
    expect(results.load.filter((l) => l.workload === 'mixed').map((l) => l.target)).toEqual([
      'reelkit-default',
      'fastify',
    ]);
    for (const summary of results.load) {
      expect(summary.reqPerSec, `${summary.workload} ${summary.target}`).toBeGreaterThan(0);
      expect(summary.errors + summary.mismatches).toBe(0);
    }
    expect(results.ratios.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'poll: reelkit-default / node-http',
        'poll: reelkit-default / reelkit-manual',
        'poll: reelkit-manual / node-http',
      ]),
    );
    expect(results.engine.poll.ops).toBeGreaterThan(0);
    expect(results.engine.submit.ops).toBeGreaterThan(0);
    expect(results.startup.runsMs).toHaveLength(1);
    expect(results.startup.medianMs).toBeGreaterThan(0);
    expect(results.memory.readings.map((r) => r.jobs)).toEqual([0, 1500, 1000, 2500]);
    expect(results.memory.readings.every((r) => r.rssMB > 0)).toBe(true);

    const statuses = Object.fromEntries(results.verdicts.map((v) => [v.metric, v.status]));
    expect(Object.keys(statuses)).toHaveLength(11);
    const redisGoals = [
      'poll GET throughput, one replica on Redis / the same configuration in memory',
      'submit POST throughput, one replica on Redis / the same configuration in memory',
    ];
    if (redisMissing) {
      expect(results.redis).toEqual({ measured: false, reason: redisMissing });
      for (const goal of redisGoals) expect(statuses[goal]).toBe('NOT MEASURED');
      expect(markdownReport(results)).toContain(`Not measured in this run: ${redisMissing}`);
    } else {
      for (const goal of redisGoals) expect(['PASS', 'MISS']).toContain(statuses[goal]);
      if (!results.redis?.measured) throw new Error('the Redis rows were not measured');
      // Counted, not assumed: every request reached Redis at least once, in one wait or more.
      for (const workload of ['poll', 'submit'] as const) {
        const probe = results.redis.probe[workload];
        expect(probe.roundTrips, workload).toBeGreaterThanOrEqual(1);
        expect(probe.commands, workload).toBeGreaterThanOrEqual(probe.roundTrips);
        const load = results.load.find(
          (l) => l.workload === workload && l.target === 'reelkit-redis',
        );
        expect(load?.redis?.commands, workload).toBeGreaterThan(0);
        expect(load?.redis?.cpuUs, workload).toBeGreaterThan(0);
      }
      expect(markdownReport(results)).toContain('## State on Redis');
    }
    expect(['PASS', 'MISS']).toContain(
      statuses['poll GET throughput, default configuration / bare node:http'],
    );
    expect(['PASS', 'MISS']).toContain(
      statuses['conformance suite over four routers on virtual time'],
    );
    // 1,500 jobs is not the 100,000 the goal names: no verdict rather than an extrapolated one.
    expect(statuses['RSS with 100,000 jobs stored']).toBe('NOT MEASURED');
    expect(consoleReport(results).join('\n')).toContain('verdict');
    const markdown = markdownReport(results);
    expect(markdown).toContain('Which configuration each figure is for');
    expect(markdown).toContain('Conformance suite on virtual time');
    expect(lines.length).toBeGreaterThan(10);
  });
});
