/**
 * Checks over every answer a route gave during the run, whatever probe caused it: only declared
 * statuses; success bodies, content types and headers valid against the declared schema; error
 * bodies in the router's envelope.
 * @module
 */
import { declaredStatuses } from '@reelkit/spec';
import type { Reply } from '../http.js';
import type { RunState } from '../run/state.js';
import { describeIssues, validate } from '../schema.js';
import { declaredStatusFinding } from './status.js';
import type { CheckDef, PlanContext, PlanPart } from './types.js';
import { fail, pass, routeLabel, skip, sourceOf } from './types.js';

/**
 * The probe after which the response checks are judged (it runs last and does nothing).
 *
 * @example
 * checks.filter((c) => c.probes.includes(RESPONSES_PROBE));
 */
export const RESPONSES_PROBE = 'responses';

const SHOWN = 5;

function repliesOf(state: RunState, key: string): Reply[] {
  return state.session.replies.filter((r) => r.route?.key === key);
}

function describe(reply: Reply, problem: string): string {
  const path = (() => {
    try {
      const url = new URL(reply.request.url);
      return `${url.pathname}${url.search}`;
    } catch {
      return reply.request.url;
    }
  })();
  return `${reply.request.method} ${path} → ${problem}`;
}

function judgeAll(
  replies: readonly Reply[],
  problemOf: (reply: Reply) => string | undefined,
  none: string,
  summary: (count: number) => string,
) {
  if (replies.length === 0) return skip(none);
  const bad = replies.flatMap((r) => {
    const problem = problemOf(r);
    return problem ? [{ reply: r, problem }] : [];
  });
  if (bad.length === 0) return pass(summary(replies.length), [replies[0]!.exchange]);
  // The same problem on the same request usually repeats over many polls: say it once, counted.
  const lines = new Map<string, { count: number; reply: Reply }>();
  for (const b of bad) {
    const line = describe(b.reply, b.problem);
    const seen = lines.get(line);
    lines.set(line, { count: (seen?.count ?? 0) + 1, reply: seen?.reply ?? b.reply });
  }
  const shown = [...lines]
    .slice(0, SHOWN)
    .map(([line, { count }]) => (count > 1 ? `${line} (×${count})` : line));
  if (lines.size > SHOWN) shown.push(`and ${lines.size - SHOWN} more`);
  return fail(
    `${bad.length} of ${replies.length} answers break it: ${shown.join(' | ')}`,
    [...lines.values()].slice(0, SHOWN).map((l) => l.reply.exchange),
  );
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * The response checks of every route: `declared statuses only`, `success answers match the
 * schema`, `errors use the router's envelope`.
 *
 * @example
 * responseChecks(ctx).checks.map((c) => c.id);
 * // ['createVideos: declared statuses only', 'createVideos: success answers match the schema', …]
 */
export function responseChecks(ctx: PlanContext): PlanPart {
  const { spec, driver } = ctx;
  const checks: CheckDef[] = [];
  for (const [key, route] of Object.entries(spec.routes)) {
    const op = route.operationId;
    const label = routeLabel(spec, route);
    const statuses = declaredStatuses(route);
    const errorSchemaName = 'the error envelope declared for that status';
    checks.push({
      id: `${op}: declared statuses only`,
      operationId: op,
      check: 'declared-status',
      rule: `${label} answers only the statuses its route table declares (${statuses.join(', ')}); source: ${sourceOf(route)}.`,
      probes: [RESPONSES_PROBE],
      judge: (state) =>
        judgeAll(
          repliesOf(state, key),
          (r) =>
            r.status === 0
              ? `no answer (${r.error ?? 'connection failed'})`
              : declaredStatusFinding(route, r.status)?.message,
          `no answer of ${op} was observed in this run; run the checks that call it.`,
          (n) =>
            `${n} answers, all with declared statuses (${[...new Set(repliesOf(state, key).map((r) => r.status))].sort().join(', ')}).`,
        ),
    });
    checks.push({
      id: `${op}: success answers match the schema`,
      operationId: op,
      check: 'schema',
      rule: `Every 2xx answer of ${label} has the declared content type and a body and headers valid against the schema declared for its status; source: ${sourceOf(route)}.`,
      probes: [RESPONSES_PROBE],
      judge: (state) =>
        judgeAll(
          repliesOf(state, key).filter(
            (r) => r.status >= 200 && r.status < 300 && route.responses[r.status],
          ),
          (r) => {
            const def = route.responses[r.status]!;
            const declared = def.contentType ?? 'application/json';
            const alternate = driver.alternateContentType?.(key, r.status);
            if (r.contentType !== declared && r.contentType !== alternate) {
              return `content-type ${r.contentType || '(none)'}, declared ${declared}${alternate ? ` or ${alternate}` : ''}`;
            }
            if (r.contentType !== 'application/json') {
              return r.bytes.byteLength === 0 ? `an empty ${r.contentType} body` : undefined;
            }
            if (def.headers) {
              const issues = validate(def.headers, headerRecord(r.headers));
              if (issues.length) return `headers: ${describeIssues(issues)}`;
            }
            if (!def.schema) return undefined;
            if (!r.isJson) return `the body is not JSON: ${JSON.stringify(r.text.slice(0, 80))}`;
            const issues = validate(def.schema, r.json);
            return issues.length ? describeIssues(issues) : undefined;
          },
          `no 2xx answer of ${op} was observed in this run; run the checks that call it successfully.`,
          (n) => `${n} success answers, all valid.`,
        ),
    });
    const errorStatuses = statuses.filter((s) => s >= 400 && route.responses[s]?.schema);
    if (errorStatuses.length === 0) continue;
    checks.push({
      id: `${op}: errors use the router's envelope`,
      operationId: op,
      check: 'error-envelope',
      rule: `Every error answer of ${label} (${errorStatuses.join(', ')}) is JSON in ${spec.title}'s error envelope, valid against ${errorSchemaName}; source: ${sourceOf(route)}.`,
      probes: [RESPONSES_PROBE],
      judge: (state) =>
        judgeAll(
          repliesOf(state, key).filter((r) => r.status >= 400 && route.responses[r.status]?.schema),
          (r) => {
            const def = route.responses[r.status]!;
            if (r.contentType !== 'application/json') {
              return `content-type ${r.contentType || '(none)'}, not application/json`;
            }
            if (!r.isJson) return `the body is not JSON: ${JSON.stringify(r.text.slice(0, 80))}`;
            const issues = validate(def.schema!, r.json);
            return issues.length ? describeIssues(issues) : undefined;
          },
          `no error answer of ${op} was observed in this run (no negative check or scenario reached it).`,
          (n) => `${n} error answers, all in the envelope.`,
        ),
    });
  }
  return {
    probes: [{ key: RESPONSES_PROBE, run: () => Promise.resolve(undefined) }],
    checks,
  };
}
