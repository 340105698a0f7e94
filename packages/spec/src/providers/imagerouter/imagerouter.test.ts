import { describe, expect, it } from 'vitest';
import { checkObservedSequence, isLegalTransition } from '../../lifecycle.js';
import { generateOpenApiDocument } from '../../openapi/generate.js';
import { imagerouter } from './index.js';
import {
  capabilitiesOf,
  CreditsResponse,
  effectiveResponseFormat,
  ErrorResponse,
  findEntry,
  ForwardedErrorResponse,
  IMAGEROUTER_CATALOG,
  IMAGEROUTER_MESSAGES,
  imagerouterLifecycle,
  imagerouterRoutes,
  judgeImageRouter,
  Model,
  ModelsV1Query,
  ModelsV1Response,
  ModelsV2KeyedResponse,
  ModelsV2Query,
  ModelsV2Response,
  modelsV1Listing,
  modelsV2Listing,
  priceOf,
  toModelV2,
  uploadedImages,
  VideoGenerationMultipartRequest,
  VideoGenerationRequest,
  VideoGenerationResponse,
  VideoGenerationResult,
} from './index.js';
import type { CatalogEntry } from './index.js';

const BUNNY = 'https://thumb.imagerouter.io/big_buck_bunny_720p_1mb.mp4';
const image = (name = 'your_image1.webp', bytes = 16): File =>
  new File([new Uint8Array(bytes)], name, { type: 'image/webp' });

// Bodies copied from seeds/imagerouter-video-generation.txt and provider-apis.md §2.
const docs = {
  // curl -F ... (multipart fields arrive as text; files as File objects)
  multipartRequest: {
    prompt: 'YOUR_PROMPT',
    model: 'ir/test-video',
    size: 'auto',
    seconds: 'auto',
    response_format: 'url',
    'image[]': [image()],
  },
  jsonRequest: {
    prompt: 'YOUR_PROMPT',
    model: 'ir/test-video',
    size: 'auto',
    seconds: 'auto',
    response_format: 'url',
  },
  seedResponse: {
    created: 1769286389027,
    data: [{ url: 'https://storage.imagerouter.io/fffb4426-efbd-4bcc-87d5-47e6936bf0bb.mp4' }],
    latency: 6942,
    cost: 0.004,
  },
  // provider-apis.md §2.2 quotes the same page "truncated in the store".
  truncatedResponse: {
    created: 1769286389027,
    data: [{ url: 'https://storage.imagerouter.io/fffb4426-efbd-4bcc-87d5-47e6936bf0bb.mp4' }],
  },
  testVideoResponse: {
    created: 1769286389,
    data: [{ url: BUNNY, revised_prompt: null }],
    latency: 3,
    cost: 0,
  },
  moderation: {
    error: {
      type: 'image_generation_user_error',
      code: 'moderation_blocked',
      message: 'Request was rejected as a result of the safety system…',
      param: null,
    },
  },
  insufficientCredits: {
    error: { message: IMAGEROUTER_MESSAGES.insufficientCredits(1.6), type: 'internal_error' },
  },
  errors: [
    { error: { message: "model 'x' is not available", type: 'invalid_request_error' } },
    { error: { message: 'File upload error: File too large', type: 'invalid_request_error' } },
    {
      error: {
        message: 'Authorization header must be provided as Bearer token',
        type: 'unauthorized',
      },
    },
    { error: { message: 'Invalid API key', type: 'unauthorized' } },
    { error: { message: 'Invalid authorization token length: 12', type: 'unauthorized' } },
    {
      error: {
        message: "The model 'x' does not exist.",
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    },
    {
      error: {
        message: 'API key rate limit exceeded, please try again later.',
        type: 'rate_limit_error',
      },
    },
    { error: { message: 'Internal server error', type: 'internal_error' } },
  ],
  // provider-apis.md §2.7, computed from the repo's model definitions.
  v1Models: {
    'google/veo-3.1': {
      providers: [
        {
          id: 'gemini',
          model_name: 'veo-3.1-generate-preview',
          pricing: { type: 'calculated', range: { min: 1.6, average: 1.6, max: 3.2 } },
        },
        {
          id: 'vertex',
          model_name: 'veo-3.1-fast-generate-preview',
          pricing: { type: 'fixed', value: 1.2 },
        },
      ],
      release_date: '2025-10-15',
      sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      seconds: [4, 6, 8],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    'openai/sora-2': {
      providers: [
        {
          id: 'runware',
          model_name: 'openai:3@1',
          pricing: { type: 'post_generation', range: { min: 0.4, average: 0.4, max: 1.2 } },
        },
      ],
      release_date: '2025-09-30',
      sizes: ['1280x720', '720x1280'],
      seconds: [4, 8, 12],
      default_seconds: 4,
      output: ['video'],
      supported_params: { mask: false, quality: false, edit: true },
    },
    'ir/test-video': {
      providers: [
        { id: 'test', model_name: 'ir/test-video', pricing: { type: 'fixed', value: 0 } },
      ],
      release_date: '2025-05-04',
      seconds: [5],
      default_seconds: 5,
      output: ['video'],
      supported_params: { mask: true, quality: true, edit: true },
    },
  },
  // The code's /v2/models entry for veo-3.1 (size list elided in the reference; filled from sizes).
  v2CodeVeo: {
    release_date: '2025-10-15',
    inputs: {
      image: true,
      mask: false,
      quality: false,
      size: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
      seconds: [4, 6, 8],
    },
    output: ['video'],
    price: { min: 1.2, average: 1.6, max: 3.2 },
  },
  credits: { remaining_credits: '25.5000', credit_usage: '4.5000', total_deposits: '30.0000' },
  v2Queries: [
    'fields=name',
    'fields=name,aliases',
    'outputType=image&free=true&fields=aliases,inputs,output',
    'outputType=video&sort=date',
    'name=gemini',
    'inputType=image&outputType=image',
    'outputType=video&fields=price,inputs',
  ],
  v1Queries: ['type=image&sort=date&name=gemini', 'type=image&sort=date&limit=1000'],
};

const query = (qs: string) => Object.fromEntries(new URLSearchParams(qs));
const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((i) => i.path);
const firstMessage = (result: { error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('ImageRouter schemas accept the documented bodies', () => {
  it('the multipart (unified endpoint) request, with an image[] file', () => {
    const parsed = VideoGenerationMultipartRequest.parse(docs.multipartRequest);
    expect(parsed).toMatchObject({ model: 'ir/test-video', seconds: 'auto', quality: 'auto' });
    expect(parsed['image[]']).toHaveLength(1);
  });
  it('the JSON request (curl --json, fetch and requests examples share it)', () => {
    expect(VideoGenerationRequest.parse(docs.jsonRequest)).toEqual({
      ...docs.jsonRequest,
      quality: 'auto',
    });
  });
  it('a request with only a model, filling the documented defaults', () => {
    expect(VideoGenerationRequest.parse({ model: 'ir/test-video' })).toEqual({
      model: 'ir/test-video',
      response_format: 'url',
      quality: 'auto',
      size: 'auto',
      seconds: 'auto',
    });
  });
  it('multipart text seconds "8" is coerced to the number 8', () => {
    expect(
      VideoGenerationMultipartRequest.parse({ model: 'google/veo-3.1', seconds: '8' }).seconds,
    ).toBe(8);
  });
  it.each([
    ['the docs response (created in ms)', docs.seedResponse],
    ['the test-video response (created in seconds, revised_prompt null)', docs.testVideoResponse],
    [
      'a b64_json item',
      { ...docs.seedResponse, data: [{ b64_json: 'AAAA', revised_prompt: null }] },
    ],
  ])('%s', (_name, body) => {
    expect(VideoGenerationResponse.parse(body)).toEqual(body);
    expect(VideoGenerationResult.safeParse(body).success).toBe(true);
  });
  it.each(docs.errors.map((e) => [e.error.message, e] as const))('error "%s"', (_message, body) => {
    expect(ErrorResponse.parse(body)).toEqual(body);
  });
  it.each([
    ['moderation (project test, HTTP 200)', docs.moderation],
    ['insufficient credits (HTTP 200)', docs.insufficientCredits],
    [
      'image to a model without image input (HTTP 200)',
      { error: { message: IMAGEROUTER_MESSAGES.imageInputUnsupported, type: 'internal_error' } },
    ],
  ])('200 with an error body: %s', (_name, body) => {
    expect(ErrorResponse.safeParse(body).success).toBe(true);
    expect(VideoGenerationResult.safeParse(body).success).toBe(true);
  });
  it('a forwarded provider error keeps status and statusText beside the envelope', () => {
    const body = {
      status: 400,
      statusText: 'INVALID_ARGUMENT',
      error: { message: 'bad', type: 'INVALID_ARGUMENT' },
    };
    expect(ForwardedErrorResponse.parse(body)).toEqual(body);
    expect(VideoGenerationResult.safeParse(body).success).toBe(true);
    expect(ErrorResponse.safeParse(body).success).toBe(false);
  });
  it('the /v1/models listing of the reference, and our catalog reproduces it exactly', () => {
    expect(ModelsV1Response.parse(docs.v1Models)).toEqual(docs.v1Models);
    const ours = modelsV1Listing();
    for (const [id, model] of Object.entries(docs.v1Models)) expect(ours[id]).toEqual(model);
  });
  it('every catalog entry, in both listing shapes', () => {
    for (const entry of IMAGEROUTER_CATALOG) expect(Model.parse(entry.model)).toEqual(entry.model);
    expect(ModelsV2Response.parse(modelsV2Listing())).toHaveLength(IMAGEROUTER_CATALOG.length);
  });
  it("the code's /v2/models entry, and our v2 shape derives the same inputs and price", () => {
    expect(ModelsV2KeyedResponse.safeParse({ 'google/veo-3.1': docs.v2CodeVeo }).success).toBe(
      true,
    );
    const veo = findEntry('google/veo-3.1');
    expect(veo && toModelV2(veo)).toMatchObject(docs.v2CodeVeo);
    const test = findEntry('ir/test-video');
    expect(test && toModelV2(test)).toMatchObject({
      inputs: { size: ['custom'], seconds: [5] },
      price: { min: 0, average: 0, max: 0 },
    });
  });
  it('the credits example', () => {
    expect(CreditsResponse.parse(docs.credits)).toEqual(docs.credits);
  });
  it.each(docs.v2Queries)('the docs /v2/models query %s', (qs) => {
    expect(ModelsV2Query.safeParse(query(qs)).success).toBe(true);
  });
  it.each(docs.v1Queries)('the skill /v1/models query %s', (qs) => {
    expect(ModelsV1Query.parse(query(qs))).toMatchObject({ type: 'image' });
  });
});

describe('documented examples that contradict the schema', () => {
  it('the truncated docs response lacks only latency and cost, which the code always adds', () => {
    expect(issuePaths(VideoGenerationResponse.safeParse(docs.truncatedResponse))).toEqual([
      ['latency'],
      ['cost'],
    ]);
  });
  it("the code's keyed /v2/models object is not the docs' array (the docs are newer and win)", () => {
    expect(issuePaths(ModelsV2Response.safeParse({ 'google/veo-3.1': docs.v2CodeVeo }))).toEqual([
      [],
    ]);
  });
});

describe('ImageRouter schemas reject malformed bodies at the bad field', () => {
  it.each([
    ['created as a string', { ...docs.seedResponse, created: '1769286389027' }, [['created']]],
    ['a url that is a number', { ...docs.seedResponse, data: [{ url: 42 }] }, [['data', 0, 'url']]],
    [
      'an item with both url and b64_json',
      { ...docs.seedResponse, data: [{ url: 'u', b64_json: 'b' }] },
      [['data', 0]],
    ],
    [
      'an item with neither',
      { ...docs.seedResponse, data: [{ revised_prompt: null }] },
      [['data', 0]],
    ],
    [
      'an unknown item field',
      { ...docs.seedResponse, data: [{ url: 'u', size: 1 }] },
      [['data', 0]],
    ],
    ['a negative cost', { ...docs.seedResponse, cost: -1 }, [['cost']]],
  ])('response: %s', (_name, body, paths) => {
    expect(issuePaths(VideoGenerationResponse.safeParse(body))).toEqual(paths);
  });
  it('error envelope without type, and with an extra field', () => {
    expect(issuePaths(ErrorResponse.safeParse({ error: { message: 'x' } }))).toEqual([
      ['error', 'type'],
    ]);
    expect(
      issuePaths(ErrorResponse.safeParse({ error: { message: 'x', type: 't' }, ok: false })),
    ).toEqual([[]]);
  });
  it('credits as numbers', () => {
    const result = CreditsResponse.safeParse({ ...docs.credits, remaining_credits: 25.5 });
    expect(issuePaths(result)).toEqual([['remaining_credits']]);
  });
  it('a v1 model with an unknown pricing type', () => {
    const veo = docs.v1Models['google/veo-3.1'];
    const bad = {
      'google/veo-3.1': {
        ...veo,
        providers: [{ ...veo.providers[0], pricing: { type: 'per_second' } }],
      },
    };
    expect(issuePaths(ModelsV1Response.safeParse(bad))).toEqual([
      ['google/veo-3.1', 'providers', 0, 'pricing', 'type'],
    ]);
  });
  it('a v2 model without id', () => {
    expect(issuePaths(ModelsV2Response.safeParse([{ name: 'x' }]))).toEqual([[0, 'id']]);
  });
  it('a v2 query with an undocumented sort', () => {
    expect(issuePaths(ModelsV2Query.safeParse({ sort: 'popularity' }))).toEqual([['sort']]);
  });
});

describe("request validation answers with the router's own messages", () => {
  const base = { model: 'google/veo-3.1', prompt: 'a cat' };
  it.each([
    [
      'a prompt over 10,000 characters',
      { prompt: 'x'.repeat(10001) },
      ['prompt'],
      IMAGEROUTER_MESSAGES.promptTooLong,
    ],
    ['a prompt that is a number', { prompt: 5 }, ['prompt'], "'prompt' must be a string"],
    ['an empty model', { model: '' }, ['model'], "'model' is a required parameter"],
    ['a missing model', { model: undefined }, ['model'], 'Required'],
    ['a numeric model', { model: 7 }, ['model'], 'Expected string, received number'],
    [
      'an unknown response_format',
      { response_format: 'mp4' },
      ['response_format'],
      "Invalid enum value. Expected 'url' | 'b64_json' | 'b64_ephemeral', received 'mp4'",
    ],
    [
      'a null quality',
      { quality: null },
      ['quality'],
      "Expected 'auto' | 'low' | 'medium' | 'high', received null",
    ],
    ['a size with spaces', { size: '1024 x 768' }, ['size'], IMAGEROUTER_MESSAGES.sizeFormat],
    ['a size word', { size: '720p' }, ['size'], IMAGEROUTER_MESSAGES.sizeFormat],
    ['seconds 0', { seconds: 0 }, ['seconds'], "'seconds' must be at least 1"],
    ['seconds "61"', { seconds: '61' }, ['seconds'], "'seconds' must be 60 or less"],
    ['seconds "abc" (zod union failure)', { seconds: 'abc' }, ['seconds'], 'Invalid input'],
  ])('%s', (_name, change, path, message) => {
    const result = VideoGenerationRequest.safeParse({ ...base, ...change });
    expect(issuePaths(result)[0]).toEqual(path);
    expect(firstMessage(result)).toBe(message);
  });
  it('accepts every size separator the router accepts', () => {
    for (const size of ['1280x720', '1280X720', '1280×720', '1280*720']) {
      expect(VideoGenerationRequest.safeParse({ ...base, size }).success).toBe(true);
    }
  });
  it('reports the first bad field in the order the router validates them', () => {
    const result = VideoGenerationRequest.safeParse({ model: '', seconds: 99, size: 'big' });
    expect(firstMessage(result)).toBe("'model' is a required parameter");
  });
  it('multipart: a text value under image[] and a file over 25 MB', () => {
    expect(
      issuePaths(
        VideoGenerationMultipartRequest.safeParse({ ...base, 'image[]': ['https://x/y.png'] }),
      ),
    ).toEqual([['image[]', 0]]);
    const big = VideoGenerationMultipartRequest.safeParse({
      ...base,
      image: [image('big.png', 25 * 1024 * 1024 + 1)],
    });
    expect(issuePaths(big)).toEqual([['image', 0]]);
    expect(firstMessage(big)).toBe('File upload error: File too large');
  });
  it('multipart: more than 16 images', () => {
    const many = Array.from({ length: 17 }, () => image());
    expect(
      issuePaths(VideoGenerationMultipartRequest.safeParse({ ...base, 'image[]': many })),
    ).toEqual([['image[]']]);
  });
});

describe('judgeImageRouter', () => {
  const ok = (verdict: ReturnType<typeof judgeImageRouter>) => {
    if (!verdict.ok) throw new Error(`expected ok, got ${verdict.status} ${verdict.message}`);
    return verdict.generation;
  };

  it('the docs request on ir/test-video: 5 s of the 1280x720 clip', () => {
    const generation = ok(judgeImageRouter(docs.multipartRequest));
    expect(generation).toMatchObject({
      model: 'ir/test-video',
      durationSeconds: 5,
      width: 1280,
      height: 720,
      count: 1,
    });
    expect(generation.adjustments).toContain("seconds 'auto' resolved to default_seconds 5");
  });
  it("answers 400 model '<id>' is not available for an unknown model", () => {
    expect(judgeImageRouter({ model: 'acme/nope' })).toEqual({
      ok: false,
      status: 400,
      message: "model 'acme/nope' is not available",
      type: 'invalid_request_error',
    });
  });
  it('answers 400 for an image model on the video endpoint', () => {
    expect(judgeImageRouter({ model: 'test/test' })).toMatchObject({
      status: 400,
      message: "'test/test' is an image model. Please use the image generation endpoint.",
    });
  });
  it('answers 400 with the validation message of a bad field', () => {
    expect(judgeImageRouter({ model: 'google/veo-3.1', seconds: 61 })).toMatchObject({
      ok: false,
      status: 400,
      message: "'seconds' must be 60 or less",
      type: 'invalid_request_error',
    });
  });
  it('resolves a kwaivgi alias to the kling id', () => {
    const generation = ok(judgeImageRouter({ model: 'kwaivgi/kling-2.5-turbo-pro' }));
    expect(generation).toMatchObject({
      model: 'kling/kling-2.5-turbo-pro',
      durationSeconds: 5,
      width: 1920,
      height: 1080,
    });
  });
  it.each([
    ['a supported number', 8, 8],
    ['a supported number as multipart text', '6', 6],
    ["'auto'", 'auto', 4],
    ['an unsupported number (silent fallback)', 7, 4],
    ['an unsupported number as text', '60', 4],
  ])('seconds: %s', (_name, seconds, expected) => {
    const generation = ok(judgeImageRouter({ model: 'google/veo-3.1', seconds }));
    expect(generation.durationSeconds).toBe(expected);
  });
  it('records the silent seconds fallback as an adjustment', () => {
    const generation = ok(judgeImageRouter({ model: 'google/veo-3.1', seconds: 7 }));
    expect(generation.adjustments).toContain(
      'seconds 7 is not offered by google/veo-3.1 (4, 6, 8); default_seconds 4 used',
    );
  });
  it.each([
    ['auto → first size', 'google/veo-3.1', 'auto', [1280, 720]],
    ['auto → first size (kling)', 'kling/kling-2.5-turbo-pro', 'auto', [1920, 1080]],
    ['a listed size with * separator', 'google/veo-3.1', '1920*1080', [1920, 1080]],
    ['a portrait size', 'openai/sora-2', '720x1280', [720, 1280]],
    [
      'an unlisted size falls back to the default (provisional)',
      'openai/sora-2',
      '1920x1080',
      [1280, 720],
    ],
    ['ir/test-video ignores size', 'ir/test-video', '640x480', [1280, 720]],
  ])('size: %s', (_name, model, size, [width, height]) => {
    expect(ok(judgeImageRouter({ model, size }))).toMatchObject({ width, height });
  });
  it('uses only the first of several images and ignores an image URL string', () => {
    const generation = ok(
      judgeImageRouter({ model: 'google/veo-3.1', 'image[]': [image(), image()] }),
    );
    expect(generation.adjustments).toContain('only the first of 2 images is used');
    const fromJson = ok(
      judgeImageRouter({ model: 'google/veo-3.1', image: 'https://example.com/your_image.jpg' }),
    );
    expect(fromJson.adjustments).toContain('image ignored: not an uploaded file the router reads');
  });
  it('an image to a model without image input fails with HTTP 200 and an error body', () => {
    const textOnly: CatalogEntry = {
      id: 'acme/text-only',
      model: {
        ...docs.v1Models['openai/sora-2'],
        output: ['video'],
        providers: [{ id: 'runware', model_name: 'acme:1', pricing: { type: 'fixed', value: 1 } }],
        supported_params: { mask: false, quality: false, edit: false },
      },
      aliases: [],
      audio: false,
      provenance: { level: 'provisional', source: 'test' },
    };
    const verdict = judgeImageRouter(
      { model: 'acme/text-only', 'image[]': [image()] },
      { catalog: [textOnly] },
    );
    expect(verdict).toEqual({
      ok: false,
      status: 200,
      message: 'This model does not support image inputs',
      type: 'internal_error',
    });
    expect(judgeImageRouter({ model: 'acme/text-only' }, { catalog: [textOnly] }).ok).toBe(true);
  });
  it('notes that test models ignore response_format and models without quality ignore it', () => {
    const test = ok(judgeImageRouter({ model: 'ir/test-video', response_format: 'b64_json' }));
    expect(test.adjustments).toContain(
      'response_format b64_json ignored: test models always return a url',
    );
    const veo = ok(judgeImageRouter({ model: 'google/veo-3.1', quality: 'high' }));
    expect(veo.adjustments).toContain(
      'quality high ignored: google/veo-3.1 does not apply quality',
    );
    const entry = findEntry('google/veo-3.1');
    expect(entry && effectiveResponseFormat(entry, 'b64_ephemeral')).toBe('b64_ephemeral');
  });
  it('uploadedImages prefers image over image[] like the router', () => {
    const first = image('first.png');
    const result = uploadedImages({ image: [first], 'image[]': [image('second.png')] });
    expect(result.files).toEqual([first]);
    expect(result.ignored).toEqual(['image[]']);
  });
  it('the provider judge is the same function', () => {
    expect(imagerouter.judge({ model: 'acme/nope' })).toMatchObject({ status: 400 });
  });
});

describe('prices and capabilities', () => {
  it.each([
    ['ir/test-video', 'auto', 0],
    ['google/veo-3.1', 8, 3.2],
    ['google/veo-3.1', 'auto', 1.6],
    ['google/veo-3.1', 7, 1.6],
    ['google/veo-3.1-fast', 6, 0.9],
    ['openai/sora-2', 12, 0.4],
    ['openai/sora-2-pro', 4, 1.2],
    ['kwaivgi/kling-2.5-turbo-pro', 10, 0.35],
  ] as const)('priceOf(%s, %s) = %s', (model, seconds, usd) => {
    expect(priceOf(model, seconds)).toBe(usd);
  });
  it('priceOf an unknown model is undefined', () => {
    expect(priceOf('acme/nope', 5)).toBeUndefined();
  });
  it('capabilities follow the catalog', () => {
    const test = findEntry('ir/test-video');
    expect(test && capabilitiesOf(test)).toMatchObject({
      durations: [5],
      defaultDuration: 5,
      defaultSize: '1280x720',
      imageInput: true,
    });
    expect(test && capabilitiesOf(test).sizes).toBeUndefined();
    const veo = findEntry('google/veo-3.1');
    expect(veo && capabilitiesOf(veo)).toMatchObject({
      defaultSize: '1280x720',
      pricePerSecond: { base: 0.4 },
      audio: true,
    });
    expect(imagerouter.models.map((m) => m.id)).toEqual(IMAGEROUTER_CATALOG.map((e) => e.id));
  });
});

describe('imagerouterLifecycle (implicit, synchronous)', () => {
  it.each([
    ['rendering', 'succeeded', true],
    ['rendering', 'failed', true],
    ['succeeded', 'failed', false],
    ['failed', 'rendering', false],
  ] as const)('%s → %s legal: %s', (from, to, legal) => {
    expect(isLegalTransition(imagerouterLifecycle, from, to)).toBe(legal);
  });
  it('maps to the canonical lifecycle', () => {
    expect(imagerouterLifecycle.canonical).toEqual({
      rendering: 'in_progress',
      succeeded: 'completed',
      failed: 'failed',
    });
  });
  it('judges observed sequences', () => {
    expect(
      checkObservedSequence(imagerouterLifecycle, ['rendering', 'rendering', 'succeeded']),
    ).toBeUndefined();
    expect(checkObservedSequence(imagerouterLifecycle, ['rendering', 'failed'])).toBeUndefined();
    expect(checkObservedSequence(imagerouterLifecycle, ['succeeded', 'failed'])).toMatchObject({
      index: 1,
    });
    expect(checkObservedSequence(imagerouterLifecycle, ['queued'])).toMatchObject({ index: 0 });
  });
});

describe('routes and OpenAPI', () => {
  const doc = generateOpenApiDocument(imagerouter);
  it('declares the documented statuses', () => {
    const statuses = Object.fromEntries(
      Object.entries(imagerouterRoutes).map(([key, route]) => [
        key,
        Object.keys(route.responses).map(Number),
      ]),
    );
    expect(statuses).toEqual({
      createVideo: [200, 400, 401, 403, 429, 500],
      listModelsV1: [200, 400, 429, 500],
      getModelV1: [200, 404, 429, 500],
      listModelsV2: [200, 400, 429, 500],
      getModelV2: [200, 404, 429, 500],
      getCredits: [200, 401, 429, 500],
    });
  });
  it('uses the error envelope for every error status and retry-after on 429', () => {
    for (const route of Object.values(imagerouterRoutes)) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (Number(status) >= 400) expect(response.schema).toBe(ErrorResponse);
        if (status === '429')
          expect(Object.keys(response.headers?.shape ?? {})).toContain('retry-after');
      }
    }
  });
  it('renders both encodings and the uploads as binary strings', () => {
    const body = doc.paths?.['/v1/openai/videos/generations']?.post?.requestBody;
    expect(Object.keys((body && 'content' in body ? body.content : {}) ?? {})).toEqual([
      'application/json',
      'multipart/form-data',
    ]);
    const multipart = doc.components?.schemas?.['ImageRouterVideoGenerationMultipartRequest'] as {
      properties: Record<string, unknown>;
    };
    expect(multipart.properties['image[]']).toMatchObject({
      type: 'array',
      items: { type: 'string', format: 'binary' },
    });
  });
  it('serves full paths with an empty basePath', () => {
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/v1/credits',
      '/v1/models',
      '/v1/models/{modelId}',
      '/v1/openai/videos/generations',
      '/v2/models',
      '/v2/models/{modelId}',
    ]);
  });
});
