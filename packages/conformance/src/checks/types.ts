/**
 * How checks are declared: each has an id, the family it belongs to, the rule it enforces (with
 * its source), the probes whose observations it judges, and a judge. Probes do the network work.
 * @module
 */
import type { ProviderSpec, RouteDef } from '@reelkit/spec';
import type { Driver } from '../drivers/types.js';
import type { CheckStatus, Exchange, JobTimeline } from '../report.js';
import type { RunSettings, RunState } from '../run/state.js';
import type { Target } from '../target.js';

/**
 * The check families. Ids are `<operationId>: <check name>`; `--only`/`--skip` also match these.
 *
 * @example
 * const family: CheckFamily = 'declared-status';
 */
export type CheckFamily =
  | 'declared-status'
  | 'schema'
  | 'error-envelope'
  | 'wrong-type'
  | 'out-of-set'
  | 'unknown-model'
  | 'auth-missing'
  | 'auth-invalid'
  | 'unknown-id'
  | 'accepts'
  | 'lifecycle'
  | 'terminal'
  | 'resolves'
  | 'timestamps'
  | 'content'
  | 'playback'
  | 'webhook-delivery'
  | 'webhook-idempotency'
  | 'webhook-signature'
  | 'webhook-payload'
  | 'scenario'
  | 'clock';

/** A check's judgement. */
export interface Verdict {
  readonly status: CheckStatus;
  readonly message?: string;
  readonly exchanges?: readonly Exchange[];
  readonly timeline?: JobTimeline;
}

/** A check of the plan. */
export interface CheckDef {
  readonly id: string;
  readonly operationId: string;
  readonly check: CheckFamily;
  readonly rule: string;
  /** Probes that must have run before the judge can decide (in run order). */
  readonly probes: readonly string[];
  /** Why the check cannot run on this target, known before the run. */
  readonly unavailable?: string;
  judge(state: RunState): Verdict;
}

/** Network work whose observations checks judge. */
export interface Probe {
  readonly key: string;
  /** Runs even when no selected check names it (the others depend on it). */
  readonly always?: boolean;
  /** Resolves with a reason when it decided not to run (cost cap, no key …). */
  run(state: RunState): Promise<{ readonly skip: string } | undefined>;
}

/** What building the plan knows. */
export interface PlanContext {
  readonly spec: ProviderSpec;
  readonly driver: Driver;
  readonly target: Target;
  readonly settings: RunSettings;
  /** Scenario names the target lists (empty on a live target). */
  readonly scenarios: readonly string[];
  /** Why webhook checks cannot run, when they cannot. */
  readonly webhookUnavailable?: string;
}

/** Checks and the probes they need, as one part of the plan contributes them. */
export interface PlanPart {
  readonly probes: readonly Probe[];
  readonly checks: readonly CheckDef[];
}

/**
 * A rule's source, from a route's provenance.
 *
 * @example
 * sourceOf(openrouter.routes.createVideo); // 'official-spec: OpenRouterTeam/docs openapi/openapi.yaml @ c26125a'
 */
export function sourceOf(route: RouteDef): string {
  return `${route.provenance.level}: ${route.provenance.source}`;
}

/**
 * `METHOD path` of a route, with the base path.
 *
 * @example
 * routeLabel(openrouter, openrouter.routes.getVideo); // 'GET /api/v1/videos/{jobId}'
 */
export function routeLabel(spec: ProviderSpec, route: RouteDef): string {
  return `${route.method} ${spec.basePath}${route.path}`;
}

/**
 * The suffix that tells apart checks of different lifecycles of one router.
 *
 * @example
 * lifecycleSuffix(fastrouter, 'sora'); // ' (sora)'
 */
export function lifecycleSuffix(spec: ProviderSpec, lifecycle: string): string {
  return Object.keys(spec.lifecycles).length > 1 ? ` (${lifecycle})` : '';
}

/**
 * A pass.
 *
 * @example
 * pass('3 answers, all valid', [reply.exchange]);
 */
export const pass = (message?: string, exchanges?: readonly Exchange[]): Verdict => ({
  status: 'pass',
  ...(message ? { message } : {}),
  ...(exchanges?.length ? { exchanges } : {}),
});

/**
 * A failure, with what was observed instead.
 *
 * @example
 * fail('answered 200; expected 401', [reply.exchange]);
 */
export const fail = (message: string, exchanges?: readonly Exchange[]): Verdict => ({
  status: 'fail',
  message,
  ...(exchanges?.length ? { exchanges } : {}),
});

/**
 * A skip, with why.
 *
 * @example
 * skip('needs the reelkit control plane: target is live');
 */
export const skip = (message: string, exchanges?: readonly Exchange[]): Verdict => ({
  status: 'skip',
  message,
  ...(exchanges?.length ? { exchanges } : {}),
});
