import { openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { openrouterMock } from '../providers/openrouter.js';
import { createManualClock } from './clock.js';
import { createMockEngine } from './engine.js';
import type { PlainResponse } from './request.js';
import { createResponder, INTERNAL_ERROR_HEADER } from './respond.js';
import type { Diagnostic, MockProvider } from './types.js';
import type { OpenRouterJobData } from '../providers/openrouter/submit.js';

const getVideo = openrouter.routes.getVideo;

function responder() {
  const diagnostics: Diagnostic[] = [];
  const logged: unknown[] = [];
  const it = createResponder({
    provider: openrouterMock,
    validate: true,
    diagnostics,
    log: (_message, error) => logged.push(error),
  });
  return { responder: it, diagnostics, logged };
}

/** The JSON body of a plain answer, after checking its length header counts its UTF-8 bytes. */
function jsonOf(answer: PlainResponse): unknown {
  expect(typeof answer.body).toBe('string');
  const text = answer.body as string;
  expect(answer.headers['content-length']).toBe(String(new TextEncoder().encode(text).byteLength));
  expect(answer.headers['content-type']).toBe('application/json');
  return JSON.parse(text);
}

describe('respond(): one way to answer', () => {
  it('words a server refusal in the router envelope, by the status the server would answer', () => {
    const { responder: r } = responder();
    const cases = [
      [413, 'payload_too_large'],
      [429, 'rate_limited'],
      [400, 'validation'],
      [503, 'server_error'],
    ] as const;
    for (const [status, kind] of cases) {
      const answer = r.refusal(status, 'the reason');
      const expected = openrouterMock.error(kind, { message: 'the reason' });
      expect(answer.status).toBe(expected.status);
      expect(jsonOf(answer)).toEqual(expected.body);
      expect(openrouter.errorSchema.safeParse(jsonOf(answer)).success).toBe(true);
    }
  });

  it('checks a reply on its route strictly, and a refusal only where the route declares its status', () => {
    const { responder: r, diagnostics } = responder();
    const teapot = { status: 418, body: { error: { code: 418, message: 'no' } } };
    expect(r.respondPlain(teapot, getVideo, 'if-declared').status).toBe(418);
    expect(diagnostics).toEqual([]);
    const strict = r.respondPlain(teapot, getVideo);
    expect(strict.status).toBe(500);
    expect(jsonOf(strict)).toMatchObject({ error: { code: 'MOCK_ERR_INVALID_RESPONSE' } });
    expect(diagnostics).toMatchObject([{ kind: 'invalid-response', status: 418 }]);
    // A declared status is checked even for a refusal: a broken 404 envelope is caught.
    const broken = r.respondPlain({ status: 404, body: { nope: true } }, getVideo, 'if-declared');
    expect(broken.status).toBe(500);
    expect(diagnostics).toHaveLength(2);
  });

  it('answers an internal failure 500 saying it is a reelkit bug, logged once, without the stack', () => {
    const { responder: r, diagnostics, logged } = responder();
    const error = new Error(`cannot read ${process.cwd()}/src/core/secret.ts`);
    const outside = r.internalError('(server)', error);
    expect(outside.status).toBe(500);
    const body = jsonOf(outside) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('MOCK_ERR_INTERNAL');
    expect(body.error.message).toMatch(/crash_1.*reelkit bug/);
    expect(JSON.stringify(body)).not.toContain('secret.ts');
    // On a route, the same failure is the router's own 500 (its clients handle that), same words.
    const onRoute = r.internalError(getVideo.operationId, error, getVideo);
    expect(onRoute.status).toBe(500);
    const routed = jsonOf(onRoute);
    expect(openrouter.errorSchema.safeParse(routed).success).toBe(true);
    expect(JSON.stringify(routed)).toMatch(/crash_2.*reelkit bug/);
    expect(onRoute.headers[INTERNAL_ERROR_HEADER]).toBe('MOCK_ERR_INTERNAL; ref=crash_2');
    expect(logged).toEqual([error, error]);
    expect(diagnostics.map((d) => d.detail)).toEqual([
      'crash_1: Error: cannot read <path>',
      'crash_2: Error: cannot read <path>',
    ]);
  });

  it('sends bytes as they are, with their length', () => {
    const { responder: r } = responder();
    const bytes = new Uint8Array([1, 2, 3]);
    const answer = r.respond({ status: 200, bytes, contentType: 'video/mp4' });
    expect(answer).toEqual({
      status: 200,
      headers: { 'content-type': 'video/mp4', 'content-length': '3' },
      body: bytes,
    });
  });
});

describe('typed job data', () => {
  // OpenRouter's own job data plus a field of the test's: the handlers it reuses read theirs.
  type NoteData = OpenRouterJobData & { readonly note?: string };

  it('a provider with its own job data is a MockProvider, and its handlers read the data without casts', async () => {
    const notes: string[] = [];
    const typed: MockProvider<typeof openrouter, NoteData> = {
      ...openrouterMock,
      handlers: {
        ...openrouterMock.handlers,
        getVideo: async (ctx) => {
          const job = await ctx.services.jobs.get(ctx.params.jobId as string);
          notes.push(job?.data.note ?? '(none)');
          return openrouterMock.handlers.getVideo(ctx);
        },
      },
    };
    const engine = createMockEngine({ provider: typed, clock: createManualClock() });
    const res = await engine.handle(
      new Request('https://openrouter.ai/api/v1/videos/unknown-job', {
        headers: { authorization: 'Bearer k' },
      }),
    );
    expect(res.status).toBe(404);
    expect(notes).toEqual(['(none)']);
  });
});
