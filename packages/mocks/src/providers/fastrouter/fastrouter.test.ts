import { fastrouterSpec } from '@reelkit/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { MockEngine, MockEngineOptions } from '../../core/engine.js';
import { createMockEngine } from '../../core/engine.js';
import type { FastRouterMockOptions } from './index.js';
import {
  createFastRouterMock,
  FASTROUTER_FAILURES,
  FASTROUTER_RETENTION_MS,
  fastrouterMock,
} from './index.js';

type TaskCreate = fastrouterSpec.FastRouterTaskCreateResponse;
type TaskPoll = fastrouterSpec.FastRouterTaskStatusResponse;
type SoraVideo = fastrouterSpec.FastRouterSoraVideo;
type ErrorBody = fastrouterSpec.FastRouterError;

const ORIGIN = 'https://go.fastrouter.ai';
const START = Date.UTC(2026, 8, 7, 14, 7, 31);
const auth = { authorization: 'Bearer sk-v1-test' };

const TASK_ID = /^fr_[0-9A-HJKMNP-TV-Z]{26}$/;
const CHAT_ID = /^fr_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SORA_ID = /^video_[0-9a-f]{48}$/;

// The documented requests (seeds/fastrouter-video-generation.txt).
const veo3 = {
  model: 'google/veo3',
  length: 8,
  prompt: 'A casual street interview on a busy Bengaluru IT park sidewalk in the afternoon.',
  generateAudio: true,
};
const sora = {
  model: 'openai/sora-2-pro',
  prompt: 'A chill street interview in downtown San Francisco on a sunny afternoon.',
  seconds: '8',
  size: '1024x1792',
};

const engines: MockEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) expect(engine.diagnostics).toEqual([]);
});

function setup(
  options: Partial<MockEngineOptions> = {},
  mockOptions: FastRouterMockOptions | undefined = undefined,
) {
  const clock = createManualClock({ start: START });
  const provider = mockOptions ? createFastRouterMock(mockOptions) : fastrouterMock;
  const engine = createMockEngine({ provider, clock, ...options });
  engines.push(engine);
  const call = (path: string, init: RequestInit = {}) =>
    engine.handle(
      new Request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string>) },
      }),
    );
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    post('/api/v1/videos', body, headers);
  const getVideoResponse = (taskId: string, model: string) =>
    post('/api/v1/getVideoResponse', { taskId, model });
  const getAsyncResponse = (taskId: string, model?: string) =>
    post('/api/v1/getAsyncResponse', model ? { taskId, model } : { taskId });
  const getVideo = (taskId: string) => call(`/api/v1/videos/${taskId}`);
  return { clock, engine, call, post, submit, getVideoResponse, getAsyncResponse, getVideo };
}

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

/** The creation time a ULID's first 10 characters encode. */
function ulidTime(ulid: string): number {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...ulid.slice(0, 10)].reduce((t, c) => t * 32 + alphabet.indexOf(c), 0);
}

async function expectMp4(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('video/mp4');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
}

describe('FastRouter mock: task family (Pollo-style envelope)', () => {
  it('runs create → waiting → processing → succeed → download on virtual time', async () => {
    const { clock, call, submit, getVideoResponse } = setup();
    const res = await submit(veo3);
    expect(res.status).toBe(200);
    const created = await json<TaskCreate>(res);
    expect(created).toEqual({
      chat_id: expect.stringMatching(CHAT_ID),
      model: 'google/veo3',
      code: 'SUCCESS',
      message: 'success',
      data: { taskId: expect.stringMatching(TASK_ID), status: 'waiting' },
      usage: {
        chat_id: created.chat_id,
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        user_key_credits_used: 6,
        credits_used: 6,
        provider: 'pollo',
      },
    });
    const { taskId } = created.data;
    expect(ulidTime(taskId.slice(3))).toBe(START);

    const seen: string[] = [];
    let body: TaskPoll | undefined;
    for (let i = 0; i < 60 && body?.data.status !== 'succeed'; i++) {
      const poll = await getVideoResponse(taskId, 'google/veo3');
      expect(poll.status).toBe(200);
      body = await json<TaskPoll>(poll);
      seen.push(body.data.status ?? '');
      if (body.data.status !== 'succeed') {
        expect(body.data.generations[0]).toMatchObject({ status: body.data.status, url: '' });
        expect(body).not.toHaveProperty('fastrouter_assets');
        await clock.advance(10_000);
      }
    }
    expect([...new Set(seen)]).toEqual(['waiting', 'processing', 'succeed']);
    const done = body as TaskPoll;
    const url = done.data.generations[0]?.url ?? '';
    expect(url).toMatch(new RegExp(`^${ORIGIN}/__reelkit/media/[a-z0-9]+\\.mp4$`));
    expect(done).toEqual({
      chat_id: expect.stringMatching(CHAT_ID),
      code: 'SUCCESS',
      message: 'success',
      data: {
        taskId,
        status: 'succeed',
        generations: [
          {
            id: expect.stringMatching(/^c[a-z0-9]{24}$/),
            createdDate: '2026-09-07T14:07:31.000Z',
            updatedDate: expect.stringMatching(/^2026-09-07T14:\d\d:\d\d\.000Z$/),
            status: 'succeed',
            failMsg: '',
            url,
            mediaType: 'video',
          },
        ],
        costUsd: 6,
        credit: 100,
      },
      fastrouter_assets: {
        status: 'ready',
        urls: [url],
        expires_at: expect.any(Number),
        cached_at: expect.any(Number),
      },
      usage: {
        api_key_credits_used: 0,
        user_key_credits_used: 6,
        credits_used: 6,
        provider: 'pollo',
      },
    });
    expect(done.chat_id).not.toBe(created.chat_id);
    const assets = done.fastrouter_assets!;
    expect(assets.expires_at - assets.cached_at).toBe(30 * 24 * 60 * 60);
    expect(assets.cached_at).toBe(Date.parse(done.data.generations[0]!.updatedDate) / 1000);

    await expectMp4(await call(new URL(url).pathname));
  });

  it('answers the same task on getAsyncResponse (fr_ id, no model) and GET /videos/{task_id}', async () => {
    const { clock, submit, getVideoResponse, getAsyncResponse, getVideo } = setup();
    const { data } = await json<TaskCreate>(await submit(veo3));
    await clock.advance(10 * 60_000);
    const bodies = [
      await json<TaskPoll>(await getVideoResponse(data.taskId, 'google/veo3')),
      await json<TaskPoll>(await getAsyncResponse(data.taskId)),
      await json<TaskPoll>(await getAsyncResponse(data.taskId, 'google/veo3')),
      await json<TaskPoll>(await getVideo(data.taskId)),
    ];
    const [first, ...rest] = bodies.map(({ chat_id: _chat, ...body }) => body);
    for (const other of rest) expect(other).toEqual(first);
    expect(first?.data.status).toBe('succeed');
  });

  it('follows the response-caching docs create shape on request', async () => {
    const { clock, submit, getAsyncResponse } = setup({}, { createStyle: 'caching-docs' });
    const created = await json<TaskCreate>(
      await submit({ model: 'bytedance/seedance', prompt: 'a tennis match', resolution: '720p' }),
    );
    expect(created).toMatchObject({
      code: 'success',
      message: 'Video generation started',
      data: { status: 'processing' },
      estimate_usage: { user_key_credits_used: 0.18, credits_used: 0.18, provider: 'pollo' },
    });
    expect(created).not.toHaveProperty('usage');
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      seen.add(
        (await json<TaskPoll>(await getAsyncResponse(created.data.taskId))).data.status ?? '',
      );
      await clock.advance(10_000);
    }
    expect([...seen]).toEqual(['processing', 'succeed']);
  });

  it('reuses a cached task for an identical request with cache_key, free of charge', async () => {
    const { clock, engine, submit } = setup({ apiKeys: ['sk-v1-test', 'sk-v1-other'] });
    const request = { ...veo3, cache: { expiration_time: 600 } };
    const cache = { cache_key: 'marketing-loops' };
    const miss = await json<TaskCreate>(await submit(request, cache));
    expect(miss).not.toHaveProperty('cached');
    await clock.advance(62_000);
    const hit = await json<TaskCreate>(await submit(request, cache));
    expect(hit).toMatchObject({
      cached: true,
      data: { taskId: miss.data.taskId, status: 'processing' },
    });
    expect(hit.chat_id).not.toBe(miss.chat_id);
    expect(hit.usage).toEqual({
      chat_id: hit.chat_id,
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      provider: 'pollo',
    });

    const otherPrompt = await json<TaskCreate>(await submit({ ...request, prompt: 'x' }, cache));
    const noHeader = await json<TaskCreate>(await submit(request));
    const otherKey = await json<TaskCreate>(
      await engine.handle(
        new Request(`${ORIGIN}/api/v1/videos`, {
          method: 'POST',
          headers: {
            authorization: 'Bearer sk-v1-other',
            'content-type': 'application/json',
            ...cache,
          },
          body: JSON.stringify(request),
        }),
      ),
    );
    for (const other of [otherPrompt, noHeader, otherKey]) {
      expect(other.data.taskId).not.toBe(miss.data.taskId);
      expect(other).not.toHaveProperty('cached');
    }
    await clock.advance(600_000);
    const afterTtl = await json<TaskCreate>(await submit(request, cache));
    expect(afterTtl.data.taskId).not.toBe(miss.data.taskId);

    const invalid = await submit(request, { cache_key: 'has spaces' });
    expect(invalid.status).toBe(400);
    expect((await json<ErrorBody>(invalid)).error.code).toBe('invalid_cache_key');
  });
});

describe('FastRouter mock: Sora family (OpenAI Videos objects)', () => {
  it('runs queued → in_progress (rising progress) → completed, and streams the MP4 on getVideoResponse', async () => {
    const { clock, submit, getVideo, getVideoResponse, getAsyncResponse } = setup();
    const res = await submit(sora);
    expect(res.status).toBe(200);
    const created = await json<SoraVideo>(res);
    expect(created).toEqual({
      id: expect.stringMatching(SORA_ID),
      chat_id: expect.stringMatching(CHAT_ID),
      object: 'video',
      created_at: START / 1000,
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
    });
    expect(parseInt(created.id.slice(6, 14), 16)).toBe(START / 1000);

    const statuses: string[] = [];
    const progress: number[] = [];
    let body: SoraVideo | undefined;
    for (let i = 0; i < 100 && body?.status !== 'completed'; i++) {
      body = await json<SoraVideo>(await getVideo(created.id));
      statuses.push(body.status);
      if (body.status === 'in_progress') progress.push(body.progress ?? -1);
      if (body.status === 'queued') expect(body.progress).toBe(0);
      if (body.status !== 'completed') {
        expect(body.usage.credits_used).toBe(0);
        await clock.advance(10_000);
      }
    }
    expect([...new Set(statuses)]).toEqual(['queued', 'in_progress', 'completed']);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((p) => Number.isInteger(p) && p >= 0 && p < 100)).toBe(true);
    expect(progress.at(-1)).toBeGreaterThan(progress[0]!);
    expect(body).toMatchObject({
      status: 'completed',
      progress: 100,
      completed_at: expect.any(Number),
      usage: { credits_used: 4 },
    });
    expect(body!.expires_at! - body!.completed_at!).toBe(FASTROUTER_RETENTION_MS / 1000);

    await expectMp4(await getVideoResponse(created.id, 'openai/sora-2-pro'));
    const viaAsync = await getAsyncResponse(created.id, 'openai/sora-2-pro');
    expect(await json<SoraVideo>(viaAsync)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('answers JSON on getVideoResponse when soraCompletion is json', async () => {
    const { clock, submit, getVideoResponse } = setup({}, { soraCompletion: 'json' });
    const { id } = await json<SoraVideo>(await submit({ model: 'openai/sora-2', prompt: 'x' }));
    await clock.advance(60 * 60_000);
    const res = await getVideoResponse(id, 'openai/sora-2');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await json<SoraVideo>(res)).toMatchObject({
      status: 'completed',
      model: 'sora-2',
      seconds: '4',
      size: '720x1280',
      usage: { credits_used: 0.4 },
    });
  });

  it('needs the model for a non-fr_ id on getAsyncResponse, and a matching one on getVideoResponse', async () => {
    const { submit, getAsyncResponse, getVideoResponse } = setup();
    const { id } = await json<SoraVideo>(await submit(sora));
    for (const res of [
      await getAsyncResponse(id),
      await getVideoResponse(id, 'openai/sora-2'),
      await getAsyncResponse(id, 'google/veo3'),
    ]) {
      expect(res.status).toBe(400);
      expect(await json<ErrorBody>(res)).toEqual({
        error: {
          message: 'Invalid taskId or model',
          type: 'invalid_request_error',
          code: 'invalid_task_or_model',
          status: 400,
        },
      });
    }
    expect((await getAsyncResponse(id, 'openai/sora-2-pro')).status).toBe(200);
  });
});

describe('FastRouter mock: scenarios', () => {
  it('failed: a task ends failed with failMsg and is not billed', async () => {
    const { clock, submit, getAsyncResponse } = setup();
    const { data } = await json<TaskCreate>(await submit(veo3, { 'X-Reelkit-Scenario': 'failed' }));
    await clock.advance(60 * 60_000);
    const body = await json<TaskPoll>(await getAsyncResponse(data.taskId));
    expect(body.data).toMatchObject({
      status: 'failed',
      generations: [{ status: 'failed', failMsg: FASTROUTER_FAILURES.task.provider, url: '' }],
    });
    expect(body.data).not.toHaveProperty('costUsd');
    expect(body).not.toHaveProperty('fastrouter_assets');
    expect(body.usage).toEqual({
      api_key_credits_used: 0,
      user_key_credits_used: 0,
      credits_used: 0,
      provider: 'pollo',
    });
  });

  it('failed: a Sora job ends failed with an OpenAI-style error', async () => {
    const { clock, submit, getVideo } = setup();
    const { id } = await json<SoraVideo>(await submit({ ...sora, prompt: 'x [reelkit:failed]' }));
    await clock.advance(60 * 60_000);
    expect(await json<SoraVideo>(await getVideo(id))).toMatchObject({
      status: 'failed',
      completed_at: 0,
      error: FASTROUTER_FAILURES.sora.provider,
      usage: { credits_used: 0 },
    });
  });

  it('moderation: 403 Moderation Blocked at create by default', async () => {
    const { submit } = setup();
    for (const body of [veo3, sora]) {
      const res = await submit(body, { 'X-Reelkit-Scenario': 'moderation' });
      expect(res.status).toBe(403);
      expect(await json<ErrorBody>(res)).toEqual({
        error: {
          message: 'The input was flagged by the model’s content moderation system.',
          type: 'moderation_error',
          code: 'moderation_blocked',
          status: 403,
        },
      });
    }
  });

  it('moderation: a failed job instead when moderation is job', async () => {
    const { clock, submit, getVideo } = setup({}, { moderation: 'job' });
    const task = await json<TaskCreate>(
      await submit({ ...veo3, prompt: 'x [reelkit:moderation]' }),
    );
    const video = await json<SoraVideo>(await submit(sora, { 'X-Reelkit-Scenario': 'moderation' }));
    await clock.advance(60 * 60_000);
    const failedTask = await json<TaskPoll>(await getVideo(task.data.taskId));
    expect(failedTask.data.generations[0]?.failMsg).toBe(FASTROUTER_FAILURES.task.moderation);
    expect(await json<SoraVideo>(await getVideo(video.id))).toMatchObject({
      status: 'failed',
      error: { code: 'moderation_blocked' },
    });
  });

  it('slow: the job takes five times longer', async () => {
    const normal = setup({ seed: 3 });
    const slow = setup({ seed: 3 });
    const a = await json<TaskCreate>(await normal.submit(veo3));
    const b = await json<TaskCreate>(await slow.submit(veo3, { 'X-Reelkit-Scenario': 'slow' }));
    await normal.clock.advance(5 * 60_000);
    await slow.clock.advance(5 * 60_000);
    expect((await json<TaskPoll>(await normal.getVideo(a.data.taskId))).data.status).toBe(
      'succeed',
    );
    expect((await json<TaskPoll>(await slow.getVideo(b.data.taskId))).data.status).toBe(
      'processing',
    );
    await slow.clock.advance(10 * 60_000);
    expect((await json<TaskPoll>(await slow.getVideo(b.data.taskId))).data.status).toBe('succeed');
  });

  it('expired: the result is gone (404) as soon as the job ends', async () => {
    const { clock, submit, getVideo } = setup();
    const { data } = await json<TaskCreate>(
      await submit(veo3, { 'X-Reelkit-Scenario': 'expired' }),
    );
    await clock.advance(20_000);
    expect((await getVideo(data.taskId)).status).toBe(200);
    await clock.advance(10 * 60_000);
    const res = await getVideo(data.taskId);
    expect(res.status).toBe(404);
    expect((await json<ErrorBody>(res)).error.message).toBe('Invalid taskId or expired result');
  });

  it.each([
    [
      'insufficient-credits',
      402,
      'Your account or API key has run out of credits.',
      'insufficient_credits',
    ],
    ['rate-limit', 429, 'You have exceeded your request limits (TPM/RPM).', 'rate_limit_error'],
    ['server-error', 500, 'Something went wrong on our side.', 'api_error'],
    [
      'provider-error',
      502,
      'The selected model is currently unavailable or returned an invalid response.',
      'upstream_error',
    ],
  ])('%s answers %i in the error envelope', async (scenario, status, message, type) => {
    const { submit } = setup();
    const res = await submit(veo3, { 'X-Reelkit-Scenario': scenario });
    expect(res.status).toBe(status);
    expect(await json<ErrorBody>(res)).toMatchObject({ error: { message, type, status } });
    if (status === 429) {
      expect(res.headers.get('retry-after')).toBe('60');
      expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    }
  });

  it('rate-limits a poll too, and refuses a scenario whose status the route does not declare', async () => {
    const { submit, call } = setup();
    const { data } = await json<TaskCreate>(await submit(veo3));
    const path = `/api/v1/videos/${data.taskId}`;
    expect((await call(path, { headers: { 'X-Reelkit-Scenario': 'rate-limit' } })).status).toBe(
      429,
    );
    const refused = await call(path, { headers: { 'X-Reelkit-Scenario': 'provider-error' } });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'MOCK_ERR_UNKNOWN_SCENARIO',
    );
    const cancelled = await submit(veo3, { 'X-Reelkit-Scenario': 'cancelled' });
    expect(((await cancelled.json()) as { error: { code: string } }).error.code).toBe(
      'MOCK_ERR_UNKNOWN_SCENARIO',
    );
  });
});

describe('FastRouter mock: errors and auth', () => {
  it('rejects values outside the model table with the judge message', async () => {
    const { submit } = setup();
    const res = await submit({ ...veo3, length: 5 });
    expect(res.status).toBe(400);
    expect(await json<ErrorBody>(res)).toEqual({
      error: {
        message: 'Invalid length for google/veo3. Supported: 8',
        type: 'invalid_request_error',
        code: 'invalid_length',
        status: 400,
      },
    });
    const unknown = await json<ErrorBody>(
      await submit({ model: 'kling-ai/kling-v1-6', prompt: 'x' }),
    );
    expect(unknown.error.code).toBe('invalid_model');
    const image = await json<ErrorBody>(
      await submit({ model: 'runway/runway-gen-4-turbo', prompt: 'x' }),
    );
    expect(image.error.code).toBe('missing_image');
  });

  it("accepts the docs' image-to-video request without a prompt (only image is required)", async () => {
    const { clock, submit, getVideoResponse } = setup();
    const res = await submit({
      model: 'runway/runway-gen-3-turbo',
      image: 'https://example.com/image.jpg',
      length: 5,
      aspectRatio: '5:3',
    });
    expect(res.status).toBe(200);
    const created = await json<TaskCreate>(res);
    expect(created.data.status).toBe('waiting');
    await clock.advance(30 * 60_000);
    const done = await json<TaskPoll>(
      await getVideoResponse(created.data.taskId, 'runway/runway-gen-3-turbo'),
    );
    expect(done.data.status).toBe('succeed');
  });

  it.each([
    ['"seconds": "8" (the sample)', { seconds: '8' }],
    ['"seconds": 8 (the table lists numbers)', { seconds: 8 }],
    ['"length": 8 (the table says "length / seconds")', { length: 8 }],
  ])('Sora 2 Pro takes %s and answers seconds "8"', async (_name, duration) => {
    const { submit } = setup();
    const { seconds: _seconds, ...rest } = sora;
    const res = await submit({ ...rest, ...duration });
    expect(res.status).toBe(200);
    const created = await json<SoraVideo>(res);
    expect(created).toMatchObject({ seconds: '8', usage: { credits_used: 4 } });
  });

  it('rejects malformed bodies and wrong content types as 400', async () => {
    const { submit, call, post } = setup();
    const missing = await submit({ model: 'google/veo3', prompt: 42 });
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).error.message).toMatch(
      /^The request is malformed\. prompt: /,
    );
    const noPrompt = await submit({ model: 'pollo/pollo-v1-6', resolution: '720p' });
    expect(noPrompt.status).toBe(400);
    expect(await json<ErrorBody>(noPrompt)).toMatchObject({
      error: { message: 'prompt is required for pollo/pollo-v1-6', code: 'missing_prompt' },
    });
    const notJson = await call('/api/v1/videos', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const text = await call('/api/v1/videos', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(text.status).toBe(400);
    const noModel = await post('/api/v1/getVideoResponse', { taskId: 'fr_x' });
    expect(noModel.status).toBe(400);
    expect((await json<ErrorBody>(noModel)).error.message).toMatch(/model/);
  });

  it('answers 404 for unknown tasks on every poll route, other keys’ tasks and unknown paths', async () => {
    const { engine, call, submit, getVideo, getVideoResponse, getAsyncResponse } = setup({
      apiKeys: ['sk-v1-test', 'sk-v1-other'],
    });
    const notFound = {
      error: {
        message: 'Invalid taskId or expired result',
        type: 'not_found_error',
        code: 'task_not_found',
        status: 404,
      },
    };
    for (const res of [
      await getVideo('fr_01M1H4T9E9JC0VAQV11EBDQHFW'),
      await getVideoResponse('taskabc123', 'google/veo3'),
      await getAsyncResponse('fr_01M1Y389KN0KN28AT3733Q505H'),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(notFound);
    }
    const { data } = await json<TaskCreate>(await submit(veo3));
    const other = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos/${data.taskId}`, {
        headers: { authorization: 'Bearer sk-v1-other' },
      }),
    );
    expect(other.status).toBe(404);
    const route = await call('/api/v1/nope');
    expect(route.status).toBe(404);
    expect((await json<ErrorBody>(route)).error.code).toBe('not_found');
  });

  it('keeps finished tasks for 30 days, then answers 404', async () => {
    const { clock, submit, getVideo } = setup();
    const { data } = await json<TaskCreate>(await submit(veo3));
    await clock.advance(10 * 60_000);
    expect((await getVideo(data.taskId)).status).toBe(200);
    await clock.advance(FASTROUTER_RETENTION_MS - 10 * 60_000);
    expect((await getVideo(data.taskId)).status).toBe(200);
    await clock.advance(10 * 60_000);
    expect((await getVideo(data.taskId)).status).toBe(404);
  });

  it('answers 401 without a key or with an unknown one', async () => {
    const { engine } = setup({ apiKeys: ['sk-v1-test'] });
    const expected = {
      error: {
        message: 'Your API key is invalid, disabled, or your OAuth session has expired.',
        type: 'authentication_error',
        code: 'invalid_credentials',
        status: 401,
      },
    };
    const anonymous = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(veo3),
      }),
    );
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual(expected);
    const wrong = await engine.handle(
      new Request(`${ORIGIN}/api/v1/getAsyncResponse`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-v1-nope', 'content-type': 'application/json' },
        body: JSON.stringify({ taskId: 'fr_x' }),
      }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(expected);
  });

  it('lists the catalog without a key', async () => {
    const { engine } = setup();
    const res = await engine.handle(new Request(`${ORIGIN}/api/v1/models`));
    expect(res.status).toBe(200);
    const list = fastrouterSpec.FastRouterModelsListResponse.parse(await res.json());
    expect(list.data.map((m) => m.id)).toEqual(
      fastrouterSpec.FASTROUTER_CATALOG.map((e) => e.spec.id),
    );
  });
});

describe('FastRouter mock: determinism and control plane', () => {
  it('gives the same ids and timings for the same seed', async () => {
    const run = async () => {
      const { clock, submit, getVideo } = setup({ seed: 7 });
      const task = await json<TaskCreate>(await submit(veo3));
      const video = await json<SoraVideo>(await submit(sora));
      await clock.advance(60_000);
      return [
        task,
        video,
        await json(await getVideo(task.data.taskId)),
        await json(await getVideo(video.id)),
      ];
    };
    expect(await run()).toEqual(await run());
    const other = setup({ seed: 8 });
    const task = await json<TaskCreate>(await other.submit(veo3));
    expect(task.data.taskId).not.toBe(
      (await json<TaskCreate>(await setup({ seed: 7 }).submit(veo3))).data.taskId,
    );
  });

  it('shows the task family history on the control plane', async () => {
    const { clock, call, submit } = setup();
    const { data } = await json<TaskCreate>(await submit(veo3));
    await clock.advance(60_000);
    const detail = await json<{ history: { status: string }[]; canonicalStatus: string }>(
      await call(`/__reelkit/jobs/${data.taskId}`),
    );
    expect(detail.history.map((h) => h.status)).toEqual(['waiting', 'processing']);
    expect(detail.canonicalStatus).toBe('in_progress');
  });
});
