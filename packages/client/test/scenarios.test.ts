/**
 * Every scenario every mock offers, through `generateVideo`, on both mounts (msw in-process on
 * the router's real origin, fastify over loopback), on virtual time: the right result or the right
 * typed error, never a duplicate job, and legal status sequences in the progress events.
 */
import type { ProviderId } from '@reelkit/spec';
import { checkObservedSequence, providers } from '@reelkit/spec';
import { createTrafficAuditor } from '@reelkit/conformance';
import type { TrafficAuditor } from '@reelkit/conformance';
import { mockProviders, WIRE_SCENARIOS } from '@reelkit/mocks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  GenerateVideoRequest,
  ProgressEvent,
  Reelkit,
  ReelkitErrorCode,
  VideoResult,
  ReelkitError,
} from '../src/index.js';
import {
  BadRequestError,
  ConnectionError,
  GenerationFailedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
} from '../src/index.js';
import type { Mount } from './harness.js';
import { caught, collector, expectMp4, MOUNT_NAMES, mount, reelkitFor } from './harness.js';

type ErrorClass = abstract new (...args: never[]) => ReelkitError;

type Outcome =
  | { readonly kind: 'completed'; readonly cost?: number }
  | {
      readonly kind: 'error';
      readonly type: ErrorClass;
      readonly code: ReelkitErrorCode;
      /** HTTP attempts of the failing request (retries + 1). */
      readonly attempts?: number;
      readonly message?: RegExp;
      /** Jobs the mock holds afterwards (never more than one). */
      readonly jobs?: number;
    };

interface Target {
  readonly label: string;
  readonly provider: ProviderId;
  readonly request: Omit<GenerateVideoRequest, 'provider'>;
  readonly lifecycle: string;
  readonly scenarios: Readonly<Record<string, Outcome>>;
}

const completed = (cost?: number): Outcome => ({
  kind: 'completed',
  ...(cost !== undefined ? { cost } : {}),
});
const failed = (code: ReelkitErrorCode, message: RegExp): Outcome => ({
  kind: 'error',
  type: GenerationFailedError,
  code,
  message,
});
const http = (
  type: ErrorClass,
  code: ReelkitErrorCode,
  attempts: number,
  message?: RegExp,
): Outcome => ({ kind: 'error', type, code, attempts, jobs: 0, ...(message ? { message } : {}) });

const PROMPT = 'a lighthouse at dawn, waves below';

const TARGETS: readonly Target[] = [
  {
    label: 'openrouter google/veo-3.1',
    provider: 'openrouter',
    request: {
      model: 'google/veo-3.1',
      prompt: PROMPT,
      duration: 4,
      resolution: '720p',
      aspectRatio: '16:9',
    },
    lifecycle: 'video',
    scenarios: {
      success: completed(2),
      slow: completed(2),
      failed: failed('generation_failed', /Provider returned error/),
      moderation: failed('content_moderated', /Content policy violation/),
      cancelled: failed('generation_cancelled', /Job was cancelled/),
      expired: failed('generation_expired', /maximum time to live/),
      'insufficient-credits': http(PaymentRequiredError, 'insufficient_credits', 1, /credits/),
      // Retry-After: 30 s, twice, then the error.
      'rate-limit': http(RateLimitError, 'rate_limited', 3),
      // A submit answered 500 may have created a job: not retried.
      'server-error': http(ServerError, 'server_error', 1),
    },
  },
  {
    label: 'imagerouter google/veo-3.1',
    provider: 'imagerouter',
    request: { model: 'google/veo-3.1', prompt: PROMPT, duration: 4 },
    lifecycle: 'video',
    scenarios: {
      success: completed(1.6),
      slow: completed(1.6),
      failed: failed('generation_failed', /Video generation failed/),
      moderation: failed('content_moderated', /safety system/),
      // HTTP 200 with an error body.
      'insufficient-credits': http(PaymentRequiredError, 'insufficient_credits', 1, /topup/),
      'rate-limit': http(RateLimitError, 'rate_limited', 3),
      // ImageRouter answers 500 only before generation starts: retried.
      'server-error': http(ServerError, 'server_error', 3),
      'provider-error': failed('generation_failed', /overloaded/),
    },
  },
  {
    label: 'fastrouter google/veo3 (task family)',
    provider: 'fastrouter',
    request: { model: 'google/veo3', prompt: PROMPT, duration: 8, resolution: '720p' },
    lifecycle: 'task',
    scenarios: {
      success: completed(6),
      slow: completed(6),
      failed: failed('generation_failed', /Video generation failed/),
      moderation: http(PermissionDeniedError, 'content_moderated', 1, /moderation/),
      expired: failed('generation_expired', /expired result/),
      'insufficient-credits': http(PaymentRequiredError, 'insufficient_credits', 1),
      // Retry-After: 60 s, within the 60 s the client waits at most.
      'rate-limit': http(RateLimitError, 'rate_limited', 3),
      'server-error': http(ServerError, 'server_error', 1),
      'provider-error': http(ServerError, 'server_error', 1, /unavailable/),
    },
  },
  {
    label: 'fastrouter openai/sora-2 (Sora family)',
    provider: 'fastrouter',
    request: { model: 'openai/sora-2', prompt: PROMPT, duration: 4, size: '1280x720' },
    lifecycle: 'sora',
    scenarios: {
      success: completed(0.4),
      slow: completed(0.4),
      failed: failed('generation_failed', /Video generation failed/),
      moderation: http(PermissionDeniedError, 'content_moderated', 1),
      expired: failed('generation_expired', /expired result/),
      'insufficient-credits': http(PaymentRequiredError, 'insufficient_credits', 1),
      'rate-limit': http(RateLimitError, 'rate_limited', 3),
      'server-error': http(ServerError, 'server_error', 1),
      'provider-error': http(ServerError, 'server_error', 1),
    },
  },
  {
    label: 'routmy google/veo-3.1',
    provider: 'routmy',
    request: { model: 'google/veo-3.1', prompt: PROMPT, duration: 8, resolution: '720p' },
    lifecycle: 'video',
    scenarios: {
      success: completed(),
      slow: completed(),
      // 502 "Upstream provider failed": the generation failed.
      failed: failed('generation_failed', /Upstream provider failed/),
      // Refused after the connection was held: the mock keeps a record of the request.
      moderation: {
        kind: 'error',
        type: BadRequestError,
        code: 'content_moderated',
        attempts: 1,
        message: /content policy/,
      },
      // The quota 429 names a reset a day away: not retried.
      'insufficient-credits': http(PaymentRequiredError, 'quota_exceeded', 1, /quota/),
      'rate-limit': http(RateLimitError, 'rate_limited', 3),
      'server-error': http(ServerError, 'server_error', 1),
      'provider-error': failed('generation_failed', /Upstream provider failed/),
    },
  },
];

/**
 * Faults on the wire every mock acts out, applied to the request that starts the generation:
 * delays only slow it down (virtual time), a lost or garbled answer to a submit is reported and
 * never repeated.
 */
const WIRE: Readonly<Record<string, Outcome>> = {
  latency: completed(),
  stall: completed(),
  reset: { kind: 'error', type: ConnectionError, code: 'connection_failed', attempts: 1 },
  truncate: { kind: 'error', type: ConnectionError, code: 'connection_failed', attempts: 1 },
  'malformed-json': { kind: 'error', type: ResponseValidationError, code: 'response_invalid' },
};

describe.each(TARGETS)('$label', (target) => {
  const provider = mockProviders[target.provider];
  const scenarios = [...provider.scenarios, ...Object.keys(WIRE_SCENARIOS)];
  const lifecycle = providers[target.provider].lifecycles[target.lifecycle];

  describe.each(MOUNT_NAMES)('on %s', (mountName) => {
    let m: Mount;
    let reelkit: Reelkit;
    // The conformance kit audits every exchange the client makes: requests against the route's
    // declared schemas, answers against its declared statuses and schemas.
    let auditor: TrafficAuditor;
    let current = '';
    beforeAll(async () => {
      m = await mount(mountName, target.provider);
    });
    afterAll(() => m.close());
    beforeEach((context) => {
      m.engine.reset();
      current = context.task.name;
      auditor = createTrafficAuditor({ spec: providers[target.provider], baseUrl: m.baseUrl });
      reelkit = reelkitFor(m, { fetch: auditor.fetch });
    });
    afterEach(async () => {
      expect(m.engine.diagnostics).toEqual([]);
      // Faults on the wire break the contract on purpose; every other scenario must keep it.
      const wire = Object.keys(WIRE_SCENARIOS).some((name) => current === `scenario ${name}`);
      if (!wire) {
        expect(await auditor.findings()).toEqual([]);
        if (current.startsWith('scenario ')) expect(auditor.audited).toBeGreaterThan(0);
      }
    });

    it('lists the same scenarios on /__reelkit/scenarios', async () => {
      const origin = new URL(m.baseUrl).origin;
      const listed = (await (await fetch(`${origin}/__reelkit/scenarios`)).json()) as {
        scenarios: { name: string }[];
      };
      expect(listed.scenarios.map((s) => s.name)).toEqual([...scenarios]);
    });

    for (const scenario of scenarios) {
      it(`scenario ${scenario}`, () => runScenario(scenario));
    }

    async function runScenario(scenario: string): Promise<void> {
      const outcome = target.scenarios[scenario] ?? WIRE[scenario];
      if (!outcome)
        throw new Error(`add an expectation for ${target.label} scenario '${scenario}'`);
      const events: ProgressEvent[] = [];
      const run = () =>
        reelkit.generateVideo({
          provider: target.provider,
          ...target.request,
          headers: { 'X-Reelkit-Scenario': scenario },
          onProgress: (e) => events.push(e),
        });

      if (outcome.kind === 'completed') {
        const result: VideoResult = await run();
        expect(result).toMatchObject({
          provider: target.provider,
          model: target.request.model,
          status: 'completed',
        });
        if (outcome.cost !== undefined) expect(result.cost).toBeCloseTo(outcome.cost, 6);
        expect(result.videos.length).toBeGreaterThan(0);
        const sink = collector();
        const written = await reelkit.downloadVideo(result, { to: sink.stream });
        expectMp4(sink.bytes());
        expect(written.bytes).toBe(sink.bytes().byteLength);
        expect(m.engine.jobs.size).toBe(1);
        expect(events.at(-1)?.canonicalStatus).toBe('completed');
        expect(events[0]?.canonicalStatus).toBe(
          providers[target.provider].flow === 'async' ? 'queued' : 'in_progress',
        );
        expect(result.timings.totalMs).toBe(events.at(-1)?.elapsedMs);
        expect(result.timings.statuses.map((s) => s.canonicalStatus).at(-1)).toBe('completed');
        if (lifecycle) {
          const words = events.filter((e) => e.changed).map((e) => e.status);
          expect(checkObservedSequence(lifecycle, words)).toBeUndefined();
        }
        return;
      }

      const error = await caught(run);
      expect(error).toBeInstanceOf(outcome.type);
      expect((error as ReelkitError).code).toBe(outcome.code);
      expect((error as ReelkitError).hint).toBeTruthy();
      if (outcome.message) expect(error.message).toMatch(outcome.message);
      if (outcome.attempts !== undefined) {
        expect((error as { attempts?: number }).attempts).toBe(outcome.attempts);
      }
      if (error instanceof GenerationFailedError) {
        expect(error.providerMessage).toBeTruthy();
        expect(events.at(-1)?.canonicalStatus).toBe(error.status);
      }
      expect(m.engine.jobs.size).toBeLessThanOrEqual(1);
      if (outcome.jobs !== undefined) expect(m.engine.jobs.size).toBe(outcome.jobs);
    }
  });
});
