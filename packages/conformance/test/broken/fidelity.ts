/**
 * Broken look-alikes for the fidelity promises of issue #11: each breaks one thing a router's own
 * docs or clients rely on, in the way the mock itself used to.
 */
import type { OpenRouterJob } from '@reelkit/mocks';
import { createImageRouterMock, openrouterMock } from '@reelkit/mocks';
import type { BrokenVariant } from './support.js';
import { faithfulEngine, rewrite, served, withJson } from './support.js';

const CONTENT = /^\/api\/v1\/videos\/[^/]+\/content$/;

/** Signs webhooks with a simulated clock running ahead of the wall clock (×30, 20 s after start). */
export const futureSignature: BrokenVariant = {
  name: 'openrouter: webhook signature timestamp in the future',
  provider: 'openrouter',
  defect:
    'the webhook signature carries t= from a simulated clock 580 s ahead of the wall clock, so receivers refuse every delivery',
  expected: [
    {
      id: 'createVideos: webhook signature timestamp is wall-clock time',
      check: 'webhook-signature',
    },
  ],
  create: () =>
    served(
      faithfulEngine('openrouter', {
        provider: {
          ...openrouterMock,
          webhook(job: OpenRouterJob, terminal, settings, clock) {
            const event = openrouterMock.webhook?.(job, terminal, settings, clock);
            if (!event) return event;
            // The signature still verifies: only its time is wrong.
            return { ...event, headers: (timestamp: number) => event.headers(timestamp + 580) };
          },
        },
      }),
    ),
};

/** `unsigned_urls` that need the key, as the content route does (401 without Authorization). */
export const unsignedUrlNeedsAuth: BrokenVariant = {
  name: 'openrouter: unsigned_url needs auth',
  provider: 'openrouter',
  defect:
    "unsigned_urls[0] answers 401 without an Authorization header, so the guide's download fails",
  expected: [{ id: 'listVideosContent: unsigned_urls download without a key', check: 'content' }],
  create: () =>
    rewrite(faithfulEngine('openrouter'), (request, response) => {
      const path = new URL(request.url).pathname;
      if (!CONTENT.test(path) || request.headers.has('authorization')) {
        return Promise.resolve(undefined);
      }
      const body = { error: { code: 401, message: 'Missing Authentication header' } };
      return Promise.resolve(withJson(response, body, 401));
    }),
};

/** The test model answers `created` in seconds, as ImageRouter's open-source handler does. */
export const createdInSeconds: BrokenVariant = {
  name: 'ImageRouter: created in seconds for the test model',
  provider: 'imagerouter',
  defect:
    'ir/test-video answers created in unix seconds (10 digits) while other models and the docs use milliseconds',
  expected: [{ id: 'createVideoGeneration: created is in milliseconds', check: 'timestamps' }],
  create: () =>
    served(
      faithfulEngine('imagerouter', { provider: createImageRouterMock({ testModels: 'source' }) }),
    ),
};

/** The fidelity variants. */
export const fidelityVariants: readonly BrokenVariant[] = [
  futureSignature,
  unsignedUrlNeedsAuth,
  createdInSeconds,
];
