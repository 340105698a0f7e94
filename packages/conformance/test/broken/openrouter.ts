/**
 * Broken OpenRouter look-alikes: each wraps the faithful mock and breaks one promise.
 */
import type { OpenRouterJob } from '@reelkit/mocks';
import { openrouterMock } from '@reelkit/mocks';
import { openrouterSpec } from '@reelkit/spec';
import { createHmac } from 'node:crypto';
import type { BrokenVariant } from './support.js';
import { faithfulEngine, rewrite, rewriteJson, served, TEST_KEY } from './support.js';

const POLL = /^\/api\/v1\/videos\/(?!models$)[^/]+$/;

/** `in_progress` is answered as `processing`, a word OpenRouter does not have. */
export const wrongStatusWord: BrokenVariant = {
  name: 'openrouter: wrong status word',
  provider: 'openrouter',
  defect: "polls answer 'processing' where OpenRouter says 'in_progress'",
  expected: [
    { id: 'getVideos: status sequence legal', check: 'lifecycle' },
    { id: 'getVideos: success answers match the schema', check: 'schema' },
  ],
  create: () =>
    rewriteJson(faithfulEngine('openrouter'), { method: 'GET', path: POLL }, (body) =>
      body.status === 'in_progress' ? { ...body, status: 'processing' } : body,
    ),
};

/** The second time a job is reported completed it is reported in_progress again. */
export const illegalTransition: BrokenVariant = {
  name: 'openrouter: illegal transition',
  provider: 'openrouter',
  defect: 'a completed job goes back to in_progress on the next poll (completed → in_progress)',
  expected: [
    { id: 'getVideos: status sequence legal', check: 'lifecycle' },
    { id: 'getVideos: terminal status is final', check: 'terminal' },
  ],
  create() {
    const completedAnswers = new Map<string, number>();
    return rewriteJson(faithfulEngine('openrouter'), { method: 'GET', path: POLL }, (body) => {
      if (body.status !== 'completed') return body;
      const id = String(body.id);
      const n = (completedAnswers.get(id) ?? 0) + 1;
      completedAnswers.set(id, n);
      if (n !== 2) return body;
      const { unsigned_urls: _urls, usage: _usage, ...rest } = body;
      return { ...rest, status: 'in_progress' };
    });
  },
};

/** Poll answers leave out `polling_url`, which the schema requires. */
export const missingRequiredField: BrokenVariant = {
  name: 'openrouter: missing required field',
  provider: 'openrouter',
  defect: 'poll answers omit the required polling_url',
  expected: [{ id: 'getVideos: success answers match the schema', check: 'schema' }],
  create: () =>
    rewriteJson(faithfulEngine('openrouter'), { method: 'GET', path: POLL }, (body) => {
      const { polling_url: _dropped, ...rest } = body;
      return rest;
    }),
};

/** The submit answers 200 where OpenRouter documents 202 Accepted. */
export const okInsteadOfAccepted: BrokenVariant = {
  name: 'openrouter: 200 where 202 is documented',
  provider: 'openrouter',
  defect: 'POST /videos answers 200 instead of 202',
  expected: [{ id: 'createVideos: declared statuses only', check: 'declared-status' }],
  create: () =>
    rewrite(faithfulEngine('openrouter'), async (request, response) => {
      if (request.method !== 'POST' || response.status !== 202) return undefined;
      return new Response(await response.text(), { status: 200, headers: response.headers });
    }),
};

/** Requests without a key are served as if they carried the (only) valid key. */
export const authNotEnforced: BrokenVariant = {
  name: 'openrouter: auth not enforced',
  provider: 'openrouter',
  defect: 'requests without an Authorization header are served',
  expected: [
    { id: 'createVideos: requires an API key', check: 'auth-missing' },
    { id: 'getVideos: requires an API key', check: 'auth-missing' },
    { id: 'listVideosContent: requires an API key', check: 'auth-missing' },
  ],
  create: () =>
    rewrite(
      faithfulEngine('openrouter'),
      () => Promise.resolve(undefined),
      (request) => {
        if (request.headers.has('authorization')) return request;
        const headers = new Headers(request.headers);
        headers.set('authorization', `Bearer ${TEST_KEY}`);
        return new Request(request, { headers });
      },
    ),
};

/** Webhooks are signed over "<t>.<body>" (a dot, as some other providers do) instead of a comma. */
export const dottedSignature: BrokenVariant = {
  name: 'openrouter: webhook signed with a dot separator',
  provider: 'openrouter',
  defect: 'the webhook signature is HMAC of "<t>.<raw body>" instead of "<t>,<raw body>"',
  expected: [{ id: 'createVideos: webhook signature verifies', check: 'webhook-signature' }],
  create: () =>
    served(
      faithfulEngine('openrouter', {
        provider: {
          ...openrouterMock,
          webhook(job: OpenRouterJob, terminal, settings, clock) {
            const event = openrouterMock.webhook?.(job, terminal, settings, clock);
            if (!event || !settings.secret) return event;
            const secret = settings.secret;
            return {
              ...event,
              headers: (timestamp: number) => ({
                ...event.headers(timestamp),
                [openrouterSpec.WEBHOOK_HEADERS.signature.toLowerCase()]: `t=${timestamp},v1=${createHmac(
                  'sha256',
                  secret,
                )
                  .update(`${timestamp}.${event.rawBody}`)
                  .digest('hex')}`,
              }),
            };
          },
        },
      }),
    ),
};

/** Every webhook event reuses the idempotency key of the first one. */
export const reusedIdempotencyKey: BrokenVariant = {
  name: 'openrouter: idempotency key reused across events',
  provider: 'openrouter',
  defect: 'every delivery carries the idempotency key of the first event',
  expected: [
    { id: 'createVideos: webhook idempotency key is per event', check: 'webhook-idempotency' },
  ],
  create() {
    let first: string | undefined;
    const header = openrouterSpec.WEBHOOK_HEADERS.idempotencyKey.toLowerCase();
    return served(
      faithfulEngine('openrouter', {
        provider: {
          ...openrouterMock,
          webhook(job: OpenRouterJob, terminal, settings, clock) {
            const event = openrouterMock.webhook?.(job, terminal, settings, clock);
            if (!event) return event;
            first ??= event.idempotencyKey;
            const key = first;
            return {
              ...event,
              idempotencyKey: key,
              headers: (timestamp: number) => ({ ...event.headers(timestamp), [header]: key }),
            };
          },
        },
      }),
    );
  },
};

/**
 * The video's sample data is cut short: the header (moov) is whole, so size and duration read
 * right, but the last 200 bytes of the frames are missing (Content-Length agrees with the cut file).
 */
export const truncatedSampleData: BrokenVariant = {
  name: 'openrouter: truncated sample data',
  provider: 'openrouter',
  defect: 'the MP4 download lacks the last 200 bytes of its sample data (the index is whole)',
  expected: [{ id: 'listVideosContent: content plays end to end', check: 'playback' }],
  create: () =>
    rewrite(faithfulEngine('openrouter'), async (_request, response) => {
      if (response.status !== 200 || response.headers.get('content-type') !== 'video/mp4') {
        return undefined;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const cut = bytes.slice(0, bytes.byteLength - 200);
      const headers = new Headers(response.headers);
      headers.set('content-length', String(cut.byteLength));
      return new Response(cut, { status: 200, headers });
    }),
};

/**
 * Jobs that name a callback_url are accepted but no webhook is ever sent. The run passes no
 * webhook options: only because the kit sets up the mock's webhooks itself is this caught.
 */
export const callbackIgnored: BrokenVariant = {
  name: 'openrouter: callback_url ignored',
  provider: 'openrouter',
  defect: 'a job with a callback_url ends without any webhook delivery',
  expected: [
    { id: 'createVideos: webhook delivered once per terminal state', check: 'webhook-delivery' },
  ],
  create: () =>
    served(
      faithfulEngine('openrouter', {
        provider: { ...openrouterMock, webhook: () => undefined },
      }),
    ),
};

/**
 * The control plane's clock advance moves the clock half as far as asked, and says so in its
 * answer's `now`: jobs still end (later), so only the clock check can tell.
 */
export const clockAdvancesHalf: BrokenVariant = {
  name: 'openrouter: clock advance moves half as far',
  provider: 'openrouter',
  defect: 'POST /__reelkit/clock/advance {"ms": n} moves the clock n/2 ms',
  expected: [{ id: 'controlPlane: the clock moves as far as it is advanced', check: 'clock' }],
  create() {
    const engine = faithfulEngine('openrouter');
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname !== '/__reelkit/clock/advance') {
        return engine.handle(request);
      }
      const { ms } = (await request.json()) as { ms: number };
      return engine.handle(
        new Request(request.url, {
          method: 'POST',
          headers: request.headers,
          body: JSON.stringify({ ms: ms / 2 }),
        }),
      );
    }) as typeof fetch;
    return { engine, provider: engine.provider, fetch: fetchFn };
  },
};

/** The OpenRouter variants. */
export const openrouterVariants: readonly BrokenVariant[] = [
  wrongStatusWord,
  illegalTransition,
  missingRequiredField,
  okInsteadOfAccepted,
  authNotEnforced,
  dottedSignature,
  reusedIdempotencyKey,
  truncatedSampleData,
  callbackIgnored,
  clockAdvancesHalf,
];
