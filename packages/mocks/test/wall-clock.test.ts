/**
 * Issue #11, item 1: what a client compares with its own clock (webhook signature timestamps and
 * every timestamp in a body) is wall-clock time, even when the mock's clock runs ×30.
 */
import type { fastrouterSpec } from '@reelkit/spec';
import { imagerouterSpec, openrouterSpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import type { ControllableClock } from '../src/core/clock.js';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { fastrouterMock } from '../src/providers/fastrouter/index.js';
import { imagerouterMock } from '../src/providers/imagerouter/index.js';
import { openrouterMock } from '../src/providers/openrouter.js';

const START = Date.UTC(2026, 11, 4, 10);
const SCALE = 30;
const SECRET = 'whsec_wall';
/** The usual receiver rule, and what the client's verifyWebhook does by default. */
const TOLERANCE_SECONDS = 300;

/**
 * A ×30 clock on virtual time: simulated time moves when the test says, and the wall clock
 * behind it moves 30 times slower, exactly as createRealClock maps the two (see clock.test.ts).
 */
function scaledClock(): ControllableClock {
  const manual = createManualClock({ start: START });
  const wallTime = (at: number) => START + Math.floor((at - START) / SCALE);
  return {
    mode: 'manual',
    now: manual.now,
    schedule: manual.schedule,
    sleep: manual.sleep,
    advance: manual.advance,
    nextAt: manual.nextAt,
    get pending() {
      return manual.pending;
    },
    wallNow: () => wallTime(manual.now()),
    wallTime,
  };
}

const json = { 'content-type': 'application/json' };

describe('timestamps on a ×30 clock', () => {
  it('OpenRouter signs webhooks with the wall clock, and created_at is never ahead of it', async () => {
    const clock = scaledClock();
    const deliveries: { headers: Record<string, string>; body: string; wallAt: number }[] = [];
    const engine = createMockEngine({
      provider: openrouterMock,
      clock,
      webhooks: {
        secret: SECRET,
        fetch: (async (_url: string, init: RequestInit) => {
          deliveries.push({
            headers: init.headers as Record<string, string>,
            body: String(init.body),
            wallAt: clock.wallNow(),
          });
          return new Response(null, { status: 204 });
        }) as typeof fetch,
      },
    });
    const submitWall = clock.wallNow();
    const res = await engine.handle(
      new Request('https://openrouter.ai/api/v1/videos', {
        method: 'POST',
        headers: { authorization: 'Bearer k', ...json },
        body: JSON.stringify({
          model: 'google/veo-3.1',
          prompt: 'x',
          callback_url: 'https://example.com/hook',
        }),
      }),
    );
    expect(res.status).toBe(202);
    // 20 real seconds: 600 simulated, well past the job's end (at most 135 s).
    for (let i = 0; i < 20; i++) {
      await clock.advance(30_000);
      await engine.webhooks.idle();
    }
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const header = openrouterSpec.parseSignatureHeader(
      delivery!.headers['x-openrouter-signature'] ?? '',
    );
    expect(header).toBeDefined();
    const receiverNow = Math.floor(delivery!.wallAt / 1000);
    expect(header!.timestamp).toBe(receiverNow);
    expect(Math.abs(header!.timestamp - receiverNow)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
    expect(header!.signatures).toContain(
      openrouterSpec.computeSignature({
        secret: SECRET,
        timestamp: header!.timestamp,
        rawBody: delivery!.body,
      }),
    );
    // Simulated time is 600 s ahead: the old signature would have been refused.
    expect(Math.floor(clock.now() / 1000) - receiverNow).toBeGreaterThan(TOLERANCE_SECONDS);
    const event = openrouterSpec.VideoWebhookEvent.parse(JSON.parse(delivery!.body));
    const createdAt = Date.parse(event.created_at);
    expect(createdAt).toBeGreaterThanOrEqual(submitWall);
    expect(createdAt).toBeLessThanOrEqual(delivery!.wallAt);
    expect(engine.diagnostics).toEqual([]);
  });

  it('FastRouter Sora: created_at, completed_at and expires_at in wall-clock seconds, durations compressed', async () => {
    const clock = scaledClock();
    const engine = createMockEngine({ provider: fastrouterMock, clock });
    const call = (path: string, body: unknown) =>
      engine.handle(
        new Request(`https://go.fastrouter.ai/api/v1${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer k', ...json },
          body: JSON.stringify(body),
        }),
      );
    const created = (await (
      await call('/videos', { model: 'openai/sora-2-pro', prompt: 'x', seconds: '4' })
    ).json()) as fastrouterSpec.FastRouterSoraVideo;
    expect(created.created_at).toBe(START / 1000);
    let video = created;
    for (let i = 0; i < 100 && video.status !== 'completed'; i++) {
      await clock.advance(30_000);
      const res = await call('/getVideoResponse', {
        taskId: created.id,
        model: 'openai/sora-2-pro',
      });
      if (res.headers.get('content-type')?.includes('json')) {
        video = (await res.json()) as fastrouterSpec.FastRouterSoraVideo;
      } else {
        await res.arrayBuffer();
        video = (await (
          await engine.handle(
            new Request(`https://go.fastrouter.ai/api/v1/videos/${created.id}`, {
              headers: { authorization: 'Bearer k' },
            }),
          )
        ).json()) as fastrouterSpec.FastRouterSoraVideo;
      }
    }
    expect(video.status).toBe('completed');
    const wallNowSeconds = Math.floor(clock.wallNow() / 1000);
    const completedAt = video.completed_at ?? 0;
    expect(completedAt).toBeGreaterThan(video.created_at);
    expect(completedAt).toBeLessThanOrEqual(wallNowSeconds);
    const job = engine.jobs.get(created.id)!;
    const simulatedSeconds = ((job.timeline.at(-1)?.at ?? 0) - job.createdAt) / 1000;
    expect(completedAt - video.created_at).toBe(
      Math.floor(clock.wallTime(job.timeline.at(-1)!.at) / 1000) - START / 1000,
    );
    expect(completedAt - video.created_at).toBeLessThan(simulatedSeconds);
    expect(engine.diagnostics).toEqual([]);
  });

  it('ImageRouter: created (ms) is when the answer is made on the wall clock; latency stays simulated', async () => {
    const clock = scaledClock();
    const engine = createMockEngine({ provider: imagerouterMock, clock });
    const res = await engine.handle(
      new Request('https://api.imagerouter.io/v1/openai/videos/generations', {
        method: 'POST',
        headers: { authorization: 'Bearer k', ...json },
        body: JSON.stringify({ model: 'google/veo-3.1-fast', prompt: 'x' }),
      }),
    );
    const text = res.text();
    await clock.advance(10 * 60_000);
    const body = imagerouterSpec.VideoGenerationResponse.parse(JSON.parse((await text).trim()));
    expect(body.created).toBe(START + Math.floor(body.latency / SCALE));
    expect(body.created).toBeLessThanOrEqual(clock.wallNow());
    expect(engine.diagnostics).toEqual([]);
  });
});
