/**
 * One contract for every state store: the same tests run against the in-memory store and against
 * Redis (a real `redis-server` started on a free loopback port). Two "replicas" are two stores on
 * the same state: for memory, one store; for Redis, two stores on two separate connections.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, StateStore, StateStoreOptions } from '../../src/state/index.js';
import {
  checkNamespace,
  createMemoryState,
  createRedisState,
  StateStoreError,
} from '../../src/state/index.js';
import { redisMissing, startRedisServer } from '../support/redis-server.js';
import type { TestRedis } from '../support/redis-server.js';

interface Backend {
  readonly name: string;
  /** Why this backend cannot run here. */
  readonly skip: string | undefined;
  start(): Promise<void>;
  /** A new replica: a store on the shared state (`keyPrefix` names a separate Redis state). */
  replica(options?: StateStoreOptions & { keyPrefix?: string }): StateStore;
  stop(): Promise<void>;
}

function memoryBackend(): Backend {
  // One process holds the state: every "replica" with the same options is the same store.
  const stores = new Map<string, StateStore>();
  return {
    name: 'memory',
    skip: undefined,
    start: async () => {},
    replica(options = {}) {
      const key = JSON.stringify(options);
      let store = stores.get(key);
      if (!store) stores.set(key, (store = createMemoryState(options)));
      return store;
    },
    stop: async () => {
      for (const store of stores.values()) await store.close();
    },
  };
}

function redisBackend(): Backend {
  let server: TestRedis | undefined;
  const opened: StateStore[] = [];
  return {
    name: 'redis',
    skip: redisMissing,
    async start() {
      server = await startRedisServer();
    },
    replica(options = {}) {
      if (!server) throw new Error('the Redis backend is not started');
      const store = createRedisState({ ...options, redis: server.url });
      opened.push(store);
      return store;
    },
    async stop() {
      await Promise.all(opened.map((store) => store.close()));
      await server?.stop();
    },
  };
}

let namespaces = 0;
/** A namespace of its own for each test, so that tests never see each other's state. */
const fresh = () => `test-${process.pid}-${++namespaces}`;

const T0 = Date.UTC(2026, 0, 1);

const job = (id: string, finishesAt: number, expiresAt: number): JobRecord => ({
  id,
  finishesAt,
  expiresAt,
  data: { model: 'google/veo-3.1', plan: ['pending', 'completed'], prompt: 'a lighthouse' },
});

const delivery = (id: string) => ({
  id,
  jobId: `job-${id}`,
  idempotencyKey: `idem-${id}`,
  event: { url: 'https://example.com/hook', type: 'video.generation.completed', body: [] },
});

/** Runs `count` calls at once, spread over the replicas in turn. */
async function inParallel<T>(
  replicas: StateStore[],
  count: number,
  call: (store: StateStore, i: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => call(replicas[i % replicas.length] as StateStore, i)),
  );
}

for (const backend of [memoryBackend(), redisBackend()]) {
  describe.skipIf(backend.skip !== undefined)(
    `state store contract: ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let a: StateStore;
      let b: StateStore;
      beforeAll(async () => {
        await backend.start();
        a = backend.replica();
        b = backend.replica();
      });
      afterAll(() => backend.stop());

      describe('jobs', () => {
        it('stores a job and gives it back whole, on another replica too', async () => {
          const ns = fresh();
          const record = job('j1', T0 + 5_000, T0 + 60_000);
          expect(await a.namespace(ns).jobs.create(record, { now: T0 })).toBe('created');
          expect(await b.namespace(ns).jobs.get('j1', T0 + 1)).toEqual(record);
          expect(await b.namespace(ns).jobs.get('missing', T0)).toBeUndefined();
          expect(await b.namespace(ns).jobs.count()).toBe(1);
        });

        it('refuses a second job with the same id', async () => {
          const ns = a.namespace(fresh());
          await ns.jobs.create(job('j1', T0 + 5_000, T0 + 60_000), { now: T0 });
          const other = job('j1', T0 + 9_000, T0 + 90_000);
          expect(await ns.jobs.create(other, { now: T0 })).toBe('exists');
          expect((await ns.jobs.get('j1', T0))?.finishesAt).toBe(T0 + 5_000);
        });

        it('forgets a job once it expires, and lists only live jobs in order of expiry', async () => {
          const ns = a.namespace(fresh());
          await ns.jobs.create(job('late', T0, T0 + 20_000), { now: T0 });
          await ns.jobs.create(job('early', T0, T0 + 10_000), { now: T0 });
          expect((await ns.jobs.list(T0)).map((j) => j.id)).toEqual(['early', 'late']);
          expect((await ns.jobs.list(T0 + 10_000)).map((j) => j.id)).toEqual(['late']);
          expect(await ns.jobs.get('early', T0 + 10_000)).toBeUndefined();
          expect(await ns.jobs.count()).toBe(1);
        });

        it('holds at most maxJobs: finished jobs make room, unfinished ones make it full', async () => {
          const small = backend.replica({ maxJobs: 2 });
          const ns = small.namespace(fresh());
          await ns.jobs.create(job('first', T0 + 1_000, T0 + 100_000), { now: T0 });
          await ns.jobs.create(job('second', T0 + 2_000, T0 + 200_000), { now: T0 });
          expect(await ns.jobs.create(job('third', T0 + 3_000, T0 + 300_000), { now: T0 })).toBe(
            'full',
          );
          expect(await ns.jobs.get('third', T0)).toBeUndefined();
          // Once 'first' has finished, it is the one evicted.
          const now = T0 + 1_500;
          expect(await ns.jobs.create(job('third', T0 + 3_000, T0 + 300_000), { now })).toBe(
            'created',
          );
          expect(await ns.jobs.get('first', now)).toBeUndefined();
          expect((await ns.jobs.list(now)).map((j) => j.id)).toEqual(['second', 'third']);
          expect(small.namespace(fresh()).jobs.maxJobs).toBe(2);
        });
      });

      describe('ledger', () => {
        it('charges in exact micro-units and refuses what the balance does not cover', async () => {
          const ledger = a.namespace(fresh(), { defaultBalance: 1 }).ledger;
          expect(await ledger.balanceOf('sk-a')).toBe(1);
          for (let i = 0; i < 3; i++) await ledger.charge('sk-a', 0.1);
          expect(await ledger.balanceOf('sk-a')).toBe(0.7);
          expect(await ledger.charge('sk-a', 0.8)).toEqual({ charged: false, balance: 0.7 });
          expect(await ledger.charge('sk-a', 0.7)).toEqual({ charged: true, balance: 0 });
          expect(await ledger.charge('sk-a', 0)).toEqual({ charged: true, balance: 0 });
          expect(await ledger.entries()).toEqual([['sk-a', 0]]);
        });

        it('sets a balance that every replica reads', async () => {
          const ns = fresh();
          await a.namespace(ns).ledger.set('sk-b', 12.5);
          expect(await b.namespace(ns).ledger.balanceOf('sk-b')).toBe(12.5);
          expect(await b.namespace(ns).ledger.charge('sk-b', 2.5)).toEqual({
            charged: true,
            balance: 10,
          });
        });

        it('refuses an amount that is negative or not finite', async () => {
          const ledger = a.namespace(fresh()).ledger;
          await expect(ledger.charge('sk-a', -1)).rejects.toThrow(RangeError);
          await expect(ledger.set('sk-a', Number.NaN)).rejects.toThrow(RangeError);
        });

        it('never spends more than the balance under parallel charges from two replicas', async () => {
          const ns = fresh();
          await a.namespace(ns).ledger.set('sk-shared', 10);
          const results = await inParallel([a, b], 50, (store) =>
            store.namespace(ns).ledger.charge('sk-shared', 1),
          );
          expect(results.filter((r) => r.charged)).toHaveLength(10);
          expect(await b.namespace(ns).ledger.balanceOf('sk-shared')).toBe(0);
          expect(Math.min(...results.map((r) => r.balance))).toBe(0);
        });
      });

      describe('ledger: bounded', () => {
        it('keeps at most maxBalances keys: a new key past it is charged without an entry', async () => {
          const prefix = `balances-${process.pid}`;
          const store = backend.replica({ keyPrefix: prefix, maxBalances: 2 });
          const ledger = store.namespace(fresh(), { defaultBalance: 10 }).ledger;
          await ledger.charge('k1', 1);
          await ledger.charge('k2', 2);
          expect(await ledger.charge('k3', 3)).toEqual({ charged: true, balance: 7 });
          expect((await ledger.entries()).map(([key]) => key).sort()).toEqual(['k1', 'k2']);
          expect(await ledger.balanceOf('k3')).toBe(10);
          expect(await ledger.charge('k1', 1)).toEqual({ charged: true, balance: 8 });
        });
      });

      describe('ledger: billing after the work', () => {
        it('takes a short balance down to 0 with floorAtZero', async () => {
          const ledger = a.namespace(fresh(), { defaultBalance: 1 }).ledger;
          expect(await ledger.charge('sk-a', 0.4, { floorAtZero: true })).toEqual({
            charged: true,
            balance: 0.6,
          });
          expect(await ledger.charge('sk-a', 5, { floorAtZero: true })).toEqual({
            charged: true,
            balance: 0,
          });
          expect(await ledger.charge('sk-a', 0.1)).toEqual({ charged: false, balance: 0 });
        });
      });

      describe('rate limits', () => {
        it('allows `limit` hits per window, then refuses until the next window', async () => {
          const limits = a.namespace(fresh()).rateLimits;
          const hit = (now: number) => limits.hit('sk-a', { limit: 2, windowMs: 1000, now });
          expect(await hit(T0 + 100)).toEqual({
            allowed: true,
            limit: 2,
            remaining: 1,
            resetSeconds: 1,
          });
          expect((await hit(T0 + 200)).allowed).toBe(true);
          expect(await hit(T0 + 300)).toMatchObject({ allowed: false, remaining: 0 });
          expect(await hit(T0 + 1_000)).toMatchObject({ allowed: true, remaining: 1 });
        });

        it('counts hits from two replicas in one window', async () => {
          const ns = fresh();
          const verdicts = await inParallel([a, b], 20, (store) =>
            store.namespace(ns).rateLimits.hit('sk-a', { limit: 5, windowMs: 60_000, now: T0 }),
          );
          expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
        });

        it('refuses a window that is not a positive integer', async () => {
          const limits = a.namespace(fresh()).rateLimits;
          await expect(limits.hit('k', { limit: 1, windowMs: 0, now: T0 })).rejects.toThrow(
            RangeError,
          );
        });
      });

      describe('fault rules', () => {
        it('adds, lists and removes rules with their counts', async () => {
          const faults = a.namespace(fresh()).faults;
          const once = await faults.add({ kind: 'server-error', once: true }, 1);
          const always = await faults.add({ kind: 'latency', latencyMs: 500 });
          expect(await faults.fire(always.id)).toBe(true);
          expect(await faults.fire(always.id)).toBe(true);
          expect(await faults.list()).toEqual([
            { id: once.id, rule: { kind: 'server-error', once: true }, limit: 1, fired: 0 },
            {
              id: always.id,
              rule: { kind: 'latency', latencyMs: 500 },
              limit: undefined,
              fired: 2,
            },
          ]);
          expect(await faults.remove(once.id)).toBe(true);
          expect(await faults.remove(once.id)).toBe(false);
          expect(await faults.fire(once.id)).toBe(false);
          expect((await faults.list()).map((f) => f.id)).toEqual([always.id]);
        });

        it('fires a `once` rule exactly once across two replicas', async () => {
          const ns = fresh();
          const rule = await a.namespace(ns).faults.add({ kind: 'reset', once: true }, 1);
          const fired = await inParallel([a, b], 20, (store) =>
            store.namespace(ns).faults.fire(rule.id),
          );
          expect(fired.filter(Boolean)).toHaveLength(1);
          expect((await b.namespace(ns).faults.list())[0]?.fired).toBe(1);
        });

        it('fires a `times: 3` rule exactly three times across two replicas', async () => {
          const ns = fresh();
          const rule = await b.namespace(ns).faults.add({ kind: 'truncate', times: 3 }, 3);
          const fired = await inParallel([a, b], 30, (store) =>
            store.namespace(ns).faults.fire(rule.id),
          );
          expect(fired.filter(Boolean)).toHaveLength(3);
        });
      });

      describe('webhook deliveries', () => {
        it('stores an event once, however many replicas enqueue it', async () => {
          const ns = fresh();
          const results = await inParallel([a, b], 6, (store) =>
            store.namespace(ns).webhooks.enqueue(delivery('d1'), T0),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          expect(await a.namespace(ns).webhooks.list()).toEqual([
            { ...delivery('d1'), state: 'pending', attempts: [], dueAt: T0 },
          ]);
        });

        it('claims a delivery when due, retries it at the given time with the same key, and settles it', async () => {
          const hooks = a.namespace(fresh()).webhooks;
          await hooks.enqueue(delivery('d1'), T0 + 1_000);
          expect(await hooks.claim({ owner: 'a', now: T0, leaseMs: 30_000 })).toBeUndefined();
          const first = await hooks.claim({ owner: 'a', now: T0 + 1_000, leaseMs: 30_000 });
          expect(first).toMatchObject({ owner: 'a', leaseUntil: T0 + 31_000 });
          expect(first?.delivery).toMatchObject({
            id: 'd1',
            idempotencyKey: 'idem-d1',
            dueAt: null,
          });
          expect(
            await hooks.claim({ owner: 'a', now: T0 + 1_000, leaseMs: 30_000 }),
          ).toBeUndefined();
          const failed = { attempt: 1, at: T0 + 1_000, status: 503 };
          expect(
            await hooks.settle('d1', 'b', { result: 'retry', attempt: failed, retryAt: T0 }),
          ).toBe(false);
          expect(
            await hooks.settle('d1', 'a', {
              result: 'retry',
              attempt: failed,
              retryAt: T0 + 11_000,
            }),
          ).toBe(true);
          expect(await hooks.get('d1')).toMatchObject({ state: 'pending', dueAt: T0 + 11_000 });
          expect(
            await hooks.claim({ owner: 'a', now: T0 + 10_999, leaseMs: 30_000 }),
          ).toBeUndefined();
          const second = await hooks.claim({ owner: 'a', now: T0 + 11_000, leaseMs: 30_000 });
          expect(second?.delivery.idempotencyKey).toBe('idem-d1');
          expect(second?.delivery.attempts).toEqual([failed]);
          const ok = { attempt: 2, at: T0 + 11_000, status: 200 };
          expect(await hooks.settle('d1', 'a', { result: 'delivered', attempt: ok })).toBe(true);
          expect(await hooks.get('d1')).toEqual({
            ...delivery('d1'),
            state: 'delivered',
            attempts: [failed, ok],
            dueAt: null,
          });
          expect(await hooks.claim({ owner: 'a', now: T0 + 99_000, leaseMs: 1 })).toBeUndefined();
        });

        it('ends a delivery as failed when told', async () => {
          const hooks = a.namespace(fresh()).webhooks;
          await hooks.enqueue(delivery('d1'), T0);
          await hooks.claim({ owner: 'a', now: T0, leaseMs: 1_000 });
          const refused = { attempt: 1, at: T0, error: 'Refused by the callback policy' };
          expect(await hooks.settle('d1', 'a', { result: 'failed', attempt: refused })).toBe(true);
          expect(await hooks.get('d1')).toMatchObject({ state: 'failed', attempts: [refused] });
        });

        it("forgets a job's settled deliveries and keeps its pending ones and other jobs'", async () => {
          const hooks = a.namespace(fresh()).webhooks;
          const sameJob = (id: string) => ({ ...delivery(id), jobId: 'job-x' });
          await hooks.enqueue(sameJob('done'), T0);
          await hooks.enqueue(sameJob('waiting'), T0 + 60_000);
          await hooks.enqueue(delivery('other'), T0);
          for (let claimed = 0; claimed < 2; claimed++) {
            const claim = await hooks.claim({ owner: 'a', now: T0, leaseMs: 1_000 });
            const attempt = { attempt: 1, at: T0, status: 200 };
            await hooks.settle(claim?.delivery.id ?? '', 'a', { result: 'delivered', attempt });
          }
          expect(await hooks.forgetJob('job-x')).toBe(1);
          expect((await hooks.list()).map((d) => d.id)).toEqual(['waiting', 'other']);
          expect(await hooks.get('done')).toBeUndefined();
          expect(await hooks.forgetJob('job-x')).toBe(0);
          expect(await hooks.forgetJob('job-other')).toBe(1);
          expect((await hooks.list()).map((d) => d.id)).toEqual(['waiting']);
        });

        it('gives each due delivery to exactly one of two replicas claiming at once', async () => {
          const ns = fresh();
          for (let i = 0; i < 10; i++)
            await a.namespace(ns).webhooks.enqueue(delivery(`d${i}`), T0);
          const claims = await inParallel([a, b], 30, (store, i) =>
            store
              .namespace(ns)
              .webhooks.claim({ owner: `replica-${i % 2}`, now: T0, leaseMs: 60_000 }),
          );
          const claimed = claims.flatMap((c) => (c ? [c.delivery.id] : []));
          expect(claimed.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `d${i}`).sort());
        });

        it('hands a delivery to another replica once the lease of one that died runs out', async () => {
          const ns = fresh();
          await a.namespace(ns).webhooks.enqueue(delivery('d1'), T0);
          const dying = await a
            .namespace(ns)
            .webhooks.claim({ owner: 'a', now: T0, leaseMs: 30_000 });
          expect(dying?.delivery.id).toBe('d1');
          // Replica a is killed mid-attempt: it never settles.
          const hooksB = b.namespace(ns).webhooks;
          expect(
            await hooksB.claim({ owner: 'b', now: T0 + 29_999, leaseMs: 30_000 }),
          ).toBeUndefined();
          const taken = await hooksB.claim({ owner: 'b', now: T0 + 30_000, leaseMs: 30_000 });
          expect(taken?.delivery).toMatchObject({ id: 'd1', idempotencyKey: 'idem-d1' });
          const late = { attempt: 1, at: T0 + 31_000, status: 200 };
          expect(
            await a
              .namespace(ns)
              .webhooks.settle('d1', 'a', { result: 'delivered', attempt: late }),
          ).toBe(false);
          expect(await hooksB.settle('d1', 'b', { result: 'delivered', attempt: late })).toBe(true);
          expect(await hooksB.get('d1')).toMatchObject({ state: 'delivered', attempts: [late] });
        });
      });

      describe('the webhook worker: where to look, and manual resends', () => {
        it('lists a namespace while it has deliveries queued or held, and drops it after', async () => {
          const prefix = `look-${process.pid}`;
          const [one, two] = [
            backend.replica({ keyPrefix: prefix, maxJobs: 7 }),
            backend.replica({ keyPrefix: prefix, maxJobs: 7 }),
          ];
          const name = fresh();
          expect(await one.namespacesWithDeliveries()).not.toContain(name);
          await one.namespace(name).webhooks.enqueue(delivery('d1'), T0);
          expect(await two.namespacesWithDeliveries()).toContain(name);
          const claim = await two
            .namespace(name)
            .webhooks.claim({ owner: 'b', now: T0, leaseMs: 1_000 });
          expect(await one.namespacesWithDeliveries()).toContain(name);
          await two.namespace(name).webhooks.settle('d1', 'b', {
            result: 'delivered',
            attempt: { attempt: 1, at: T0, status: 200 },
          });
          expect(claim?.delivery.id).toBe('d1');
          // The next look finds nothing and lets the namespace go.
          expect(
            await one.namespace(name).webhooks.claim({ owner: 'a', now: T0, leaseMs: 1_000 }),
          ).toBeUndefined();
          expect(await two.namespacesWithDeliveries()).not.toContain(name);
        });

        it('records a manual attempt, settling only a pending delivery nobody holds', async () => {
          const ns = fresh();
          const hooks = a.namespace(ns).webhooks;
          await hooks.enqueue(delivery('d1'), T0 + 60_000);
          await hooks.enqueue(delivery('d2'), T0);
          await hooks.claim({ owner: 'a', now: T0, leaseMs: 60_000 });
          const ok = { attempt: 1, at: T0, status: 200 };
          expect(await b.namespace(ns).webhooks.record('d1', ok, true)).toBe(true);
          expect(await b.namespace(ns).webhooks.record('d2', ok, true)).toBe(true);
          expect(await b.namespace(ns).webhooks.record('nope', ok, true)).toBe(false);
          expect(await hooks.get('d1')).toMatchObject({ state: 'delivered', attempts: [ok] });
          // d2 is held by replica a: it stays pending until a settles it.
          expect(await hooks.get('d2')).toMatchObject({ state: 'pending', attempts: [ok] });
        });

        it('shares one secret between replicas and lists the namespaces it holds', async () => {
          expect(await a.sharedSecret()).toMatch(/^[0-9a-f]{64}$/);
          expect(await b.sharedSecret()).toBe(await a.sharedSecret());
          const name = fresh();
          await b.namespace(name).snapshot();
          expect(await a.namespaces()).toContain(name);
        });
      });

      describe('leases on their own clock, and release', () => {
        it('lets a lease run out on the lease clock while due times stand still', async () => {
          const ns = fresh();
          await a.namespace(ns).webhooks.enqueue(delivery('d1'), T0);
          const first = await a
            .namespace(ns)
            .webhooks.claim({ owner: 'a', now: T0, leaseMs: 1_000, leaseNow: 50 });
          expect(first?.leaseUntil).toBe(1_050);
          const hooksB = b.namespace(ns).webhooks;
          expect(
            await hooksB.claim({ owner: 'b', now: T0, leaseMs: 1_000, leaseNow: 1_049 }),
          ).toBeUndefined();
          const taken = await hooksB.claim({
            owner: 'b',
            now: T0,
            leaseMs: 1_000,
            leaseNow: 1_050,
          });
          expect(taken?.delivery.id).toBe('d1');
        });

        it("releases only the owner's leases, due again at once", async () => {
          const ns = fresh();
          const hooks = a.namespace(ns).webhooks;
          for (const id of ['d1', 'd2', 'd3']) await hooks.enqueue(delivery(id), T0);
          await hooks.claim({ owner: 'a', now: T0, leaseMs: 60_000 });
          await hooks.claim({ owner: 'a', now: T0, leaseMs: 60_000 });
          await hooks.claim({ owner: 'c', now: T0, leaseMs: 60_000 });
          expect(await b.namespace(ns).webhooks.release('a', T0 + 10)).toBe(2);
          const again = await b
            .namespace(ns)
            .webhooks.claim({ owner: 'b', now: T0 + 10, leaseMs: 60_000 });
          expect(['d1', 'd2']).toContain(again?.delivery.id);
          expect(await b.namespace(ns).webhooks.release('a', T0 + 10)).toBe(0);
        });
      });

      describe('clock', () => {
        it('keeps the first epoch and moves the offset for every replica', async () => {
          const ns = fresh();
          expect(await a.namespace(ns).clock.read()).toBeUndefined();
          expect(await a.namespace(ns).clock.init(T0)).toEqual({ epoch: T0, offsetMs: 0 });
          expect(await b.namespace(ns).clock.init(T0 + 5)).toEqual({ epoch: T0, offsetMs: 0 });
          expect(await b.namespace(ns).clock.advance(60_000)).toEqual({
            epoch: T0,
            offsetMs: 60_000,
          });
          expect(await a.namespace(ns).clock.read()).toEqual({ epoch: T0, offsetMs: 60_000 });
        });

        it('refuses to advance by a bad amount or before an epoch', async () => {
          const clock = a.namespace(fresh()).clock;
          await expect(clock.advance(1_000)).rejects.toThrow(/init it first/);
          await clock.init(T0);
          await expect(clock.advance(-1)).rejects.toThrow(RangeError);
          await expect(clock.advance(Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
        });
      });

      describe('namespaces', () => {
        it('refuses a namespace that could break out of its keys', () => {
          for (const name of ['', 'a b', 'x}*', 'a'.repeat(129), 'ns\n']) {
            expect(() => a.namespace(name)).toThrow(RangeError);
          }
          expect(checkNamespace('ci-run_42:shard.1')).toBe('ci-run_42:shard.1');
        });

        it('resets one namespace only, on every kind of state', async () => {
          const [mine, theirs] = [fresh(), fresh()];
          for (const name of [mine, theirs]) {
            const ns = a.namespace(name, { defaultBalance: 5 });
            await ns.jobs.create(job('j1', T0 + 1, T0 + 60_000), { now: T0 });
            await ns.ledger.charge('sk-a', 1);
            await ns.rateLimits.hit('sk-a', { limit: 1, windowMs: 60_000, now: T0 });
            await ns.faults.add({ kind: 'reset' }, 1);
            await ns.webhooks.enqueue(delivery('d1'), T0);
            await ns.clock.init(T0);
          }
          await b.reset(mine);
          const cleared = a.namespace(mine, { defaultBalance: 5 });
          expect(await cleared.jobs.get('j1', T0)).toBeUndefined();
          expect(await cleared.ledger.balanceOf('sk-a')).toBe(5);
          expect(
            (await cleared.rateLimits.hit('sk-a', { limit: 1, windowMs: 60_000, now: T0 })).allowed,
          ).toBe(true);
          expect(await cleared.faults.list()).toEqual([]);
          expect(await cleared.webhooks.list()).toEqual([]);
          expect(await cleared.clock.read()).toBeUndefined();

          const kept = b.namespace(theirs, { defaultBalance: 5 });
          expect((await kept.jobs.get('j1', T0))?.id).toBe('j1');
          expect(await kept.ledger.balanceOf('sk-a')).toBe(4);
          expect(
            (await kept.rateLimits.hit('sk-a', { limit: 1, windowMs: 60_000, now: T0 })).allowed,
          ).toBe(false);
          expect(await kept.faults.list()).toHaveLength(1);
          expect(await kept.webhooks.list()).toHaveLength(1);
          expect(await kept.clock.read()).toEqual({ epoch: T0, offsetMs: 0 });
        });

        it('admits at most maxNamespaces, and a reset frees a place', async () => {
          const prefix = `cap-${process.pid}`;
          const [one, two] = [
            backend.replica({ maxNamespaces: 2, keyPrefix: prefix }),
            backend.replica({ maxNamespaces: 2, keyPrefix: prefix }),
          ];
          expect((await one.namespace('n1').snapshot()).admitted).toBe(true);
          expect((await two.namespace('n2').snapshot()).admitted).toBe(true);
          expect((await one.namespace('n1').snapshot()).admitted).toBe(true);
          const refused = await two.namespace('n3').snapshot();
          expect(refused).toMatchObject({ admitted: false, faults: [] });
          await one.reset('n2');
          expect((await two.namespace('n3').snapshot()).admitted).toBe(true);
        });

        it('reads clock, settings, faults and generation in one snapshot; a reset moves the generation', async () => {
          const name = fresh();
          const ns = a.namespace(name);
          expect(await ns.snapshot()).toEqual({
            admitted: true,
            generation: 0,
            clock: undefined,
            settings: undefined,
            faults: [],
          });
          await ns.clock.init(T0);
          await ns.clock.advance(500);
          await ns.writeSettings({ defaultScenario: 'failed' });
          const rule = await ns.faults.add({ kind: 'reset' }, 1);
          expect(await b.namespace(name).snapshot()).toEqual({
            admitted: true,
            generation: 0,
            clock: { epoch: T0, offsetMs: 500 },
            settings: { defaultScenario: 'failed' },
            faults: [{ ...rule, fired: 0 }],
          });
          await b.reset(name);
          expect(await a.namespace(name).snapshot()).toMatchObject({
            generation: 1,
            clock: undefined,
            settings: undefined,
          });
        });

        it('resets through the namespace itself too', async () => {
          const ns = a.namespace(fresh());
          await ns.ledger.set('sk-a', 3);
          await ns.reset();
          expect(await ns.ledger.entries()).toEqual([]);
        });
      });
    },
  );
}

describe.skipIf(redisMissing !== undefined)(
  `Redis specifics${redisMissing ? ` (skipped: ${redisMissing})` : ''}`,
  () => {
    let server: TestRedis;
    let raw: Redis;
    let store: StateStore;
    beforeAll(async () => {
      server = await startRedisServer();
      raw = new Redis(server.url);
      store = createRedisState({ redis: server.url });
    });
    afterAll(async () => {
      await store.close();
      raw.disconnect();
      await server.stop();
    });

    it('lets Redis expire a job key after its retention, and keeps keys under the namespace', async () => {
      const ns = store.namespace('ttl-check');
      await ns.jobs.create(job('j1', T0 + 1, T0 + 86_400_000), { now: T0, retainMs: 120_000 });
      const ttl = await raw.pttl('reelkit:{ttl-check}:job:j1');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120_000);
      expect((await raw.keys('*')).every((key) => key.startsWith('reelkit:{ttl-check}:'))).toBe(
        true,
      );
    });

    it('fails with a clear error, not a hang, when Redis is gone', async () => {
      const doomed = await startRedisServer();
      const lost = createRedisState({ redis: doomed.url });
      await lost.namespace('x').ledger.set('sk', 1);
      await doomed.stop();
      const failure = lost.namespace('x').ledger.charge('sk', 1);
      await expect(failure).rejects.toThrow(StateStoreError);
      await expect(failure).rejects.toThrow(/connection: .*ECONNREFUSED/);
      await expect(failure).rejects.toThrow(
        new RegExp(
          `ledger\\.charge failed on the Redis state store at 127\\.0\\.0\\.1:${doomed.port}/0`,
        ),
      );
      await lost.close();
    });

    it('fails with a clear error when Redis stops answering, then works again', async () => {
      const frozen = await startRedisServer();
      const stuck = createRedisState({ redis: frozen.url, redisOptions: { commandTimeout: 200 } });
      const ns = stuck.namespace('x');
      await ns.jobs.count();
      frozen.freeze(true);
      try {
        await expect(ns.jobs.get('j1', T0)).rejects.toThrow(/jobs\.get failed .*timed out/i);
      } finally {
        frozen.freeze(false);
      }
      expect(await ns.jobs.count()).toBe(0);
      await stuck.close();
      await frozen.stop();
    });

    it('uses a caller-owned connection and leaves it open on close', async () => {
      const own = createRedisState({ redis: raw, keyPrefix: 'custom' });
      await own.namespace('x').ledger.set('sk', 1);
      await own.close();
      expect(await raw.hget('custom:{x}:balances', 'sk')).toBe('1000000');
    });
  },
);
