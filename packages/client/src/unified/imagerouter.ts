/**
 * ImageRouter in the unified interface: `duration` → `seconds`, resolution/aspect ratio/size →
 * `size` (`WIDTHxHEIGHT`), images → uploaded files (`image[]`, multipart). ImageRouter silently
 * replaces a duration or size the model does not offer with its default, so the client refuses
 * those up front. The flow is one long request; its 3 s heartbeats become progress events.
 * @internal
 * @module
 */
import type { LifecycleDef, z } from '@reelkit/spec';
import { imagerouter, imagerouterSpec, statusWith } from '@reelkit/spec';
import { GenerationFailedError } from '../core/errors.js';
import type { ImageRouterClient } from '../providers/imagerouter.js';
import { Checker, decodeDataUri, imageFile, requestedSize } from './checks.js';
import { fetchVideoUrl } from './fetch-url.js';
import type { RouterFlow } from './router-flow.js';

type Body =
  | z.input<typeof imagerouterSpec.VideoGenerationRequest>
  | z.input<typeof imagerouterSpec.VideoGenerationMultipartRequest>;

const lifecycle: LifecycleDef =
  imagerouter.lifecycles.video ?? imagerouterSpec.imagerouterLifecycle;
/** The status a failed generation ends in. */
const failed = statusWith(lifecycle, 'failed');

/**
 * ImageRouter's mapping and flow.
 *
 * @example
 * const body = await imagerouterFlow.prepare({ provider: 'imagerouter', model: 'ir/test-video' }, caps);
 */
export const imagerouterFlow: RouterFlow<ImageRouterClient, Body> = {
  async prepare(request, caps) {
    const check: Checker = new Checker('imagerouter', request.model);
    check.single(request.count);
    check.absent('negativePrompt', request.negativePrompt);
    check.absent('seed', request.seed);
    check.audio(request.audio, caps, false);
    check.oneOf('duration', request.duration, caps?.durations);
    const size = requestedSize(request, caps, check);
    if (size !== undefined && caps?.sizes) {
      const from =
        request.size === undefined
          ? ` (from resolution ${request.resolution ?? 'default'} and aspect ratio ${request.aspectRatio ?? '16:9'})`
          : '';
      if (!caps.sizes.includes(size)) {
        check.fail(
          'size',
          size,
          caps.sizes,
          `size ${size}${from} is not offered by ${request.model}`,
        );
      }
    }
    check.images(request.images, caps, { max: 1, roles: ['first_frame'] });
    const files: File[] = [];
    for (const [i, image] of (request.images ?? []).entries()) {
      const file = await imageFile(image, i);
      if (!file) {
        check.fail(
          'images',
          'url' in image ? image.url : 'image',
          undefined,
          'ImageRouter reads uploaded image files, not URLs: pass { data } (or a data: URI)',
        );
      }
      files.push(file);
    }
    return {
      model: request.model,
      ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
      ...(request.duration !== undefined ? { seconds: request.duration } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(files.length > 0 ? { 'image[]': files } : {}),
      ...request.providerOptions,
    };
  },

  async run(client, body, ctx) {
    ctx.observe(lifecycle, { status: lifecycle.initial }, 'submit');
    const result = await client
      .createVideo(
        { body },
        ctx.callOptions({
          ...(ctx.init.headers ? { headers: ctx.init.headers } : {}),
          onHeartbeat: () => ctx.observe(lifecycle, { status: lifecycle.initial }, 'heartbeat'),
        }),
      )
      .catch((error: unknown) => {
        // A failure after validation (HTTP 200 with an error body) ends the request `failed`.
        if (error instanceof GenerationFailedError) {
          ctx.observe(lifecycle, { status: failed }, 'response');
        }
        throw ctx.restate(error);
      });
    ctx.observe(lifecycle, { status: lifecycle.success }, 'response');
    const videos = result.data.map((item) =>
      item.b64_json !== undefined
        ? { bytes: decodeDataUri(item.b64_json).bytes, mimeType: 'video/mp4' }
        : { url: item.url ?? '', mimeType: 'video/mp4' },
    );
    return {
      providerStatus: lifecycle.success,
      videos,
      cost: result.cost,
      raw: { final: result },
      download: (index, options) =>
        fetchVideoUrl(client.transport, videos[index]?.url ?? '', options),
    };
  },
};
