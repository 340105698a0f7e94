/**
 * OpenRouter in the unified interface: fields map one to one (`aspectRatio` → `aspect_ratio`,
 * images → `frame_images` / `input_references`, `audio` → `generate_audio`); the flow is the
 * generic asynchronous-job flow on its `facts.job`: submit (202) → poll `GET /videos/{id}` →
 * download from `unsigned_urls` (authenticated content route).
 * @internal
 * @module
 */
import type { z, openrouterSpec } from '@reelkit/spec';
import { openrouter } from '@reelkit/spec';
import type { OpenRouterClient } from '../providers/openrouter.js';
import { Checker, imageUrl } from './checks.js';
import { runAsyncJob } from './async-job.js';
import type { RouterFlow } from './router-flow.js';

type Body = z.input<typeof openrouterSpec.VideoGenerationRequest>;
type Job = z.output<typeof openrouterSpec.VideoGenerationResponse>;
type FrameImage = NonNullable<Body['frame_images']>[number];
type Reference = NonNullable<Body['input_references']>[number];

/**
 * OpenRouter's mapping and flow.
 *
 * @example
 * const body = await openrouterFlow.prepare({ provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a cat' }, caps);
 */
export const openrouterFlow: RouterFlow<OpenRouterClient, Body> = {
  async prepare(request, caps) {
    const check: Checker = new Checker('openrouter', request.model);
    check.single(request.count);
    check.absent(
      'negativePrompt',
      request.negativePrompt,
      'OpenRouter has no negative prompt; pass it in providerOptions.provider.options',
    );
    check.oneOf('duration', request.duration, caps?.durations);
    check.oneOf('resolution', request.resolution, caps?.resolutions);
    check.oneOf('aspectRatio', request.aspectRatio, caps?.aspectRatios);
    check.oneOf('size', request.size, caps?.sizes);
    check.audio(request.audio, caps, true);
    check.seed(request.seed, caps);
    const images = request.images ?? [];
    const frames: FrameImage[] = [];
    const references: Reference[] = [];
    for (const [i, image] of images.entries()) {
      const role = image.role ?? (i === 0 ? 'first_frame' : 'last_frame');
      const url = await imageUrl(image);
      if (role === 'reference') {
        references.push({ type: 'image_url', image_url: { url } });
        continue;
      }
      if (caps && !caps.frameImages?.includes(role)) {
        check.fail('images.role', role, caps.frameImages ?? []);
      }
      frames.push({ type: 'image_url', image_url: { url }, frame_type: role });
    }
    if (frames.length > 2) check.fail('images', `${frames.length} frames`, [2]);
    if (references.length > 0 && caps && !caps.imageInput) {
      check.fail('images', 'reference images', undefined, `${request.model} takes no input image`);
    }
    return {
      model: request.model,
      ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
      ...(request.duration !== undefined ? { duration: request.duration } : {}),
      ...(request.resolution !== undefined
        ? { resolution: request.resolution as Body['resolution'] }
        : {}),
      ...(request.aspectRatio !== undefined
        ? { aspect_ratio: request.aspectRatio as Body['aspect_ratio'] }
        : {}),
      ...(request.size !== undefined ? { size: request.size } : {}),
      ...(frames.length > 0 ? { frame_images: frames } : {}),
      ...(references.length > 0 ? { input_references: references } : {}),
      ...(request.audio !== undefined ? { generate_audio: request.audio } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...request.providerOptions,
    };
  },

  run: (client, body, ctx, { request, cadence }) =>
    runAsyncJob(
      openrouter,
      client,
      body,
      ctx,
      {
        ...(cadence ? { cadence } : {}),
        ...(request.pollIntervalMs !== undefined ? { pollIntervalMs: request.pollIntervalMs } : {}),
      },
      { cost: (final) => (final as Job).usage?.cost ?? undefined },
    ),
};
