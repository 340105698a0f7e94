/**
 * Engines on one state store act as one mock: each router's journey runs with its requests
 * spread round robin over two engines ("replicas") on a shared store — in memory, and on a real
 * Redis — with the manual clock moved through the control plane of one replica only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaseMockEngine } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';
import type { StateStore } from '../src/state/index.js';
import { createMemoryState, createRedisState } from '../src/state/index.js';
import type { Mount } from './journeys.js';
import { AUTH, JOURNEYS } from './journeys.js';
import { redisMissing, startRedisServer } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

/** Two replicas of a router's mock on `store`, and a mount that alternates between them. */
function fleetOf(id: keyof typeof JOURNEYS, store: StateStore, namespace: string) {
  const provider = mockProviders[id];
  const replicas = ['a', 'b'].map((replica) =>
    createMockEngine({ provider, store, storeClock: { mode: 'manual', timeScale: 1 }, replica }),
  );
  let turn = 0;
  const withNamespace = (init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('x-reelkit-namespace', namespace);
    return { ...init, headers };
  };
  const mount: Mount = {
    baseUrl: `${provider.spec.origin}${provider.spec.basePath}`,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      (replicas[turn++ % 2] as BaseMockEngine).fetch(input, withNamespace(init))) as typeof fetch,
    async advance(ms) {
      // Only replica b's control plane is told; replica a must see the same time.
      const res = await (replicas[1] as BaseMockEngine).fetch(
        `${provider.spec.origin}/__reelkit/clock/advance`,
        withNamespace({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ms }),
        }),
      );
      expect(res.status).toBe(200);
    },
  };
  return { replicas, mount };
}

const backends: { name: string; skip: string | undefined; open: () => Promise<StateStore> }[] = [];
let redis: TestRedis | undefined;
backends.push({ name: 'memory store', skip: undefined, open: async () => createMemoryState() });
backends.push({
  name: 'Redis',
  skip: redisMissing,
  open: async () => {
    redis ??= await startRedisServer();
    return createRedisState({ redis: redis.url });
  },
});
afterAll(async () => {
  await redis?.stop();
});

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(
    `two replicas on a ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: StateStore;
      beforeAll(async () => {
        store = await backend.open();
      });
      afterAll(async () => {
        await store.close();
      });

      describe.each(Object.keys(JOURNEYS))('%s', (id) => {
        it('runs its journey with requests spread over both replicas', async () => {
          const { replicas, mount } = fleetOf(
            id as keyof typeof JOURNEYS,
            store,
            `journey-${id}-${process.pid}`,
          );
          try {
            const seen = await JOURNEYS[id as keyof typeof JOURNEYS](mount);
            expect(seen.length).toBeGreaterThan(0);
            for (const replica of replicas) expect(replica.diagnostics).toEqual([]);
          } finally {
            await Promise.all(replicas.map((r) => r.close()));
          }
        });
      });

      it('keeps namespaces apart: jobs, clocks and resets', async () => {
        const provider = mockProviders.openrouter;
        const engine = createMockEngine({
          provider,
          store,
          storeClock: { mode: 'manual', timeScale: 1 },
        });
        const call = (ns: string, path: string, init: RequestInit = {}) =>
          engine.fetch(`${provider.spec.origin}${path}`, {
            ...init,
            headers: { ...AUTH, 'content-type': 'application/json', 'x-reelkit-namespace': ns },
          });
        try {
          const [mine, theirs] = [`mine-${process.pid}`, `theirs-${process.pid}`];
          const submitted = await call(mine, '/api/v1/videos', {
            method: 'POST',
            body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a lighthouse' }),
          });
          expect(submitted.status).toBe(202);
          const { id } = (await submitted.json()) as { id: string };
          expect((await call(mine, `/api/v1/videos/${id}`)).status).toBe(200);
          expect((await call(theirs, `/api/v1/videos/${id}`)).status).toBe(404);

          const before = (await (await call(theirs, '/__reelkit/clock')).json()) as { now: number };
          await call(mine, '/__reelkit/clock/advance', {
            method: 'POST',
            body: JSON.stringify({ seconds: 3600 }),
          });
          const after = (await (await call(theirs, '/__reelkit/clock')).json()) as { now: number };
          expect(after.now - before.now).toBeLessThan(60_000);

          expect(
            (await call(theirs, '/__reelkit/reset', { method: 'POST', body: '{}' })).status,
          ).toBe(200);
          expect((await call(mine, `/api/v1/videos/${id}`)).status).toBe(200);
          await call(mine, '/__reelkit/reset', { method: 'POST', body: '{}' });
          expect((await call(mine, `/api/v1/videos/${id}`)).status).toBe(404);
        } finally {
          await engine.close();
        }
      });

      it('takes the namespace from a `<namespace>~` key prefix, and refuses a bad name in the router envelope', async () => {
        const provider = mockProviders.openrouter;
        const engine = createMockEngine({
          provider,
          store,
          storeClock: { mode: 'manual', timeScale: 1 },
        });
        try {
          const submit = (headers: Record<string, string>) =>
            engine.fetch(`${provider.spec.origin}/api/v1/videos`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a lighthouse' }),
            });
          const made = await submit({ authorization: `Bearer keyed-${process.pid}~sk-test` });
          expect(made.status).toBe(202);
          const { id } = (await made.json()) as { id: string };
          const seen = await engine.fetch(`${provider.spec.origin}/api/v1/videos/${id}`, {
            headers: {
              authorization: `Bearer keyed-${process.pid}~sk-test`,
            },
          });
          expect(seen.status).toBe(200);
          const jobs = (await (
            await engine.fetch(`${provider.spec.origin}/__reelkit/jobs`, {
              headers: { 'x-reelkit-namespace': `keyed-${process.pid}` },
            })
          ).json()) as { jobs: { id: string }[] };
          expect(jobs.jobs.map((j) => j.id)).toContain(id);

          const bad = await submit({ ...AUTH, 'x-reelkit-namespace': 'no spaces allowed' });
          expect(bad.status).toBe(400);
          expect(JSON.stringify(await bad.json())).toMatch(/namespace/);
        } finally {
          await engine.close();
        }
      });
    },
  );
}

describe('an engine without a store', () => {
  const provider = mockProviders.openrouter;
  const engine = createMockEngine({ provider });
  const submit = (headers: Record<string, string>) =>
    engine.fetch(`${provider.spec.origin}/api/v1/videos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a lighthouse' }),
    });

  it('takes any key as it always did, `~` included', async () => {
    expect((await submit({ authorization: 'Bearer team~sk-test' })).status).toBe(202);
  });

  it('refuses another namespace in the router envelope, saying a store is needed', async () => {
    const res = await submit({ ...AUTH, 'x-reelkit-namespace': 'ci-run-42' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/--store/);
    expect((await submit({ ...AUTH, 'x-reelkit-namespace': 'default' })).status).toBe(202);
  });
});

describe('hostile namespaces on a store', () => {
  const provider = mockProviders.openrouter;
  const store = createMemoryState({ maxNamespaces: 2 });
  const engine = createMockEngine({
    provider,
    store,
    storeClock: { mode: 'manual', timeScale: 1 },
  });
  afterAll(async () => {
    await engine.close();
    await store.close();
  });
  const poll = (namespace: string) =>
    engine.fetch(`${provider.spec.origin}/api/v1/videos/nope`, {
      headers: { ...AUTH, 'x-reelkit-namespace': namespace },
    });

  it('refuses names that are not namespaces in the router envelope, without a stack', async () => {
    for (const bad of ['a'.repeat(129), 'x}*', '../etc', 'a\tb']) {
      const res = await poll(bad);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toMatch(/namespace/);
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    }
    const control = await engine.fetch(`${provider.spec.origin}/__reelkit/health`, {
      headers: { 'x-reelkit-namespace': 'x}*' },
    });
    expect(control.status).toBe(400);
    expect(((await control.json()) as { error: { code: string } }).error.code).toBe(
      'MOCK_ERR_BAD_NAMESPACE',
    );
  });

  it('answers the router 429 past the most namespaces, and stores nothing for them', async () => {
    expect((await poll('n1')).status).toBe(404);
    expect((await poll('n2')).status).toBe(404);
    for (let i = 3; i < 50; i++) expect((await poll(`n${i}`)).status).toBe(429);
    expect((await store.namespaces()).sort()).toEqual(['n1', 'n2']);
  });
});
