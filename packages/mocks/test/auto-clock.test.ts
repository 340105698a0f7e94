import { describe, expect, it } from 'vitest';
import { createAutoClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import { mockProviders } from '../src/providers/index.js';

const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };

describe('the auto clock with a client that polls instead of sleeping on the engine clock', () => {
  it.each([
    [
      'fastrouter',
      'https://go.fastrouter.ai/api/v1/videos',
      { model: 'google/veo3', prompt: 'x', length: 8 },
    ],
    ['openrouter', 'https://openrouter.ai/api/v1/videos', { model: 'google/veo-3.1', prompt: 'x' }],
  ] as const)('moves %s jobs to their end without anyone advancing time', async (id, url, body) => {
    const engine = createMockEngine({ provider: mockProviders[id], clock: createAutoClock() });
    const created = (await (
      await engine.handle(new Request(url, { method: 'POST', headers, body: JSON.stringify(body) }))
    ).json()) as {
      id?: string;
      data?: { taskId: string };
    };
    const jobId = created.id ?? created.data?.taskId ?? '';
    let status = '';
    for (let i = 0; i < 200 && !engine.jobs.isTerminalNow(engine.jobs.get(jobId)!); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      status = engine.jobs.statusOf(engine.jobs.get(jobId)!).status;
    }
    status = engine.jobs.statusOf(engine.jobs.get(jobId)!).status;
    expect(engine.jobs.get(jobId)!.lifecycle.success).toBe(status);
  });
});
