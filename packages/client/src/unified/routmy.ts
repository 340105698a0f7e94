/**
 * rout.my in the unified interface: fields map almost one to one (`size` → `resolution:
 * 'WIDTHxHEIGHT'`, `count` → `n`, images → `input_image` as a URL or data URI). rout.my clamps the
 * duration to the model's range itself. The flow is one request held open while the provider
 * renders (15 min by default); a 502 there is the generation failing.
 * @internal
 * @module
 */
import type { LifecycleDef, z } from '@reelkit/spec';
import { routmy, routmySpec, statusWith } from '@reelkit/spec';
import { GenerationFailedError, ServerError } from '../core/errors.js';
import type { RoutMyClient } from '../providers/routmy.js';
import { Checker, imageUrl, requestedSize } from './checks.js';
import { fetchVideoUrl } from './fetch-url.js';
import type { RouterFlow } from './router-flow.js';

type Body = z.input<typeof routmySpec.RoutMyVideoRequest>;

const lifecycle: LifecycleDef = routmy.lifecycles.video ?? routmySpec.routmyLifecycle;
/** The status a failed render ends in. */
const failed = statusWith(lifecycle, 'failed');
/** "502 Upstream provider failed or no provider succeeded": the render failed. */
const RENDER_FAILED_STATUS = routmy.facts.errors.provider_error.status;

/**
 * rout.my's mapping and flow.
 *
 * @example
 * const body = await routmyFlow.prepare({ provider: 'routmy', model: 'google/veo-3.1', prompt: 'a cat' }, caps);
 */
export const routmyFlow: RouterFlow<RoutMyClient, Body> = {
  async prepare(request, caps) {
    const check: Checker = new Checker('routmy', request.model);
    const limits = routmySpec.findRoutMyModel(request.model)?.limits;
    if (request.count !== undefined && limits && request.count > limits.maxCount) {
      check.fail(
        'count',
        request.count,
        Array.from({ length: limits.maxCount }, (_, i) => i + 1),
      );
    }
    let resolution: string | undefined;
    if (request.size !== undefined) {
      resolution = requestedSize({ size: request.size }, caps, check);
      const tier = resolution ? routmySpec.resolutionClass(resolution) : undefined;
      if (caps?.resolutions && tier && !caps.resolutions.includes(tier)) {
        check.fail(
          'size',
          request.size,
          caps.resolutions,
          `size ${request.size} is a ${tier} video, which ${request.model} does not render`,
        );
      }
    } else {
      check.oneOf('resolution', request.resolution, caps?.resolutions);
      resolution = request.resolution;
    }
    check.oneOf('aspectRatio', request.aspectRatio, caps?.aspectRatios);
    check.audio(request.audio, caps, true);
    check.seed(request.seed, caps);
    check.images(request.images, caps, { max: 1, roles: ['first_frame', 'reference'] });
    const image = request.images?.[0] ? await imageUrl(request.images[0]) : undefined;
    return {
      model: request.model,
      prompt: request.prompt ?? '',
      ...(image !== undefined ? { input_image: image } : {}),
      ...(request.duration !== undefined ? { duration: request.duration } : {}),
      ...(resolution !== undefined ? { resolution } : {}),
      ...(request.aspectRatio !== undefined && request.size === undefined
        ? { aspect_ratio: request.aspectRatio }
        : {}),
      ...(request.count !== undefined ? { n: request.count } : {}),
      ...(request.audio !== undefined ? { audio: request.audio } : {}),
      ...(request.negativePrompt !== undefined ? { negative_prompt: request.negativePrompt } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...request.providerOptions,
    };
  },

  async run(client, body, ctx) {
    ctx.observe(lifecycle, { status: lifecycle.initial }, 'submit');
    const result = await client
      .createVideo({ body }, ctx.callOptions(ctx.init.headers ? { headers: ctx.init.headers } : {}))
      .catch((error: unknown) => {
        if (error instanceof ServerError && error.status === RENDER_FAILED_STATUS) {
          ctx.observe(lifecycle, { status: failed }, 'response');
          throw new GenerationFailedError({
            provider: 'routmy',
            jobId: ctx.jobId,
            status: 'failed',
            providerStatus: failed,
            ...(error.providerMessage !== undefined
              ? { providerMessage: error.providerMessage }
              : {}),
            ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
            raw: error.body,
            cause: error,
          });
        }
        throw ctx.restate(error);
      });
    ctx.observe(lifecycle, { status: lifecycle.success }, 'response');
    const videos = result.videos.map((v) => ({ url: v.url, mimeType: v.mime_type }));
    return {
      providerStatus: lifecycle.success,
      videos,
      raw: { final: result },
      download: (index, options) =>
        fetchVideoUrl(client.transport, videos[index]?.url ?? '', options),
    };
  },
};
