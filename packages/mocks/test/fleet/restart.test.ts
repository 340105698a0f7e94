/**
 * A replica that dies loses nothing the fleet acknowledged. 1,000 jobs through the balancer while
 * one replica is SIGKILLed and restarted: none lost, none duplicated, every history legal, every
 * webhook delivered (the 20,000-job version is `npm run fleet-load`). A webhook retry pending when
 * its replica is SIGKILLed is delivered by another, once; a delivery in flight when its replica
 * gets SIGTERM is handed back and delivered by another, once.
 */
import { openrouterSpec } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { startFleet } from '../support/fleet.js';
import { fleetLoadProblems, runFleetLoad } from '../support/fleet-load.js';
import type { ReceiverAnswer, WebhookReceiver } from '../support/webhook-receiver.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import {
  advance,
  control,
  fleetMissing,
  NAMESPACE_HEADER,
  pollVideo,
  submitVideo,
} from './fleet-http.js';

const lifecycle = openrouterSpec.openrouterLifecycle;

/** Real ms to wait for a delivery the fleet owes (a cap on a hang, not a measure). */
const DELIVERY_WAIT_MS = 30_000;

/** Restarts and deliveries in one test, on a loaded 2-core machine: a cap on a hang. */
const restartCap = 120_000;

/** Resolves once `check` holds, polling every 25 real ms; rejects with `what` after the cap. */
async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DELIVERY_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** As `eventually`, for a check that needs a request. */
async function eventuallyAsync(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DELIVERY_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A delivery as `GET /__reelkit/webhooks` lists it (the fields these tests read). */
interface DeliveryView {
  readonly idempotencyKey: string;
  readonly attempts: readonly unknown[];
  readonly nextAttemptAt: string | null;
}

describe.skipIf(fleetMissing)('a fleet that loses a replica', () => {
  it('1,000 jobs through the balancer while a replica is SIGKILLed and restarted: none lost', async () => {
    const lines: string[] = [];
    const summary = await runFleetLoad({ jobs: 1000, progress: (line) => lines.push(line) });
    expect(fleetLoadProblems(summary), lines.join('\n')).toEqual([]);
    expect(summary.acknowledged).toBe(1000);
    expect(summary.kill).toBeDefined();
    expect(summary.terminal).toEqual({ [lifecycle.success]: 1000 });
    expect(summary.webhooks.distinctKeys).toBeGreaterThanOrEqual(1000);
    // The killed replica served traffic before and after its restart, on its port.
    expect(Object.keys(summary.perReplica)).toHaveLength(3);
  }, 300_000);

  describe('webhooks owed by a replica that stops', () => {
    let fleet: Fleet;
    let receiver: WebhookReceiver;
    /** How the receiver answers each key's attempts, in order ('accept' after the list). */
    const script = new Map<string, ReceiverAnswer[]>();
    beforeAll(async () => {
      receiver = await startWebhookReceiver(
        (key, attempt) => script.get(key)?.[attempt - 1] ?? 'accept',
      );
      fleet = await startFleet({
        provider: 'openrouter',
        clock: 'manual',
        allowHttpCallbacks: true,
      });
    }, 90_000);
    afterAll(async () => {
      await fleet?.stop();
      await receiver?.stop();
    });
    afterEach((context) => {
      if (context.task.result?.state === 'fail') console.error(fleet.logs());
    });

    /** Leaves replica `index` running alone (SIGKILLs the others, starts it if it is down). */
    const aloneOn = async (index: number) => {
      for (const replica of fleet.replicas) {
        if (replica.index !== index && replica.alive) await fleet.kill(replica.index, 'SIGKILL');
      }
      if (!fleet.replicas[index]!.alive) await fleet.restart(index);
    };

    /** Submits a job on replica `via` (directly) in `namespace`, with a callback to the receiver. */
    const submitWithCallback = async (via: number, namespace: string) => {
      const submitted = await submitVideo(
        fleet.replicas[via]!.origin,
        { [NAMESPACE_HEADER]: namespace },
        { callback_url: receiver.url },
      );
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
      return submitted.body.id;
    };

    it(
      'a retry pending on a SIGKILLed replica is delivered by another, once',
      async () => {
        // Only replica 0 runs, so it makes the first attempt, which the receiver refuses.
        await aloneOn(0);
        const namespace = 'restart-kill';
        const id = await submitWithCallback(0, namespace);
        const key = openrouterSpec.idempotencyKey(id, 'completed');
        script.set(key, ['fail']);
        await advance(fleet, 3600, 0, { [NAMESPACE_HEADER]: namespace });
        const attemptsOf = () => receiver.attempts.filter((a) => a.key === key);
        await eventually('the first attempt', () => attemptsOf().length >= 1);
        // Once the fleet has recorded the refused attempt, a retry is owed (10 simulated seconds
        // later) and no replica holds the delivery. Then replica 0 dies and replica 1 comes back.
        await eventuallyAsync('the first attempt recorded', async () => {
          const { body } = await control<{ deliveries: DeliveryView[] }>(
            fleet.replicas[0]!.origin,
            'webhooks',
            { headers: { [NAMESPACE_HEADER]: namespace } },
          );
          const delivery = body.deliveries.find((d) => d.idempotencyKey === key);
          return delivery?.attempts.length === 1 && delivery.nextAttemptAt !== null;
        });
        await fleet.kill(0, 'SIGKILL');
        await fleet.restart(1);
        await advance(fleet, 60, 1, { [NAMESPACE_HEADER]: namespace });
        await eventually('the retry', () => receiver.acceptedAt(key).length >= 1);
        expect(attemptsOf().map((a) => a.answer)).toEqual(['fail', 'accept']);
        const polled = await pollVideo(fleet.replicas[1]!.origin, id, {
          [NAMESPACE_HEADER]: namespace,
        });
        expect(polled.body.status).toBe(lifecycle.success);
      },
      restartCap,
    );

    it(
      'a delivery in flight on a replica stopped by SIGTERM is handed back and delivered once',
      async () => {
        // Replica 1 alone runs; the receiver holds its first attempt.
        await aloneOn(1);
        const namespace = 'restart-term';
        const id = await submitWithCallback(1, namespace);
        const key = openrouterSpec.idempotencyKey(id, 'completed');
        script.set(key, ['hold']);
        await advance(fleet, 3600, 1, { [NAMESPACE_HEADER]: namespace });
        const attemptsOf = () => receiver.attempts.filter((a) => a.key === key);
        await eventually('the held attempt', () => attemptsOf().length >= 1);
        // A graceful stop: the replica lets its attempt in flight run out (the 10 s webhook timeout,
        // on the wall clock), records it, gives back what it holds and exits 0 by itself.
        expect(await fleet.kill(1, 'SIGTERM')).toEqual({ code: 0, signal: null });
        await fleet.restart(2);
        await advance(fleet, 60, 2, { [NAMESPACE_HEADER]: namespace });
        await eventually(
          'the delivery after the hand-back',
          () => receiver.acceptedAt(key).length >= 1,
        );
        expect(receiver.acceptedAt(key)).toHaveLength(1);
        expect(attemptsOf().map((a) => a.answer)).toEqual(['hold', 'accept']);
      },
      restartCap,
    );
  });
});
