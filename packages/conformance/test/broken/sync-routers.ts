/**
 * Broken rout.my and ImageRouter look-alikes (the two synchronous routers).
 */
import { createMp4Generator } from '@reelkit/mocks';
import type { BrokenVariant } from './support.js';
import { faithfulEngine, rewrite, withJson } from './support.js';

const MEDIA = /^\/__reelkit\/media\/([^/]+?)(\.mp4)?$/;

/** The delivered MP4 runs 1.5 s longer than the request asked for. */
export const routmyWrongDuration: BrokenVariant = {
  name: 'rout.my: video of the wrong duration',
  provider: 'routmy',
  defect: 'the generated MP4 is 1.5 s longer than the requested duration',
  expected: [{ id: 'createVideoGeneration: content is a valid MP4', check: 'content' }],
  create() {
    const engine = faithfulEngine('routmy');
    const generator = createMp4Generator();
    return rewrite(engine, async (request, response) => {
      const id = MEDIA.exec(new URL(request.url).pathname)?.[1];
      const spec = id ? engine.media.spec(id) : undefined;
      if (!spec || response.status !== 200) return undefined;
      const bytes = await generator.generate({
        ...spec,
        durationSeconds: spec.durationSeconds + 1.5,
      });
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': 'video/mp4' },
      });
    });
  },
};

/** A 429 comes without the Retry-After header that tells a client when to try again. */
export const routmyNoRetryAfter: BrokenVariant = {
  name: 'rout.my: rate limit without Retry-After',
  provider: 'routmy',
  defect: '429 answers carry no Retry-After header',
  expected: [{ id: 'createVideoGeneration: scenario rate-limit', check: 'scenario' }],
  create: () =>
    rewrite(faithfulEngine('routmy'), async (_request, response) => {
      if (response.status !== 429) return undefined;
      const headers = new Headers(response.headers);
      headers.delete('retry-after');
      return new Response(await response.text(), { status: 429, headers });
    }),
};

/** The "video" is a PNG image served as video/mp4. */
export const imagerouterNotMp4: BrokenVariant = {
  name: 'ImageRouter: content is not an MP4',
  provider: 'imagerouter',
  defect: 'the video URL serves PNG bytes labelled video/mp4',
  expected: [{ id: 'createVideoGeneration: content is a valid MP4', check: 'content' }],
  create: () =>
    rewrite(faithfulEngine('imagerouter'), (request, response) => {
      if (!MEDIA.test(new URL(request.url).pathname) || response.status !== 200) {
        return Promise.resolve(undefined);
      }
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
      return Promise.resolve(new Response(png, { headers: { 'content-type': 'video/mp4' } }));
    }),
};

/** Validation errors come back as HTTP 200 with an error body, as if generation had begun. */
export const imagerouterValidationAs200: BrokenVariant = {
  name: 'ImageRouter: invalid input answered 200',
  provider: 'imagerouter',
  defect: 'a request that fails validation gets HTTP 200 with an error body instead of 400',
  expected: [
    { id: 'createVideoGeneration: rejects a wrong type (seconds)', check: 'wrong-type' },
    {
      id: 'createVideoGeneration: rejects an out-of-set value (response_format)',
      check: 'out-of-set',
    },
    { id: 'createVideoGeneration: rejects an unknown model', check: 'unknown-model' },
  ],
  create: () =>
    rewrite(faithfulEngine('imagerouter'), async (request, response) => {
      if (request.method !== 'POST' || response.status !== 400) return undefined;
      return withJson(response, await response.json(), 200);
    }),
};

/** The rout.my and ImageRouter variants. */
export const syncVariants: readonly BrokenVariant[] = [
  routmyWrongDuration,
  routmyNoRetryAfter,
  imagerouterNotMp4,
  imagerouterValidationAs200,
];
