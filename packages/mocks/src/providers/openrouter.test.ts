import { openrouterSpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createMockEngine } from '../core/engine.js';
import { createOpenRouterMock, openrouterMock } from './openrouter.js';

const ORIGIN = 'https://openrouter.ai';
const auth = { authorization: 'Bearer sk-or-test' };

function setup(
  options: Parameters<typeof createMockEngine>[0] extends infer O ? Partial<O> : never = {},
) {
  const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 12) });
  const engine = createMockEngine({ provider: openrouterMock, clock, ...options });
  const call = (path: string, init: RequestInit = {}) =>
    engine.handle(
      new Request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string>) },
      }),
    );
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call('/api/v1/videos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { clock, engine, call, submit };
}

describe('OpenRouter mock', () => {
  it('runs submit → pending → in_progress → completed → download on virtual time', async () => {
    const { clock, engine, call, submit } = setup();
    const res = await submit({
      model: 'google/veo-3.1',
      prompt: 'a cat',
      duration: 8,
      resolution: '720p',
      aspect_ratio: '16:9',
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as { id: string; polling_url: string; status: string };
    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      polling_url: `${ORIGIN}/api/v1/videos/${created.id}`,
      status: 'pending',
    });

    const seen: string[] = [];
    let body: openrouterSpec.VideoGenerationResponse | undefined;
    for (let i = 0; i < 100; i++) {
      body = (await (
        await call(new URL(created.polling_url).pathname)
      ).json()) as openrouterSpec.VideoGenerationResponse;
      seen.push(body.status);
      if (body.status === 'completed') break;
      await clock.advance(10_000);
    }
    expect(new Set(seen)).toEqual(new Set(['pending', 'in_progress', 'completed']));
    expect(body).toMatchObject({
      status: 'completed',
      generation_id: expect.stringMatching(/^gen-/),
      usage: { cost: 4, is_byok: false },
    });
    expect(body?.unsigned_urls).toEqual([
      expect.stringMatching(
        new RegExp(`^${ORIGIN}/api/v1/videos/${created.id}/content\\?index=0&token=[\\w-]{32}$`),
      ),
    ]);

    const video = await call(`/api/v1/videos/${created.id}/content?index=0`);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await video.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
    expect(engine.diagnostics).toEqual([]);
  });

  it('answers 400 before completion and 404 for an index past the outputs', async () => {
    const { clock, call, submit } = setup();
    const { id } = (await (await submit({ model: 'google/veo-3.1-lite', prompt: 'x' })).json()) as {
      id: string;
    };
    const early = await call(`/api/v1/videos/${id}/content`);
    expect(early.status).toBe(400);
    expect(await early.json()).toEqual({
      error: { code: 400, message: 'Video is not ready: the job is pending' },
    });
    await clock.advance(10 * 60_000);
    expect((await call(`/api/v1/videos/${id}/content?index=1`)).status).toBe(404);
    expect((await call(`/api/v1/videos/${id}/content?index=-1`)).status).toBe(400);
  });

  it("downloads unsigned_urls[0] without a key, as the guide's example does; the bare route keeps requiring it", async () => {
    const { clock, engine, call, submit } = setup();
    const { id } = (await (await submit({ model: 'google/veo-3.1-lite', prompt: 'x' })).json()) as {
      id: string;
    };
    await clock.advance(10 * 60_000);
    const done = (await (await call(`/api/v1/videos/${id}`)).json()) as {
      unsigned_urls: string[];
    };
    const url = done.unsigned_urls[0]!;
    // `curl -sS -L "$(echo "$resp" | jq -r '.unsigned_urls[0]')" --output "$OUTPUT"`, no header.
    const anonymous = await engine.handle(new Request(url));
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await anonymous.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
    // With the key too (the skill sends it), and the bare content route with the key.
    expect((await call(new URL(url).pathname + new URL(url).search)).status).toBe(200);
    expect((await call(`/api/v1/videos/${id}/content?index=0`)).status).toBe(200);

    const token = new URL(url).searchParams.get('token')!;
    const bare = await engine.handle(new Request(`${ORIGIN}/api/v1/videos/${id}/content?index=0`));
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({
      error: { code: 401, message: 'Missing Authentication header' },
    });
    const wrongToken = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const forged = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos/${id}/content?index=0&token=${wrongToken}`),
    );
    expect(forged.status).toBe(401);
    // Another job's token opens nothing; an index past the outputs is still 404.
    expect(
      (await engine.handle(new Request(`${ORIGIN}/api/v1/videos/abc/content?token=${token}`)))
        .status,
    ).toBe(401);
    const past = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos/${id}/content?index=1&token=${token}`),
    );
    expect(past.status).toBe(404);
    expect(engine.diagnostics).toEqual([]);
  });

  it('accepts frame_images without prompt (OpenAPI), or refuses it with promptRequired (API reference, skill)', async () => {
    const body = {
      model: 'google/veo-3.1',
      frame_images: [
        {
          type: 'image_url',
          image_url: { url: 'https://example.com/first.png' },
          frame_type: 'first_frame',
        },
      ],
    };
    expect((await setup().submit(body)).status).toBe(202);
    const strict = setup({ provider: createOpenRouterMock({ promptRequired: true }) });
    const refused = await strict.submit(body);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: 400, message: 'prompt is required' } });
    // The API reference's own sample passes either way.
    const sample = {
      aspect_ratio: '16:9',
      duration: 8,
      model: 'google/veo-3.1',
      prompt: 'A serene mountain landscape at sunset',
      resolution: '720p',
    };
    expect((await strict.submit(sample)).status).toBe(202);
    expect((await setup().submit({ model: 'google/veo-3.1' })).status).toBe(400);
  });

  it('answers 404 to a valid token whose job is gone', async () => {
    const { clock, engine, call, submit } = setup();
    const { id } = (await (await submit({ model: 'google/veo-3.1-lite', prompt: 'x' })).json()) as {
      id: string;
    };
    await clock.advance(10 * 60_000);
    const done = (await (await call(`/api/v1/videos/${id}`)).json()) as { unsigned_urls: string[] };
    engine.reset();
    expect((await engine.handle(new Request(done.unsigned_urls[0]!))).status).toBe(404);
  });

  it('gives different engines different tokens (unguessable from the seed)', async () => {
    const urls = await Promise.all(
      [createOpenRouterMock(), createOpenRouterMock()].map(async (provider) => {
        const { clock, call, submit } = setup({ provider, seed: 1 });
        const { id } = (await (
          await submit({ model: 'google/veo-3.1-lite', prompt: 'x' })
        ).json()) as {
          id: string;
        };
        await clock.advance(10 * 60_000);
        return ((await (await call(`/api/v1/videos/${id}`)).json()) as { unsigned_urls: string[] })
          .unsigned_urls[0]!;
      }),
    );
    expect(new URL(urls[0]!).pathname).toBe(new URL(urls[1]!).pathname);
    expect(urls[0]).not.toBe(urls[1]);
  });

  it.each([
    ['failed', 'failed', 'Provider returned error'],
    ['moderation', 'failed', 'Content policy violation'],
    ['cancelled', 'cancelled', 'Job was cancelled'],
    ['expired', 'expired', 'Job exceeded maximum time to live'],
  ])('scenario %s ends %s with the documented error string', async (scenario, status, message) => {
    const { clock, call, submit } = setup();
    const { id } = (await (
      await submit({ model: 'google/veo-3.1', prompt: 'x' }, { 'X-Reelkit-Scenario': scenario })
    ).json()) as { id: string };
    await clock.advance(60 * 60_000);
    expect(await (await call(`/api/v1/videos/${id}`)).json()).toMatchObject({
      status,
      error: message,
    });
  });

  it('reads the scenario from a prompt token', async () => {
    const { clock, call, submit } = setup();
    const { id } = (await (
      await submit({ model: 'google/veo-3.1', prompt: 'a cat [reelkit:moderation]' })
    ).json()) as { id: string };
    await clock.advance(60 * 60_000);
    expect(await (await call(`/api/v1/videos/${id}`)).json()).toMatchObject({
      status: 'failed',
      error: 'Content policy violation',
    });
  });

  it.each([
    [
      'insufficient-credits',
      402,
      'Insufficient credits. Add more using https://openrouter.ai/credits',
    ],
    ['rate-limit', 429, 'Rate limit exceeded'],
    ['server-error', 500, 'Internal Server Error'],
  ])('scenario %s answers %i in the envelope', async (scenario, status, message) => {
    const { submit } = setup();
    const res = await submit(
      { model: 'google/veo-3.1', prompt: 'x' },
      { 'X-Reelkit-Scenario': scenario },
    );
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { code: status, message } });
    if (status === 429) expect(res.headers.get('retry-after')).toBe('30');
  });

  it('rejects out-of-set values, bad JSON and missing auth in the envelope', async () => {
    const { submit, call } = setup();
    const bad = await submit({ model: 'google/veo-3.1', prompt: 'x', duration: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /supported: 4, 6, 8/,
    );
    const typed = await submit({ model: 'google/veo-3.1', prompt: 'x', duration: 'long' });
    expect(((await typed.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid request parameters: duration:/,
    );
    const notJson = await call('/api/v1/videos', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const anonymous = await engineless();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { code: 401, message: 'Missing Authentication header' },
    });
    async function engineless() {
      const { engine } = setup();
      return engine.handle(new Request(`${ORIGIN}/api/v1/videos/abc`));
    }
  });

  it('enforces a configured key list and scopes jobs to their key', async () => {
    const { engine, submit } = setup({ apiKeys: ['sk-or-test', 'sk-or-other'] });
    const wrong = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos/x`, { headers: { authorization: 'Bearer nope' } }),
    );
    expect(await wrong.json()).toEqual({ error: { code: 401, message: 'User not found.' } });
    const { id } = (await (await submit({ model: 'google/veo-3.1', prompt: 'x' })).json()) as {
      id: string;
    };
    const other = await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos/${id}`, {
        headers: { authorization: 'Bearer sk-or-other' },
      }),
    );
    expect(other.status).toBe(404);
  });

  it('serves the catalog without a key, and relative polling URLs on request', async () => {
    const { engine } = setup();
    const models = await engine.handle(new Request(`${ORIGIN}/api/v1/videos/models`));
    expect(models.status).toBe(200);
    expect(
      openrouterSpec.VideoModelsListResponse.parse(await models.json()).data.map((m) => m.id),
    ).toContain('google/veo-3.1');
    const relative = createMockEngine({
      provider: createOpenRouterMock({ pollingUrl: 'relative' }),
    });
    const res = await relative.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x' }),
      }),
    );
    expect(((await res.json()) as { polling_url: string }).polling_url).toMatch(
      /^\/api\/v1\/videos\/[A-Za-z0-9]{20}$/,
    );
  });

  it('gives the same ids for the same seed', async () => {
    const a = await (
      await setup({ seed: 7 }).submit({ model: 'google/veo-3.1', prompt: 'x' })
    ).json();
    const b = await (
      await setup({ seed: 7 }).submit({ model: 'google/veo-3.1', prompt: 'x' })
    ).json();
    expect(a).toEqual(b);
  });

  it('shows jobs and their history on the control plane', async () => {
    const { clock, call, submit } = setup();
    const { id } = (await (await submit({ model: 'google/veo-3.1', prompt: 'x' })).json()) as {
      id: string;
    };
    await clock.advance(20_000);
    const detail = (await (await call(`/__reelkit/jobs/${id}`)).json()) as {
      history: { status: string }[];
      status: string;
    };
    expect(detail.history.map((h) => h.status)).toEqual(['pending', 'in_progress']);
    const advanced = await call('/__reelkit/clock/advance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 600 }),
    });
    expect(advanced.status).toBe(200);
    expect(
      ((await (await call(`/__reelkit/jobs/${id}`)).json()) as { status: string }).status,
    ).toBe('completed');
  });
});
