import { describe, expect, it } from 'vitest';
import { openrouterMock } from '../providers/openrouter.js';
import { createManualClock } from './clock.js';
import { createMockEngine } from './engine.js';
import type { Handler, MockProvider, Reply } from './types.js';

const JOB_ID = 'job-1';
const url = `https://openrouter.ai/api/v1/videos/${JOB_ID}`;
const poll = () => new Request(url, { headers: { authorization: 'Bearer k' } });

/** The OpenRouter mock with its poll handler replaced. */
function withPoll(getVideo: Handler): MockProvider {
  return { ...openrouterMock, handlers: { ...openrouterMock.handlers, getVideo } };
}

describe('replies a handler hands out again (reusedBody)', () => {
  it('are serialised once: the first text is what every later reply carries', async () => {
    const body = { id: JOB_ID, polling_url: url, status: 'pending' };
    const engine = createMockEngine({
      provider: withPoll(() => ({ status: 200, body, reusedBody: true })),
      clock: createManualClock(),
    });
    const first = await (await engine.handle(poll())).json();
    // Breaking the contract (a reused body must never change) shows the engine kept the text.
    body.status = 'completed';
    const second = await (await engine.handle(poll())).json();
    expect(first).toEqual({ id: JOB_ID, polling_url: url, status: 'pending' });
    expect(second).toEqual(first);
  });

  it('are still checked against the spec, and a broken one is never remembered as valid', async () => {
    const broken = { id: JOB_ID, status: 'rendering' }; // no polling_url, unknown status
    const engine = createMockEngine({
      provider: withPoll(() => ({ status: 200, body: broken, reusedBody: true })),
      clock: createManualClock(),
    });
    for (let i = 0; i < 2; i++) {
      const response = await engine.handle(poll());
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(/broke its own contract/);
    }
    expect(engine.diagnostics).toHaveLength(2);
  });

  it('are checked again when returned under another status', async () => {
    const view = { id: JOB_ID, polling_url: url, status: 'pending' };
    let status = 200;
    const engine = createMockEngine({
      provider: withPoll((): Reply => ({ status, body: view, reusedBody: true })),
      clock: createManualClock(),
    });
    expect((await engine.handle(poll())).status).toBe(200);
    status = 404; // the poll view is not OpenRouter's 404 error envelope
    expect((await engine.handle(poll())).status).toBe(500);
    expect(engine.diagnostics[0]?.detail).toMatch(/404 schema/);
  });
});

describe('JSON replies', () => {
  it('carry a content-length equal to the UTF-8 bytes of the body', async () => {
    const engine = createMockEngine({
      provider: withPoll(() => ({
        status: 404,
        body: { error: { code: 404, message: 'Vidéo introuvable 🎬' } },
      })),
      clock: createManualClock(),
    });
    const response = await engine.handle(poll());
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(new TextDecoder().decode(bytes)).toContain('🎬');
  });
});

describe('in process (engine.handle, msw), the control plane has the same guard', () => {
  const TOKEN = 'ctl-in-process-token';
  const engine = createMockEngine({
    provider: openrouterMock,
    clock: createManualClock(),
    controlToken: TOKEN,
    publicUrl: 'https://mocks.example.com',
  });
  const control = (headers: Record<string, string>) =>
    engine.handle(
      new Request('https://openrouter.ai/__reelkit/reset', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      }),
    );

  it('needs the token, and refuses a foreign origin even with it', async () => {
    expect((await control({})).status).toBe(401);
    expect((await control({ 'x-reelkit-control-token': TOKEN })).status).toBe(200);
    expect(
      (await control({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' })).status,
    ).toBe(403);
    // The public origin is the mock's own.
    expect(
      (await control({ authorization: `Bearer ${TOKEN}`, origin: 'https://mocks.example.com' }))
        .status,
    ).toBe(200);
  });

  it('names the public URL in answers', async () => {
    const res = await engine.handle(
      new Request('https://openrouter.ai/api/v1/videos', {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'p' }),
      }),
    );
    expect(((await res.json()) as { polling_url: string }).polling_url).toMatch(
      /^https:\/\/mocks\.example\.com\/api\/v1\/videos\//,
    );
  });

  it('refuses a fault rate outside 0..1', () => {
    for (const rate of [Number.NaN, -0.1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() =>
        createMockEngine({ provider: openrouterMock, faultRates: { 'server-error': rate } }),
      ).toThrow(/fault rate of 'server-error' must be from 0 to 1/);
    }
  });

  it('refuses an empty token rather than guarding with nothing', () => {
    expect(() => createMockEngine({ provider: openrouterMock, controlToken: ' ' })).toThrow(
      /must not be empty/,
    );
  });
});
