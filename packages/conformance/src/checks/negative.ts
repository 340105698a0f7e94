/**
 * Negative checks: invalid input (a wrong type, a value outside the set, an unknown model), a
 * missing or invalid key, an unknown id. Each answer must be a declared client error; its body is
 * judged by the route's `errors use the router's envelope` check. Every negative check can be
 * switched off (`negative: false`, or skip it by id), since a live API may judge differently.
 * @module
 */
import type { RouteDef } from '@reelkit/spec';
import { declaredStatuses } from '@reelkit/spec';
import { UNKNOWN_MODEL } from '../drivers/common.js';
import type { JobPlan, RouteRequestParts } from '../drivers/types.js';
import type { Reply } from '../http.js';
import { INVALID_API_KEY } from '../http.js';
import { held } from '../run/jobs.js';
import type { RunState } from '../run/state.js';
import { primaryPlan } from '../run/state.js';
import type { InvalidField } from '../schema.js';
import { outOfSetField, wrongTypeField } from '../schema.js';
import type { CheckDef, CheckFamily, PlanContext, PlanPart, Probe } from './types.js';
import { fail, pass, routeLabel, skip, sourceOf } from './types.js';

/** Client errors that say "your input is wrong" (others are about keys, money or rate). */
const ABOUT_INPUT = new Set([400, 404, 422]);

interface NegativeSpec {
  readonly id: string;
  readonly routeKey: string;
  readonly check: CheckFamily;
  readonly rule: string;
  /** Which statuses pass. */
  readonly accepted: readonly number[];
  readonly auth: 'key' | 'none' | 'invalid';
  /** The request parts, from the run's primary plan and happy job. */
  parts(state: RunState, plan: JobPlan): RouteRequestParts | undefined;
}

function clientErrors(route: RouteDef): number[] {
  const declared = declaredStatuses(route);
  const aboutInput = declared.filter((s) => ABOUT_INPUT.has(s));
  return aboutInput.length > 0 ? aboutInput : declared.filter((s) => s >= 400 && s < 500);
}

function jsonBodySchema(route: RouteDef) {
  return route.body?.find((b) => b.contentType === 'application/json')?.schema;
}

/**
 * The negative checks of a router.
 *
 * @example
 * negativeChecks(ctx).checks.map((c) => c.id);
 * // ['createVideos: rejects a wrong type (duration)', …, 'getVideos: requires an API key', …]
 */
export function negativeChecks(ctx: PlanContext): PlanPart {
  const { spec, driver, settings } = ctx;
  const createKey = driver.createRoute;
  const create = spec.routes[createKey]!;
  const createOp = create.operationId;
  const samplePlan = driver.plans()[0];
  const specs: NegativeSpec[] = [];
  const inputErrors = clientErrors(create);
  const inputRule = (what: string) =>
    `${routeLabel(spec, create)} answers ${what} with a declared client error (${inputErrors.join(', ')}), not a 2xx or a 5xx; the body is judged by '${createOp}: errors use the router's envelope'; source: ${sourceOf(create)}.`;
  const schema = jsonBodySchema(create);
  const withField = (plan: JobPlan, invalid: InvalidField) => ({
    json: { ...plan.body, [invalid.field]: invalid.value },
  });

  const wrongType = schema ? wrongTypeField(schema) : undefined;
  if (wrongType) {
    specs.push({
      id: `${createOp}: rejects a wrong type (${wrongType.field})`,
      routeKey: createKey,
      check: 'wrong-type',
      rule: inputRule(
        `a valid request whose '${wrongType.field}' is ${JSON.stringify(wrongType.value)} instead of ${wrongType.expected} (request schema)`,
      ),
      accepted: inputErrors,
      auth: 'key',
      parts: (_state, plan) => withField(plan, wrongType),
    });
  }
  const schemaOutOfSet = schema ? outOfSetField(schema) : undefined;
  const outOfSet = schemaOutOfSet ?? (samplePlan ? driver.outOfSet?.(samplePlan) : undefined);
  if (outOfSet) {
    specs.push({
      id: `${createOp}: rejects an out-of-set value (${outOfSet.field})`,
      routeKey: createKey,
      check: 'out-of-set',
      rule: inputRule(
        `a valid request whose '${outOfSet.field}' is ${JSON.stringify(outOfSet.value)}, not ${outOfSet.expected} (${schemaOutOfSet ? 'request schema' : "the model's catalog entry, as the spec's judge applies it"})`,
      ),
      accepted: inputErrors,
      auth: 'key',
      parts: (_state, plan) => {
        const invalid = schemaOutOfSet ?? driver.outOfSet?.(plan);
        return invalid ? withField(plan, invalid) : undefined;
      },
    });
  }
  specs.push({
    id: `${createOp}: rejects an unknown model`,
    routeKey: createKey,
    check: 'unknown-model',
    rule: inputRule(
      `a valid request naming the model '${UNKNOWN_MODEL}', which its catalog does not list`,
    ),
    accepted: inputErrors,
    auth: 'key',
    parts: (_state, plan) => ({ json: { ...plan.body, model: UNKNOWN_MODEL } }),
  });

  const context = (state: RunState, plan: JobPlan) => {
    const job = state.jobs.get(plan.lifecycle)?.job;
    return { plan, ...(job ? { job } : {}) };
  };
  for (const [key, route] of Object.entries(spec.routes)) {
    const op = route.operationId;
    const label = routeLabel(spec, route);
    const statuses = declaredStatuses(route);
    if (!samplePlan || !driver.requestParts(key, { plan: samplePlan })) continue;
    const authStatuses = statuses.includes(401) ? [401] : [401, 403];
    if (route.auth === 'bearer') {
      specs.push({
        id: `${op}: requires an API key`,
        routeKey: key,
        check: 'auth-missing',
        rule: `${label} answers a request without an Authorization header with ${authStatuses.join(' or ')}; source: ${sourceOf(route)}.`,
        accepted: authStatuses,
        auth: 'none',
        parts: (state, plan) => driver.requestParts(key, context(state, plan)),
      });
    }
    if (route.auth === 'bearer' || (route.auth === 'optional' && statuses.includes(401))) {
      specs.push({
        id: `${op}: rejects an invalid API key`,
        routeKey: key,
        check: 'auth-invalid',
        rule: `${label} answers a request with a key nobody issued (Bearer ${INVALID_API_KEY}) with ${authStatuses.join(' or ')}; checked where the target enforces a key list (always on a live target); source: ${sourceOf(route)}.`,
        accepted: authStatuses,
        auth: 'invalid',
        parts: (state, plan) => driver.requestParts(key, context(state, plan)),
      });
    }
    const addressed = route.params !== undefined || (route.body !== undefined && key !== createKey);
    if (
      addressed &&
      key !== createKey &&
      driver.requestParts(key, { plan: samplePlan, unknownId: true })
    ) {
      const notFound = statuses.includes(404) ? [404] : clientErrors(route);
      specs.push({
        id: `${op}: answers an unknown id with ${notFound.join(' or ')}`,
        routeKey: key,
        check: 'unknown-id',
        rule: `${label} answers a request for an id it never issued with ${notFound.join(' or ')}; source: ${sourceOf(route)}.`,
        accepted: notFound,
        auth: 'key',
        parts: (_state, plan) => driver.requestParts(key, { plan, unknownId: true }),
      });
    }
  }

  const replies = new Map<string, Reply | { skip: string }>();
  const probes: Probe[] = [];
  const checks: CheckDef[] = [];
  for (const negative of specs) {
    const probeKey = `negative:${negative.id}`;
    probes.push({
      key: probeKey,
      async run(state) {
        const plan = primaryPlan(state);
        if (!plan) return { skip: 'no model of the target could be used to build a request' };
        const parts = negative.parts(state, plan);
        if (!parts) return { skip: `the kit cannot build a request for ${negative.routeKey}` };
        const send = (signal?: AbortSignal) =>
          state.session.call(negative.routeKey, {
            ...parts,
            auth: negative.auth,
            ...(signal ? { signal } : {}),
          });
        // A synchronous router might start rendering instead of refusing: keep its clock moving.
        const reply =
          driver.flow === 'sync' && negative.routeKey === createKey
            ? (await held(state, send)).reply
            : await send();
        replies.set(negative.id, reply);
        return undefined;
      },
    });
    const route = spec.routes[negative.routeKey]!;
    const unavailable = !settings.negative
      ? 'negative checks are off (negative: false); they can misjudge a live API that is stricter or looser than documented'
      : negative.check === 'auth-invalid' && settings.keysEnforced === false
        ? 'the target accepts any key (keysEnforced: false)'
        : undefined;
    checks.push({
      id: negative.id,
      operationId: route.operationId,
      check: negative.check,
      rule: negative.rule,
      // Probes run in plan order: after the happy-path jobs, so job routes are asked about a job
      // that exists (when one ran).
      probes: [probeKey],
      ...(unavailable ? { unavailable } : {}),
      judge(state) {
        const reply = replies.get(negative.id);
        if (!reply) return skip('the request was not sent');
        if ('skip' in reply) return skip(reply.skip);
        const got = reply.status || reply.error || 'no answer';
        if (negative.accepted.includes(reply.status)) {
          return pass(`answered ${reply.status}`, [reply.exchange]);
        }
        if (
          negative.check === 'auth-invalid' &&
          settings.keysEnforced === undefined &&
          state.target.controllable &&
          reply.status >= 200 &&
          reply.status < 500
        ) {
          return skip(
            `the target did not refuse the unknown key '${INVALID_API_KEY}' (answered ${reply.status}), so it runs without a key list; start the mock with --api-key <key> (or pass keysEnforced: true) to check that unknown keys are refused`,
            [reply.exchange],
          );
        }
        return fail(
          `answered ${got}; expected ${negative.accepted.join(' or ')}: ${reply.text.trim().slice(0, 200)}`,
          [reply.exchange],
        );
      },
    });
  }
  return { probes, checks };
}
