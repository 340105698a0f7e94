/**
 * The ImageRouter client: `createVideo` (one synchronous request, JSON or multipart with image
 * files), the model listings and credits, typed from the spec's route table. ImageRouter answers
 * HTTP 200 as soon as generation starts, then writes a space every 3 s and finally the JSON, so
 * the body may start with whitespace and a failure after that point still has status 200:
 * `createVideo` turns those error bodies into typed errors.
 * @module
 */
import type { z } from '@reelkit/spec';
import { imagerouter, imagerouterSpec } from '@reelkit/spec';
import type { CallOptions } from '../core/call-route.js';
import type { ReelkitError } from '../core/errors.js';
import {
  APIError,
  BadRequestError,
  GenerationFailedError,
  isModeration,
  providerErrorFields,
} from '../core/errors.js';
import type { ClientOptions, RouteMethods } from '../core/route-client.js';
import { invokeRoute, routeSettings } from '../core/route-client.js';
import type { RouteInput } from '../core/route-types.js';
import type { ClientBase } from './base.js';
import { buildClient } from './base.js';

type Routes = typeof imagerouter.routes;

/**
 * A finished ImageRouter generation (`{ created, data, latency, cost }`).
 *
 * @example
 * const video: ImageRouterVideo = await client.createVideo({ body: { model: 'ir/test-video' } });
 */
export type ImageRouterVideo = z.output<typeof imagerouterSpec.VideoGenerationResponse>;

type ErrorBody =
  | z.output<typeof imagerouterSpec.ErrorResponse>
  | z.output<typeof imagerouterSpec.ForwardedErrorResponse>;

/**
 * A typed ImageRouter client: one method per route of `imagerouter.routes`; `createVideo`
 * resolves to the finished video only and throws on an error body.
 *
 * @example
 * const { data } = await client.createVideo({ body: { model: 'ir/test-video', prompt: 'a cat' } });
 */
export type ImageRouterClient = Omit<RouteMethods<Routes>, 'createVideo'> & {
  readonly createVideo: (
    input: RouteInput<Routes['createVideo']>,
    options?: CallOptions,
  ) => Promise<ImageRouterVideo>;
} & ClientBase<typeof imagerouter>;

/**
 * The typed error for an ImageRouter error body that came with HTTP 200:
 * - "Insufficient credits …" → `PaymentRequiredError` (`insufficient_credits`);
 * - "This model does not support image inputs" → `BadRequestError`;
 * - `moderation_blocked` → `GenerationFailedError` (`content_moderated`);
 * - a forwarded provider error (`{ status, statusText, error }`) or any other failure →
 *   `GenerationFailedError` (`generation_failed`), the router's message kept verbatim.
 *
 * @example
 * const error = imageRouterFailure({ error: { message: 'Video generation failed', type: 'internal_error' } }, new Headers());
 * error.code; // 'generation_failed'
 */
export function imageRouterFailure(body: ErrorBody, headers: Headers): ReelkitError {
  const fields = providerErrorFields(body);
  const message = fields.message ?? '';
  const base = {
    provider: 'imagerouter',
    operationId: imagerouter.routes.createVideo.operationId,
    status: 200,
    body,
    headers,
  };
  if (/insufficient credits/i.test(message)) return APIError.generate(base);
  if (message === imagerouterSpec.IMAGEROUTER_MESSAGES.imageInputUnsupported) {
    return new BadRequestError({
      ...base,
      code: 'bad_request',
      hint: 'Send no image to this model, or choose one whose /v2/models inputs.image is true.',
    });
  }
  const forwarded = 'status' in body && typeof body.status === 'number' ? body : undefined;
  return new GenerationFailedError({
    provider: 'imagerouter',
    status: 'failed',
    providerStatus: 'failed',
    ...(fields.message !== undefined ? { providerMessage: fields.message } : {}),
    ...(fields.code !== undefined
      ? { providerCode: fields.code }
      : forwarded?.statusText
        ? { providerCode: forwarded.statusText }
        : fields.type !== undefined
          ? { providerCode: fields.type }
          : {}),
    moderated: isModeration(fields),
    raw: body,
  });
}

/**
 * Creates an ImageRouter client. `createVideo` sends JSON, or multipart when the body holds image
 * files (`'image[]': [file]`); its default timeout is 15 minutes.
 *
 * @example
 * const client = createImageRouterClient({ apiKey: process.env.IMAGEROUTER_API_KEY });
 * const png = new File([await fs.promises.readFile('first.png')], 'first.png', { type: 'image/png' });
 * const video = await client.createVideo({
 *   body: { model: 'google/veo-3.1', prompt: 'the cat starts to dance', seconds: 4, 'image[]': [png] },
 * });
 * video.data[0]?.url;
 */
export function createImageRouterClient(options: ClientOptions = {}): ImageRouterClient {
  const { methods, transport, policy } = buildClient(imagerouter, options);
  const settings = routeSettings(policy, 'createVideo');
  return {
    ...methods,
    async createVideo(input, callOptions) {
      const { data, headers } = await invokeRoute(
        imagerouter.routes.createVideo,
        transport,
        input,
        callOptions,
        settings,
      );
      const result = data as z.output<typeof imagerouterSpec.VideoGenerationResult>;
      if ('error' in result) throw imageRouterFailure(result, headers);
      return result;
    },
    provider: 'imagerouter',
    spec: imagerouter,
    transport,
  };
}
