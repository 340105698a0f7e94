import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openrouterSpec } from '@reelkit/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { MockEngineOptions } from '../src/core/engine.js';
import { createMockEngine } from '../src/core/engine.js';
import { backoffMs, DEFAULT_RETRY_POLICY } from '../src/core/webhooks.js';
import { openrouterMock } from '../src/providers/openrouter.js';

const SECRET = 'whsec_reelkit';
const ORIGIN = 'https://openrouter.ai';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Simulated time at receipt. */
  at: number;
  /** Wall-clock time at receipt, what a receiver compares the signature's t= with. */
  wallAt: number;
}

/** A loopback receiver that answers `failures` times with 500 (or hangs up), then 204. */
async function receiver(
  clock: { now(): number },
  failures: number,
  how: 'status' | 'hangup' = 'status',
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body, at: clock.now(), wallAt: Date.now() });
      if (received.length <= failures) {
        if (how === 'hangup') req.socket.destroy();
        else res.writeHead(500).end('nope');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/openrouter`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

function setup(webhooks: MockEngineOptions['webhooks'] = {}) {
  const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 12) });
  const engine = createMockEngine({
    provider: openrouterMock,
    clock,
    webhooks: { secret: SECRET, allowHttpLoopback: true, ...webhooks },
  });
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    engine.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    );
  /** Moves time in 1 s steps, letting each delivery attempt finish. */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      await clock.advance(1000);
      await engine.webhooks.idle();
    }
  };
  return { clock, engine, submit, run };
}

function verifies(r: Received): boolean {
  const parsed = openrouterSpec.parseSignatureHeader(String(r.headers['x-openrouter-signature']));
  if (!parsed) return false;
  const expected = openrouterSpec.computeSignature({
    secret: SECRET,
    timestamp: parsed.timestamp,
    rawBody: r.body,
  });
  return (
    parsed.signatures.includes(expected) &&
    // Signed with the wall clock at sending (issue #11), so within a second or two of receipt.
    Math.abs(Math.floor(r.wallAt / 1000) - parsed.timestamp) <= 2
  );
}

describe('OpenRouter webhooks', () => {
  it.each([
    [3, 'status'],
    [2, 'hangup'],
  ] as const)(
    'a receiver failing %i times (%s) gets them retried with backoff, then one accepted delivery',
    async (failures, how) => {
      const { clock, engine, submit, run } = setup();
      const hook = await receiver(clock, failures, how);
      closers.push(hook.close);
      const res = await submit({ model: 'google/veo-3.1', prompt: 'x', callback_url: hook.url });
      const { id } = (await res.json()) as { id: string };
      await run(10 * 60_000);

      expect(hook.received).toHaveLength(failures + 1);
      expect(new Set(hook.received.map((r) => r.headers['x-openrouter-idempotency-key']))).toEqual(
        new Set([`${id}-completed`]),
      );
      expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
      for (const r of hook.received) {
        expect(verifies(r)).toBe(true);
        expect(r.headers['content-type']).toBe('application/json');
      }
      // Waits follow the README: 10 s × 2^(n−1), each ±20 % jitter.
      for (let n = 1; n <= failures; n++) {
        const gap = (hook.received[n] as Received).at - (hook.received[n - 1] as Received).at;
        const nominal = backoffMs(DEFAULT_RETRY_POLICY, n);
        expect(gap).toBeGreaterThanOrEqual(nominal * 0.8 - 1000);
        expect(gap).toBeLessThanOrEqual(nominal * 1.2 + 1000);
      }
      const [delivery] = engine.webhooks.list();
      expect(delivery).toMatchObject({ state: 'delivered', idempotencyKey: `${id}-completed` });
      expect(delivery?.attempts.map((a) => a.status ?? 'error')).toEqual([
        ...Array<number | string>(failures).fill(how === 'status' ? 500 : 'error'),
        204,
      ]);

      // The payload matches a later poll.
      const event = openrouterSpec.VideoWebhookEvent.parse(
        JSON.parse((hook.received[0] as Received).body),
      );
      const poll = (await (
        await engine.handle(
          new Request(`${ORIGIN}/api/v1/videos/${id}`, { headers: { authorization: 'Bearer k' } }),
        )
      ).json()) as Record<string, unknown>;
      expect(event).toMatchObject({
        type: 'video.generation.completed',
        data: {
          id,
          status: 'completed',
          generation_id: poll.generation_id,
          unsigned_urls: poll.unsigned_urls,
          usage: poll.usage,
        },
      });
    },
  );

  it('gives up after the last attempt and can resend by hand with the same key', async () => {
    const { clock, engine, submit, run } = setup();
    const hook = await receiver(clock, 100);
    closers.push(hook.close);
    await submit({ model: 'google/veo-3.1-lite', prompt: 'x', callback_url: hook.url });
    await run(30 * 60_000);
    expect(hook.received).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    const [delivery] = engine.webhooks.list();
    expect(delivery?.state).toBe('failed');
    const log = (await (
      await engine.handle(new Request(`${ORIGIN}/__reelkit/webhooks`))
    ).json()) as { deliveries: { attempts: unknown[] }[] };
    expect(log.deliveries[0]?.attempts).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    const resent = await engine.handle(
      new Request(`${ORIGIN}/__reelkit/webhooks/${delivery?.id}/resend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(resent.status).toBe(200);
    expect(hook.received).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts + 1);
    expect(hook.received.at(-1)?.headers['x-openrouter-idempotency-key']).toBe(
      delivery?.idempotencyKey,
    );
  });

  it.each([
    ['failed', 'video.generation.failed', 'Provider returned error'],
    ['moderation', 'video.generation.failed', 'Content policy violation'],
    ['cancelled', 'video.generation.cancelled', 'Job was cancelled'],
    ['expired', 'video.generation.expired', 'Job exceeded maximum time to live'],
  ])('scenario %s delivers %s', async (scenario, type, error) => {
    const { clock, submit, run } = setup();
    const hook = await receiver(clock, 0);
    closers.push(hook.close);
    await submit(
      { model: 'google/veo-3.1', prompt: 'x', callback_url: hook.url },
      { 'X-Reelkit-Scenario': scenario },
    );
    await run(15 * 60_000);
    expect(hook.received).toHaveLength(1);
    const event = openrouterSpec.VideoWebhookEvent.parse(JSON.parse(hook.received[0]?.body ?? ''));
    expect(event).toMatchObject({ type, data: { error } });
  });

  it('sends unsigned deliveries when no secret is set, and uses the default callback', async () => {
    const clock = createManualClock();
    const hook = await receiver(clock, 0);
    closers.push(hook.close);
    const engine = createMockEngine({
      provider: openrouterMock,
      clock,
      webhooks: { defaultCallbackUrl: hook.url },
    });
    await engine.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x' }),
      }),
    );
    for (let i = 0; i < 400; i++) {
      await clock.advance(1000);
      await engine.webhooks.idle();
    }
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.headers['x-openrouter-signature']).toBeUndefined();
  });

  it('refuses http callbacks unless loopback http is allowed', async () => {
    const strict = createMockEngine({ provider: openrouterMock, clock: createManualClock() });
    const res = await strict.handle(
      new Request(`${ORIGIN}/api/v1/videos`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'google/veo-3.1',
          prompt: 'x',
          callback_url: 'http://127.0.0.1:9/hook',
        }),
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 400, message: 'callback_url must be an HTTPS URL' },
    });
    const { submit } = setup();
    expect(
      (
        await submit({
          model: 'google/veo-3.1',
          prompt: 'x',
          callback_url: 'http://example.com/hook',
        })
      ).status,
    ).toBe(400);
  });
});

describe('OpenRouter credits', () => {
  it('charge the catalog price of completed jobs and answer 402 when a submit would exceed the balance', async () => {
    const { engine, submit } = setup();
    engine.ledger.set('k', 5);
    // veo-3.1: 0.50 USD per second at 720p; 8 s = 4.00 USD.
    expect((await submit({ model: 'google/veo-3.1', prompt: 'x', duration: 8 })).status).toBe(202);
    expect(engine.ledger.balanceOf('k')).toBe(1);
    const refused = await submit({ model: 'google/veo-3.1', prompt: 'x', duration: 4 });
    expect(refused.status).toBe(402);
    expect(await refused.json()).toEqual({
      error: {
        code: 402,
        message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
      },
    });
    // A job planned to fail is not billed. kling-v3.0-pro: 0.112 USD/s without audio.
    expect(
      (
        await submit(
          { model: 'kwaivgi/kling-v3.0-pro', prompt: 'x', duration: 5, generate_audio: false },
          { 'X-Reelkit-Scenario': 'failed' },
        )
      ).status,
    ).toBe(202);
    expect(engine.ledger.balanceOf('k')).toBe(1);
    expect(
      (
        await submit({
          model: 'kwaivgi/kling-v3.0-pro',
          prompt: 'x',
          duration: 5,
          generate_audio: false,
        })
      ).status,
    ).toBe(202);
    expect(engine.ledger.balanceOf('k')).toBe(0.44);
  });

  it('are read and set through the control plane', async () => {
    const { engine } = setup();
    const put = await engine.handle(
      new Request(`${ORIGIN}/__reelkit/balances/sk-a`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ balance: 2.5 }),
      }),
    );
    // Keys are masked in control answers.
    expect(await put.json()).toEqual({ key: 's…a', unit: 'usd', balance: 2.5 });
    const all = (await (
      await engine.handle(new Request(`${ORIGIN}/__reelkit/balances`))
    ).json()) as { balances: { key: string; balance: number }[] };
    expect(all.balances).toEqual([{ key: 's…a', balance: 2.5 }]);
    const bad = await engine.handle(
      new Request(`${ORIGIN}/__reelkit/balances/sk-a`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ balance: -1 }),
      }),
    );
    expect(bad.status).toBe(400);
  });
});
