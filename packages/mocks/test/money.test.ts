import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { fastrouterMock } from '../src/providers/fastrouter/index.js';
import { imagerouterMock } from '../src/providers/imagerouter/index.js';

const headers = { authorization: 'Bearer sk-a', 'content-type': 'application/json' };

describe('ImageRouter per-key rate limit: balance / 6 requests per second, clamped to 1..20', () => {
  const burst = async (balance: number, count: number) => {
    const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 12) });
    const engine = createMockEngine({ provider: imagerouterMock, clock });
    engine.ledger.set('sk-a', balance);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < count; i++) {
      last = await engine.handle(
        new Request('https://api.imagerouter.io/v1/openai/videos/generations', {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: 'ir/test-video', prompt: 'x' }),
        }),
      );
      statuses.push(last.status);
    }
    await clock.advance(1000);
    const after = await engine.handle(
      new Request('https://api.imagerouter.io/v1/openai/videos/generations', {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'ir/test-video', prompt: 'x' }),
      }),
    );
    return {
      allowed: statuses.filter((s) => s === 200).length,
      last: last as Response,
      after: after.status,
      engine,
    };
  };

  it.each([
    [12, 2],
    [61, 10],
    [0, 1],
    [5000, 20],
  ])('a key with $%d gets %d requests per second', async (balance, limit) => {
    const { allowed, last, after, engine } = await burst(balance, limit + 1);
    expect(allowed).toBe(limit);
    expect(last.status).toBe(429);
    expect(last.headers.get('ratelimit-limit')).toBe(String(limit));
    expect(last.headers.get('retry-after')).toBe('1');
    expect(await last.json()).toEqual({
      error: {
        message: 'API key rate limit exceeded, please try again later.',
        type: 'rate_limit_error',
      },
    });
    expect(after).toBe(200);
    expect(engine.diagnostics).toEqual([]);
  });
});

describe('FastRouter credits', () => {
  it('charge credits_used on create and answer 402 when they run out', async () => {
    const engine = createMockEngine({ provider: fastrouterMock, clock: createManualClock() });
    engine.ledger.set('sk-a', 10);
    const create = () =>
      engine.handle(
        new Request('https://go.fastrouter.ai/api/v1/videos', {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: 'google/veo3', prompt: 'x', length: 8 }),
        }),
      );
    const first = await create();
    expect(first.status).toBe(200);
    const body = (await first.json()) as { usage: { credits_used: number } };
    expect(body.usage.credits_used).toBe(6);
    expect(engine.ledger.balanceOf('sk-a')).toBe(4);
    const second = await create();
    expect(second.status).toBe(402);
    expect(engine.ledger.balanceOf('sk-a')).toBe(4);
    expect(engine.diagnostics).toEqual([]);
  });
});
