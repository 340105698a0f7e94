import { describe, expect, it } from 'vitest';
import { checkObservedSequence, isLegalTransition } from '../../lifecycle.js';
import { openrouter } from './index.js';
import {
  computeSignature,
  ErrorResponse,
  idempotencyKey,
  judgeOpenRouter,
  openrouterLifecycle,
  OPENROUTER_CATALOG,
  parseSignatureHeader,
  pricePerSecond,
  signatureHeader,
  VideoGenerationRequest,
  VideoGenerationResponse,
  VideoModel,
  VideoModelsListResponse,
  VideoWebhookEvent,
} from './index.js';

// Bodies copied from OpenRouter's docs and spec (provider-apis.md §1).
const docs = {
  specRequest: {
    aspect_ratio: '16:9',
    duration: 8,
    model: 'google/veo-3.1',
    prompt: 'A serene mountain landscape at sunset',
    resolution: '720p',
  },
  guideSubmit: {
    id: 'abc123',
    polling_url: 'https://openrouter.ai/api/v1/videos/abc123',
    status: 'pending',
  },
  specSubmit: {
    generation_id: 'gen-xyz789',
    id: 'job-abc123',
    polling_url: '/api/v1/videos/job-abc123',
    status: 'pending',
  },
  guideCompleted: {
    id: 'abc123',
    generation_id: 'gen-1234567890-abcdef',
    polling_url: 'https://openrouter.ai/api/v1/videos/abc123',
    status: 'completed',
    unsigned_urls: ['https://openrouter.ai/api/v1/videos/abc123/content?index=0'],
    usage: { cost: 0.25, is_byok: false },
  },
  specCompleted: {
    id: 'job-abc123',
    polling_url: '/api/v1/videos/job-abc123',
    status: 'completed',
    unsigned_urls: ['https://storage.example.com/video.mp4'],
    usage: { cost: 0.5 },
  },
  specModels: {
    data: [
      {
        allowed_passthrough_parameters: [],
        canonical_slug: 'google/veo-3.1',
        created: 1700000000,
        description: 'Google video generation model',
        generate_audio: true,
        id: 'google/veo-3.1',
        name: 'Veo 3.1',
        pricing_skus: { generate: '0.50' },
        seed: null,
        supported_aspect_ratios: ['16:9'],
        supported_durations: [5, 8],
        supported_frame_images: ['first_frame', 'last_frame'],
        supported_resolutions: ['720p'],
        supported_sizes: null,
      },
    ],
  },
  guideModels: {
    data: [
      {
        id: 'google/veo-3.1',
        canonical_slug: 'google/veo-3.1',
        name: 'Google: Veo 3.1',
        description: '...',
        created: 1719792000,
        supported_resolutions: ['720p', '1080p'],
        supported_aspect_ratios: ['16:9', '9:16', '1:1'],
        supported_sizes: ['1280x720', '1920x1080'],
        pricing_skus: { 'per-video-second': '0.50', 'per-video-second-1080p': '0.75' },
        allowed_passthrough_parameters: ['output_config'],
      },
    ],
  },
  errors: [
    { error: { code: 400, message: 'Invalid request parameters' } },
    { error: { code: 401, message: 'Missing Authentication header' } },
    {
      error: {
        code: 402,
        message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
      },
    },
    { error: { code: 404, message: 'Resource not found' } },
    { error: { code: 429, message: 'Rate limit exceeded' } },
    { error: { code: 500, message: 'Internal Server Error' } },
    { error: { code: 502, message: 'Provider returned error' } },
  ],
  webhooks: [
    {
      type: 'video.generation.completed',
      created_at: '2026-04-24T12:00:00.000Z',
      data: {
        id: 'abc123',
        status: 'completed',
        generation_id: 'gen-xyz789',
        model: 'google/veo-3.1',
        unsigned_urls: ['https://openrouter.ai/api/v1/videos/abc123/content?index=0'],
        usage: { cost: 0.5, is_byok: false },
      },
    },
    {
      type: 'video.generation.failed',
      created_at: '2026-04-24T12:00:00.000Z',
      data: {
        id: 'abc123',
        status: 'failed',
        generation_id: 'gen-xyz789',
        model: 'google/veo-3.1',
        error: 'Content policy violation',
      },
    },
    {
      type: 'video.generation.cancelled',
      created_at: '2026-04-24T12:00:00.000Z',
      data: {
        id: 'abc123',
        status: 'cancelled',
        generation_id: 'gen-xyz789',
        model: 'google/veo-3.1',
        error: 'Job was cancelled',
      },
    },
    {
      type: 'video.generation.expired',
      created_at: '2026-04-24T12:00:00.000Z',
      data: {
        id: 'abc123',
        status: 'expired',
        generation_id: 'gen-xyz789',
        model: 'google/veo-3.1',
        error: 'Job exceeded maximum time to live',
      },
    },
  ],
};

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((i) => i.path.join('.')).sort();

describe('OpenRouter schemas accept the documented bodies', () => {
  it('the spec request example', () => {
    expect(VideoGenerationRequest.parse(docs.specRequest)).toEqual(docs.specRequest);
  });
  it.each([
    ['guide submit (absolute polling_url)', docs.guideSubmit],
    ['spec submit (relative polling_url, generation_id)', docs.specSubmit],
    ['guide completed', docs.guideCompleted],
    ['spec completed', docs.specCompleted],
  ])('%s', (_name, body) => {
    expect(VideoGenerationResponse.safeParse(body).success).toBe(true);
  });
  it.each(docs.errors.map((e) => [e.error.code, e] as const))('error %s', (_code, body) => {
    expect(ErrorResponse.safeParse(body).success).toBe(true);
  });
  it.each(docs.webhooks.map((w) => [w.type, w] as const))('webhook %s', (_type, body) => {
    expect(VideoWebhookEvent.parse(body)).toEqual(body);
  });
  it('a failed webhook whose generation_id and model are null ("may be null when a job fails early")', () => {
    const body = {
      ...docs.webhooks[1],
      data: { ...docs.webhooks[1]?.data, generation_id: null, model: null },
    };
    expect(VideoWebhookEvent.safeParse(body).success).toBe(true);
  });
  it('every model of our catalog', () => {
    for (const { model } of OPENROUTER_CATALOG) expect(VideoModel.parse(model)).toEqual(model);
  });
});

describe('documented model examples that contradict the official schema', () => {
  // The official VideoModel marks upscale_factor and creativity (and more) as required, yet its own
  // examples omit them. We follow the schema (the more authoritative source) and pin the gaps here.
  it('the spec models example lacks only upscale_factor and creativity', () => {
    expect(issuePaths(VideoModelsListResponse.safeParse(docs.specModels))).toEqual([
      'data.0.creativity',
      'data.0.upscale_factor',
    ]);
  });
  it('the guide models example lacks the capability flags the schema requires', () => {
    expect(issuePaths(VideoModelsListResponse.safeParse(docs.guideModels))).toEqual([
      'data.0.creativity',
      'data.0.generate_audio',
      'data.0.seed',
      'data.0.supported_durations',
      'data.0.supported_frame_images',
      'data.0.upscale_factor',
    ]);
  });
});

describe('OpenRouter schemas reject malformed bodies at the bad field', () => {
  it.each([
    ['status outside the enum', { ...docs.guideSubmit, status: 'done' }, ['status']],
    [
      'error as an object',
      { ...docs.guideSubmit, status: 'failed', error: { message: 'x' } },
      ['error'],
    ],
    ['usage.cost as a string', { ...docs.guideCompleted, usage: { cost: '0.25' } }, ['usage.cost']],
    ['missing polling_url', { id: 'a', status: 'pending' }, ['polling_url']],
    ['an unknown field', { ...docs.guideSubmit, progress: 50 }, ['']],
  ])('%s', (_name, body, paths) => {
    expect(issuePaths(VideoGenerationResponse.safeParse(body))).toEqual(paths);
  });
  it('request with a wrong duration type and resolution word', () => {
    const result = VideoGenerationRequest.safeParse({
      ...docs.specRequest,
      duration: '8',
      resolution: '720',
    });
    expect(issuePaths(result)).toEqual(['duration', 'resolution']);
  });
  it('frame image without frame_type', () => {
    const result = VideoGenerationRequest.safeParse({
      model: 'm',
      frame_images: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }],
    });
    expect(issuePaths(result)).toEqual(['frame_images.0.frame_type']);
  });
  it('error envelope with a string code', () => {
    expect(issuePaths(ErrorResponse.safeParse({ error: { code: '400', message: 'x' } }))).toEqual([
      'error.code',
    ]);
  });
});

describe('judgeOpenRouter', () => {
  it('accepts the spec example and resolves 1280x720 for 8 s', () => {
    const verdict = judgeOpenRouter(VideoGenerationRequest.parse(docs.specRequest));
    expect(verdict).toMatchObject({
      ok: true,
      generation: { durationSeconds: 8, width: 1280, height: 720 },
    });
  });
  it.each([
    ['an out-of-set duration', { duration: 5 }, 'duration', /supported: 4, 6, 8/],
    ['an unsupported resolution', { resolution: '4K' }, 'resolution', /supported: 720p, 1080p/],
    [
      'an unsupported aspect ratio',
      { aspect_ratio: '1:1' },
      'aspect_ratio',
      /supported: 16:9, 9:16/,
    ],
    ['a size outside the list', { size: '640x480' }, 'size', /supported: 1280x720/],
    ['an http callback', { callback_url: 'http://example.com/hook' }, 'callback_url', /HTTPS/],
    ['an unknown model', { model: 'acme/nope' }, 'model', /not a valid model ID/],
  ])('answers 400 for %s', (_name, change, param, message) => {
    const verdict = openrouter.judge({ model: 'google/veo-3.1', prompt: 'a cat', ...change });
    expect(verdict).toMatchObject({ ok: false, status: 400, param });
    expect(verdict.ok ? '' : verdict.message).toMatch(message);
  });
  it('takes size over resolution and defaults audio to the capability flag', () => {
    const verdict = judgeOpenRouter({ model: 'google/veo-3.1', prompt: 'x', size: '720x1280' });
    expect(verdict).toMatchObject({
      ok: true,
      generation: { width: 720, height: 1280, audio: true },
    });
  });
  it('requires a prompt unless frame images are given', () => {
    expect(judgeOpenRouter({ model: 'google/veo-3.1' })).toMatchObject({
      ok: false,
      param: 'prompt',
    });
    const withFrame = judgeOpenRouter({
      model: 'google/veo-3.1',
      frame_images: [
        { type: 'image_url', image_url: { url: 'https://x/y.png' }, frame_type: 'first_frame' },
      ],
    });
    expect(withFrame.ok).toBe(true);
  });
  it("follows the OpenAPI on prompt (required: [model]) and offers the reference page's reading as a switch", () => {
    // The API reference page and the skill say "Required: model, prompt"; OpenRouter's OpenAPI
    // requires only model and makes prompt optional for image-only generation (issue #11, item 7).
    expect(VideoGenerationRequest.shape.prompt.safeParse(undefined).success).toBe(true);
    const frames = [
      {
        type: 'image_url' as const,
        image_url: { url: 'https://x/y.png' },
        frame_type: 'first_frame' as const,
      },
    ];
    const request = { model: 'google/veo-3.1', frame_images: frames };
    expect(judgeOpenRouter(request).ok).toBe(true);
    expect(judgeOpenRouter(request, { promptRequired: true })).toMatchObject({
      ok: false,
      status: 400,
      param: 'prompt',
      message: 'prompt is required',
    });
    // The skill's own payload (model + prompt) passes either way.
    const skill = {
      model: 'google/veo-3.1',
      prompt: 'a golden retriever playing fetch on a sunny beach',
    };
    expect(judgeOpenRouter(skill, { promptRequired: true }).ok).toBe(true);
    expect(
      judgeOpenRouter(VideoGenerationRequest.parse(docs.specRequest), { promptRequired: true }).ok,
    ).toBe(true);
  });
  it('is what the provider spec judges with', () => {
    expect(openrouter.judge({ model: 'google/veo-3.1', prompt: 'a', duration: 5 })).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});

describe('pricing', () => {
  const veo = OPENROUTER_CATALOG[0]?.model as VideoModel;
  const kling = OPENROUTER_CATALOG.find((e) => e.model.id === 'kwaivgi/kling-v3.0-pro')
    ?.model as VideoModel;
  it('reads the docs SKU names', () => {
    expect(pricePerSecond(veo, { audio: false, resolution: '720p' })).toBe(0.5);
    expect(pricePerSecond(veo, { audio: true, resolution: '1080p' })).toBe(0.75);
  });
  it('reads the live fixture SKU names', () => {
    expect(pricePerSecond(kling, { audio: false, resolution: '720p' })).toBe(0.112);
    expect(pricePerSecond(kling, { audio: true, resolution: '720p' })).toBe(0.168);
  });
});

describe('openrouterLifecycle', () => {
  it('allows the documented paths and forbids leaving a terminal status', () => {
    expect(isLegalTransition(openrouterLifecycle, 'pending', 'in_progress')).toBe(true);
    expect(isLegalTransition(openrouterLifecycle, 'pending', 'completed')).toBe(true);
    expect(isLegalTransition(openrouterLifecycle, 'completed', 'in_progress')).toBe(false);
    expect(isLegalTransition(openrouterLifecycle, 'in_progress', 'pending')).toBe(false);
  });
  it('judges polled sequences', () => {
    expect(
      checkObservedSequence(openrouterLifecycle, [
        'pending',
        'pending',
        'in_progress',
        'completed',
      ]),
    ).toBeUndefined();
    expect(
      checkObservedSequence(openrouterLifecycle, ['pending', 'completed', 'failed']),
    ).toMatchObject({ index: 2, rule: "terminal status 'completed' changed to 'failed'" });
    expect(checkObservedSequence(openrouterLifecycle, ['in_progress', 'pending'])).toMatchObject({
      rule: "'pending' cannot follow 'in_progress'",
    });
    expect(checkObservedSequence(openrouterLifecycle, ['pending', 'succeeded'])).toMatchObject({
      rule: "'succeeded' is not a openrouter status",
    });
  });
});

describe('webhook signatures', () => {
  const rawBody = JSON.stringify(docs.webhooks[0]);
  it('sign "<t>,<body>" with a comma, in lowercase hex', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 'whsec_test')
      .update(`1714000000,${rawBody}`)
      .digest('hex');
    expect(computeSignature({ secret: 'whsec_test', timestamp: 1714000000, rawBody })).toBe(
      expected,
    );
    const dotted = createHmac('sha256', 'whsec_test').update(`1714000000.${rawBody}`).digest('hex');
    expect(expected).not.toBe(dotted);
  });
  it('format and parse the header', () => {
    const header = signatureHeader({ secret: 's', timestamp: 1714000000, rawBody });
    expect(header).toMatch(/^t=1714000000,v1=[0-9a-f]{64}$/);
    expect(parseSignatureHeader(header)).toMatchObject({ timestamp: 1714000000 });
    expect(parseSignatureHeader('v1=abc')).toBeUndefined();
    expect(parseSignatureHeader(`${header}zz`)).toBeUndefined();
    expect(parseSignatureHeader(`t=1714000000,v1=abc`)).toBeUndefined();
    expect(parseSignatureHeader(`${header},v1=${'f'.repeat(64)}`)?.signatures).toHaveLength(2);
  });
  it('key deliveries by job and status', () => {
    expect(idempotencyKey('job_test', 'completed')).toBe('job_test-completed');
  });
});
