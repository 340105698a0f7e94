/**
 * Aborts and timeouts through both mounts, on virtual time:
 * - an already aborted signal sends nothing;
 * - aborting while a job waits (asynchronous routers) or while the connection is held
 *   (synchronous routers) ends the call with an `AbortError`, naming the job when there is one;
 * - an asynchronous call whose job outlives `timeoutMs` ends with a `TimeoutError` naming the job
 *   (auto clock: the deadline is checked on the client's clock);
 * - a synchronous request held longer than `timeoutMs` is aborted by the timer (manual clock for
 *   both `clock` and `timeoutClock`, moved by the test).
 */
import type { ProviderId } from '@reelkit/spec';
import { PROVIDER_IDS } from '@reelkit/spec';
import { createManualClock } from '@reelkit/mocks';
import { describe, expect, it } from 'vitest';
import type { GenerateVideoRequest } from '../src/index.js';
import { AbortError, TimeoutError } from '../src/index.js';
import { caught, MOUNT_NAMES, mount, reelkitFor, until } from './harness.js';

const REQUESTS: Readonly<Record<ProviderId, GenerateVideoRequest>> = {
  openrouter: { provider: 'openrouter', model: 'google/veo-3.1', prompt: 'a cat', duration: 4 },
  imagerouter: { provider: 'imagerouter', model: 'google/veo-3.1', prompt: 'a cat', duration: 4 },
  fastrouter: { provider: 'fastrouter', model: 'google/veo3', prompt: 'a cat' },
  routmy: { provider: 'routmy', model: 'google/veo-3.1', prompt: 'a cat' },
};

const ASYNC: readonly ProviderId[] = ['openrouter', 'fastrouter'];

describe.each(MOUNT_NAMES)('on %s', (mountName) => {
  describe.each(PROVIDER_IDS)('%s', (provider) => {
    const request = REQUESTS[provider];

    it('an aborted signal sends nothing', async () => {
      const m = await mount(mountName, provider);
      try {
        let sent = 0;
        const counting: typeof fetch = (input, init) => {
          sent++;
          return fetch(input, init);
        };
        const controller = new AbortController();
        controller.abort(new Error('user gave up'));
        const error = await caught(() =>
          reelkitFor(m, { fetch: counting }).generateVideo({
            ...request,
            signal: controller.signal,
          }),
        );
        expect(error).toBeInstanceOf(AbortError);
        expect(error).toMatchObject({ code: 'aborted' });
        expect(sent).toBe(0);
        expect(m.engine.jobs.size).toBe(0);
      } finally {
        await m.close();
      }
    });

    it('aborting mid-generation ends the call with an AbortError', async () => {
      const clock = createManualClock();
      const m = await mount(mountName, provider, { clock });
      try {
        const controller = new AbortController();
        let accepted = false;
        const pending = caught(() =>
          reelkitFor(m).generateVideo({
            ...request,
            signal: controller.signal,
            onProgress: (e) => {
              if (e.source === 'submit') accepted = true;
            },
          }),
        );
        // The job exists and the client waits: for a poll (async, once it knows the job) or for
        // the held answer (sync).
        await until(
          () => accepted && m.engine.jobs.size === 1 && clock.pending > 0,
          'a waiting job',
        );
        controller.abort();
        const error = await pending;
        expect(error).toBeInstanceOf(AbortError);
        if (ASYNC.includes(provider)) {
          expect((error as AbortError).jobId).toBe(m.engine.jobs.list()[0]?.id);
        }
        expect(m.engine.jobs.size).toBe(1);
      } finally {
        await m.close();
      }
    });

    it('a job that outlives timeoutMs ends with a TimeoutError', async () => {
      if (ASYNC.includes(provider)) {
        const m = await mount(mountName, provider);
        try {
          const started = m.clock.now();
          const error = await caught(() =>
            reelkitFor(m).generateVideo({ ...request, timeoutMs: 30_000 }),
          );
          expect(error).toBeInstanceOf(TimeoutError);
          expect(error).toMatchObject({ code: 'timeout', timeoutMs: 30_000 });
          expect((error as TimeoutError).jobId).toBe(m.engine.jobs.list()[0]?.id);
          expect(m.clock.now() - started).toBeGreaterThanOrEqual(30_000);
          expect(m.clock.now() - started).toBeLessThan(31_000);
        } finally {
          await m.close();
        }
        return;
      }
      const clock = createManualClock();
      const m = await mount(mountName, provider, { clock });
      try {
        const reelkit = reelkitFor(m, { timeoutClock: clock });
        const pending = caught(() =>
          reelkit.generateVideo({
            ...request,
            timeoutMs: 60_000,
            headers: { 'X-Reelkit-Scenario': 'slow' },
          }),
        );
        await until(() => m.engine.jobs.size === 1 && clock.pending > 1, 'a held request');
        await clock.advance(60_000);
        const error = await pending;
        expect(error).toBeInstanceOf(TimeoutError);
        expect(error).toMatchObject({ timeoutMs: 60_000 });
      } finally {
        await m.close();
      }
    });
  });
});
