/**
 * FastRouter in the unified interface. Task-family models take `length`, `resolution`,
 * `aspectRatio` (a `size` is turned into the two); Sora models take `seconds` (as text) and
 * `size` (a resolution and aspect ratio are turned into one). One input image, by URL only. The
 * flow is submit → poll `GET /videos/{task_id}` (both answer families) → the hosted URLs, or for
 * a Sora job the MP4 itself from `getVideoResponse`. A task that disappears (404) after it was
 * seen has expired: FastRouter has no expiry status.
 * @internal
 * @module
 */
import type { LifecycleDef, z } from '@reelkit/spec';
import { dimensionsFor, fastrouter, fastrouterSpec, formatSize, parseSize } from '@reelkit/spec';
import { GenerationFailedError, isModeration, NotFoundError } from '../core/errors.js';
import type { FastRouterClient } from '../providers/fastrouter.js';
import { Checker, requestedSize } from './checks.js';
import { fetchVideoUrl } from './fetch-url.js';
import { pollUntilTerminal } from './flow.js';
import type { RouterFlow } from './router-flow.js';

type Body = z.input<typeof fastrouterSpec.FastRouterVideoRequest>;
type Created = z.output<typeof fastrouterSpec.FastRouterCreateVideoResponse>;
type Status = z.output<typeof fastrouterSpec.FastRouterVideoStatusResponse>;
type Sora = z.output<typeof fastrouterSpec.FastRouterSoraVideo>;

const taskLifecycle: LifecycleDef =
  fastrouter.lifecycles.task ?? fastrouterSpec.fastrouterTaskLifecycle;
const soraLifecycle: LifecycleDef =
  fastrouter.lifecycles.sora ?? fastrouterSpec.fastrouterSoraLifecycle;

const isSora = (body: Created | Status): body is Sora =>
  'object' in body && body.object === 'video';

/** The job's status word and progress, from either family. */
function statusOf(body: Created | Status): { status: string; progress?: number } {
  if (isSora(body)) {
    return {
      status: body.status,
      ...(body.progress !== undefined ? { progress: body.progress } : {}),
    };
  }
  const data = body.data as { status?: string; generations?: readonly { status: string }[] };
  return { status: data.status ?? data.generations?.[0]?.status ?? taskLifecycle.initial };
}

const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/**
 * FastRouter's mapping and flow.
 *
 * @example
 * const body = await fastrouterFlow.prepare({ provider: 'fastrouter', model: 'google/veo3', prompt: 'a cat' }, caps);
 */
export const fastrouterFlow: RouterFlow<FastRouterClient, Body> = {
  async prepare(request, caps) {
    const check: Checker = new Checker('fastrouter', request.model);
    const spec = fastrouterSpec.findFastRouterModel(request.model)?.spec;
    const sora = fastrouterSpec.isSoraModel(request.model);
    check.single(request.count);
    check.absent('negativePrompt', request.negativePrompt);
    check.audio(request.audio, caps, !spec?.nativeAudio);
    check.seed(request.seed, caps);
    check.images(request.images, caps, { max: 1, roles: ['first_frame', 'reference'] });
    const image = request.images?.[0];
    if (image && !('url' in image && isHttpUrl(image.url))) {
      check.fail(
        'images',
        'url' in image ? image.url.slice(0, 40) : 'image bytes',
        undefined,
        'FastRouter takes image URLs only (http/https; no base64)',
      );
    }
    if (spec && !spec.textToVideo && !image) {
      check.fail(
        'images',
        'none',
        undefined,
        `${request.model} is image-to-video only: it needs one input image`,
      );
    }
    const body: Record<string, unknown> = {
      model: request.model,
      prompt: request.prompt ?? '',
      ...(image && 'url' in image ? { image: image.url } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
    if (sora) {
      check.oneOf('duration', request.duration, caps?.durations);
      if (request.duration !== undefined) body.seconds = String(request.duration);
      const size = requestedSize(request, caps, check);
      if (size !== undefined) {
        if (caps?.sizes && !caps.sizes.includes(size)) check.fail('size', size, caps.sizes);
        body.size = size;
      }
    } else {
      check.oneOf('duration', request.duration, caps?.durations);
      if (request.duration !== undefined) body.length = request.duration;
      let { resolution, aspectRatio } = request;
      if (request.size !== undefined) {
        const dims = parseSize(request.size);
        const match = dims
          ? (caps?.resolutions ?? ['480p', '720p', '1080p'])
              .flatMap((r) =>
                (caps?.aspectRatios ?? [spec?.defaultAspectRatio ?? '16:9']).map((a) => ({ r, a })),
              )
              .find(({ r, a }) => {
                const d = dimensionsFor(r, a);
                return d !== undefined && formatSize(d) === formatSize(dims);
              })
          : undefined;
        if (!match) check.fail('size', request.size, caps?.sizes ?? []);
        resolution = match.r;
        aspectRatio = match.a;
      }
      check.oneOf('resolution', resolution, caps?.resolutions);
      check.oneOf('aspectRatio', aspectRatio, caps?.aspectRatios);
      if (spec) {
        // Parameters the model's table does not list are ignored by FastRouter: refuse them
        // unless they ask for what the model does anyway.
        if (
          resolution !== undefined &&
          !spec.resolutions &&
          resolution !== spec.defaultResolution
        ) {
          check.fail('resolution', resolution, [spec.defaultResolution]);
        }
        if (
          aspectRatio !== undefined &&
          !spec.aspectRatios &&
          aspectRatio !== spec.defaultAspectRatio
        ) {
          check.fail('aspectRatio', aspectRatio, [spec.defaultAspectRatio]);
        }
        if (spec.resolutions && (resolution !== undefined || spec.resolutionRequired)) {
          body.resolution = resolution ?? spec.defaultResolution;
        }
        if (spec.aspectRatios && aspectRatio !== undefined) body.aspectRatio = aspectRatio;
        if (spec.generateAudio && request.audio !== undefined) body.generateAudio = request.audio;
      } else {
        if (resolution !== undefined) body.resolution = resolution;
        if (aspectRatio !== undefined) body.aspectRatio = aspectRatio;
        if (request.audio !== undefined) body.generateAudio = request.audio;
      }
    }
    return { ...body, ...request.providerOptions } as Body;
  },

  async run(client, body, ctx, { request, cadence }) {
    const created = await client
      // A submit is quick: a minute at most, even when the whole call may take half an hour.
      .createVideo(
        { body },
        ctx.callOptions(ctx.init.headers ? { headers: ctx.init.headers } : {}, 60_000),
      )
      .catch((error: unknown) => {
        throw ctx.restate(error);
      });
    const sora = isSora(created);
    const lifecycle = sora ? soraLifecycle : taskLifecycle;
    const taskId = sora ? created.id : (created.data as { taskId: string }).taskId;
    ctx.jobId = taskId;
    ctx.submittedAt = ctx.clock.now();
    ctx.observe(lifecycle, statusOf(created), 'submit');
    let final: Created | Status = created;
    if (!lifecycle.terminal.includes(statusOf(created).status)) {
      try {
        final = await pollUntilTerminal(
          ctx,
          {
            ...(cadence ?? fastrouterSpec.fastrouterFacts.pollCadence),
            ...(request.pollIntervalMs !== undefined ? { firstMs: request.pollIntervalMs } : {}),
          },
          (options) => client.getVideo({ params: { task_id: taskId } }, options),
          (job) => {
            const observed = statusOf(job);
            ctx.observe(lifecycle, observed, 'poll');
            return lifecycle.terminal.includes(observed.status);
          },
        );
      } catch (error) {
        // "404 Invalid taskId or expired result": a task seen before that is gone has expired.
        if (error instanceof NotFoundError) {
          ctx.observe(lifecycle, { status: 'http 404', canonical: 'expired' }, 'poll');
          throw new GenerationFailedError({
            provider: 'fastrouter',
            jobId: taskId,
            status: 'expired',
            providerStatus: 'http 404',
            ...(error.providerMessage !== undefined
              ? { providerMessage: error.providerMessage }
              : {}),
            ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
            raw: error.body,
            cause: error,
          });
        }
        throw error;
      }
    }
    const { status } = statusOf(final);
    if (lifecycle.canonical[status] !== 'completed') {
      const message = isSora(final)
        ? final.error?.message
        : (final.data as { generations?: readonly { failMsg?: string }[] }).generations?.[0]
            ?.failMsg;
      const code = isSora(final) ? final.error?.code : undefined;
      throw new GenerationFailedError({
        provider: 'fastrouter',
        jobId: taskId,
        status: 'failed',
        providerStatus: status,
        ...(message ? { providerMessage: message } : {}),
        ...(code ? { providerCode: code } : {}),
        moderated: isModeration({ message: message ?? '', ...(code ? { code } : {}) }),
        raw: final,
      });
    }
    if (isSora(final)) {
      // A Sora job has no URL: getVideoResponse streams the MP4 once it is done.
      const answer = await client
        .getVideoResponse({ body: { taskId, model: request.model } }, ctx.callOptions())
        .catch((error: unknown) => {
          throw ctx.restate(error);
        });
      const bytes =
        answer instanceof Response ? new Uint8Array(await answer.arrayBuffer()) : undefined;
      return {
        providerStatus: status,
        videos: bytes ? [{ bytes, mimeType: 'video/mp4' }] : [],
        cost: final.usage.credits_used,
        raw: { submit: created, final },
        download: (index, options) =>
          client
            .getVideoResponse({ body: { taskId, model: request.model } }, options)
            .then((response) => {
              if (response instanceof Response) return response;
              throw new NotFoundError({
                provider: 'fastrouter',
                operationId: 'getVideoResponse',
                status: 404,
                body: response,
                headers: new Headers(),
                code: 'not_found',
                hint: `No video ${index}: getVideoResponse answered JSON instead of the MP4.`,
              });
            }),
      };
    }
    const task = final as z.output<typeof fastrouterSpec.FastRouterTaskStatusResponse>;
    const urls =
      task.fastrouter_assets?.urls ?? task.data.generations.map((g) => g.url).filter(Boolean);
    const cost = task.usage?.credits_used ?? task.data.costUsd;
    return {
      providerStatus: status,
      videos: urls.map((url) => ({ url, mimeType: 'video/mp4' })),
      ...(cost !== undefined ? { cost } : {}),
      raw: { submit: created, final },
      download: (index, options) => fetchVideoUrl(client.transport, urls[index] ?? '', options),
    };
  },
};
