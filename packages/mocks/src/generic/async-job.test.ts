/**
 * The generic asynchronous-job mock on a router OpenRouter's facts do not describe: job fields
 * nested in the answer, no polling URL, no content route, its own error envelope.
 */
import type { RouterSpec } from '@reelkit/spec';
import { defineLifecycle, defineRouter, openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createMockEngine } from '../core/engine.js';
import { createAsyncJobMock } from './async-job.js';

const { createVideo, getVideo } = openrouter.routes;

/** OpenRouter's routes and judge with other facts: `data.*` fields, no content route. */
const nested: RouterSpec = defineRouter({
  ...openrouter,
  id: 'nested-video',
  routes: { createVideo, getVideo },
  facts: {
    ...openrouter.facts,
    errorBody: ({ kind, message }) => ({ failure: { kind, message } }),
    job: {
      submit: 'createVideo',
      poll: 'getVideo',
      idParam: 'jobId',
      lifecycle: 'video',
      fields: { id: 'data.job_id', status: 'data.state', videoUrls: 'data.files' },
    },
  },
});

function setup() {
  const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 12) });
  // The OpenRouter schemas do not describe these answers, so they are not checked against them.
  const engine = createMockEngine({
    provider: createAsyncJobMock(nested),
    clock,
    validateResponses: false,
  });
  const call = (path: string, init: RequestInit = {}) =>
    engine.handle(
      new Request(`${openrouter.origin}${openrouter.basePath}${path}`, {
        ...init,
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      }),
    );
  return { clock, call };
}

describe('createAsyncJobMock', () => {
  it('writes and reads nested job fields, without a polling URL', async () => {
    const { clock, call } = setup();
    const res = await call('/videos', {
      method: 'POST',
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat', duration: 4 }),
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as { data: { job_id: string; state: string } };
    expect(created).toEqual({ data: { job_id: expect.any(String), state: 'pending' } });
    await clock.advance(10 * 60_000);
    const done = (await (await call(`/videos/${created.data.job_id}`)).json()) as unknown;
    // No content route: the job completes with an empty list of files to fetch.
    expect(done).toEqual({ data: { job_id: created.data.job_id, state: 'completed', files: [] } });
  });

  it("answers errors in the router's own envelope with the facts' status and wording", async () => {
    const { call } = setup();
    const res = await call('/videos/no-such-job');
    expect(res.status).toBe(openrouter.facts.errors.not_found.status);
    expect(await res.json()).toEqual({
      failure: { kind: 'not_found', message: openrouter.facts.errors.not_found.message },
    });
  });

  it('refuses a router with a route neither facts.job nor a quirk answers', () => {
    // OpenRouter's model listing is a quirk handler of its own mock.
    expect(() => createAsyncJobMock(openrouter)).toThrow(/route 'listModels'/);
  });

  it('refuses scenarios whose ending the lifecycle lacks, when it is built', () => {
    const neverExpires = defineLifecycle({
      name: 'never-expires',
      statuses: ['pending', 'completed', 'failed', 'cancelled'],
      initial: 'pending',
      intermediate: ['pending'],
      terminal: ['completed', 'failed', 'cancelled'],
      success: 'completed',
      transitions: {
        pending: ['completed', 'failed', 'cancelled'],
        completed: [],
        failed: [],
        cancelled: [],
      },
      canonical: {
        pending: 'queued',
        completed: 'completed',
        failed: 'failed',
        cancelled: 'cancelled',
      },
    });
    // OpenRouter's scenarios include 'expired'.
    expect(() => createAsyncJobMock({ ...nested, lifecycles: { video: neverExpires } })).toThrow(
      /no 'expired' status in lifecycle 'never-expires'/,
    );
  });

  it('refuses a router without facts.job', () => {
    const { job: _job, ...facts } = openrouter.facts;
    expect(() => createAsyncJobMock({ ...openrouter, facts })).toThrow(/declares no facts\.job/);
  });
});
