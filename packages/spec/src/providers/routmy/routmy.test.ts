import { describe, expect, it } from 'vitest';
import { declaredStatuses } from '../../define.js';
import { checkObservedSequence, isLegalTransition } from '../../lifecycle.js';
import { provenanceOf } from '../../provenance.js';
import { fullPath } from '../../provider.js';
import type { Judgement, ResolvedGeneration } from '../../provider.js';
import { generateOpenApiDocument } from '../../openapi/generate.js';
import {
  capabilitiesOf,
  chargedQuotaTokens,
  findRoutMyModel,
  judgeRoutMy,
  ownedBy,
  QUOTA_COEFFICIENTS,
  quotaTokens,
  resolutionClass,
  routmy,
  routmyErrorBody,
  routmyLifecycle,
  routmyRoutes,
  ROUTMY_CATALOG,
  ROUTMY_ERROR_KINDS,
  RoutMyErrorResponse,
  RoutMyModel,
  RoutMyModelLimits,
  RoutMyModelsListResponse,
  RoutMyVideoRequest,
  RoutMyVideoResponse,
  worstCaseQuotaTokens,
} from './index.js';
import type { RoutMyCatalogEntry, RoutMyVideoRequest as Request } from './index.js';

// Bodies copied verbatim from rout.my's docs (seeds/routmy-video.txt, provider-apis.md §4,
// https://docs.rout.my/models, https://docs.rout.my/api/errors).
const docs = {
  textToVideo: {
    model: 'provider/video-model-id',
    prompt: 'A slow camera move across a glass cube on a white table',
    duration: 5,
    resolution: '720p',
    aspect_ratio: '16:9',
    n: 1,
  },
  imageToVideo: {
    model: 'provider/video-model-id',
    prompt: {
      text: 'Animate this product with a slow turntable movement.',
      image: 'https://example.com/source.png',
    },
    duration: 5,
    resolution: '720p',
  },
  videoEditing: {
    model: 'provider/video-model-id',
    prompt: 'Make the camera movement smoother and keep the same subject.',
    input_video: 'https://example.com/source.mp4',
    duration: 5,
    resolution: '720p',
  },
  response: {
    created: 1744000000,
    model: 'provider/video-model-id',
    duration: 5,
    videos: [{ url: 'https://api.rout.my/public/media/generated.mp4', mime_type: 'video/mp4' }],
  },
  models: {
    object: 'list',
    data: [
      {
        id: 'provider/model-id',
        object: 'model',
        created: 1700000000,
        owned_by: 'provider',
        token_multiplier: 1,
        is_available: true,
      },
    ],
  },
  error: {
    error: { message: 'Invalid request body', type: 'invalid_request_error', code: 'Bad Request' },
  },
} as const;

const request = (body: Record<string, unknown>): Request => RoutMyVideoRequest.parse(body);
const judge = (body: Record<string, unknown>, options?: Parameters<typeof judgeRoutMy>[1]) =>
  judgeRoutMy(request(body), options);

function generationOf(verdict: Judgement): ResolvedGeneration {
  if (!verdict.ok) throw new Error(`expected success, got ${verdict.status}: ${verdict.message}`);
  return verdict.generation;
}

function failureOf(verdict: Judgement): Extract<Judgement, { ok: false }> {
  if (verdict.ok) throw new Error('expected an error, got a generation');
  return verdict;
}

function issuePaths(
  schema: { safeParse: (v: unknown) => { error?: { issues: { path: PropertyKey[] }[] } } },
  value: unknown,
) {
  return schema.safeParse(value).error?.issues.map((i) => i.path);
}

const entry = (id: string): RoutMyCatalogEntry => {
  const found = findRoutMyModel(id);
  if (!found) throw new Error(`${id} is not in the catalog`);
  return found;
};

describe('rout.my documented examples', () => {
  it.each([
    ['text-to-video request', docs.textToVideo],
    ['image-to-video request (prompt object)', docs.imageToVideo],
    ['video editing request (input_video)', docs.videoEditing],
  ])('accepts the %s', (_name, body) => {
    expect(RoutMyVideoRequest.safeParse(body).success).toBe(true);
  });

  it('accepts the documented success response', () => {
    expect(RoutMyVideoResponse.parse(docs.response)).toEqual(docs.response);
  });

  it('accepts the documented models list and its entry', () => {
    expect(RoutMyModelsListResponse.parse(docs.models)).toEqual(docs.models);
    expect(RoutMyModel.safeParse(docs.models.data[0]).success).toBe(true);
  });

  it('accepts the documented error body (errors page)', () => {
    expect(RoutMyErrorResponse.parse(docs.error)).toEqual(docs.error);
  });

  it('accepts every field of the request table at once', () => {
    const all = {
      ...docs.textToVideo,
      input_image: 'https://example.com/a.png',
      input_image_b64: 'iVBORw0KGgo=',
      image: 'data:image/png;base64,iVBORw0KGgo=',
      image_url: 'https://example.com/a.png',
      input_image_url: 'https://example.com/a.png',
      input_video: 'https://example.com/a.mp4',
      input_video_b64: 'AAAAIGZ0eXA=',
      audio: true,
      quality: 'pro',
      negative_prompt: 'blur',
      seed: 42,
      provider_options: { personGeneration: 'allow_adult' },
      user: 'user-1',
    };
    expect(RoutMyVideoRequest.parse(all)).toEqual(all);
  });

  it('lets the documented examples through the judge unchanged', () => {
    for (const body of [docs.textToVideo, docs.imageToVideo, docs.videoEditing]) {
      const g = generationOf(judge(body));
      expect(g).toMatchObject({ model: 'provider/video-model-id', durationSeconds: 5, count: 1 });
      expect([g.width, g.height]).toEqual([1280, 720]);
      expect(g.adjustments).toEqual([]);
    }
  });

  it('serves the docs placeholder model with the documented example values', () => {
    const m = entry('provider/video-model-id').model;
    expect(m).toMatchObject({ object: 'model', created: 1700000000, token_multiplier: 1 });
  });
});

describe('rout.my schemas reject malformed bodies at the bad field', () => {
  it.each([
    ['missing model', { prompt: 'a cat' }, ['model']],
    ['missing prompt', { model: 'google/veo-3.1' }, ['prompt']],
    ['prompt object without text', { model: 'm', prompt: { image: 'x' } }, ['prompt']],
    ['duration as a string', { model: 'm', prompt: 'p', duration: '5' }, ['duration']],
    ['fractional n', { model: 'm', prompt: 'p', n: 1.5 }, ['n']],
    ['audio as a string', { model: 'm', prompt: 'p', audio: 'yes' }, ['audio']],
    ['fractional seed', { model: 'm', prompt: 'p', seed: 0.5 }, ['seed']],
    [
      'provider_options as an array',
      { model: 'm', prompt: 'p', provider_options: [] },
      ['provider_options'],
    ],
  ])('request: %s', (_name, body, path) => {
    expect(issuePaths(RoutMyVideoRequest, body)).toEqual([path]);
  });

  it('request: ignores unknown fields (routers ignore them)', () => {
    expect(RoutMyVideoRequest.safeParse({ ...docs.textToVideo, style: 'noir' }).success).toBe(true);
  });

  it('response: a video without url', () => {
    const body = { ...docs.response, videos: [{ mime_type: 'video/mp4' }] };
    expect(issuePaths(RoutMyVideoResponse, body)).toEqual([['videos', 0, 'url']]);
  });

  it('response: an extra field is a bug (strict)', () => {
    const result = RoutMyVideoResponse.safeParse({ ...docs.response, status: 'completed' });
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: [] });
  });

  it('response: created must be an integer', () => {
    expect(issuePaths(RoutMyVideoResponse, { ...docs.response, created: 'now' })).toEqual([
      ['created'],
    ]);
  });

  it('models: wrong list object word', () => {
    expect(issuePaths(RoutMyModelsListResponse, { ...docs.models, object: 'models' })).toEqual([
      ['object'],
    ]);
  });

  it('models: is_available as a string', () => {
    const body = { object: 'list', data: [{ ...docs.models.data[0], is_available: 'true' }] };
    expect(issuePaths(RoutMyModelsListResponse, body)).toEqual([['data', 0, 'is_available']]);
  });

  it('models: entry object must be "model"', () => {
    const body = { object: 'list', data: [{ ...docs.models.data[0], object: 'video' }] };
    expect(issuePaths(RoutMyModelsListResponse, body)).toEqual([['data', 0, 'object']]);
  });

  it('error: missing type', () => {
    const body = { error: { message: 'x', code: 'Bad Request' } };
    expect(issuePaths(RoutMyErrorResponse, body)).toEqual([['error', 'type']]);
  });

  it('error: a bare string is not the envelope', () => {
    expect(issuePaths(RoutMyErrorResponse, { error: 'Invalid request body' })).toEqual([['error']]);
  });

  it('error: accepts the provisional param and error_id', () => {
    const body = { error: { ...docs.error.error, param: null, error_id: 'err_123' } };
    expect(RoutMyErrorResponse.safeParse(body).success).toBe(true);
  });
});

describe('rout.my catalog', () => {
  it('validates every entry and its limits', () => {
    for (const e of ROUTMY_CATALOG) {
      expect(RoutMyModel.safeParse(e.model).success, e.model.id).toBe(true);
      expect(RoutMyModelLimits.safeParse(e.limits).success, e.model.id).toBe(true);
      const { minDuration, maxDuration, defaultDuration } = e.limits;
      expect(minDuration <= defaultDuration && defaultDuration <= maxDuration, e.model.id).toBe(
        true,
      );
      expect(e.limits.resolutions).toContain(e.limits.defaultResolution);
    }
  });

  it('has unique ids and owned_by inferred from the id', () => {
    const ids = ROUTMY_CATALOG.map((e) => e.model.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of ROUTMY_CATALOG) expect(e.model.owned_by).toBe(ownedBy(e.model.id));
    expect(ownedBy('google/veo-3.1')).toBe('google');
  });

  it('marks invented entries provisional', () => {
    for (const e of ROUTMY_CATALOG.filter((x) => x.model.id !== 'provider/video-model-id')) {
      expect(e.provenance.level, e.model.id).toBe('provisional');
    }
  });

  it('has at least one locked model to exercise the 403', () => {
    expect(ROUTMY_CATALOG.some((e) => !e.model.is_available)).toBe(true);
  });

  it('maps entries to capabilities without a duration list (rout.my clamps instead)', () => {
    const caps = capabilitiesOf(entry('google/veo-3.1'));
    expect(caps).toMatchObject({
      id: 'google/veo-3.1',
      defaultDuration: 8,
      defaultSize: '1280x720',
    });
    expect(caps.durations).toBeUndefined();
    expect(routmy.models).toHaveLength(ROUTMY_CATALOG.length);
  });
});

describe('judgeRoutMy', () => {
  it('answers an unknown model with 404 model_not_found', () => {
    const f = failureOf(judge({ model: 'nope/video', prompt: 'a cat' }));
    expect(f).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect(f.message).toContain('/v1/models');
  });

  it('answers a locked model (is_available false) with 403', () => {
    const f = failureOf(judge({ model: 'openai/sora-2-pro', prompt: 'a cat' }));
    expect(f).toMatchObject({ status: 403, code: 'Forbidden', param: 'model' });
  });

  it('follows the caller plan when one is given', () => {
    const unlocked = judge(
      { model: 'openai/sora-2-pro', prompt: 'a cat' },
      { isAvailable: () => true },
    );
    expect(unlocked.ok).toBe(true);
    const locked = judge(
      { model: 'google/veo-3.1', prompt: 'a cat' },
      { isAvailable: () => false },
    );
    expect(failureOf(locked).status).toBe(403);
  });

  it('clamps a duration above the maximum and says so ("Maximum is clamped server-side")', () => {
    const g = generationOf(judge({ model: 'google/veo-3.1', prompt: 'a cat', duration: 20 }));
    expect(g.durationSeconds).toBe(8);
    expect(g.adjustments).toEqual(['duration 20 clamped to 8 (maximum for google/veo-3.1)']);
  });

  it('raises a duration below the minimum (provisional)', () => {
    const g = generationOf(judge({ model: 'kling/kling-v2.1', prompt: 'a cat', duration: 2 }));
    expect(g.durationSeconds).toBe(5);
    expect(g.adjustments).toEqual(['duration 2 clamped to 5 (minimum for kling/kling-v2.1)']);
  });

  it('uses the model default when duration is missing', () => {
    const g = generationOf(judge({ model: 'openai/sora-2', prompt: 'a cat' }));
    expect(g.durationSeconds).toBe(4);
    expect(g.adjustments).toEqual(['duration defaulted to 4']);
  });

  it.each([0, -3])('rejects a non-positive duration (%s) with 400', (duration) => {
    const f = failureOf(judge({ model: 'google/veo-3.1', prompt: 'a cat', duration }));
    expect(f).toMatchObject({ status: 400, param: 'duration', code: 'Bad Request' });
  });

  it('generates n videos', () => {
    expect(generationOf(judge({ ...docs.textToVideo, n: 3 })).count).toBe(3);
    expect(failureOf(judge({ ...docs.textToVideo, n: 5 }))).toMatchObject({
      status: 400,
      param: 'n',
    });
    expect(failureOf(judge({ ...docs.textToVideo, n: 0 }))).toMatchObject({
      status: 400,
      param: 'n',
    });
  });

  it('turns resolution words and aspect ratios into pixels', () => {
    const g = generationOf(
      judge({ model: 'google/veo-3.1', prompt: 'p', resolution: '1080p', aspect_ratio: '9:16' }),
    );
    expect([g.width, g.height]).toEqual([1080, 1920]);
    const k = generationOf(judge({ ...docs.textToVideo, resolution: '4k' }));
    expect([k.width, k.height]).toEqual([3840, 2160]);
  });

  it('takes WIDTHxHEIGHT as exact dimensions and ignores aspect_ratio then', () => {
    const g = generationOf(judge({ ...docs.textToVideo, resolution: '1024x576' }));
    expect([g.width, g.height]).toEqual([1024, 576]);
    expect(g.adjustments).toEqual(['aspect_ratio 16:9 ignored: resolution gives exact dimensions']);
  });

  it('rejects resolutions it cannot read or the model does not render', () => {
    expect(failureOf(judge({ ...docs.textToVideo, resolution: 'HD' }))).toMatchObject({
      status: 400,
      param: 'resolution',
    });
    expect(
      failureOf(judge({ model: 'google/veo-3.1', prompt: 'p', resolution: '4K' })),
    ).toMatchObject({ status: 400, param: 'resolution' });
    expect(
      failureOf(judge({ model: 'google/veo-3.1', prompt: 'p', resolution: '3840x2160' })),
    ).toMatchObject({ status: 400, param: 'resolution' });
  });

  it('rejects an aspect ratio the model does not offer', () => {
    const f = failureOf(judge({ model: 'google/veo-3.1', prompt: 'p', aspect_ratio: '1:1' }));
    expect(f).toMatchObject({ status: 400, param: 'aspect_ratio' });
  });

  it('rejects an empty prompt, unknown quality, audio on a silent model', () => {
    expect(failureOf(judge({ ...docs.textToVideo, prompt: '  ' }))).toMatchObject({
      param: 'prompt',
    });
    expect(failureOf(judge({ ...docs.textToVideo, quality: 'ultra' }))).toMatchObject({
      param: 'quality',
    });
    expect(failureOf(judge({ model: 'kling/kling-v2.1', prompt: 'p', audio: true }))).toMatchObject(
      {
        status: 400,
        param: 'audio',
      },
    );
  });

  it('rejects a source video for a model without edit mode, naming the field used', () => {
    const f = failureOf(judge({ model: 'google/veo-3.1', prompt: 'p', input_video_b64: 'AAAA' }));
    expect(f).toMatchObject({ status: 400, param: 'input_video_b64' });
  });

  it('accepts every image alias as image input', () => {
    for (const field of [
      'input_image',
      'input_image_b64',
      'image',
      'image_url',
      'input_image_url',
    ]) {
      expect(
        judge({ model: 'kling/kling-v2.1', prompt: 'p', [field]: 'https://example.com/a.png' }).ok,
      ).toBe(true);
    }
  });

  it('defaults audio to what the model renders; audio:false turns it off', () => {
    expect(generationOf(judge({ model: 'google/veo-3.1', prompt: 'p' })).audio).toBe(true);
    expect(generationOf(judge({ model: 'google/veo-3.1', prompt: 'p', audio: false })).audio).toBe(
      false,
    );
    expect(generationOf(judge({ model: 'kling/kling-v2.1', prompt: 'p' })).audio).toBe(false);
  });

  it('ignores a seed the model cannot use ("when supported")', () => {
    const g = generationOf(judge({ model: 'openai/sora-2', prompt: 'p', seed: 7, duration: 4 }));
    expect(g.adjustments).toEqual(['seed ignored: openai/sora-2 does not support a seed']);
  });

  it('answers 429 when the worst-case estimate exceeds the remaining quota', () => {
    // 5 s × 60,000 × 720p 1.0 × audio missing 1.3 × quality missing 1.5 × n 1 × multiplier 1
    const estimate = 585_000;
    expect(judge(docs.textToVideo, { remainingTokens: estimate }).ok).toBe(true);
    const f = failureOf(judge(docs.textToVideo, { remainingTokens: estimate - 1 }));
    expect(f).toMatchObject({ status: 429, code: 'Too Many Requests', type: 'rate_limit_error' });
    expect(f.message).toContain(String(estimate));
  });

  it('checks the model before the quota', () => {
    expect(failureOf(judge({ model: 'x/y', prompt: 'p' }, { remainingTokens: 0 })).status).toBe(
      404,
    );
  });

  it('is what the provider declaration runs, parsing the raw body first', () => {
    expect(routmy.judge({ ...docs.textToVideo })).toEqual(judge(docs.textToVideo));
    expect(() => routmy.judge({ prompt: 'no model' })).toThrow();
  });
});

describe('rout.my error bodies', () => {
  it('builds a schema-valid body from every judged error', () => {
    const failures = [
      judge({ model: 'x/y', prompt: 'p' }),
      judge({ model: 'openai/sora-2-pro', prompt: 'p' }),
      judge({ ...docs.textToVideo, quality: 'ultra' }),
      judge(docs.textToVideo, { remainingTokens: 0 }),
    ].map(failureOf);
    for (const f of failures) {
      const body = routmyErrorBody(f);
      expect(RoutMyErrorResponse.safeParse(body).success, f.message).toBe(true);
      expect(body.error.message).toBe(f.message);
    }
    expect(routmyErrorBody(failures[0]!).error.code).toBe('model_not_found');
  });

  it('keeps the documented 400 pair', () => {
    expect(ROUTMY_ERROR_KINDS[400]).toMatchObject({
      type: 'invalid_request_error',
      code: 'Bad Request',
    });
    expect(ROUTMY_ERROR_KINDS[400].provenance.level).toBe('official-docs');
  });
});

describe('rout.my quota', () => {
  const base = {
    durationSeconds: 5,
    resolution: '720p',
    audio: false,
    quality: 'std',
    videoInput: false,
    count: 1,
    tokenMultiplier: 1,
  } as const;

  it('applies the documented formula', () => {
    expect(quotaTokens(base)).toBe(300_000);
    expect(quotaTokens({ ...base, resolution: '480p' })).toBe(210_000);
    expect(
      quotaTokens({
        ...base,
        resolution: '4K',
        audio: true,
        quality: 'pro',
        videoInput: true,
        count: 2,
        tokenMultiplier: 2,
      }),
    ).toBe(Math.round(5 * 60_000 * 2.5 * 1.3 * 1.5 * 1.7 * 2 * 2));
    expect(quotaTokens({ ...base, quality: 'draft' })).toBe(90_000);
  });

  it('has the documented coefficient table', () => {
    expect(QUOTA_COEFFICIENTS).toEqual({
      resolution: { '480p': 0.7, '720p': 1.0, '1K': 1.0, '1080p': 1.8, '2K': 1.8, '4K': 2.5 },
      audio: { off: 1.0, on: 1.3 },
      quality: { draft: 0.3, std: 1.0, optimized: 1.0, pro: 1.5, lossless: 1.5 },
      videoInput: { absent: 1.0, present: 1.7 },
    });
  });

  it('classes WIDTHxHEIGHT by its short side, rounding up (provisional)', () => {
    expect(resolutionClass('854x480')).toBe('480p');
    expect(resolutionClass('720x1280')).toBe('720p');
    expect(resolutionClass('1000x800')).toBe('1080p');
    expect(resolutionClass('2560x1440')).toBe('2K');
    expect(resolutionClass('3840x2160')).toBe('4K');
    expect(resolutionClass('HD')).toBeUndefined();
    expect(() => quotaTokens({ ...base, resolution: 'HD' })).toThrow(RangeError);
  });

  it('prices missing parameters at their most expensive value', () => {
    const veo = entry('google/veo-3.1');
    // duration → max 8, resolution → 1080p (highest veo renders), audio → on, quality → pro
    expect(worstCaseQuotaTokens(request({ model: veo.model.id, prompt: 'p' }), veo)).toBe(
      Math.round(8 * 60_000 * 1.8 * 1.3 * 1.5 * 2),
    );
    // given values count as given; a given duration is clamped first
    expect(
      worstCaseQuotaTokens(
        request({
          model: veo.model.id,
          prompt: 'p',
          duration: 30,
          resolution: '720p',
          audio: false,
          quality: 'draft',
        }),
        veo,
      ),
    ).toBe(Math.round(8 * 60_000 * 1.0 * 1.0 * 0.3 * 2));
  });

  it('uses 4K when the model resolutions are unknown', () => {
    const model = { model: { token_multiplier: 1 }, limits: { minDuration: 1, maxDuration: 10 } };
    expect(worstCaseQuotaTokens(request({ model: 'x', prompt: 'p' }), model)).toBe(
      Math.round(10 * 60_000 * 2.5 * 1.3 * 1.5),
    );
  });

  it('counts video input and n', () => {
    const m = entry('provider/video-model-id');
    expect(worstCaseQuotaTokens(request(docs.videoEditing), m)).toBe(
      Math.round(5 * 60_000 * 1.0 * 1.3 * 1.5 * 1.7),
    );
    expect(worstCaseQuotaTokens(request({ ...docs.textToVideo, n: 3 }), m)).toBe(3 * 585_000);
  });

  it('charges a finished request for what was generated', () => {
    const veo = entry('google/veo-3.1');
    const body = request({ model: veo.model.id, prompt: 'p', duration: 20 });
    const g = generationOf(judgeRoutMy(body));
    expect(chargedQuotaTokens(body, g, veo)).toBe(Math.round(8 * 60_000 * 1.0 * 1.3 * 1.0 * 2));
    expect(chargedQuotaTokens(body, g, veo)).toBeLessThanOrEqual(worstCaseQuotaTokens(body, veo));
  });
});

describe('rout.my lifecycle (implicit: one held request)', () => {
  it('maps to the canonical lifecycle', () => {
    expect(routmyLifecycle.canonical).toEqual({
      rendering: 'in_progress',
      succeeded: 'completed',
      failed: 'failed',
    });
    expect(routmyLifecycle.initial).toBe('rendering');
    expect(routmyLifecycle.success).toBe('succeeded');
  });

  it('allows rendering → succeeded | failed only', () => {
    expect(isLegalTransition(routmyLifecycle, 'rendering', 'succeeded')).toBe(true);
    expect(isLegalTransition(routmyLifecycle, 'rendering', 'failed')).toBe(true);
    expect(isLegalTransition(routmyLifecycle, 'succeeded', 'failed')).toBe(false);
    expect(isLegalTransition(routmyLifecycle, 'failed', 'rendering')).toBe(false);
  });

  it('judges observed sequences', () => {
    expect(checkObservedSequence(routmyLifecycle, ['rendering', 'succeeded'])).toBeUndefined();
    expect(
      checkObservedSequence(routmyLifecycle, ['rendering', 'rendering', 'failed']),
    ).toBeUndefined();
    expect(checkObservedSequence(routmyLifecycle, ['succeeded', 'rendering'])).toMatchObject({
      index: 1,
      rule: "terminal status 'succeeded' changed to 'rendering'",
    });
    expect(checkObservedSequence(routmyLifecycle, ['rendering', 'completed'])).toMatchObject({
      rule: "'completed' is not a routmy status",
    });
  });
});

describe('rout.my provider declaration', () => {
  it('has the documented origin, paths and sync flow', () => {
    expect(routmy).toMatchObject({
      id: 'routmy',
      origin: 'https://api.rout.my',
      basePath: '/v1',
      defaultPort: 4013,
      flow: 'sync',
    });
    expect(fullPath(routmy, routmy.routes.createVideo)).toBe('/v1/video/generations');
    expect(fullPath(routmy, routmy.routes.listModels)).toBe('/v1/models');
    expect(routmy.routes.listModels.auth).toBe('optional');
  });

  it('declares the errors page statuses', () => {
    expect(declaredStatuses(routmyRoutes.createVideo)).toEqual([
      200, 400, 401, 403, 404, 429, 500, 502, 503,
    ]);
    expect(declaredStatuses(routmyRoutes.listModels)).toEqual([200, 401, 429, 500, 503]);
    for (const route of Object.values(routmyRoutes)) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (Number(status) >= 400) expect(response.schema, status).toBe(RoutMyErrorResponse);
      }
      expect(route.responses[429].headers?.shape).toHaveProperty('retry-after');
    }
  });

  it('carries provenance on notable fields', () => {
    expect(provenanceOf(RoutMyModel.shape.is_available)?.level).toBe('official-docs');
    expect(provenanceOf(RoutMyErrorResponse.shape.error.shape.param)?.level).toBe('provisional');
  });

  it('generates an OpenAPI document with both operations', () => {
    const doc = generateOpenApiDocument(routmy);
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(['/models', '/video/generations']);
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(
      expect.arrayContaining([
        'RoutMyVideoGenerationRequest',
        'RoutMyVideoGenerationResponse',
        'RoutMyModelsListResponse',
        'RoutMyErrorResponse',
      ]),
    );
  });
});
