/**
 * Scenario checks: on a reelkit mock, a request can ask for a failure with the header
 * `X-Reelkit-Scenario: <name>`; each scenario must end the way the router documents that failure.
 * Live targets cannot be steered, so these checks skip there with the reason.
 * @module
 */
import type { CanonicalStatus } from '@reelkit/spec';
import type { AsyncDriver } from '../drivers/types.js';
import { runAsyncJob, runSyncJob } from '../run/jobs.js';
import type { JobRun } from '../run/state.js';
import { primaryPlan, timelineOf } from '../run/state.js';
import type { CheckDef, PlanContext, PlanPart, Probe } from './types.js';
import { fail, pass, routeLabel, skip } from './types.js';

/** How a scenario request ended. */
export interface ScenarioOutcome {
  readonly run: JobRun;
  /** Status of the submit (async) or of the held request (sync). */
  readonly http: number;
  /** The canonical status the job ended in, if it ended. */
  readonly canonical?: CanonicalStatus;
  /** The job answered 404 after it had been seen. */
  readonly gone: boolean;
}

interface Expectation {
  readonly expect: string;
  readonly met: (o: ScenarioOutcome) => boolean;
}

const refusedWith = (o: ScenarioOutcome, test: (status: number) => boolean): boolean =>
  o.run.submitProblem !== undefined && test(o.http);

/**
 * What each scenario of the reelkit control plane must lead to, in terms every router shares.
 *
 * @example
 * SCENARIO_EXPECTATIONS['rate-limit']?.expect; // 'the request is refused with 429 and a Retry-After header'
 */
export const SCENARIO_EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  slow: {
    expect: 'the job still completes, only later',
    met: (o) => o.canonical === 'completed',
  },
  failed: {
    expect: "the job ends in the router's failed status",
    met: (o) => o.canonical === 'failed',
  },
  moderation: {
    expect: 'the job ends failed, or the request is refused with a declared client error (4xx)',
    met: (o) => o.canonical === 'failed' || refusedWith(o, (s) => s >= 400 && s < 500),
  },
  cancelled: {
    expect: "the job ends in the router's cancelled status",
    met: (o) => o.canonical === 'cancelled',
  },
  expired: {
    expect: "the job ends in the router's expired status, or its result is gone (404 when polled)",
    met: (o) => o.canonical === 'expired' || o.gone,
  },
  'insufficient-credits': {
    expect:
      "the request is refused with a declared client error (402, or the router's quota error), or ends failed",
    met: (o) => o.canonical === 'failed' || refusedWith(o, (s) => s >= 400 && s < 500),
  },
  'rate-limit': {
    expect: 'the request is refused with 429 and a Retry-After header (seconds or an HTTP date)',
    met: (o) => {
      const value = o.run.submit.headers.get('retry-after');
      const valid =
        value !== null && (/^\d+$/.test(value.trim()) || !Number.isNaN(Date.parse(value)));
      return refusedWith(o, (s) => s === 429) && valid;
    },
  },
  'server-error': {
    expect: 'the request fails with a declared 5xx',
    met: (o) => o.http >= 500 && o.http < 600,
  },
  'provider-error': {
    expect: 'the request fails with 502 (the upstream failed), or the job ends failed',
    met: (o) => o.http === 502 || o.canonical === 'failed',
  },
};

function outcomeOf(run: JobRun): ScenarioOutcome {
  const canonical = run.terminal
    ? (run.lifecycle.canonical as Readonly<Record<string, CanonicalStatus>>)[run.terminal]
    : undefined;
  return {
    run,
    http: run.submit.status,
    ...(canonical ? { canonical } : {}),
    gone: run.tracks.some((t) => t.gone),
  };
}

function describe(o: ScenarioOutcome): string {
  const parts = [`answered ${o.http || o.run.submit.error}`];
  if (o.run.terminal) parts.push(`the job ended ${o.run.terminal}`);
  else if (o.gone) parts.push('the job disappeared (404)');
  else if (o.run.job) parts.push('the job did not end');
  if (o.run.timedOut) parts.push('within the budget it did not finish');
  const retryAfter = o.run.submit.headers.get('retry-after');
  if (o.http === 429)
    parts.push(retryAfter ? `Retry-After: ${retryAfter}` : 'no Retry-After header');
  return parts.join('; ');
}

/**
 * The scenario checks.
 *
 * @example
 * scenarioChecks(ctx).checks.map((c) => c.id); // ['createVideos: scenario slow', 'createVideos: scenario failed', …]
 */
export function scenarioChecks(ctx: PlanContext): PlanPart {
  const { spec, driver, target } = ctx;
  const create = spec.routes[driver.createRoute]!;
  const probes: Probe[] = [];
  const checks: CheckDef[] = [];
  for (const [name, expectation] of Object.entries(SCENARIO_EXPECTATIONS)) {
    const key = `scenario:${name}`;
    probes.push({
      key,
      async run(state) {
        const plan = primaryPlan(state);
        if (!plan) return { skip: 'no model of the target could be used to build a request' };
        let run: JobRun;
        if (driver.flow === 'async') {
          const callbackUrl = state.webhookProblem ? undefined : state.callbackUrl;
          const first = (driver as AsyncDriver).pollers(plan).slice(0, 1);
          run = await runAsyncJob(state, plan, {
            scenario: name,
            pollers: first,
            ...(callbackUrl ? { callbackUrl } : {}),
          });
        } else {
          run = await runSyncJob(state, plan, { scenario: name });
        }
        state.scenarioRuns.set(name, run);
        return undefined;
      },
    });
    const unavailable = target.live
      ? 'needs the reelkit control plane: target is live'
      : !ctx.scenarios.includes(name)
        ? `the target does not offer scenario '${name}' (GET /__reelkit/scenarios lists ${ctx.scenarios.join(', ') || 'none'})`
        : undefined;
    checks.push({
      id: `${create.operationId}: scenario ${name}`,
      operationId: create.operationId,
      check: 'scenario',
      rule: `With the header X-Reelkit-Scenario: ${name}, ${routeLabel(spec, create)} behaves as ${spec.title} documents that case: ${expectation.expect}. Statuses, bodies and the status sequence on the way are judged by the response and lifecycle checks; source: reelkit control plane scenarios and ${spec.docs[0]}.`,
      probes: [key],
      ...(unavailable ? { unavailable } : {}),
      judge(state) {
        const run = state.scenarioRuns.get(name);
        if (!run) return skip('the scenario did not run');
        if ('problem' in run) return skip(run.problem);
        const outcome = outcomeOf(run);
        const track = run.tracks[0];
        const timeline = run.job || driver.flow === 'sync' ? timelineOf(run, track) : undefined;
        const exchanges = [
          run.submit.exchange,
          ...(track?.observations
            .filter((o) => o.source === 'poll')
            .slice(-1)
            .map((o) => o.reply.exchange) ?? []),
        ];
        const verdict = expectation.met(outcome)
          ? pass(describe(outcome), exchanges)
          : fail(`${describe(outcome)}; expected ${expectation.expect}`, exchanges);
        return timeline ? { ...verdict, timeline } : verdict;
      },
    });
  }
  return { probes, checks };
}
