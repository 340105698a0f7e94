/**
 * The per-router clients, route by route, on both mounts: every method of every route table is
 * called at least once and its answer parsed strictly with the spec schema.
 */
import { mockProviders } from '@reelkit/mocks';
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS } from '@reelkit/spec';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createFastRouterClient,
  createImageRouterClient,
  createOpenRouterClient,
  createRoutMyClient,
  GenerationFailedError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
} from '../src/index.js';
import type { Mount } from './harness.js';
import { API_KEY, caught, expectMp4, MOUNT_NAMES, mount } from './harness.js';

const MINUTE = 60_000;

/** Opens a mount per test group and resets the engine between tests. */
function useMount(name: (typeof MOUNT_NAMES)[number], provider: ProviderId) {
  const ref: { m?: Mount } = {};
  beforeAll(async () => {
    ref.m = await mount(name, provider);
  });
  afterAll(() => ref.m?.close());
  beforeEach(() => ref.m?.engine.reset());
  afterEach(() => expect(ref.m?.engine.diagnostics).toEqual([]));
  return () => ref.m as Mount;
}

const options = (m: Mount) => ({ apiKey: API_KEY, baseUrl: m.baseUrl, clock: m.clock });

describe.each(MOUNT_NAMES)('typed clients on %s', (mountName) => {
  describe('openrouter', () => {
    const m = useMount(mountName, 'openrouter');

    it('createVideo → getVideo → getVideoContent, and listModels', async () => {
      const client = createOpenRouterClient(options(m()));
      const job = await client.createVideo({
        body: { model: 'google/veo-3.1', prompt: 'a cat', duration: 4 },
      });
      expect(job.status).toBe('pending');
      await m().clock.sleep(10 * MINUTE);
      const done = await client.getVideo({ params: { jobId: job.id } });
      expect(done).toMatchObject({ id: job.id, status: 'completed', usage: { cost: 2 } });
      const content = await client.getVideoContent({
        params: { jobId: job.id },
        query: { index: 0 },
      });
      expect(content.headers.get('content-type')).toBe('video/mp4');
      expectMp4(new Uint8Array(await content.arrayBuffer()));
      const models = await client.listModels();
      expect(models.data.map((x) => x.id)).toContain('google/veo-3.1');
    });

    it('an unknown job is a NotFoundError', async () => {
      const client = createOpenRouterClient(options(m()));
      const error = await caught(() => client.getVideo({ params: { jobId: 'nope' } }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, providerCode: '404' });
    });
  });

  describe('imagerouter', () => {
    const m = useMount(mountName, 'imagerouter');

    it('createVideo as JSON (whitespace-led, heartbeats) and as multipart with an image', async () => {
      const client = createImageRouterClient(options(m()));
      let beats = 0;
      const video = await client.createVideo(
        { body: { model: 'google/veo-3.1', prompt: 'a cat', seconds: 4 } },
        { onHeartbeat: () => beats++ },
      );
      expect(beats).toBeGreaterThan(5);
      expect(video.cost).toBe(1.6);
      const png = new File([new Uint8Array([137, 80, 78, 71])], 'first.png', { type: 'image/png' });
      const fromImage = await client.createVideo({
        body: { model: 'ir/test-video', prompt: 'animate', 'image[]': [png] },
      });
      expect(fromImage.data[0]?.url).toMatch(/\.mp4$/);
      const request = m().engine.jobs.list().at(-1)?.request as Record<string, unknown>;
      expect(request['image[]']).toEqual([{ file: 'first.png', type: 'image/png', size: 4 }]);
    });

    it('a 200 with an error body becomes a typed error', async () => {
      const client = createImageRouterClient(options(m()));
      const body = { model: 'google/veo-3.1', prompt: 'a cat' };
      const credits = await caught(() =>
        client.createVideo({ body }, { headers: { 'X-Reelkit-Scenario': 'insufficient-credits' } }),
      );
      expect(credits).toBeInstanceOf(PaymentRequiredError);
      expect(credits).toMatchObject({ status: 200, code: 'insufficient_credits' });
      const moderated = await caught(() =>
        client.createVideo({ body }, { headers: { 'X-Reelkit-Scenario': 'moderation' } }),
      );
      expect(moderated).toBeInstanceOf(GenerationFailedError);
      expect(moderated).toMatchObject({
        code: 'content_moderated',
        providerCode: 'moderation_blocked',
      });
    });

    it('model listings (v1, v2, one model by an id with a slash) and credits', async () => {
      const client = createImageRouterClient(options(m()));
      const v1 = await client.listModelsV1({ query: { type: 'video' } });
      expect(Object.keys(v1)).toContain('ir/test-video');
      const one = await client.getModelV1({ params: { modelId: 'google/veo-3.1' } });
      expect(one.seconds).toEqual([4, 6, 8]);
      const v2 = await client.listModelsV2({ query: { outputType: 'video', fields: 'name' } });
      expect(v2[0]).toEqual({ id: v2[0]?.id, name: v2[0]?.id });
      const model = await client.getModelV2({ params: { modelId: 'ir/test-video' } });
      expect(model.price).toEqual({ min: 0, average: 0, max: 0 });
      const credits = await client.getCredits();
      expect(Number(credits.remaining_credits)).toBeGreaterThan(0);
      expect(
        await caught(() => client.getModelV1({ params: { modelId: 'acme/x' } })),
      ).toBeInstanceOf(NotFoundError);
    });
  });

  describe('fastrouter', () => {
    const m = useMount(mountName, 'fastrouter');

    it('task family: createVideo and the three poll routes', async () => {
      const client = createFastRouterClient(options(m()));
      const created = await client.createVideo({
        body: { model: 'google/veo3', prompt: 'a robot on Mars', length: 8 },
      });
      if (!('data' in created)) throw new Error('expected the task envelope');
      const taskId = created.data.taskId;
      await m().clock.sleep(10 * MINUTE);
      const viaGet = await client.getVideo({ params: { task_id: taskId } });
      const viaAsync = await client.getAsyncResponse({ body: { taskId } });
      const viaVideo = await client.getVideoResponse({ body: { taskId, model: 'google/veo3' } });
      for (const answer of [viaGet, viaAsync, viaVideo]) {
        expect(answer).toMatchObject({ data: { taskId, status: 'succeed' } });
      }
      const models = await client.listModels();
      expect(models.data.some((x) => x.id === 'openai/sora-2')).toBe(true);
    });

    it('Sora family: progress while rendering, the MP4 from getVideoResponse once done', async () => {
      const client = createFastRouterClient(options(m()));
      const created = await client.createVideo({
        body: { model: 'openai/sora-2', prompt: 'a cat', seconds: '4' },
      });
      if (!('object' in created)) throw new Error('expected a Sora video object');
      await m().clock.sleep(10 * MINUTE);
      const video = await client.getVideoResponse({
        body: { taskId: created.id, model: 'openai/sora-2' },
      });
      if (!(video instanceof Response)) throw new Error('expected the MP4 stream');
      expectMp4(new Uint8Array(await video.arrayBuffer()));
    });

    it('moderation at submit is a PermissionDeniedError with content_moderated', async () => {
      const client = createFastRouterClient(options(m()));
      const error = await caught(() =>
        client.createVideo(
          { body: { model: 'google/veo3', prompt: 'x' } },
          { headers: { 'X-Reelkit-Scenario': 'moderation' } },
        ),
      );
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error).toMatchObject({
        code: 'content_moderated',
        providerCode: 'moderation_blocked',
      });
    });
  });

  describe('routmy', () => {
    const m = useMount(mountName, 'routmy');

    it('createVideo holds the request and answers the videos; listModels', async () => {
      const client = createRoutMyClient(options(m()));
      const result = await client.createVideo({
        body: { model: 'google/veo-3.1', prompt: { text: 'a glass cube' }, n: 2 },
      });
      expect(result.videos).toHaveLength(2);
      expect(result.videos[0]?.mime_type).toBe('video/mp4');
      const models = await client.listModels();
      expect(models.data.find((x) => x.id === 'openai/sora-2-pro')?.is_available).toBe(false);
    });

    it('a locked model is a PermissionDeniedError', async () => {
      const client = createRoutMyClient(options(m()));
      const error = await caught(() =>
        client.createVideo({ body: { model: 'openai/sora-2-pro', prompt: 'a cat' } }),
      );
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error).toMatchObject({ code: 'permission_denied', status: 403 });
    });
  });
});

it('every route of every router is exercised above', () => {
  const exercised: Record<string, readonly string[]> = {
    openrouter: ['createVideo', 'getVideo', 'getVideoContent', 'listModels'],
    imagerouter: [
      'createVideo',
      'listModelsV1',
      'getModelV1',
      'listModelsV2',
      'getModelV2',
      'getCredits',
    ],
    fastrouter: ['createVideo', 'getVideoResponse', 'getAsyncResponse', 'getVideo', 'listModels'],
    routmy: ['createVideo', 'listModels'],
  };
  for (const id of PROVIDER_IDS) {
    expect([...(exercised[id] ?? [])].sort()).toEqual(
      Object.keys(mockProviders[id].spec.routes).sort(),
    );
  }
});
