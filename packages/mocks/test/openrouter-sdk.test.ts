/**
 * OpenRouter's official TypeScript SDK (`@openrouter/sdk`, pinned in package.json) runs its whole
 * video flow against the mock, unmodified: list models, generate, poll, download. In-process
 * through msw at the SDK's default server URL, and over HTTP against the fastify mount. The SDK
 * parses every answer with its own schemas, so any mismatch with the real API fails here.
 */
import { OpenRouter } from '@openrouter/sdk';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenMockServer } from '../src/adapters/fastify.js';
import { createMswHandlers } from '../src/adapters/msw.js';
import type { ControllableClock } from '../src/core/clock.js';
import { createManualClock } from '../src/core/clock.js';
import type { MockEngine } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { openrouterMock } from '../src/providers/openrouter.js';
import { expectMp4 } from './journeys.js';

const API_KEY = 'sk-or-v1-sdk-test';
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The SDK's flow, as its README and OpenRouter's guide run it, on the mock's virtual clock. */
async function sdkFlow(sdk: OpenRouter, clock: ControllableClock, engine: MockEngine) {
  const models = await sdk.videoGeneration.listVideosModels();
  const veo = models.data.find((m) => m.id === 'google/veo-3.1');
  expect(veo?.supportedDurations).toContain(8);

  const submitted = await sdk.videoGeneration.generate({
    videoGenerationRequest: {
      model: 'google/veo-3.1',
      prompt: 'A serene mountain landscape at sunset',
      aspectRatio: '16:9',
      duration: 8,
      resolution: '720p',
    },
  });
  expect(submitted.status).toBe('pending');
  expect(submitted.pollingUrl).toContain(`/videos/${submitted.id}`);

  const seen: string[] = [];
  let job = submitted;
  for (let i = 0; i < 60 && !TERMINAL.has(job.status); i++) {
    await clock.advance(10_000);
    job = await sdk.videoGeneration.getGeneration({ jobId: submitted.id });
    seen.push(job.status);
  }
  expect(job.status).toBe('completed');
  expect(seen).toContain('in_progress');
  expect(job.usage?.cost).toBeGreaterThan(0);
  expect(job.unsignedUrls).toHaveLength(1);

  const video = await bytesOf(
    await sdk.videoGeneration.getVideoContent({ jobId: submitted.id, index: 0 }),
  );
  expectMp4(video, { width: 1280, height: 720, seconds: 8 });

  // OpenRouter-authored clients then fetch unsigned_urls[0] with no Authorization header.
  const anonymous = await fetch(job.unsignedUrls![0]!);
  expect(anonymous.status).toBe(200);
  expect(new Uint8Array(await anonymous.arrayBuffer())).toEqual(video);
  expect(engine.diagnostics).toEqual([]);
}

describe('@openrouter/sdk against the OpenRouter mock', () => {
  describe('in-process through msw, at the SDK default server URL', () => {
    const clock = createManualClock();
    const engine = createMockEngine({ provider: openrouterMock, clock, apiKeys: [API_KEY] });
    const server = setupServer(...createMswHandlers(engine));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('lists models, generates, polls and downloads a playable MP4', async () => {
      await sdkFlow(new OpenRouter({ apiKey: API_KEY }), clock, engine);
    });

    it("surfaces the mock's 401 as the SDK's typed error", async () => {
      const sdk = new OpenRouter({ apiKey: 'sk-or-v1-wrong' });
      await expect(
        sdk.videoGeneration.generate({
          videoGenerationRequest: { model: 'google/veo-3.1', prompt: 'x' },
        }),
      ).rejects.toMatchObject({ statusCode: 401 });
    });
  });

  it('over HTTP against the fastify mount', async () => {
    const clock = createManualClock();
    const engine = createMockEngine({ provider: openrouterMock, clock, apiKeys: [API_KEY] });
    const server = await listenMockServer({ engine, port: 0 });
    try {
      await sdkFlow(new OpenRouter({ apiKey: API_KEY, serverURL: server.baseUrl }), clock, engine);
    } finally {
      await server.close();
    }
  });
});
