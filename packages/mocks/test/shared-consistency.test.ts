/**
 * What replicas on one Redis promise each other, tested with two (or three) engines in this
 * process on a real `redis-server`: money is spent once, a `once` fault fires once, a webhook is
 * delivered once (retried on the backoff with the same idempotency key, by whichever replica),
 * any replica serves another's download, and a store that stops answering gives the router's own
 * server error, labelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaseMockEngine } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';
import type { StateStore } from '../src/state/index.js';
import { createRedisState } from '../src/state/index.js';
import { AUTH } from './journeys.js';
import { redisMissing, startRedisServer } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const openrouter = mockProviders.openrouter;
const ORIGIN = openrouter.spec.origin;
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

let namespaces = 0;
const fresh = () => `consistency-${process.pid}-${++namespaces}`;

describe.skipIf(redisMissing !== undefined)(
  `replicas on one Redis${redisMissing ? ` (skipped: ${redisMissing})` : ''}`,
  () => {
    let redis: TestRedis;
    const stores: StateStore[] = [];
    const engines: BaseMockEngine[] = [];
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await Promise.all(engines.map((e) => e.close()));
      await Promise.all(stores.map((s) => s.close()));
      await redis.stop();
    });

    let fleets = 0;
    /**
     * `count` replicas, each with its own connection as separate processes would have, on keys of
     * their own: replicas of another test's fleet would otherwise deliver this one's webhooks.
     */
    function replicas(count: number): BaseMockEngine[] {
      const keyPrefix = `fleet${++fleets}`;
      return Array.from({ length: count }, (_, i) => {
        const store = createRedisState({ redis: redis.url, keyPrefix });
        stores.push(store);
        const engine = createMockEngine({
          provider: openrouter,
          store,
          storeClock: { mode: 'manual', timeScale: 1 },
          replica: `r${i}`,
          webhooks: { allowHttpLoopback: true, policy: { jitter: 0 } },
        });
        engines.push(engine);
        return engine;
      });
    }

    const call = (
      engine: BaseMockEngine,
      ns: string,
      path: string,
      init: RequestInit & { headers?: Record<string, string> } = {},
    ) =>
      engine.fetch(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...JSON_HEADERS, 'x-reelkit-namespace': ns, ...init.headers },
      });
    const submit = (engine: BaseMockEngine, ns: string, extra: Record<string, unknown> = {}) =>
      call(engine, ns, '/api/v1/videos', {
        method: 'POST',
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a lighthouse', ...extra }),
      });
    const advance = (engine: BaseMockEngine, ns: string, seconds: number) =>
      call(engine, ns, '/__reelkit/clock/advance', {
        method: 'POST',
        body: JSON.stringify({ seconds }),
      });

    it('spends a balance once under parallel submits to three replicas', async () => {
      const fleet = replicas(3);
      const ns = fresh();
      // Veo 3.1, 8 s with audio, costs 4 USD here: a balance of 10 pays for two jobs.
      const set = await call(fleet[0]!, ns, '/__reelkit/balances/sk-reelkit-test', {
        method: 'PUT',
        body: JSON.stringify({ balance: 10 }),
      });
      expect(set.status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => submit(fleet[i % 3]!, ns)),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(2);
      expect(statuses.filter((s) => s === 402)).toHaveLength(10);
      const balance = (await (
        await call(fleet[2]!, ns, '/__reelkit/balances/sk-reelkit-test')
      ).json()) as { balance: number };
      expect(balance.balance).toBe(2);
    });

    it('fires a `once` fault once across replicas', async () => {
      const fleet = replicas(3);
      const ns = fresh();
      const added = await call(fleet[1]!, ns, '/__reelkit/faults', {
        method: 'POST',
        body: JSON.stringify({ kind: 'server-error', operationId: 'listVideosModels', once: true }),
      });
      expect(added.status).toBe(201);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(fleet[i % 3]!, ns, '/api/v1/videos/models')),
      );
      expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([500]);
    });

    it('delivers each webhook once, retried on the backoff by another replica with the same key', async () => {
      const received: { key: string; via: string }[] = [];
      let refuseFirst = true;
      const receiver = (via: string): typeof fetch =>
        (async (_url: RequestInfo | URL, init?: RequestInit) => {
          const headers = new Headers(init?.headers);
          received.push({ key: headers.get('x-openrouter-idempotency-key') ?? '?', via });
          if (refuseFirst) {
            refuseFirst = false;
            return new Response('busy', { status: 500 });
          }
          return new Response('ok');
        }) as typeof fetch;
      const stores2 = [
        createRedisState({ redis: redis.url }),
        createRedisState({ redis: redis.url }),
      ];
      stores.push(...stores2);
      const fleet = stores2.map((store, i) => {
        const engine = createMockEngine({
          provider: openrouter,
          store,
          storeClock: { mode: 'manual', timeScale: 1 },
          replica: `hooks${i}`,
          webhooks: {
            allowHttpLoopback: true,
            fetch: receiver(`hooks${i}`),
            policy: { jitter: 0 },
          },
        });
        engines.push(engine);
        return engine;
      });
      const ns = fresh();
      const jobs: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await submit(fleet[i % 2]!, ns, { callback_url: 'http://127.0.0.1:9/hook' });
        expect(res.status).toBe(202);
        jobs.push(((await res.json()) as { id: string }).id);
      }
      // Every job ends within the hour; the refused first attempt is retried 10 s later.
      await advance(fleet[0]!, ns, 3600);
      await Promise.all(fleet.map((e) => e.idle()));
      await advance(fleet[1]!, ns, 60);
      await Promise.all(fleet.map((e) => e.idle()));
      const keys = received.map((r) => r.key);
      expect(new Set(keys).size).toBe(6);
      // Six events, one of them attempted twice (the first attempt refused), never more.
      expect(keys).toHaveLength(7);
      const deliveries = (await (await call(fleet[1]!, ns, '/__reelkit/webhooks')).json()) as {
        deliveries: { jobId: string; state: string; attempts: unknown[] }[];
      };
      expect(deliveries.deliveries.map((d) => d.jobId).sort()).toEqual([...jobs].sort());
      expect(deliveries.deliveries.every((d) => d.state === 'delivered')).toBe(true);
      expect(deliveries.deliveries.map((d) => d.attempts.length).sort()).toEqual([
        1, 1, 1, 1, 1, 2,
      ]);
    });

    it("serves another replica's download without a key, through the shared token secret", async () => {
      const [a, b] = replicas(2);
      const ns = fresh();
      const made = await submit(a!, ns);
      const { id } = (await made.json()) as { id: string };
      await advance(b!, ns, 3600);
      const view = (await (await call(a!, ns, `/api/v1/videos/${id}`)).json()) as {
        unsigned_urls: string[];
      };
      const url = view.unsigned_urls[0]!;
      const video = await b!.fetch(url, { headers: { 'x-reelkit-namespace': ns } });
      expect(video.status).toBe(200);
      expect(video.headers.get('content-type')).toBe('video/mp4');
      const forged = await b!.fetch(url.replace(/token=[^&]+/, 'token=forged'), {
        headers: { 'x-reelkit-namespace': ns },
      });
      expect(forged.status).toBe(401);
    });

    it('answers the router server error in its envelope, not a hang, when Redis stops answering', async () => {
      const [engine] = replicas(1);
      const ns = fresh();
      expect((await submit(engine!, ns)).status).toBe(202);
      redis.freeze(true);
      try {
        const res = await submit(engine!, ns);
        // OpenRouter's server error is a 500 (its facts); the label says what happened.
        expect(res.status).toBe(500);
        expect(res.headers.get('x-reelkit-error')).toBe('MOCK_ERR_STATE_STORE');
        const body = (await res.json()) as { error?: { message?: string } };
        expect(body.error?.message).toMatch(/state store/);
      } finally {
        redis.freeze(false);
      }
      expect((await submit(engine!, ns)).status).toBe(202);
    }, 30_000);
  },
);
