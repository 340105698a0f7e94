/**
 * `GET`/`PUT /__reelkit/webhooks/settings`: a tool with its own receiver (the conformance kit)
 * sets the signing secret and loopback http callbacks of a running mock.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openrouterSpec } from '@reelkit/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { openrouterMock } from '../src/providers/openrouter.js';
import { routmyMock } from '../src/providers/routmy/index.js';

const ORIGIN = 'https://openrouter.ai';
const SETTINGS = `${ORIGIN}/__reelkit/webhooks/settings`;
const SECRET = 'whsec_set_by_control_plane';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function receiver() {
  const received: { signature: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const signature = req.headers['x-openrouter-signature'];
      received.push({ signature: typeof signature === 'string' ? signature : undefined, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const put = (body: unknown, url = SETTINGS) =>
  new Request(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function setup() {
  const clock = createManualClock();
  const engine = createMockEngine({ provider: openrouterMock, clock });
  const submit = (callbackUrl: string) =>
    engine.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x', callback_url: callbackUrl }),
      }),
    );
  return { clock, engine, submit };
}

describe('webhook settings on the control plane', () => {
  it('turn on signing and loopback callbacks of a running mock, never showing the secret', async () => {
    const { clock, engine, submit } = setup();
    const hook = await receiver();
    expect(await (await engine.handle(new Request(SETTINGS))).json()).toEqual({
      signed: false,
      allowHttpCallbacks: false,
      defaultCallbackUrl: null,
    });
    expect((await submit(hook.url)).status).toBe(400);

    const answer = await engine.handle(put({ secret: SECRET, allowHttpCallbacks: true }));
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(JSON.parse(text)).toEqual({
      signed: true,
      allowHttpCallbacks: true,
      defaultCallbackUrl: null,
    });
    expect(text).not.toContain(SECRET);

    expect((await submit(hook.url)).status).toBe(202);
    for (let i = 0; i < 400 && hook.received.length === 0; i++) {
      await clock.advance(1000);
      await engine.webhooks.idle();
    }
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    const signature = openrouterSpec.parseSignatureHeader(delivery?.signature ?? '');
    expect(signature).toBeTruthy();
    expect(signature?.signatures).toContain(
      openrouterSpec.computeSignature({
        secret: SECRET,
        timestamp: signature!.timestamp,
        rawBody: delivery!.body,
      }),
    );

    // null takes the secret away again; other settings stay as they are.
    expect(await (await engine.handle(put({ secret: null }))).json()).toEqual({
      signed: false,
      allowHttpCallbacks: true,
      defaultCallbackUrl: null,
    });
  });

  it.each([
    [{ secret: '' }, 'secret must be a non-empty string'],
    [{ secret: 'x'.repeat(257) }, 'at most 256 characters'],
    [{ allowHttpCallbacks: 'yes' }, 'allowHttpCallbacks must be true or false'],
    [{ defaultCallbackUrl: 'http://example.com/hook' }, 'defaultCallbackUrl must be an https URL'],
    [{ defaultCallbackUrl: 'http://127.0.0.1:9/hook' }, 'defaultCallbackUrl must be an https URL'],
    [{ signingSecret: 'x' }, 'Unknown webhook setting(s): signingSecret'],
  ])('refuse %j with a 400 that says what to send', async (body, message) => {
    const { engine } = setup();
    const answer = await engine.handle(put(body));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain(message);
    expect(engine.webhookSettings).toEqual({
      allowHttpLoopback: false,
      allowPrivateNetworks: false,
    });
  });

  it('take a loopback default callback once http callbacks are allowed', async () => {
    const { engine } = setup();
    const answer = await engine.handle(
      put({ allowHttpCallbacks: true, defaultCallbackUrl: 'http://127.0.0.1:9/hook' }),
    );
    expect(await answer.json()).toEqual({
      signed: false,
      allowHttpCallbacks: true,
      defaultCallbackUrl: 'http://127.0.0.1:9/hook',
    });
  });

  it('do not exist on a router that sends no webhooks', async () => {
    const engine = createMockEngine({ provider: routmyMock, clock: createManualClock() });
    const answer = await engine.handle(
      new Request('https://api.rout.my/__reelkit/webhooks/settings'),
    );
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain('sends no webhooks');
  });
});
