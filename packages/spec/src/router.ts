/**
 * Routers as data: the facts about a router that are not routes or schemas — how long its models
 * take, how it words each failure, which scenarios it can act out, how often to poll it, and, for a
 * plain asynchronous router, where a job's id, status and videos sit — declared once beside its
 * routes. Mocks, client and kit read these; none of them re-declares a fact listed here.
 * @module
 */
import type { RouteDef } from './define.js';
import type { ProviderSpec } from './provider.js';

/** The failure families every router can answer, each in its own envelope. */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'not_found'
  | 'insufficient_credits'
  | 'rate_limited'
  | 'server_error'
  | 'provider_error'
  | 'moderation'
  | 'payload_too_large';

/** Every {@link ErrorKind}, for tables that must cover them all. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'validation',
  'unauthorized',
  'not_found',
  'insufficient_credits',
  'rate_limited',
  'server_error',
  'provider_error',
  'moderation',
  'payload_too_large',
];

/**
 * How a router answers one failure family: the HTTP status and its default wording (a request's
 * own detail, such as a validation issue, replaces `message`). `code` and `type` are the router's
 * own error code words where its envelope has them.
 *
 * @example
 * const notFound: ErrorAnswer = { status: 404, message: 'Video generation job not found' };
 */
export interface ErrorAnswer {
  readonly status: number;
  readonly message: string;
  readonly code?: string | number;
  readonly type?: string;
}

/** Queue wait and render time of a model, in simulated milliseconds: `[min, max]` ranges. */
export interface TimingProfile {
  readonly queueMs: readonly [number, number];
  readonly renderMs: readonly [number, number];
}

/** How long a router's models take: one profile per model id, and one for the rest. */
export interface TimingTable {
  readonly default: TimingProfile;
  readonly byModel?: Readonly<Record<string, TimingProfile>>;
}

/**
 * Poll cadence of an asynchronous router: waits grow by `factor` from `initialMs` to `maxMs`.
 *
 * @example
 * const cadence: PollCadence = { initialMs: 10_000, maxMs: 30_000, factor: 1.5, jitter: 0.2 };
 */
export interface PollCadence {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Share (0–1) by which each wait may be lengthened or shortened at random. */
  readonly jitter: number;
}

/**
 * A plain asynchronous job, as data: which route submits, which polls, where the answer keeps the
 * job's id, status words and videos. One generic mock handler, one client flow and one kit driver
 * read it; a router that fits needs no code of its own for its job flow.
 *
 * Field locations are dot paths into the JSON answer (`data.task_id`, `unsigned_urls`).
 */
export interface AsyncJobDef<RouteKey extends string = string> {
  /** Key of the route that creates a job. */
  readonly submit: RouteKey;
  /** Key of the route that reads a job by id. */
  readonly poll: RouteKey;
  /** The poll (and content) route's path parameter holding the job id. */
  readonly idParam: string;
  /** Key of the route that streams video `index` of a finished job, when the router proxies it. */
  readonly content?: RouteKey;
  /** Key of the lifecycle (in `lifecycles`) the job follows. */
  readonly lifecycle: string;
  /** Where submit and poll answers keep the job's facts. */
  readonly fields: {
    readonly id: string;
    readonly status: string;
    /** List of video URLs of a finished job. */
    readonly videoUrls: string;
    /** Failure message of a failed job. */
    readonly error?: string;
    /** URL to poll, when the submit answer carries one. */
    readonly pollingUrl?: string;
  };
  /** Request field naming a webhook receiver, when the router sends webhooks. */
  readonly callbackField?: string;
  /**
   * Failure messages of jobs that end without failing on their own: cancelled, or past their time
   * to live. (A failed job's message is `errors.provider_error` or `errors.moderation`.)
   */
  readonly endings?: { readonly cancelled?: string; readonly expired?: string };
}

/**
 * One error as a router is about to answer it: the failure family, its status and the final
 * wording (the default of `facts.errors`, or the request's own detail).
 */
export interface ErrorToAnswer extends ErrorAnswer {
  readonly kind: ErrorKind;
}

/** The webhook scheme of a router that sends them. */
export interface WebhookScheme {
  /** Header names the router sends with each delivery. */
  readonly headers: Readonly<Record<string, string>>;
  /** Event type words a delivery's body may carry. */
  readonly events: readonly string[];
}

/**
 * The data of a router beyond its routes, schemas and catalog. Everything here is a documented
 * fact (or a recorded, provenance-noted estimate for timings).
 */
export interface RouterFacts<RouteKey extends string = string> {
  /** Each failure family's status and default wording. */
  readonly errors: Readonly<Record<ErrorKind, ErrorAnswer>>;
  readonly timing: TimingTable;
  /** Scenario names (see the mocks' `SCENARIOS`) the router can act out. */
  readonly scenarios: readonly string[];
  /** How often to poll, for asynchronous routers. */
  readonly pollCadence?: PollCadence;
  /** How long a finished job stays retrievable, in ms. */
  readonly jobTtlMs: number;
  /** A plain asynchronous job flow, when the router has one. */
  readonly job?: AsyncJobDef<RouteKey>;
  readonly webhooks?: WebhookScheme;
  /** Seconds a 429 asks the client to wait (`Retry-After`) when the limiter gives none. */
  readonly retryAfterSeconds?: number;
  /**
   * The router's error envelope: the JSON body of an error answer. Without it, errors answer
   * `{ error: { message, code?, type? } }`.
   *
   * @example
   * errorBody: ({ status, message }) => ({ error: { code: status, message } })
   */
  readonly errorBody?: (error: ErrorToAnswer) => unknown;
}

/**
 * A router declared as data: its spec (routes, schemas, lifecycles, catalog, judge) and its facts.
 */
export type RouterSpec<Routes extends Record<string, RouteDef> = Record<string, RouteDef>> =
  ProviderSpec<Routes> & { readonly facts: RouterFacts<Extract<keyof Routes, string>> };

/**
 * The timing profile of a model: its own, or the router's default.
 *
 * @example
 * timingOf(openrouter.facts.timing, 'google/veo-3.1'); // { queueMs: [...], renderMs: [...] }
 */
export function timingOf(table: TimingTable, model: string): TimingProfile {
  return (
    (table.byModel && Object.hasOwn(table.byModel, model) ? table.byModel[model] : undefined) ??
    table.default
  );
}

/**
 * Reads a dot path from a JSON value (`'data.task_id'`); `undefined` when any step is missing.
 *
 * @example
 * readField({ data: { task_id: 't1' } }, 'data.task_id'); // 't1'
 */
export function readField(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step))
      return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/**
 * Declares a router as data and checks, at load time, that its facts name routes and a lifecycle
 * it has and cover every error kind. The four built-in routers use it; so can a vendor declaring
 * its own API (see `examples/custom-router`).
 *
 * @example
 * export const acme = defineRouter({ ...spec, facts: { errors, timing, scenarios: ['success'], jobTtlMs: 3_600_000 } });
 */
export function defineRouter<const Routes extends Record<string, RouteDef>>(
  spec: RouterSpec<Routes>,
): RouterSpec<Routes> {
  const problems: string[] = [];
  const { facts } = spec;
  for (const kind of ERROR_KINDS) {
    if (!Object.hasOwn(facts.errors, kind)) problems.push(`errors has no '${kind}'`);
  }
  if (facts.job) {
    for (const key of [facts.job.submit, facts.job.poll, facts.job.content]) {
      if (key !== undefined && !Object.hasOwn(spec.routes, key))
        problems.push(`job names route '${key}', which the route table lacks`);
    }
    if (!Object.hasOwn(spec.lifecycles, facts.job.lifecycle))
      problems.push(`job names lifecycle '${facts.job.lifecycle}', which lifecycles lacks`);
  }
  if (problems.length > 0)
    throw new Error(`[reelkit] router '${spec.id}' is inconsistent: ${problems.join('; ')}.`);
  return spec;
}

/**
 * The default error envelope, for routers that declare no `facts.errorBody`.
 *
 * @example
 * defaultErrorBody({ kind: 'not_found', status: 404, message: 'Render not found' });
 * // { error: { message: 'Render not found' } }
 */
export function defaultErrorBody(error: ErrorToAnswer): unknown {
  return {
    error: {
      message: error.message,
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.type !== undefined ? { type: error.type } : {}),
    },
  };
}

/**
 * Writes a value at a dot path of a JSON object, creating the objects on the way: the inverse of
 * {@link readField}, for answers built from `job.fields`.
 *
 * @example
 * const body = {};
 * writeField(body, 'data.task_id', 't1'); // body is { data: { task_id: 't1' } }
 */
export function writeField(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  let current = target;
  for (const step of steps.slice(0, -1)) {
    const next = Object.hasOwn(current, step) ? current[step] : undefined;
    if (next !== null && typeof next === 'object') current = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      current[step] = created;
      current = created;
    }
  }
  current[steps.at(-1)!] = value;
}
