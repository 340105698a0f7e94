/**
 * `POST /__reelkit/clock/advance` on a mock with the real clock: a job that would take minutes of
 * life is done as soon as the clock is moved past its end, and nobody waits.
 */
import { describe, expect, it } from 'vitest';
import { createRealClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { openrouterMock } from '../src/providers/openrouter.js';

const ORIGIN = 'https://openrouter.ai';

describe('the control plane on a real clock', () => {
  it('moves time forward and the jobs with it', async () => {
    // Scale 1: the job takes minutes of wall-clock time unless the clock is moved.
    const engine = createMockEngine({
      provider: openrouterMock,
      clock: createRealClock({ timeScale: 1 }),
    });
    const call = (path: string, init?: RequestInit) =>
      engine.handle(new Request(`${ORIGIN}${path}`, init));
    const submitted = await call('/api/v1/videos', {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a lighthouse' }),
    });
    const { id } = (await submitted.json()) as { id: string };
    const before = ((await (await call('/__reelkit/clock')).json()) as { now: number }).now;
    const status = async () =>
      (
        (await (
          await call(`/api/v1/videos/${id}`, { headers: { authorization: 'Bearer k' } })
        ).json()) as {
          status: string;
        }
      ).status;
    expect(await status()).not.toBe('completed');

    const advanced = await call('/__reelkit/clock/advance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 600 }),
    });
    expect(advanced.status).toBe(200);
    const body = (await advanced.json()) as { mode: string; now: number };
    expect(body.mode).toBe('real');
    expect(body.now - before).toBeGreaterThanOrEqual(600_000);
    expect(await status()).toBe('completed');
  });
});
