/**
 * Capability checks before any money is spent, and the mapping of the unified request to each
 * router's fields. The OpenRouter model list comes from the mock engine used as `fetch` (fetched
 * once, cached); the other routers use the spec catalogs.
 */
import type { ProviderId } from '@reelkit/spec';
import { createAutoClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import type { GenerateVideoRequest } from '../src/index.js';
import { CapabilityError, createReelkit } from '../src/index.js';
import { caught } from './harness.js';

function setup(capabilities: 'auto' | 'catalog' | 'off' = 'auto') {
  const engine = createMockEngine({
    provider: mockProviders.openrouter,
    clock: createAutoClock(),
  });
  const requests: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return engine.fetch(input, init);
  };
  // Only OpenRouter's model list is ever requested in this file.
  const reelkit = createReelkit({ fetch: fetchFn, clock: engine.clock, capabilities });
  return { engine, reelkit, requests };
}

const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

async function refusal(
  request: GenerateVideoRequest,
  capabilities: 'auto' | 'catalog' = 'auto',
): Promise<CapabilityError> {
  const { reelkit } = setup(capabilities);
  const error = await caught(() => reelkit.prepareRequest(request));
  expect(error).toBeInstanceOf(CapabilityError);
  expect((error as CapabilityError).code).toBe('capability_unsupported');
  return error as CapabilityError;
}

const req = (provider: ProviderId, model: string, extra: Partial<GenerateVideoRequest> = {}) =>
  ({ provider, model, prompt: 'a cat', ...extra }) as GenerateVideoRequest;

describe('openrouter (live /videos/models, cached)', () => {
  it('fetches the model list once and submits nothing when refusing', async () => {
    const { reelkit, requests, engine } = setup();
    for (const duration of [5, 7]) {
      const error = await caught(() =>
        reelkit.generateVideo(req('openrouter', 'google/veo-3.1', { duration })),
      );
      expect(error).toMatchObject({ param: 'duration', accepted: [4, 6, 8] });
    }
    expect(requests).toEqual(['GET /api/v1/videos/models']);
    expect(engine.jobs.size).toBe(0);
  });

  it('refuses a model the router does not list, naming the ones it does', async () => {
    const error = await refusal(req('openrouter', 'openai/sora-2'));
    expect(error.param).toBe('model');
    expect(error.accepted).toContain('openai/sora-2-pro');
    expect(error.hint).toMatch(/Use one of: google\/veo-3.1/);
  });

  it.each([
    ['resolution', { resolution: '4K' }, ['720p', '1080p']],
    ['aspectRatio', { aspectRatio: '1:1' }, ['16:9', '9:16']],
    ['size', { size: '640x480' }, ['1280x720', '720x1280', '1920x1080', '1080x1920']],
    ['images.role', { images: [{ url: 'https://x/a.png', role: 'last_frame' as const }] }, []],
  ])('refuses %s outside the model list', async (param, extra, accepted) => {
    const model = param === 'images.role' ? 'openai/sora-2-pro' : 'google/veo-3.1';
    const error = await refusal(req('openrouter', model, extra));
    expect(error).toMatchObject({ param, accepted });
  });

  it('maps the unified fields to OpenRouter names', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('openrouter', 'google/veo-3.1', {
        duration: 8,
        resolution: '1080p',
        aspectRatio: '9:16',
        audio: true,
        seed: 7,
        images: [
          { data: png, mimeType: 'image/png' },
          { url: 'https://example.com/last.png' },
          { url: 'https://example.com/ref.png', role: 'reference' },
        ],
      }),
    );
    expect(body).toEqual({
      model: 'google/veo-3.1',
      prompt: 'a cat',
      duration: 8,
      resolution: '1080p',
      aspect_ratio: '9:16',
      generate_audio: true,
      seed: 7,
      frame_images: [
        {
          type: 'image_url',
          image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' },
          frame_type: 'first_frame',
        },
        {
          type: 'image_url',
          image_url: { url: 'https://example.com/last.png' },
          frame_type: 'last_frame',
        },
      ],
      input_references: [{ type: 'image_url', image_url: { url: 'https://example.com/ref.png' } }],
    });
  });

  it('refuses what OpenRouter has no field for', async () => {
    expect(await refusal(req('openrouter', 'google/veo-3.1', { count: 2 }))).toMatchObject({
      param: 'count',
      accepted: [1],
    });
    expect(
      await refusal(req('openrouter', 'google/veo-3.1', { negativePrompt: 'blur' })),
    ).toMatchObject({ param: 'negativePrompt', accepted: undefined });
  });
});

describe('imagerouter (spec catalog)', () => {
  it('refuses a duration the model would silently replace', async () => {
    const error = await refusal(req('imagerouter', 'google/veo-3.1', { duration: 5 }));
    expect(error).toMatchObject({ param: 'duration', accepted: [4, 6, 8] });
  });

  it('turns resolution and aspect ratio into a size the model offers', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('imagerouter', 'google/veo-3.1', {
        duration: 6,
        resolution: '1080p',
        aspectRatio: '9:16',
      }),
    );
    expect(body).toEqual({
      model: 'google/veo-3.1',
      prompt: 'a cat',
      seconds: 6,
      size: '1080x1920',
    });
    const error = await refusal(req('imagerouter', 'google/veo-3.1', { resolution: '480p' }));
    expect(error).toMatchObject({ param: 'size', value: '854x480' });
  });

  it('uploads image bytes as files and refuses image URLs', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('imagerouter', 'ir/test-video', {
        images: [{ data: png, mimeType: 'image/png', filename: 'a.png' }],
      }),
    );
    const files = (body as { 'image[]': File[] })['image[]'];
    expect(files[0]).toBeInstanceOf(File);
    expect(files[0]?.name).toBe('a.png');
    const error = await refusal(
      req('imagerouter', 'ir/test-video', { images: [{ url: 'https://example.com/a.png' }] }),
    );
    expect(error.message).toMatch(/uploaded image files/);
  });

  it('refuses seed (no such field) and silence from a model with native sound', async () => {
    expect(await refusal(req('imagerouter', 'google/veo-3.1', { seed: 1 }))).toMatchObject({
      param: 'seed',
    });
    expect(await refusal(req('imagerouter', 'google/veo-3.1', { audio: false }))).toMatchObject({
      param: 'audio',
      accepted: [true],
    });
  });
});

describe('fastrouter (spec catalog, two families)', () => {
  it('sends Sora seconds as text and a size', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('fastrouter', 'openai/sora-2', { duration: 8, resolution: '720p', aspectRatio: '9:16' }),
    );
    expect(body).toEqual({
      model: 'openai/sora-2',
      prompt: 'a cat',
      seconds: '8',
      size: '720x1280',
    });
    expect(await refusal(req('fastrouter', 'openai/sora-2', { size: '1792x1024' }))).toMatchObject({
      param: 'size',
      accepted: ['720x1280', '1280x720'],
    });
  });

  it('turns a size into resolution and aspect ratio for task models', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('fastrouter', 'google/veo3', { size: '1920x1080', duration: 8, audio: true }),
    );
    expect(body).toEqual({
      model: 'google/veo3',
      prompt: 'a cat',
      length: 8,
      resolution: '1080p',
      aspectRatio: '16:9',
      generateAudio: true,
    });
    expect(await refusal(req('fastrouter', 'google/veo3', { duration: 5 }))).toMatchObject({
      param: 'duration',
      accepted: [8],
    });
  });

  it('fills a resolution the model requires', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(req('fastrouter', 'bytedance/seedance'));
    expect(body).toMatchObject({ resolution: '720p' });
  });

  it('takes one image URL, never bytes; requires one for image-to-video models', async () => {
    expect(
      (await refusal(req('fastrouter', 'google/veo3', { images: [{ data: png }] }))).message,
    ).toMatch(/URLs only/);
    expect((await refusal(req('fastrouter', 'runway/runway-gen-4-turbo'))).message).toMatch(
      /image-to-video only/,
    );
    expect(await refusal(req('fastrouter', 'openai/sora-2', { audio: false }))).toMatchObject({
      param: 'audio',
    });
  });
});

describe('routmy (spec catalog)', () => {
  it('maps count, size, negative prompt and image bytes', async () => {
    const { reelkit } = setup();
    const { body } = await reelkit.prepareRequest(
      req('routmy', 'google/veo-3.1', {
        count: 2,
        size: '1920x1080',
        negativePrompt: 'blur',
        images: [{ data: png, mimeType: 'image/png' }],
        duration: 30,
      }),
    );
    expect(body).toEqual({
      model: 'google/veo-3.1',
      prompt: 'a cat',
      input_image: 'data:image/png;base64,iVBORw0KGgo=',
      duration: 30,
      resolution: '1920x1080',
      n: 2,
      negative_prompt: 'blur',
    });
  });

  it('refuses what the model cannot render', async () => {
    expect(await refusal(req('routmy', 'google/veo-3.1', { resolution: '4K' }))).toMatchObject({
      param: 'resolution',
      accepted: ['720p', '1080p'],
    });
    expect(await refusal(req('routmy', 'google/veo-3.1', { count: 5 }))).toMatchObject({
      param: 'count',
      accepted: [1, 2, 3, 4],
    });
    expect(await refusal(req('routmy', 'kling/kling-v2.1', { audio: true }))).toMatchObject({
      param: 'audio',
      accepted: [false],
    });
  });
});

describe('capability sources', () => {
  it('lets unknown models through where the list is not live', async () => {
    const { reelkit } = setup();
    const { body, capabilities } = await reelkit.prepareRequest(
      req('routmy', 'acme/brand-new-video-model', { duration: 99 }),
    );
    expect(capabilities).toBeUndefined();
    expect(body).toMatchObject({ duration: 99 });
  });

  it('checks nothing when off, and uses the catalog without requests when asked', async () => {
    const off = setup('off');
    await off.reelkit.prepareRequest(req('openrouter', 'google/veo-3.1', { duration: 5 }));
    expect(off.requests).toEqual([]);
    const catalog = setup('catalog');
    await caught(() =>
      catalog.reelkit.prepareRequest(req('openrouter', 'google/veo-3.1', { duration: 5 })),
    );
    expect(catalog.requests).toEqual([]);
    expect(
      (await catalog.reelkit.modelCapabilities('fastrouter', 'openai/sora-2'))?.durations,
    ).toEqual([4, 8, 12]);
  });
});
