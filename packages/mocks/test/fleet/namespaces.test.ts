/**
 * Parallel test runs sharing one fleet stay apart by namespace: `X-Reelkit-Namespace: <name>`, or
 * an API key of the form `<namespace>~<key>`. Jobs, the manual clock, resets and fault rules of one
 * namespace are invisible to another, on every replica behind the balancer.
 */
import { openrouterSpec } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { startFleet } from '../support/fleet.js';
import {
  advance,
  control,
  fleetMissing,
  NAMESPACE_HEADER,
  pollVideo,
  submitVideo,
} from './fleet-http.js';

const lifecycle = openrouterSpec.openrouterLifecycle;
const startCap = 90_000;

/** The namespace header of `name`. */
const ns = (name: string) => ({ [NAMESPACE_HEADER]: name });

describe.skipIf(fleetMissing)('namespaces on a fleet of three OpenRouter replicas', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ provider: 'openrouter', clock: 'manual' });
  }, startCap);
  afterAll(() => fleet?.stop());
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(fleet.logs());
  });

  it('a job of one namespace is 404 in another and in the default one, on every replica', async () => {
    const submitted = await submitVideo(fleet.url, ns('jobs-a'));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    for (const replica of fleet.replicas) {
      const where = `replica ${replica.index}`;
      expect((await pollVideo(replica.origin, submitted.body.id, ns('jobs-a'))).status, where).toBe(
        200,
      );
      expect((await pollVideo(replica.origin, submitted.body.id, ns('jobs-b'))).status, where).toBe(
        404,
      );
      expect((await pollVideo(replica.origin, submitted.body.id)).status, where).toBe(404);
      expect(
        (await control(replica.origin, `jobs/${submitted.body.id}`, { headers: ns('jobs-b') }))
          .status,
      ).toBe(404);
    }
  });

  it('advancing the clock of one namespace leaves the other where it was', async () => {
    const clockOf = async (name: string) =>
      Promise.all(
        fleet.replicas.map(
          async (replica) =>
            (await control<{ now: number }>(replica.origin, 'clock', { headers: ns(name) })).body
              .now,
        ),
      );
    const before = { a: await clockOf('clock-a'), b: await clockOf('clock-b') };
    const submitted = await submitVideo(fleet.url, ns('clock-b'));
    await advance(fleet, 3600, 1, ns('clock-a'));
    const after = { a: await clockOf('clock-a'), b: await clockOf('clock-b') };
    expect(after.a).toEqual(before.a.map((now) => now + 3_600_000));
    expect(after.b).toEqual(before.b);
    const polled = await pollVideo(fleet.url, submitted.body.id, ns('clock-b'));
    expect(polled.body.status).not.toBe(lifecycle.success);
  });

  it('a reset names one namespace and leaves the others', async () => {
    const inA = await submitVideo(fleet.url, ns('reset-a'));
    const inB = await submitVideo(fleet.url, ns('reset-b'));
    const reset = await control(fleet.replicas[2]!.origin, 'reset', {
      method: 'POST',
      headers: ns('reset-a'),
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    for (const replica of fleet.replicas) {
      expect((await pollVideo(replica.origin, inA.body.id, ns('reset-a'))).status).toBe(404);
      expect((await pollVideo(replica.origin, inB.body.id, ns('reset-b'))).status).toBe(200);
    }
  });

  it('a fault rule of one namespace never fires in another', async () => {
    const rule = await control(fleet.replicas[0]!.origin, 'faults', {
      method: 'POST',
      headers: ns('faults-a'),
      body: { kind: 'server-error', operationId: 'listVideosModels' },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const models = async (name: string) => {
      const statuses: number[] = [];
      for (const replica of fleet.replicas) {
        const response = await fetch(`${replica.origin}/api/v1/videos/models`, {
          headers: { authorization: 'Bearer sk-fleet', ...ns(name) },
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    };
    expect(await models('faults-b')).toEqual([200, 200, 200]);
    expect(await models('faults-a')).toEqual([500, 500, 500]);
    const listed = await control<{ faults: unknown[] }>(fleet.url, 'faults', {
      headers: ns('faults-b'),
    });
    expect(listed.body.faults).toEqual([]);
  });

  it('a key of the form <namespace>~<key> selects the namespace without the header', async () => {
    const submitted = await submitVideo(fleet.url, { authorization: 'Bearer keyed-ns~sk-one' });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const id = submitted.body.id;
    // Jobs belong to the key that submitted them, so every poll sends it; the namespace the key
    // names is where the job lives, and a header naming another one wins.
    const key = { authorization: 'Bearer keyed-ns~sk-one' };
    expect((await pollVideo(fleet.url, id, key)).status).toBe(200);
    expect((await pollVideo(fleet.url, id, { ...key, ...ns('keyed-ns') })).status).toBe(200);
    expect((await pollVideo(fleet.url, id, { ...key, ...ns('other-ns') })).status).toBe(404);
    expect((await pollVideo(fleet.url, id, { authorization: 'Bearer sk-one' })).status).toBe(404);
    expect((await control(fleet.url, `jobs/${id}`, { headers: ns('keyed-ns') })).status).toBe(200);
  });
});
