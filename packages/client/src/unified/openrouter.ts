/**
 * OpenRouter in the unified interface: fields map one to one (`aspectRatio` → `aspect_ratio`,
 * images → `frame_images` / `input_references`, `audio` → `generate_audio`); the flow is submit
 * (202) → poll `GET /videos/{id}` → download from `unsigned_urls` (authenticated content route).
 * @internal
 * @module
 */
import type { LifecycleDef, z } from '@reelkit/spec';
import { openrouter, openrouterSpec } from '@reelkit/spec';
import { GenerationFailedError, isModeration } from '../core/errors.js';
import type { OpenRouterClient } from '../providers/openrouter.js';
import { Checker, imageUrl } from './checks.js';
import { fetchVideoUrl } from './fetch-url.js';
import { pollUntilTerminal } from './flow.js';
import type { RouterFlow } from './router-flow.js';

type Body = z.input<typeof openrouterSpec.VideoGenerationRequest>;
type Job = z.output<typeof openrouterSpec.VideoGenerationResponse>;
type FrameImage = NonNullable<Body['frame_images']>[number];
type Reference = NonNullable<Body['input_references']>[number];

const lifecycle: LifecycleDef = openrouter.lifecycles.video ?? openrouterSpec.openrouterLifecycle;

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

  async run(client, body, ctx, { request, cadence }) {
    const submitted = await client
      // A submit is quick: a minute at most, even when the whole call may take half an hour.
      .createVideo(
        { body },
        ctx.callOptions(ctx.init.headers ? { headers: ctx.init.headers } : {}, 60_000),
      )
      .catch((error: unknown) => {
        throw ctx.restate(error);
      });
    ctx.jobId = submitted.id;
    ctx.submittedAt = ctx.clock.now();
    ctx.observe(lifecycle, { status: submitted.status }, 'submit');
    let final: Job = submitted;
    if (!lifecycle.terminal.includes(submitted.status)) {
      final = await pollUntilTerminal(
        ctx,
        {
          ...(cadence ?? { initialMs: 10_000, maxMs: 30_000, factor: 1.5, jitter: 0.2 }),
          ...(request.pollIntervalMs !== undefined ? { firstMs: request.pollIntervalMs } : {}),
        },
        (options) => client.getVideo({ params: { jobId: submitted.id } }, options),
        (job) => {
          ctx.observe(lifecycle, { status: job.status }, 'poll');
          return lifecycle.terminal.includes(job.status);
        },
      );
    }
    const canonical = lifecycle.canonical[final.status];
    if (canonical !== 'completed') {
      throw new GenerationFailedError({
        provider: 'openrouter',
        jobId: final.id,
        status: canonical === 'cancelled' || canonical === 'expired' ? canonical : 'failed',
        providerStatus: final.status,
        ...(final.error !== undefined ? { providerMessage: final.error } : {}),
        moderated: isModeration({ message: final.error ?? '' }),
        raw: final,
      });
    }
    const urls = final.unsigned_urls ?? [];
    const base = client.transport.baseUrl;
    const jobId = final.id;
    return {
      providerStatus: final.status,
      videos: urls.map((url) => ({ url, mimeType: 'video/mp4' })),
      ...(typeof final.usage?.cost === 'number' ? { cost: final.usage.cost } : {}),
      raw: { submit: submitted, final },
      download: async (index, options) => {
        const url = urls[index] ?? '';
        // The authenticated content route, when the URL is OpenRouter's own proxy.
        if (url.startsWith(`${base}/`) || url === '') {
          return client.getVideoContent({ params: { jobId }, query: { index } }, options);
        }
        return fetchVideoUrl(client.transport, url, options);
      },
    };
  },
};
