import { describe, expect, it } from 'vitest';
import { declaredStatuses } from '../../define.js';
import { checkObservedSequence, isLegalTransition } from '../../lifecycle.js';
import { provenanceOf } from '../../provenance.js';
import { findModel } from '../../provider.js';
import { generateOpenApiDocument } from '../../openapi/generate.js';
import {
  creditsFor,
  fastrouter,
  fastrouterError,
  FASTROUTER_CATALOG,
  FastRouterCreateVideoResponse,
  FastRouterError,
  FastRouterGetAsyncResponseRequest,
  FastRouterGetVideoResponseRequest,
  fastrouterRoutes,
  fastrouterSoraLifecycle,
  FastRouterSoraVideo,
  FastRouterTaskCreateResponse,
  fastrouterTaskLifecycle,
  FastRouterTaskStatusResponse,
  FastRouterVideoModelSpec,
  FastRouterModelsListResponse,
  FastRouterVideoRequest,
  FastRouterVideoStatusResponse,
  isSoraModel,
  judgeFastRouter,
  judgePoll,
  listingOf,
  responseStyle,
} from './index.js';
import type { FastRouterVideoRequest as Request } from './index.js';

// Bodies copied verbatim from the video-generation page (seeds/fastrouter-video-generation.txt)
// and from fastrouter/docs' response-caching pages (provider-apis.md §3.3–3.4).
const docs = {
  veo3Request: {
    model: 'google/veo3',
    length: 8,
    prompt:
      "A casual street interview on a busy Bengaluru IT park sidewalk in the afternoon. The interviewer holds a plain, unbranded microphone and asks: [Have you heard about FastRouter. It is super cool.] Person replies: [Yeah I saw it, it's also available with new Grok models and they also support Google Veo3. It's crazy good.]",
    generateAudio: true,
  },
  veo3Create: {
    chat_id: 'fr_123',
    model: 'google/veo3',
    code: 'SUCCESS',
    message: 'success',
    data: { taskId: 'taskabc123', status: 'waiting' },
    usage: {
      chat_id: 'fr_123',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      user_key_credits_used: 6,
      credits_used: 6,
      provider: 'pollo',
    },
  },
  veo3PollRequest: { taskId: 'taskabc123', model: 'google/veo3' },
  veo3Completion: {
    code: 'SUCCESS',
    message: 'success',
    data: {
      taskId: 'taskabc123',
      generations: [
        {
          id: 'taskabc123',
          createdDate: '2025-07-15T08:02:27.000Z',
          updatedDate: '2025-07-15T08:04:34.000Z',
          status: 'succeed',
          failMsg: '',
          url: 'https://example.com/filename.mp4',
          mediaType: 'video',
        },
      ],
    },
  },
  soraRequest: {
    model: 'openai/sora-2-pro',
    prompt:
      "A chill street interview in downtown San Francisco on a sunny afternoon. The interviewer’s holding a plain, unbranded mic and goes, [Hey, quick question — have you heard about FastRouter? I've heard it's super cool.] To this, the second person grins and replies, [“Yeah, I’ve seen it! Love that they support OpenAI Sora-2. It’s honestly pretty darn good.]",
    seconds: '8',
    size: '1024x1792',
  },
  soraCreate: {
    id: 'video_id',
    chat_id: 'fr_ee58ee31-f7ad-4a1c-8614-85c713ee1bda',
    object: 'video',
    created_at: 1760617844,
    status: 'queued',
    completed_at: 0,
    expires_at: 0,
    model: 'sora-2-pro',
    seconds: '8',
    size: '1024x1792',
    usage: {
      api_key_credits_used: 0,
      user_key_credits_used: 4,
      credits_used: 4,
      provider: 'openai',
    },
  },
  soraPollRequest: { taskId: 'video_id', model: 'openai/sora-2-pro' },
  soraInProgress: {
    id: 'video_68f0e573755081918d6f03011d59eef40940842a41bb50ea',
    chat_id: 'fr_164ce324-2e11-4cd7-8dfe-a8beea9a7c37',
    object: 'video',
    created_at: 1760617844,
    status: 'in_progress',
    completed_at: 0,
    expires_at: 0,
    model: 'sora-2-pro',
    progress: 82,
    seconds: '8',
    size: '1024x1792',
    usage: {
      api_key_credits_used: 0,
      user_key_credits_used: 0,
      credits_used: 0,
      provider: 'openai',
    },
  },
  klingRequest: {
    model: 'kling-ai/kling-v1-6',
    length: 5,
    prompt: 'A tennis match between 2 people in a sunny outdoor space',
    mode: 'std',
    cache: { expiration_time: 57600, filter_on_model: true, filter_on_provider: false },
  },
  klingRequestNoMode: {
    model: 'kling-ai/kling-v1-6',
    length: 5,
    prompt: 'A tennis match between 2 people in a sunny setup',
    cache: { expiration_time: 57600, filter_on_model: true, filter_on_provider: false },
  },
  seedanceCreateMiss: {
    chat_id: 'fr_c513522e-983c-4e99-8af0-adabf9b71ed0',
    model: 'bytedance/seedance-1-5-pro',
    code: 'success',
    message: 'Video generation started',
    data: { taskId: 'fr_01M1H4T9E9JC0VAQV11EBDQHFW', status: 'processing' },
    estimate_usage: {
      chat_id: 'fr_c513522e-983c-4e99-8af0-adabf9b71ed0',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      user_key_credits_used: 0.192,
      credits_used: 0.192,
      provider: 'pollo',
    },
  },
  klingCreateMiss: {
    chat_id: 'fr_abdbddc2-36f4-4b6f-b014-ecf60ed2cb9f',
    model: 'kling-ai/kling-v1-6',
    code: 'success',
    message: 'Video generation started',
    data: { taskId: 'fr_01M1Y389KN0KN28AT3733Q505H', status: 'processing' },
    estimate_usage: {
      chat_id: 'fr_abdbddc2-36f4-4b6f-b014-ecf60ed2cb9f',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      user_key_credits_used: 0.21,
      credits_used: 0.21,
      provider: 'pollo',
    },
  },
  klingCreateHit: {
    chat_id: 'fr_de1d6850-50b7-4011-bec2-4a2b0b435182',
    model: 'kling-ai/kling-v1-6',
    code: 'success',
    message: 'Video generation started',
    data: { taskId: 'fr_01M1Y389KN0KN28AT3733Q505H', status: 'processing' },
    estimate_usage: {
      chat_id: 'fr_de1d6850-50b7-4011-bec2-4a2b0b435182',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      provider: 'pollo',
    },
    cached: true,
  },
  klingCreateHitNoProvider: {
    chat_id: 'fr_2e52ff0f-8bb2-4044-94a7-b722f3a3ee14',
    model: 'kling-ai/kling-v1-6',
    code: 'success',
    message: 'Video generation started',
    data: { taskId: 'fr_01M1NH55R9NM02M56D57P2F5FY', status: 'processing' },
    estimate_usage: {
      chat_id: 'fr_2e52ff0f-8bb2-4044-94a7-b722f3a3ee14',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      provider: '',
    },
  },
  asyncPollRequest: { taskId: 'fr_01M1Y389KN0KN28AT3733Q505H' },
  asyncPollRequest2: { taskId: 'fr_01M1NH55R9NM02M56D57P2F5FY' },
  // Verbatim, including the duplicated "message" key of the docs example.
  asyncPoll: JSON.parse(`{
    "chat_id": "fr_6ca8b68f-5282-4409-9a7b-7f999a42ece6",
    "code": "SUCCESS",
    "message": "success",
    "data": {
      "costUsd": 0.21,
      "credit": 3.5,
      "generations": [
        {
          "createdDate": "2026-09-07T14:07:31.000Z",
          "failMsg": "",
          "id": "cmtrbet3h0jizn3inp6tqsh74",
          "mediaType": "video",
          "status": "succeed",
          "updatedDate": "2026-09-07T14:11:01.000Z",
          "url": "https://videocdn.pollo.ai/web-cdn/pollo/production/{account}/ori/{asset}.mp4"
        }
      ],
      "status": "succeed",
      "taskId": "fr_01M1Y389KN0KN28AT3733Q505H"
    },
    "fastrouter_assets": {
      "status": "ready",
      "urls": ["https://api.fastrouter.ai/videos-content/fr_01M1Y389KN0KN28AT3733Q505H"],
      "expires_at": 1791382312,
      "cached_at": 1788790312
    },
    "message": "success",
    "usage": { "api_key_credits_used": 0, "user_key_credits_used": 0.21, "credits_used": 0.21, "provider": "pollo" }
  }`) as unknown,
  asyncPoll2: {
    chat_id: 'fr_2cefa70a-cf24-4ced-bd62-8c2a35940557',
    code: 'SUCCESS',
    message: 'success',
    data: {
      costUsd: 0.21,
      credit: 3.5,
      generations: [
        {
          createdDate: '2026-09-04T06:19:36.000Z',
          failMsg: '',
          id: 'cmtmkdhv20eg7r3ouc2q2nz00',
          mediaType: 'video',
          status: 'succeed',
          updatedDate: '2026-09-04T06:23:08.000Z',
          url: 'https://videocdn.pollo.ai/web-cdn/pollo/production/.../1788502985556-....mp4',
        },
      ],
      status: 'succeed',
      taskId: 'fr_01M1NH55R9NM02M56D57P2F5FY',
    },
    fastrouter_assets: {
      status: 'ready',
      urls: ['https://api.fastrouter.ai/videos-content/fr_01M1NH55R9NM02M56D57P2F5FY'],
      expires_at: 1791095001,
      cached_at: 1788503001,
    },
    usage: {
      api_key_credits_used: 0,
      user_key_credits_used: 0.21,
      credits_used: 0.21,
      provider: 'pollo',
    },
  },
  // The documented shape of GET /models (docs OpenAPI fields + skill.md fields); values illustrative.
  models: {
    object: 'list',
    data: [
      {
        id: 'openai/gpt-4.1-mini',
        name: 'OpenAI: GPT-4.1 Mini',
        object: 'model',
        created: 1744588800,
        owned_by: 'openai',
        context_length: 1047576,
        max_completion_tokens: 32768,
        pricing: { prompt: '0.0000004', completion: '0.0000016', image: '0', request: '0' },
        is_active: true,
        architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
        top_provider: { max_completion_tokens: 32768 },
      },
    ],
  },
};

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path) ?? [];

const clone = <T>(value: T): T => structuredClone(value);

describe('documented examples parse', () => {
  it.each([
    ['veo3 request', docs.veo3Request],
    ['sora-2-pro request', docs.soraRequest],
    ['kling request with mode and cache', docs.klingRequest],
    ['kling request without mode', docs.klingRequestNoMode],
  ])('create request: %s', (_name, body) => {
    expect(FastRouterVideoRequest.safeParse(body).success).toBe(true);
  });

  it.each([
    ['veo3 (usage, SUCCESS, waiting)', docs.veo3Create],
    ['seedance-1-5-pro miss (estimate_usage, success, processing)', docs.seedanceCreateMiss],
    ['kling miss', docs.klingCreateMiss],
    ['kling hit (cached, no credit fields)', docs.klingCreateHit],
    ['kling hit (provider "")', docs.klingCreateHitNoProvider],
  ])('task create response: %s', (_name, body) => {
    expect(FastRouterTaskCreateResponse.safeParse(body).success).toBe(true);
    expect(FastRouterCreateVideoResponse.safeParse(body).success).toBe(true);
  });

  it.each([
    ['veo3 completion (no data.status)', docs.veo3Completion],
    ['getAsyncResponse (duplicated message key)', docs.asyncPoll],
    ['getAsyncResponse 2', docs.asyncPoll2],
  ])('task poll response: %s', (_name, body) => {
    expect(FastRouterTaskStatusResponse.safeParse(body).success).toBe(true);
    expect(FastRouterVideoStatusResponse.safeParse(body).success).toBe(true);
  });

  it('Sora create (queued) parses as a create and as a poll body', () => {
    expect(FastRouterSoraVideo.safeParse(docs.soraCreate).success).toBe(true);
    expect(FastRouterCreateVideoResponse.safeParse(docs.soraCreate).success).toBe(true);
    expect(FastRouterVideoStatusResponse.safeParse(docs.soraCreate).success).toBe(true);
  });

  it('Sora in_progress with progress 82 parses as a poll body', () => {
    expect(FastRouterVideoStatusResponse.safeParse(docs.soraInProgress).success).toBe(true);
  });

  it('poll requests', () => {
    expect(FastRouterGetVideoResponseRequest.safeParse(docs.veo3PollRequest).success).toBe(true);
    expect(FastRouterGetVideoResponseRequest.safeParse(docs.soraPollRequest).success).toBe(true);
    expect(FastRouterGetAsyncResponseRequest.safeParse(docs.asyncPollRequest).success).toBe(true);
    expect(FastRouterGetAsyncResponseRequest.safeParse(docs.asyncPollRequest2).success).toBe(true);
  });

  it('GET /models list, keeping unknown entry fields', () => {
    const parsed = FastRouterModelsListResponse.parse(docs.models);
    expect(parsed.data[0]).toHaveProperty('top_provider');
  });

  it('error bodies from the table, and the schema example', () => {
    for (const status of [400, 401, 402, 403, 404, 429, 500, 502] as const) {
      expect(FastRouterError.safeParse(fastrouterError(status)).success).toBe(true);
    }
    expect(fastrouterError(401).error.message).toBe(
      'Your API key is invalid, disabled, or your OAuth session has expired.',
    );
  });

  it('every catalog entry and its /models listing', () => {
    for (const entry of FASTROUTER_CATALOG) {
      expect(FastRouterVideoModelSpec.safeParse(entry.spec).success).toBe(true);
    }
    const list = { object: 'list', data: FASTROUTER_CATALOG.map(listingOf) };
    expect(FastRouterModelsListResponse.safeParse(list).success).toBe(true);
  });
});

describe('malformed bodies are rejected at the bad field', () => {
  it.each([
    ['prompt empty', { model: 'google/veo3', prompt: '' }, ['prompt']],
    ['image not a string', { ...docs.veo3Request, image: 1 }, ['image']],
    ['length off the list', { ...docs.veo3Request, length: 7 }, ['length']],
    ['seconds a number off the list', { ...docs.soraRequest, seconds: 5 }, ['seconds']],
    ['aspectRatio unknown', { ...docs.veo3Request, aspectRatio: '21:9' }, ['aspectRatio']],
    ['size unknown', { ...docs.soraRequest, size: '1920x1080' }, ['size']],
    ['mode unknown', { ...docs.veo3Request, mode: 'turbo' }, ['mode']],
    [
      'cache TTL below 60',
      { ...docs.klingRequest, cache: { expiration_time: 10 } },
      ['cache', 'expiration_time'],
    ],
  ])('request: %s', (_name, body, path) => {
    expect(issuesOf(FastRouterVideoRequest.safeParse(body))).toEqual([path]);
  });

  it('task create: a terminal status is not a create status', () => {
    const body = clone(docs.veo3Create);
    (body.data as { status: string }).status = 'succeed';
    expect(issuesOf(FastRouterTaskCreateResponse.safeParse(body))).toEqual([['data', 'status']]);
  });

  it('task create: both usage and estimate_usage, or neither', () => {
    const both = { ...docs.seedanceCreateMiss, usage: docs.seedanceCreateMiss.estimate_usage };
    expect(issuesOf(FastRouterTaskCreateResponse.safeParse(both))).toEqual([['estimate_usage']]);
    const { usage: _usage, ...neither } = docs.veo3Create;
    expect(issuesOf(FastRouterTaskCreateResponse.safeParse(neither))).toEqual([['estimate_usage']]);
  });

  it('task create: unknown top-level field', () => {
    const result = FastRouterTaskCreateResponse.safeParse({ ...docs.veo3Create, extra: 1 });
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(result.error?.issues[0]?.path).toEqual([]);
  });

  it('task poll: generation url and date', () => {
    const body = clone(docs.veo3Completion) as { data: { generations: Record<string, unknown>[] } };
    body.data.generations[0] = { ...body.data.generations[0], url: 42, createdDate: '15/07/2025' };
    expect(issuesOf(FastRouterTaskStatusResponse.safeParse(body))).toEqual([
      ['data', 'generations', 0, 'createdDate'],
      ['data', 'generations', 0, 'url'],
    ]);
  });

  it('task poll: data.status outside the vocabulary', () => {
    const body = { ...docs.asyncPoll2, data: { ...docs.asyncPoll2.data, status: 'done' } };
    expect(issuesOf(FastRouterTaskStatusResponse.safeParse(body))).toEqual([['data', 'status']]);
  });

  it.each([
    ['progress above 100', { progress: 120 }, ['progress']],
    ['status from the task family', { status: 'processing' }, ['status']],
    ['object not video', { object: 'list' }, ['object']],
    [
      'usage without credits_used',
      { usage: { api_key_credits_used: 0, user_key_credits_used: 0, provider: 'openai' } },
      ['usage', 'credits_used'],
    ],
  ])('Sora video: %s', (_name, patch, path) => {
    expect(issuesOf(FastRouterSoraVideo.safeParse({ ...docs.soraInProgress, ...patch }))).toEqual([
      path,
    ]);
  });

  it('error: status must be an integer, type is required', () => {
    const body = { error: { message: 'x', code: 'bad_request', status: '400' } };
    expect(issuesOf(FastRouterError.safeParse(body))).toEqual([
      ['error', 'type'],
      ['error', 'status'],
    ]);
  });

  it('models: wrong envelope and entry type', () => {
    const body = { object: 'models', data: [{ ...docs.models.data[0], created: '2025' }] };
    expect(issuesOf(FastRouterModelsListResponse.safeParse(body))).toEqual([
      ['object'],
      ['data', 0, 'created'],
    ]);
  });

  it('poll requests: getVideoResponse needs model; taskId must be non-empty', () => {
    expect(issuesOf(FastRouterGetVideoResponseRequest.safeParse({ taskId: 'taskabc123' }))).toEqual(
      [['model']],
    );
    expect(issuesOf(FastRouterGetAsyncResponseRequest.safeParse({ taskId: '' }))).toEqual([
      ['taskId'],
    ]);
  });
});

describe('judgeFastRouter', () => {
  const judge = (body: Record<string, unknown>) =>
    judgeFastRouter(FastRouterVideoRequest.parse(body));

  it('accepts the documented Veo 3 request: 8 s, 1280x720, with audio, 6 credits', () => {
    const verdict = judge(docs.veo3Request);
    expect(verdict).toEqual({
      ok: true,
      generation: {
        model: 'google/veo3',
        durationSeconds: 8,
        width: 1280,
        height: 720,
        count: 1,
        audio: true,
        adjustments: [],
      },
    });
    expect(creditsFor('google/veo3', docs.veo3Request as Request)).toBe(6);
  });

  it('accepts the documented Sora 2 Pro request: 8 s, 1024x1792, native audio, 4 credits', () => {
    const verdict = judge(docs.soraRequest);
    expect(verdict.ok && verdict.generation).toMatchObject({
      durationSeconds: 8,
      width: 1024,
      height: 1792,
      audio: true,
    });
    expect(creditsFor('openai/sora-2-pro', docs.soraRequest as Request)).toBe(4);
  });

  it('rejects an unknown model (the kling example is outside the catalog)', () => {
    expect(judge(docs.klingRequest)).toMatchObject({ ok: false, status: 400, param: 'model' });
  });

  it('rejects a value outside the model table', () => {
    expect(judge({ ...docs.veo3Request, length: 5 })).toEqual({
      ok: false,
      status: 400,
      message: 'Invalid length for google/veo3. Supported: 8',
      param: 'length',
      type: 'invalid_request_error',
      code: 'invalid_length',
    });
    expect(
      judge({ model: 'bytedance/seedance-pro', prompt: 'p', resolution: '720p' }),
    ).toMatchObject({
      status: 400,
      message: 'Invalid resolution for bytedance/seedance-pro. Supported: 480p, 1080p',
    });
    expect(
      judge({ model: 'pollo/pollo-v1-6', prompt: 'p', resolution: '720p', aspectRatio: '5:3' }),
    ).toMatchObject({
      status: 400,
      param: 'aspectRatio',
    });
    expect(judge({ model: 'openai/sora-2', prompt: 'p', size: '1024x1792' })).toMatchObject({
      status: 400,
      message: 'Invalid size for openai/sora-2. Supported: 720x1280, 1280x720',
    });
  });

  it('requires image for image-to-video-only models, as a URL', () => {
    const runway = { model: 'runway/runway-gen-4-turbo', prompt: 'p' };
    expect(judge(runway)).toMatchObject({
      ok: false,
      status: 400,
      param: 'image',
      code: 'missing_image',
    });
    expect(judge({ ...runway, image: 'data:image/png;base64,iVBORw0KGgo=' })).toMatchObject({
      status: 400,
      code: 'invalid_image',
    });
    expect(judge({ ...runway, image: 'https://example.com/image.jpg' }).ok).toBe(true);
  });

  it('requires resolution where the table puts it on the required line', () => {
    expect(judge({ model: 'bytedance/seedance', prompt: 'p' })).toMatchObject({
      status: 400,
      param: 'resolution',
    });
    const ok = judge({ model: 'bytedance/seedance', prompt: 'p', resolution: '480p' });
    expect(ok.ok && ok.generation).toMatchObject({ width: 854, height: 480, durationSeconds: 5 });
  });

  it('ignores parameters the model table does not list, and says so', () => {
    const verdict = judge({ ...docs.veo3Request, seconds: '8', size: '1280x720', mode: 'pro' });
    expect(verdict.ok && verdict.generation.adjustments).toEqual([
      'seconds ignored: not a parameter of google/veo3',
      'size ignored: not a parameter of google/veo3',
      'mode ignored: not a parameter of google/veo3',
    ]);
  });

  it('applies model defaults', () => {
    const sora = judge({ model: 'openai/sora-2-pro', prompt: 'p' });
    expect(sora.ok && sora.generation).toMatchObject({
      durationSeconds: 4,
      width: 720,
      height: 1280,
    });
    const gen3 = judge({
      model: 'runway/runway-gen-3-turbo',
      prompt: 'p',
      image: 'https://x.test/a.png',
      aspectRatio: '3:5',
    });
    expect(gen3.ok && gen3.generation).toMatchObject({ width: 768, height: 1280, audio: false });
    const veo = judge({ model: 'google/veo3', prompt: 'p' });
    expect(veo.ok && veo.generation).toMatchObject({
      audio: false,
      adjustments: ['length defaulted to 8'],
    });
  });

  describe("the docs' tables and samples (issue #11)", () => {
    // "Image-to-Video Models / Runway: Runway Gen-3 Turbo — image | prompt, length (5, 10), aspectRatio (5:3, 3:5), seed"
    const runway = {
      model: 'runway/runway-gen-3-turbo',
      image: 'https://example.com/image.jpg',
      length: 5,
      aspectRatio: '5:3',
    };

    it('accepts image-to-video without a prompt: the table lists only image as required', () => {
      const verdict = judge(runway);
      expect(verdict.ok && verdict.generation).toMatchObject({
        model: runway.model,
        durationSeconds: 5,
      });
    });

    it('still needs a prompt for text-to-video, and a prompt or an image where both work', () => {
      expect(judge({ model: 'google/veo3', length: 8 })).toMatchObject({
        ok: false,
        status: 400,
        param: 'prompt',
        code: 'missing_prompt',
      });
      expect(judge({ model: 'bytedance/seedance', resolution: '720p' })).toMatchObject({
        ok: false,
        param: 'prompt',
      });
      expect(
        judge({ model: 'bytedance/seedance', resolution: '720p', image: runway.image }).ok,
      ).toBe(true);
      expect(judge({ model: 'runway/runway-gen-3-turbo', length: 5 })).toMatchObject({
        ok: false,
        param: 'image',
      });
    });

    it.each([
      ['the sample\'s string "8"', { seconds: '8' }, 8],
      ["the table's number 8", { seconds: 8 }, 8],
      ['length 8 (the table says "length / seconds")', { length: 8 }, 8],
      ['length 12', { length: 12 }, 12],
      ['nothing: the default 4', {}, 4],
    ])('Sora 2 Pro takes %s', (_name, duration, seconds) => {
      const { seconds: _s, ...rest } = docs.soraRequest;
      const verdict = judge({ ...rest, ...duration });
      expect(verdict.ok && verdict.generation.durationSeconds).toBe(seconds);
      expect(creditsFor('openai/sora-2-pro', { ...rest, ...duration } as Request)).toBe(
        seconds / 2,
      );
    });

    it('refuses Sora durations off the list, by whichever name the client used', () => {
      const { seconds: _s, ...rest } = docs.soraRequest;
      expect(judge({ ...rest, length: 5 })).toMatchObject({ ok: false, param: 'length' });
      expect(judge({ ...rest, seconds: 12, length: 4 }).ok).toBe(true);
    });
  });

  it('the provider judge parses first', () => {
    expect(() => fastrouter.judge({ model: 'google/veo3', length: 'eight' })).toThrow();
    expect(fastrouter.judge(docs.veo3Request).ok).toBe(true);
  });
});

describe('judgePoll', () => {
  const veo = { model: 'google/veo3' };

  it('unknown or expired task → 404 "Invalid taskId or expired result"', () => {
    expect(judgePoll({ route: 'getVideo', taskId: 'nope' })).toMatchObject({
      ok: false,
      status: 404,
      message: 'Invalid taskId or expired result',
    });
  });

  it('getVideoResponse: model must match the original request', () => {
    expect(
      judgePoll({
        route: 'getVideoResponse',
        taskId: 'taskabc123',
        model: 'google/veo3',
        job: veo,
      }),
    ).toEqual({ ok: true });
    expect(
      judgePoll({
        route: 'getVideoResponse',
        taskId: 'taskabc123',
        model: 'google/veo3-fast',
        job: veo,
      }),
    ).toMatchObject({
      status: 400,
      message: 'Invalid taskId or model',
    });
  });

  it('getAsyncResponse: fr_ ids need no model, other ids do', () => {
    expect(
      judgePoll({ route: 'getAsyncResponse', taskId: 'fr_01M1Y389KN0KN28AT3733Q505H', job: veo }),
    ).toEqual({ ok: true });
    expect(
      judgePoll({
        route: 'getAsyncResponse',
        taskId: 'video_id',
        job: { model: 'openai/sora-2-pro' },
      }),
    ).toMatchObject({
      status: 400,
    });
  });
});

describe('lifecycles', () => {
  it('task: waiting → processing → succeed | failed; completed is a terminal alias', () => {
    expect(isLegalTransition(fastrouterTaskLifecycle, 'waiting', 'processing')).toBe(true);
    expect(isLegalTransition(fastrouterTaskLifecycle, 'processing', 'succeed')).toBe(true);
    expect(isLegalTransition(fastrouterTaskLifecycle, 'processing', 'waiting')).toBe(false);
    expect(isLegalTransition(fastrouterTaskLifecycle, 'succeed', 'failed')).toBe(false);
    expect(fastrouterTaskLifecycle.canonical.completed).toBe('completed');
    expect(fastrouterTaskLifecycle.success).toBe('succeed');
  });

  it('task: processing may be the first status observed', () => {
    expect(
      checkObservedSequence(fastrouterTaskLifecycle, ['processing', 'processing', 'succeed']),
    ).toBeUndefined();
    expect(checkObservedSequence(fastrouterTaskLifecycle, ['waiting', 'failed'])).toBeUndefined();
  });

  it('task: rejects regressions, changes after a terminal status and foreign words', () => {
    expect(checkObservedSequence(fastrouterTaskLifecycle, ['processing', 'waiting'])).toMatchObject(
      { index: 1 },
    );
    expect(checkObservedSequence(fastrouterTaskLifecycle, ['succeed', 'processing'])).toMatchObject(
      {
        rule: "terminal status 'succeed' changed to 'processing'",
      },
    );
    expect(checkObservedSequence(fastrouterTaskLifecycle, ['queued'])).toMatchObject({ index: 0 });
  });

  it('sora: queued → in_progress → completed | failed', () => {
    expect(
      checkObservedSequence(fastrouterSoraLifecycle, [
        'queued',
        'in_progress',
        'in_progress',
        'completed',
      ]),
    ).toBeUndefined();
    expect(isLegalTransition(fastrouterSoraLifecycle, 'completed', 'in_progress')).toBe(false);
    expect(checkObservedSequence(fastrouterSoraLifecycle, ['in_progress', 'queued'])).toBeDefined();
    expect(checkObservedSequence(fastrouterSoraLifecycle, ['succeed'])).toBeDefined();
  });

  it('each family maps onto the canonical lifecycle', () => {
    expect(fastrouterTaskLifecycle.canonical).toEqual({
      waiting: 'queued',
      processing: 'in_progress',
      succeed: 'completed',
      failed: 'failed',
      completed: 'completed',
    });
    expect(Object.values(fastrouterSoraLifecycle.canonical)).toEqual([
      'queued',
      'in_progress',
      'completed',
      'failed',
    ]);
  });
});

describe('catalog, routing and declaration', () => {
  it('Sora models answer in the OpenAI family, the rest in the task family', () => {
    expect(isSoraModel('openai/sora-2-pro')).toBe(true);
    expect(isSoraModel('openai/sora-2')).toBe(true);
    expect(responseStyle('google/veo3')).toBe('task');
    expect(FASTROUTER_CATALOG.map((e) => e.spec.id)).toEqual([
      'runway/runway-gen-3-turbo',
      'runway/runway-gen-4-turbo',
      'bytedance/seedance',
      'bytedance/seedance-pro',
      'google/veo3',
      'google/veo3-fast',
      'pollo/pollo-v1-6',
      'openai/sora-2-pro',
      'openai/sora-2',
    ]);
  });

  it('capabilities follow the tables', () => {
    expect(findModel(fastrouter, 'google/veo3')).toMatchObject({
      durations: [8],
      defaultDuration: 8,
      resolutions: ['720p', '1080p'],
      defaultSize: '1280x720',
      audio: true,
      pricePerSecond: { base: 0.75 },
    });
    expect(findModel(fastrouter, 'openai/sora-2-pro')).toMatchObject({
      durations: [4, 8, 12],
      defaultSize: '720x1280',
      seed: false,
    });
    expect(findModel(fastrouter, 'runway/runway-gen-3-turbo')).toMatchObject({
      defaultSize: '1280x768',
    });
  });

  it('declares the documented statuses, 429 with retry-after, and provenance', () => {
    expect(declaredStatuses(fastrouterRoutes.createVideo)).toEqual([
      200, 400, 401, 402, 403, 429, 500, 502,
    ]);
    for (const key of ['getVideoResponse', 'getAsyncResponse', 'getVideo'] as const) {
      expect(declaredStatuses(fastrouterRoutes[key])).toEqual([200, 400, 401, 404, 429, 500]);
      expect(fastrouterRoutes[key].responses[429].headers?.shape).toHaveProperty('retry-after');
    }
    expect(fastrouterRoutes.createVideo.responses[200].provenance.level).toBe('provisional');
    expect(fastrouterRoutes.listModels.auth).toBe('none');
    expect(provenanceOf(FastRouterVideoRequest.shape.prompt)?.level).toBe('official-docs');
  });

  it('generates an OpenAPI document with every route', () => {
    const doc = generateOpenApiDocument(fastrouter);
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/getAsyncResponse',
      '/getVideoResponse',
      '/models',
      '/videos',
      '/videos/{task_id}',
    ]);
    expect(doc.servers?.[0]?.url).toBe('https://go.fastrouter.ai/api/v1');
  });
});
