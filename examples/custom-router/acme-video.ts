/**
 * "acme-video", a made-up asynchronous video router, declared once with `defineRouter`: its
 * routes and schemas, its lifecycle, its catalog and judge, and its facts. From this one file
 * reelkit derives an OpenAPI document, a mock, a client flow and the conformance suite.
 *
 * POST /v1/renders → GET /v1/renders/{renderId} → GET /v1/renders/{renderId}/file
 * @module
 */
import type { ModelCapabilities, ResponseDef } from '@reelkit/spec';
import { defineLifecycle, defineRoute, defineRouter, GENERATION_SCENARIOS, z } from '@reelkit/spec';

const DOCS = { level: 'provisional', source: 'examples/custom-router (made up)' } as const;

const ErrorBody = z.object({
  error: z.object({ type: z.string(), message: z.string() }),
});

const RenderRequest = z.object({
  model: z.string(),
  prompt: z.string().min(1).max(2000),
  duration: z.number().int().optional(),
});

const STATUSES = ['queued', 'rendering', 'done', 'failed', 'cancelled', 'expired'] as const;

const Render = z.object({
  render_id: z.string(),
  state: z.enum(STATUSES),
  poll_url: z.string(),
  files: z.array(z.string()).optional(),
  failure: z.string().optional(),
});

const RenderParams = z.object({ renderId: z.string() });
const FileQuery = z.object({ index: z.coerce.number().int().min(0).optional() });

const RetryAfter = z.object({ 'retry-after': z.string() });

const error = (description: string): ResponseDef => ({ description, schema: ErrorBody });

const routes = {
  createRender: defineRoute({
    operationId: 'createRender',
    method: 'POST',
    path: '/renders',
    summary: 'Start a render',
    auth: 'bearer',
    body: [{ contentType: 'application/json', schema: RenderRequest }],
    responses: {
      202: { description: 'Render accepted', schema: Render },
      400: error('Invalid request'),
      401: error('Missing or unknown key'),
      402: error('Not enough credit'),
      429: { ...error('Too many requests'), headers: RetryAfter },
      500: error('Server error'),
      502: error('The renderer failed'),
    },
    provenance: DOCS,
  }),
  getRender: defineRoute({
    operationId: 'getRender',
    method: 'GET',
    path: '/renders/{renderId}',
    summary: 'Read a render',
    auth: 'bearer',
    params: RenderParams,
    responses: {
      200: { description: 'The render', schema: Render },
      401: error('Missing or unknown key'),
      404: error('No such render'),
      500: error('Server error'),
    },
    provenance: DOCS,
  }),
  getRenderFile: defineRoute({
    operationId: 'getRenderFile',
    method: 'GET',
    path: '/renders/{renderId}/file',
    summary: 'Download a finished render',
    auth: 'bearer',
    params: RenderParams,
    query: FileQuery,
    responses: {
      200: { description: 'The MP4', contentType: 'video/mp4' },
      400: error('The render is not done'),
      401: error('Missing or unknown key'),
      404: error('No such render or file'),
      500: error('Server error'),
    },
    provenance: DOCS,
  }),
} as const;

const MODELS: readonly ModelCapabilities[] = [
  {
    id: 'acme/swift',
    name: 'Acme Swift',
    durations: [4, 8],
    defaultDuration: 4,
    defaultSize: '1280x720',
    imageInput: false,
    audio: false,
    seed: false,
    pricePerSecond: { base: 0.05 },
    provenance: DOCS,
  },
];

/**
 * The acme-video router.
 *
 * @example
 * createAsyncJobMock(acme); // its mock
 * asyncJobDriver(acme); // its conformance driver
 */
export const acme = defineRouter({
  id: 'acme-video',
  title: 'Acme Video',
  description: 'A made-up asynchronous video router: start a render, read it, download the file.',
  origin: 'https://api.acme-video.example',
  basePath: '/v1',
  defaultPort: 5210,
  flow: 'async',
  docs: ['https://api.acme-video.example/docs'],
  routes,
  lifecycles: {
    render: defineLifecycle({
      name: 'acme-video',
      statuses: STATUSES,
      initial: 'queued',
      intermediate: ['queued', 'rendering'],
      terminal: ['done', 'failed', 'cancelled', 'expired'],
      success: 'done',
      transitions: {
        queued: ['rendering', 'done', 'failed', 'cancelled', 'expired'],
        rendering: ['done', 'failed', 'cancelled', 'expired'],
        done: [],
        failed: [],
        cancelled: [],
        expired: [],
      },
      canonical: {
        queued: 'queued',
        rendering: 'in_progress',
        done: 'completed',
        failed: 'failed',
        cancelled: 'cancelled',
        expired: 'expired',
      },
    }),
  },
  errorSchema: ErrorBody,
  models: MODELS,
  judge(request) {
    const parsed = RenderRequest.safeParse(request);
    if (!parsed.success) return { ok: false, status: 400, message: 'Invalid render request' };
    const model = MODELS.find((m) => m.id === parsed.data.model);
    if (!model) return { ok: false, status: 400, message: `Unknown model ${parsed.data.model}` };
    const duration = parsed.data.duration ?? model.defaultDuration;
    if (!model.durations?.includes(duration)) {
      return { ok: false, status: 400, message: `duration must be one of 4, 8` };
    }
    return {
      ok: true,
      generation: {
        model: model.id,
        durationSeconds: duration,
        width: 1280,
        height: 720,
        count: 1,
        audio: false,
        adjustments: [],
      },
    };
  },
  facts: {
    errors: {
      validation: { status: 400, message: 'Invalid request', type: 'invalid_request' },
      unauthorized: { status: 401, message: 'Missing or unknown API key', type: 'auth' },
      not_found: { status: 404, message: 'No such render', type: 'not_found' },
      insufficient_credits: { status: 402, message: 'Not enough credit', type: 'billing' },
      rate_limited: { status: 429, message: 'Slow down', type: 'rate_limit' },
      server_error: { status: 500, message: 'Acme had a problem', type: 'server' },
      provider_error: { status: 502, message: 'The renderer failed', type: 'upstream' },
      moderation: { status: 400, message: 'The prompt was refused', type: 'moderation' },
      payload_too_large: { status: 400, message: 'Request too large', type: 'invalid_request' },
    },
    errorBody: ({ type, message }) => ({ error: { type: type ?? 'error', message } }),
    retryAfterSeconds: 5,
    timing: { default: { queueMs: [1_000, 3_000], renderMs: [10_000, 20_000] } },
    // The mocks' shared generation scenarios, plus the two endings acme's lifecycle has.
    scenarios: [...GENERATION_SCENARIOS, 'cancelled', 'expired'],
    pollCadence: { initialMs: 2_000, maxMs: 10_000, factor: 2, jitter: 0 },
    jobTtlMs: 60 * 60 * 1000,
    job: {
      submit: 'createRender',
      poll: 'getRender',
      idParam: 'renderId',
      content: 'getRenderFile',
      lifecycle: 'render',
      fields: {
        id: 'render_id',
        status: 'state',
        videoUrls: 'files',
        error: 'failure',
        pollingUrl: 'poll_url',
      },
      endings: { cancelled: 'The render was cancelled', expired: 'The render took too long' },
    },
  },
});
