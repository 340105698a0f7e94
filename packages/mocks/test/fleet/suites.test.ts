/**
 * The routers' own suites against the fleet: for each router, the conformance kit run through the
 * balancer in front of three replicas on Redis reports exactly what it reports against one
 * in-memory process (check by check), and the reference client generates and downloads a video
 * through the balancer.
 *
 * `@reelkit/conformance` and `@reelkit/client` are imported through the workspace links, not
 * declared in this package: both depend on `@reelkit/mocks` for their own tests, and declaring
 * them here would make a cycle that turbo refuses. vitest resolves them to their sources.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@reelkit/client';
import { createReelkit } from '@reelkit/client';
import type { ConformanceReport } from '@reelkit/conformance';
import { httpTarget, runConformance } from '@reelkit/conformance';
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS, providers } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { startFleet } from '../support/fleet.js';
import { control, fleetMissing } from './fleet-http.js';

/** What the client asks each router for (models the mocks' catalogs carry). */
const GENERATIONS: Record<ProviderId, { model: string; duration?: number }> = {
  openrouter: { model: 'google/veo-3.1', duration: 4 },
  imagerouter: { model: 'ir/test-video' },
  fastrouter: { model: 'openai/sora-2', duration: 4 },
  routmy: { model: 'google/veo-3.1', duration: 5 },
};

/** Each check's status, by id. */
const statuses = (report: ConformanceReport) =>
  Object.fromEntries(report.results.map((r) => [r.id, r.status]));

/**
 * A client clock on the fleet's manual clock: a wait moves the fleet's clock (through the
 * balancer, so any replica takes it) by as much, and resolves; nothing waits in real time.
 */
function fleetClock(fleet: Fleet): Clock {
  let now = Date.now();
  return {
    now: () => now,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      const moved = await control(fleet.url, 'clock/advance', { method: 'POST', body: { ms } });
      if (moved.status !== 200) throw new Error(`clock/advance: ${JSON.stringify(moved.body)}`);
      now += ms;
    },
  };
}

/**
 * Moves the fleet's clock 30 simulated seconds every 20 real ms until `work` settles: ImageRouter
 * and rout.my hold the request open until the job ends on the mock's clock.
 */
async function whileClockRuns<T>(fleet: Fleet, work: Promise<T>): Promise<T> {
  let done = false;
  const ticking = (async () => {
    while (!done) {
      await control(fleet.url, 'clock/advance', { method: 'POST', body: { seconds: 30 } });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return await work;
  } finally {
    done = true;
    await ticking;
  }
}

// Per router: Redis, three replicas, nginx and one more process, then two kit runs that decode
// every video with ffprobe. A cap on a hang on a loaded 2-core machine, not a measure.
const perRouterCap = 180_000;

describe.skipIf(fleetMissing).each(PROVIDER_IDS)('the %s suites against a fleet', (id) => {
  let fleet: Fleet;
  let single: Fleet;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelkit-fleet-'));
    fleet = await startFleet({ provider: id, clock: 'manual' });
    single = await startFleet({ provider: id, clock: 'manual', replicas: 1, store: 'memory' });
  }, perRouterCap);
  afterAll(async () => {
    await Promise.all([fleet?.stop(), single?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(fleet.logs());
  });

  const basePath = providers[id].basePath;

  it(
    'the conformance kit reports the same, check by check, as against one in-memory process',
    async () => {
      const run = async (origin: string) =>
        runConformance({
          provider: id,
          target: await httpTarget({
            provider: id,
            baseUrl: `${origin}${basePath}`,
            apiKey: 'sk-kit',
          }),
        });
      const alone = await run(single.replicas[0]!.origin);
      const behindBalancer = await run(fleet.url);
      const failed = behindBalancer.results.filter((r) => r.status === 'fail');
      expect(
        failed.map((r) => `${r.id}: ${r.message}`),
        'failures behind the balancer vs alone (replica logs on stderr)',
      ).toEqual(
        alone.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`),
      );
      expect(statuses(behindBalancer)).toEqual(statuses(alone));
      expect(alone.summary.passed).toBeGreaterThan(15);
    },
    perRouterCap,
  );

  it(
    'the reference client generates and downloads a video through the balancer',
    async () => {
      const reelkit = createReelkit({
        clock: fleetClock(fleet),
        providers: { [id]: { apiKey: 'sk-client', baseUrl: `${fleet.url}${basePath}` } },
      });
      const result = await whileClockRuns(
        fleet,
        reelkit.generateVideo({ provider: id, prompt: 'a lighthouse at dawn', ...GENERATIONS[id] }),
      );
      expect(result.status).toBe('completed');
      const out = join(dir, `${id}.mp4`);
      const saved = await reelkit.downloadVideo(result, { to: out });
      expect(saved.bytes).toBeGreaterThan(1000);
      // An MP4 starts with its ftyp box.
      const bytes = await readFile(out);
      expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    },
    perRouterCap,
  );
});
