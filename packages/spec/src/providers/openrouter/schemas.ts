/**
 * OpenRouter's video API bodies, following its published OpenAPI (`OpenRouterTeam/docs`
 * `openapi/openapi.yaml` @ c26125a, 2026-08-22) and its video-generation guide.
 * @module
 */
import { provenance } from '../../provenance.js';
import { z } from '../../zod.js';
import { WEBHOOK_HEADER_KEYS, WEBHOOK_STATUSES } from './webhooks.js';

const SPEC = 'OpenRouterTeam/docs openapi/openapi.yaml @ c26125a (2026-08-22)';
const GUIDE = 'OpenRouterTeam/docs guides/overview/multimodal/video-generation.mdx @ c26125a';

export const RESOLUTIONS = ['480p', '720p', '768p', '1080p', '1K', '2K', '4K'] as const;
export const ASPECT_RATIOS = [
  '16:9',
  '9:16',
  '1:1',
  '4:3',
  '3:4',
  '3:2',
  '2:3',
  '21:9',
  '9:21',
] as const;
export const FRAME_TYPES = ['first_frame', 'last_frame'] as const;
export const VIDEO_STATUSES = [
  'pending',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const;

/** The 62 sizes the official `VideoModel.supported_sizes` enum lists. */
export const SUPPORTED_SIZES = [
  '480x480',
  '480x640',
  '480x720',
  '480x854',
  '480x1120',
  '560x752',
  '640x480',
  '640x640',
  '720x480',
  '720x720',
  '720x960',
  '720x1080',
  '720x1280',
  '720x1680',
  '752x560',
  '768x768',
  '768x1024',
  '768x1152',
  '768x1366',
  '768x1792',
  '834x1112',
  '854x480',
  '960x720',
  '960x960',
  '992x432',
  '1024x768',
  '1080x720',
  '1080x1080',
  '1080x1440',
  '1080x1620',
  '1080x1920',
  '1080x2520',
  '1112x834',
  '1120x480',
  '1152x768',
  '1280x720',
  '1366x768',
  '1440x1080',
  '1440x1440',
  '1440x1920',
  '1440x2160',
  '1440x2560',
  '1440x3360',
  '1470x630',
  '1620x1080',
  '1680x720',
  '1792x768',
  '1920x1080',
  '1920x1440',
  '2160x1440',
  '2160x2160',
  '2160x2880',
  '2160x3240',
  '2160x3840',
  '2160x5040',
  '2520x1080',
  '2560x1440',
  '2880x2160',
  '3240x2160',
  '3360x1440',
  '3840x2160',
  '5040x2160',
] as const;

export const ContentPartImage = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string() }),
  })
  .openapi('ContentPartImage');

export const ContentPartAudio = z
  .object({
    type: z.literal('audio_url'),
    audio_url: z.object({ url: z.string() }),
  })
  .openapi('ContentPartAudio');

export const ContentPartVideo = z
  .object({
    type: z.literal('video_url'),
    video_url: z.object({ url: z.string() }),
  })
  .openapi('ContentPartVideo');

export const FrameImage = ContentPartImage.extend({
  frame_type: z.enum(FRAME_TYPES),
}).openapi('FrameImage');

export const InputReference = z
  .discriminatedUnion('type', [ContentPartImage, ContentPartAudio, ContentPartVideo])
  .openapi('InputReference');

export const VideoGenerationRequest = z
  .object({
    model: z.string(),
    prompt: provenance(z.string().optional(), {
      level: 'official-spec',
      source: 'OpenRouter OpenAPI VideoGenerationRequest (required: [model])',
      note: 'Sources disagree: the API reference page and the video skill say model and prompt are required; the OpenAPI requires only model and says prompt is optional for models that make a video from image input alone. The mock accepts a submit without prompt when frame_images are given (createOpenRouterMock({ promptRequired: true }) refuses it).',
    }).openapi({
      description:
        'Text prompt. Optional for models that support generating a video from image input alone; required by all other models.',
    }),
    duration: z.number().int().min(1).optional(),
    resolution: z.enum(RESOLUTIONS).optional(),
    aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
    size: z.string().optional().openapi({ description: 'Exact pixel dimensions, "WIDTHxHEIGHT".' }),
    frame_images: z.array(FrameImage).optional(),
    input_references: z.array(InputReference).optional(),
    generate_audio: z.boolean().optional(),
    seed: z.number().int().optional(),
    callback_url: z.url().optional().openapi({ description: 'Webhook URL. Must be HTTPS.' }),
    provider: z
      .object({ options: z.record(z.string(), z.record(z.string(), z.unknown())).optional() })
      .optional(),
    creativity: z.number().int().optional(),
    upscale_factor: z.number().gt(0).optional(),
  })
  .openapi('VideoGenerationRequest', {
    example: {
      aspect_ratio: '16:9',
      duration: 8,
      model: 'google/veo-3.1',
      prompt: 'A serene mountain landscape at sunset',
      resolution: '720p',
    },
  });

export const VideoGenerationUsage = z
  .strictObject({
    cost: z.number().nullable().optional(),
    is_byok: z.boolean().optional(),
  })
  .openapi('VideoGenerationUsage');

export const VideoGenerationResponse = z
  .strictObject({
    id: provenance(z.string(), {
      level: 'official-docs',
      source: 'OpenRouterTeam/docs cookbook/video-generation/video-generation-webhooks.mdx',
      note: 'Real ids are 20 alphanumeric characters; the spec example uses job-abc123.',
    }),
    polling_url: provenance(z.string(), {
      level: 'official-spec',
      source: `${SPEC}; ${GUIDE}`,
      note: 'Absolute in the guide, relative in the spec example; the mock serves absolute by default (switch: pollingUrl=relative).',
    }),
    status: z.enum(VIDEO_STATUSES),
    generation_id: z.string().optional(),
    unsigned_urls: z.array(z.string()).optional(),
    usage: VideoGenerationUsage.optional(),
    error: provenance(z.string().optional(), {
      level: 'official-spec',
      source: SPEC,
      note: 'A string, not an object; surface verbatim.',
    }),
  })
  .openapi('VideoGenerationResponse', {
    example: {
      id: 'abc123',
      generation_id: 'gen-1234567890-abcdef',
      polling_url: 'https://openrouter.ai/api/v1/videos/abc123',
      status: 'completed',
      unsigned_urls: ['https://openrouter.ai/api/v1/videos/abc123/content?index=0'],
      usage: { cost: 0.25, is_byok: false },
    },
  });

export const VideoModel = z
  .strictObject({
    id: z.string(),
    canonical_slug: z.string(),
    name: z.string(),
    description: z.string().optional(),
    created: z.number().int(),
    hugging_face_id: z.string().nullable().optional(),
    supported_resolutions: z.array(z.enum(RESOLUTIONS)).nullable(),
    supported_aspect_ratios: z.array(z.enum(ASPECT_RATIOS)).nullable(),
    supported_sizes: z.array(z.enum(SUPPORTED_SIZES)).nullable(),
    supported_durations: z.array(z.number().int()).nullable(),
    supported_frame_images: z.array(z.enum(FRAME_TYPES)).nullable(),
    upscale_factor: z
      .strictObject({
        min: z.number().nullable().optional(),
        max: z.number().nullable().optional(),
      })
      .nullable(),
    creativity: z.array(z.number().int()).nullable(),
    generate_audio: z.boolean().nullable(),
    seed: z.boolean().nullable(),
    pricing_skus: provenance(z.record(z.string(), z.string()).nullable().optional(), {
      level: 'third-party',
      source: 'live-response fixtures in third-party repositories (see provider-apis.md §1.7)',
      note: 'SKU key names differ by provider; the docs example uses per-video-second.',
    }),
    allowed_passthrough_parameters: z.array(z.string()),
  })
  .openapi('VideoModel');

export const VideoModelsListResponse = z
  .strictObject({ data: z.array(VideoModel) })
  .openapi('VideoModelsListResponse');

export const ErrorResponse = z
  .strictObject({
    error: z.strictObject({
      code: z.number().int(),
      message: z.string(),
      metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    }),
    openrouter_metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    user_id: z.string().nullable().optional(),
  })
  .openapi('ErrorResponse', {
    description: 'OpenRouter error envelope; the HTTP status equals error.code.',
    example: { error: { code: 400, message: 'Invalid request parameters' } },
  });

export const JobParams = z.object({
  jobId: z.string().min(1).openapi({ example: 'job-abc123' }),
});

export const ContentQuery = z.object({
  index: z.coerce.number().int().min(0).optional().openapi({ default: 0, example: 0 }),
  token: provenance(z.string().max(64).optional(), {
    level: 'provisional',
    source: 'seeds/openrouter-video-skill.txt; OpenRouter-authored clients',
    note: 'Not in the official API: the mock puts it in unsigned_urls so they download without a key, as the guide example and OpenRouter-authored clients do; the route without it keeps requiring the key, as the skill shows.',
  }).openapi({ description: "The job's download token, as `unsigned_urls` carry it (mock only)." }),
});

const webhookData = {
  id: z.string(),
  generation_id: z.string().nullable(),
  model: z.string().nullable(),
};

/** `video.generation.completed` webhook event. */
export const VideoCompletedEvent = z
  .strictObject({
    type: z.literal('video.generation.completed'),
    created_at: z.iso.datetime(),
    data: z.strictObject({
      ...webhookData,
      status: z.literal('completed'),
      unsigned_urls: z.array(z.string()),
      usage: VideoGenerationUsage,
    }),
  })
  .openapi('VideoGenerationCompletedEvent');

function failureEvent(status: 'failed' | 'cancelled' | 'expired', name: string) {
  return z
    .strictObject({
      type: z.literal(`video.generation.${status}`),
      created_at: z.iso.datetime(),
      data: z.strictObject({ ...webhookData, status: z.literal(status), error: z.string() }),
    })
    .openapi(name);
}

export const VideoFailedEvent = failureEvent('failed', 'VideoGenerationFailedEvent');
export const VideoCancelledEvent = failureEvent('cancelled', 'VideoGenerationCancelledEvent');
export const VideoExpiredEvent = failureEvent('expired', 'VideoGenerationExpiredEvent');

/** Any of the four webhook events OpenRouter sends when a job reaches a terminal state. */
export const VideoWebhookEvent = z
  .discriminatedUnion('type', [
    VideoCompletedEvent,
    VideoFailedEvent,
    VideoCancelledEvent,
    VideoExpiredEvent,
  ])
  .openapi('VideoWebhookEvent');

/** Headers of a webhook delivery. */
export const WebhookHeaders = z.object({
  'content-type': z.literal('application/json'),
  [WEBHOOK_HEADER_KEYS.idempotencyKey]: z
    .string()
    .regex(new RegExp(`^.+-(${WEBHOOK_STATUSES.join('|')})$`))
    .openapi({ description: '<job_id>-<status>' }),
  [WEBHOOK_HEADER_KEYS.signature]: z
    .string()
    .regex(/^t=\d+,v1=[0-9a-f]{64}$/)
    .optional()
    .openapi({
      description:
        'Present when a signing secret is set: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>,<raw body>">.',
    }),
});

export type VideoGenerationRequest = z.infer<typeof VideoGenerationRequest>;
export type VideoGenerationResponse = z.infer<typeof VideoGenerationResponse>;
export type VideoModel = z.infer<typeof VideoModel>;
export type VideoWebhookEvent = z.infer<typeof VideoWebhookEvent>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
