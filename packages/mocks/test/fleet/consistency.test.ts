/**
 * Three OpenRouter replicas on one Redis behind nginx behave as one mock: a job is the same job on
 * every replica, the manual clock moved on one moves on all, a balance set on one is charged on
 * another, and a `once` fault fires once for the whole fleet. Requests that must reach a given
 * replica go to it directly; the rest go through the balancer, which names the replica that served
 * each answer, so the tests can tell a poll that landed everywhere from one that did not.
 */
import { openrouterSpec } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { startFleet } from '../support/fleet.js';
import type { JobRecord } from './fleet-http.js';
import {
  advance,
  control,
  fleetMissing,
  historyViolation,
  pollVideo,
  pollViolation,
  submitVideo,
} from './fleet-http.js';

const lifecycle = openrouterSpec.openrouterLifecycle;

// Starting three Node processes, Redis and nginx takes seconds on a loaded 2-core machine: a cap
// on a hang, not a measure.
const startCap = 90_000;

describe.skipIf(fleetMissing)('three OpenRouter replicas on one Redis behind nginx', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ provider: 'openrouter', clock: 'manual' });
  }, startCap);
  afterAll(() => fleet?.stop());
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(fleet.logs());
  });

  it('a job submitted through the balancer is the same job on every replica, with one legal history', async () => {
    const submitted = await submitVideo(fleet.url);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const { id } = submitted.body;
    const statuses: string[] = [submitted.body.status];
    const servedBy = new Set<string>();
    // Six polls through the balancer, the clock moving between them: round robin puts two on
    // each replica, and the statuses they see must read as one job's life.
    for (let poll = 0; poll < 6; poll++) {
      const answer = await pollVideo(fleet.url, id);
      expect(
        answer.status,
        `poll ${poll} on ${answer.upstream}: ${JSON.stringify(answer.body)}`,
      ).toBe(200);
      statuses.push(answer.body.status);
      if (answer.upstream) servedBy.add(answer.upstream);
      await advance(fleet, 20, poll % 3);
    }
    expect(servedBy.size, `replicas that answered: ${[...servedBy].join(', ')}`).toBe(3);
    await advance(fleet, 3600);
    for (const replica of fleet.replicas) {
      const answer = await pollVideo(replica.origin, id);
      expect(answer.body.status, `replica ${replica.index}`).toBe(lifecycle.success);
      statuses.push(answer.body.status);
    }
    expect(pollViolation(lifecycle, statuses)).toBeUndefined();
    // Every replica keeps the same stored history, and it is legal step by step.
    const records = await Promise.all(
      fleet.replicas.map((replica) => control<JobRecord>(replica.origin, `jobs/${id}`)),
    );
    for (const record of records) {
      expect(record.status).toBe(200);
      expect(historyViolation(lifecycle, record.body.history)).toBeUndefined();
    }
    expect(records.map((r) => r.body.history)).toEqual(records.map(() => records[0]!.body.history));
  });

  it('the manual clock moved on one replica moves on every other', async () => {
    const before = await Promise.all(
      fleet.replicas.map((replica) => control<{ now: number }>(replica.origin, 'clock')),
    );
    const nows = before.map((answer) => answer.body.now);
    expect(new Set(nows).size, `clocks: ${nows.join(', ')}`).toBe(1);
    const submitted = await submitVideo(fleet.replicas[1]!.origin);
    expect((await pollVideo(fleet.replicas[2]!.origin, submitted.body.id)).body.status).not.toBe(
      lifecycle.success,
    );
    const moved = await advance(fleet, 3600, 0);
    expect(moved).toBe(nows[0]! + 3_600_000);
    for (const replica of fleet.replicas) {
      expect((await control<{ now: number }>(replica.origin, 'clock')).body.now).toBe(moved);
    }
    const polled = await pollVideo(fleet.replicas[2]!.origin, submitted.body.id);
    expect(polled.body.status).toBe(lifecycle.success);
  });

  it('once an advance is answered, no replica answers an earlier time, under concurrent advances', async () => {
    // What the conformance kit relies on while ImageRouter and rout.my hold requests open: several
    // clients advance the clock through the balancer at once, and each reading is at least the
    // latest one answered before it was asked for, plus what it asked.
    let latest = (await control<{ now: number }>(fleet.url, 'clock')).body.now;
    const behind: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        for (let step = 0; step < 10; step++) {
          const floor = latest;
          const advanced = (
            await control<{ now: number }>(fleet.url, 'clock/advance', {
              method: 'POST',
              body: { seconds: 15 },
            })
          ).body.now;
          if (advanced < floor + 15_000) {
            behind.push(
              `client ${client} step ${step}: advanced 15 s to ${advanced}, ${advanced - floor} ms after ${floor}`,
            );
          }
          latest = Math.max(latest, advanced);
          // The floor of a read is what was answered before it was sent, not while it ran.
          const answeredBefore = latest;
          const read = await control<{ now: number }>(fleet.url, 'clock');
          if (read.body.now < answeredBefore) {
            behind.push(
              `client ${client} step ${step}: ${read.upstream} read ${answeredBefore - read.body.now} ms behind`,
            );
          }
        }
      }),
    );
    expect(behind).toEqual([]);
  });

  it("a job's unsigned_urls, issued by one replica, download from every replica without a key", async () => {
    const submitted = await submitVideo(fleet.url);
    await advance(fleet, 3600);
    const polled = await pollVideo(fleet.replicas[0]!.origin, submitted.body.id);
    const [link] = (polled.body as { unsigned_urls?: string[] }).unsigned_urls ?? [];
    expect(link, JSON.stringify(polled.body)).toBeDefined();
    const { pathname, search } = new URL(link!);
    for (const replica of fleet.replicas) {
      const download = await fetch(`${replica.origin}${pathname}${search}`);
      const bytes = new Uint8Array(await download.arrayBuffer());
      expect(
        download.status,
        `replica ${replica.index}: ${new TextDecoder().decode(bytes.slice(0, 200))}`,
      ).toBe(200);
      expect(download.headers.get('content-type')).toBe('video/mp4');
    }
  });

  it('a balance set on one replica is charged once, on another', async () => {
    const key = 'sk-fleet-balance';
    const auth = { authorization: `Bearer ${key}` };
    const set = await control(fleet.replicas[0]!.origin, `balances/${key}`, {
      method: 'PUT',
      body: { balance: 50 },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const submitted = await submitVideo(fleet.replicas[1]!.origin, auth);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    await advance(fleet, 3600, 2);
    // The completed job is polled on every replica: each poll may be the one that charges.
    const polls = await Promise.all(
      fleet.replicas.map((replica) => pollVideo(replica.origin, submitted.body.id, auth)),
    );
    for (const poll of polls) {
      expect(poll.body.status, JSON.stringify(poll.body)).toBe(lifecycle.success);
    }
    const cost = polls[0]!.body.usage?.cost;
    expect(cost, JSON.stringify(polls[0]!.body)).toBeGreaterThan(0);
    for (const replica of fleet.replicas) {
      const balance = await control<{ balance: number }>(replica.origin, `balances/${key}`);
      expect(balance.body.balance, `replica ${replica.index}`).toBeCloseTo(50 - cost!, 9);
    }
  });

  it('a once fault added on one replica fires once across 20 requests to all three', async () => {
    const rule = await control(fleet.replicas[0]!.origin, 'faults', {
      method: 'POST',
      body: { kind: 'server-error', operationId: 'listVideosModels', once: true },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const statuses: number[] = [];
    const faulted: number[] = [];
    // The first request goes to another replica than the one that took the rule: a fleet-wide
    // rule fires on it at once.
    for (let request = 0; request < 20; request++) {
      const replica = fleet.replicas[(request + 1) % 3]!;
      const response = await fetch(`${replica.origin}/api/v1/videos/models`, {
        headers: { authorization: 'Bearer sk-fleet' },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.headers.get('x-reelkit-fault') !== null) faulted.push(request);
    }
    expect(faulted, `statuses: ${statuses.join(' ')}`).toEqual([0]);
    expect(statuses.filter((s) => s !== 200)).toEqual([500]);
    for (const replica of fleet.replicas) {
      const rules = await control<{ faults: { id: string; fired: number }[] }>(
        replica.origin,
        'faults',
      );
      expect(rules.body.faults, `replica ${replica.index}`).toEqual([
        expect.objectContaining({ id: rule.body.id, fired: 1 }),
      ]);
    }
    await control(fleet.replicas[1]!.origin, 'faults', { method: 'DELETE' });
  });
});
