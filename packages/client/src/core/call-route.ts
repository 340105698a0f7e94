/**
 * `callRoute`: one spec route, one typed HTTP call. Builds the URL, headers and body from the
 * route's definition, checks the request against the route's request schemas, parses the answer
 * with the schema declared for its status, maps errors to typed classes, and retries by the rules
 * of `retry.ts` within a deadline, on an injectable clock.
 * @module
 */
import type { BodyDef, RouteDef } from '@reelkit/spec';
import { buildPath } from '@reelkit/spec';
import type { Clock } from './clock.js';
import { abortReason, sleepOrAbort, systemClock } from './clock.js';
import type { Issue } from './errors.js';
import {
  APIError,
  ConnectionError,
  InvalidRequestError,
  ResponseValidationError,
  TimeoutError,
} from './errors.js';
import type { RequestKind, RetryOptions } from './retry.js';
import {
  backoffDelay,
  isRetriableStatus,
  parseRetryAfter,
  resolveRetry,
  SUBMIT_RETRY_STATUSES,
} from './retry.js';
import type { RouteInput, RouteOutput } from './route-types.js';
import {
  buildUrl,
  classifyNetworkError,
  containsFile,
  parseJson,
  readText,
  toFormData,
} from '../internal/http.js';

/**
 * The default time one call may take, all attempts included: 60 s.
 *
 * @example
 * await client.getVideo({ params: { jobId } }, { timeoutMs: DEFAULT_TIMEOUT_MS * 2 });
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * An answer that does not match the spec, reported in lenient mode instead of thrown. Error
 * answers are checked in both modes and only ever reported.
 *
 * @example
 * createOpenRouterClient({ apiKey, lenient: true, onSchemaDrift: (d) => console.warn(d.operationId, d.issues) });
 */
export interface SchemaDrift {
  readonly provider: string | undefined;
  readonly operationId: string;
  readonly status: number;
  readonly issues: readonly Issue[];
  readonly body: unknown;
}

/**
 * A retry about to happen.
 *
 * @example
 * onRetry: (e) => console.warn(`retry ${e.retry} of ${e.operationId} in ${e.delayMs} ms (${e.reason})`)
 */
export interface RetryEvent {
  readonly operationId: string;
  /** 1 for the first retry. */
  readonly retry: number;
  readonly delayMs: number;
  /** The status (`429`) or network error code (`ECONNREFUSED`) that caused it. */
  readonly reason: string;
}

/**
 * Per-call options every route method takes.
 *
 * @example
 * await client.getVideo({ params: { jobId } }, { signal, timeoutMs: 10_000 });
 */
export interface CallOptions {
  /** Aborts the call (any attempt, any wait) with an `AbortError`. */
  readonly signal?: AbortSignal;
  /** Time for the whole call, retries and waits included. Default 60 s. */
  readonly timeoutMs?: number;
  /**
   * Time one attempt may take (request and answer). Default: whatever is left of `timeoutMs`.
   * A read that runs out of it is tried again; a submit is not (it may have been received).
   */
  readonly attemptTimeoutMs?: number;
  /** Extra request headers (for example `X-Reelkit-Scenario` against the mocks). */
  readonly headers?: HeadersInit;
  /** Retry budget; `false` for none. */
  readonly retry?: RetryOptions | false;
  /** Accept answers that break the spec, reporting them through `onSchemaDrift`. */
  readonly lenient?: boolean;
  readonly onSchemaDrift?: (drift: SchemaDrift) => void;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Called for each whitespace chunk before the body (ImageRouter's 3 s heartbeats). */
  readonly onHeartbeat?: () => void;
}

/**
 * Where and how to send: the router's base URL and credentials, and the client's machinery.
 *
 * @example
 * const transport: Transport = { baseUrl: 'https://openrouter.ai/api/v1', apiKey, provider: 'openrouter' };
 */
export interface Transport {
  /** Origin plus the router's base path, e.g. `https://openrouter.ai/api/v1`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` on routes that read a key. */
  readonly apiKey?: string;
  /** Default: the global `fetch`, looked up at call time (so msw can intercept it). */
  readonly fetch?: typeof fetch;
  /** Waits and elapsed time. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Arms the timer that aborts a request in flight. Default: the system clock, even when `clock`
   * is virtual: a virtual clock that jumps to its next timer (the mocks' auto clock) would fire
   * it while a request is on the wire. Pass the same manual clock as `clock` to test timeouts.
   */
  readonly timeoutClock?: Clock;
  /** The router's id, for messages and drift reports. */
  readonly provider?: string;
  /** Headers sent with every request. */
  readonly defaultHeaders?: HeadersInit;
  /** Statuses that prove a submit was not processed (see `retry.ts`). Default 429, 503. */
  readonly submitRetryStatuses?: readonly number[];
}

/**
 * Everything `callRoute` takes: the route's input (`params`, `query`, `body`), the transport and
 * the per-call options.
 *
 * @example
 * const options: CallRouteOptions<typeof openrouter.routes.getVideo> = { baseUrl, apiKey, params: { jobId } };
 */
export type CallRouteOptions<R extends RouteDef> = RouteInput<R> &
  Transport &
  CallOptions & {
    /** `read` (safe to repeat) or `submit`. Default: GET is a read, anything else a submit. */
    readonly kind?: RequestKind;
    /** Which of the route's encodings to send. Default: multipart when the body holds a file. */
    readonly contentType?: BodyDef['contentType'];
    /** Check params, query and body against the route's schemas first. Default true. */
    readonly validateRequest?: boolean;
    /**
     * Return the raw `Response` when a route declared as JSON answers a video (FastRouter's
     * `getVideoResponse` streams a finished Sora video).
     */
    readonly allowBinary?: boolean;
  };

/**
 * One answer of `callRoute`.
 *
 * @example
 * const { status, data, attempts } = await callRoute(openrouter.routes.getVideo, options);
 */
export interface RouteResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T;
  /** Attempts made (1 when no retry was needed). */
  readonly attempts: number;
  readonly url: string;
}

type AnyInput = {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
};

const toIssues = (
  issues: readonly { path: PropertyKey[]; code: string; message: string }[],
  prefix: string,
): Issue[] => issues.map((i) => ({ path: [prefix, ...i.path], code: i.code, message: i.message }));

const BINARY = /^(video|audio|image)\/|^application\/octet-stream/i;

function chooseBody(route: RouteDef, body: unknown, wanted?: BodyDef['contentType']): BodyDef {
  const defs = route.body ?? [];
  const def = wanted
    ? defs.find((d) => d.contentType === wanted)
    : containsFile(body)
      ? defs.find((d) => d.contentType === 'multipart/form-data')
      : defs[0];
  if (!def) {
    const accepted = defs.map((d) => d.contentType).join(', ');
    throw new InvalidRequestError(route.operationId, [
      {
        path: ['body'],
        code: 'invalid_encoding',
        message: `${route.operationId} accepts ${accepted}${containsFile(body) ? ', which cannot carry files' : ''}`,
      },
    ]);
  }
  return def;
}

function validateInput(route: RouteDef, input: AnyInput, body: BodyDef | undefined): void {
  const issues: Issue[] = [];
  if (route.params) {
    const result = route.params.safeParse(input.params ?? {});
    if (!result.success) issues.push(...toIssues(result.error.issues, 'params'));
  }
  if (route.query && input.query) {
    const result = route.query.safeParse(input.query);
    if (!result.success) issues.push(...toIssues(result.error.issues, 'query'));
  }
  if (body) {
    const result = body.schema.safeParse(input.body);
    if (!result.success) issues.push(...toIssues(result.error.issues, 'body'));
  }
  if (issues.length > 0) throw new InvalidRequestError(route.operationId, issues);
}

function acceptFor(route: RouteDef, allowBinary: boolean): string {
  const success = Object.entries(route.responses).filter(([s]) => Number(s) < 300);
  const types = new Set<string>();
  for (const [, def] of success) types.add(def.contentType ?? 'application/json');
  if (allowBinary) types.add('video/mp4');
  return [...types].join(', ') || 'application/json';
}

/**
 * Calls one route of a router's spec and returns the parsed answer.
 *
 * - **Request**: `params` fill the `{param}` path (percent-encoded), `query` becomes the query
 *   string, `body` is sent as JSON or multipart (multipart when it holds a file, or as
 *   `contentType` says); all three are first checked against the route's schemas
 *   (`InvalidRequestError`, nothing sent).
 * - **Answer**: parsed with the schema declared for its status, strictly by default
 *   (`ResponseValidationError`); with `lenient: true` a mismatch is reported to `onSchemaDrift` and
 *   the body returned as received. JSON is read whatever the content type says and may start with
 *   whitespace (ImageRouter). A binary answer (no schema) is returned as the raw `Response`.
 * - **Errors**: 4xx/5xx become `APIError.generate(...)` subclasses keeping the router's message
 *   and code; no answer becomes `ConnectionError`; the deadline `TimeoutError`; the signal
 *   `AbortError`.
 * - **Retries** follow `retry.ts`: reads on network errors, 408/409/429/5xx; submits only on 429,
 *   on `submitRetryStatuses` (answered before processing) and on network errors before any byte
 *   was sent. Waits honour `retry-after-ms`/`Retry-After` and end at the deadline.
 *
 * @example
 * import { openrouter } from '@reelkit/spec';
 * const { data } = await callRoute(openrouter.routes.getVideo, {
 *   baseUrl: 'https://openrouter.ai/api/v1',
 *   apiKey: process.env.OPENROUTER_API_KEY,
 *   params: { jobId: 'abc123' },
 *   signal: AbortSignal.timeout(30_000),
 * });
 * data.status; // 'pending' | 'in_progress' | 'completed' | ...
 */
export async function callRoute<R extends RouteDef, B extends boolean = false>(
  route: R,
  options: CallRouteOptions<R> & { readonly allowBinary?: B },
): Promise<RouteResponse<RouteOutput<R> | (B extends true ? Response : never)>> {
  const input = options as AnyInput;
  const clock = options.clock ?? systemClock;
  const timeoutClock = options.timeoutClock ?? systemClock;
  const fetchFn: typeof fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const retry = resolveRetry(options.retry);
  const kind: RequestKind = options.kind ?? (route.method === 'GET' ? 'read' : 'submit');
  const submitStatuses = options.submitRetryStatuses ?? SUBMIT_RETRY_STATUSES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowBinary = options.allowBinary === true;
  const provider = options.provider;
  const operationId = route.operationId;
  const what = `${provider ? `${provider} ` : ''}${operationId}`;

  if (options.signal?.aborted) throw abortReason(options.signal);
  const bodyDef = route.body ? chooseBody(route, input.body, options.contentType) : undefined;
  if (route.body && input.body === undefined) {
    throw new InvalidRequestError(operationId, [
      { path: ['body'], code: 'invalid_type', message: 'a body is required' },
    ]);
  }
  if (options.validateRequest !== false) validateInput(route, input, bodyDef);

  const url = buildUrl(options.baseUrl, buildPath(route.path, input.params ?? {}), input.query);
  const headers = new Headers(options.defaultHeaders);
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  if (!headers.has('accept')) headers.set('accept', acceptFor(route, allowBinary));
  if (options.apiKey && route.auth !== 'none') {
    headers.set('authorization', `Bearer ${options.apiKey}`);
  }
  let payload: BodyInit | undefined;
  if (bodyDef) {
    if (bodyDef.contentType === 'application/json') {
      headers.set('content-type', 'application/json');
      payload = JSON.stringify(input.body);
    } else {
      // fetch sets multipart/form-data with its boundary.
      headers.delete('content-type');
      payload = toFormData(input.body as Readonly<Record<string, unknown>>);
    }
  }

  const report = (status: number, issues: readonly Issue[], body: unknown) =>
    options.onSchemaDrift?.({ provider, operationId, status, issues, body });
  const deadline = clock.now() + timeoutMs;
  const timeout = () => new TimeoutError({ timeoutMs, what });

  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw timeout();

    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const disarm = new AbortController();
    const attemptMs = Math.min(remaining, options.attemptTimeoutMs ?? Infinity);
    const capped = attemptMs < remaining;
    const attemptTimeout = () =>
      capped
        ? new TimeoutError({ timeoutMs: attemptMs, what: `${what} (one attempt)` })
        : timeout();
    let timedOut = false;
    timeoutClock.sleep(attemptMs, disarm.signal).then(
      () => {
        timedOut = true;
        controller.abort(attemptTimeout());
      },
      () => undefined,
    );
    let keepSignal = false;
    /** The caller's abort, or the deadline; an attempt's own timeout on a read is retried. */
    const interrupted = async (): Promise<Error | 'retry' | undefined> => {
      if (options.signal?.aborted) return abortReason(options.signal);
      if (!timedOut) return undefined;
      disarm.abort();
      if (capped && kind === 'read' && (await retryAfterWait('timeout', 0))) return 'retry';
      return attemptTimeout();
    };

    /** Decides whether a failure is retried, and waits if so; returns false to give up. */
    const retryAfterWait = async (reason: string, waitMs: number): Promise<boolean> => {
      if (attempt > retry.maxRetries) return false;
      if (waitMs >= deadline - clock.now()) return false;
      options.onRetry?.({ operationId, retry: attempt, delayMs: waitMs, reason });
      await sleepOrAbort(clock, waitMs, options.signal);
      return true;
    };

    try {
      let response: Response;
      try {
        response = await fetchFn(url, {
          method: route.method,
          headers,
          ...(payload !== undefined ? { body: payload } : {}),
          signal: controller.signal,
        });
      } catch (error) {
        const stop = await interrupted();
        if (stop === 'retry') continue;
        if (stop) throw stop;
        const failure = classifyNetworkError(error);
        const retriable = !failure.permanent && (kind === 'read' || failure.beforeSend);
        disarm.abort();
        if (
          retriable &&
          (await retryAfterWait(failure.codes[0] ?? 'network', backoffDelay(attempt, retry)))
        ) {
          continue;
        }
        throw new ConnectionError({
          url,
          maybeSent: !failure.beforeSend,
          attempts: attempt,
          cause: error,
          createsJob: kind === 'submit',
        });
      }

      const status = response.status;
      const declared = route.responses[status];
      if (status >= 400) {
        let text = '';
        try {
          text = await readText(response, undefined, controller.signal);
        } catch {
          if (options.signal?.aborted) throw abortReason(options.signal);
          // Otherwise the status is what matters; a body cut short is reported as empty.
        }
        let body: unknown = text;
        try {
          body = parseJson(text) ?? text;
        } catch {
          // Not JSON (a proxy's HTML page): keep the text.
        }
        if (declared?.schema) {
          const checked = declared.schema.safeParse(body);
          if (!checked.success) report(status, toIssues(checked.error.issues, 'body'), body);
        }
        const retryAfterMs = parseRetryAfter(response.headers, clock.now());
        disarm.abort();
        if (
          isRetriableStatus({ kind, status, headers: response.headers, submitStatuses }) &&
          (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs) &&
          (await retryAfterWait(String(status), retryAfterMs ?? backoffDelay(attempt, retry)))
        ) {
          continue;
        }
        throw APIError.generate({
          ...(provider ? { provider } : {}),
          operationId,
          status,
          body,
          headers: response.headers,
          attempts: attempt,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }

      const contentType = response.headers.get('content-type') ?? '';
      let def = declared;
      if (!def) {
        const issue: Issue = {
          path: [],
          code: 'undeclared_status',
          message: `status ${status} is not declared for ${operationId}`,
        };
        if (!options.lenient) {
          throw new ResponseValidationError({
            operationId,
            status,
            issues: [issue],
            body: undefined,
          });
        }
        report(status, [issue], undefined);
        def = Object.entries(route.responses).find(([s]) => Number(s) < 300)?.[1];
      }
      if (!def?.schema || (allowBinary && BINARY.test(contentType))) {
        // The caller reads the body; the timeout covered the wait for the headers.
        keepSignal = true;
        return {
          status,
          headers: response.headers,
          data: response as never,
          attempts: attempt,
          url,
        };
      }
      let text: string;
      try {
        text = await readText(response, options.onHeartbeat, controller.signal);
      } catch (error) {
        const stop = await interrupted();
        if (stop === 'retry') continue;
        if (stop) throw stop;
        disarm.abort();
        if (kind === 'read' && (await retryAfterWait('body', backoffDelay(attempt, retry))))
          continue;
        throw new ConnectionError({
          url,
          maybeSent: true,
          attempts: attempt,
          cause: error,
          createsJob: kind === 'submit',
        });
      }
      let json: unknown;
      try {
        json = parseJson(text);
      } catch (error) {
        // A read whose body arrived garbled is simply read again.
        disarm.abort();
        if (
          kind === 'read' &&
          (await retryAfterWait('invalid_json', backoffDelay(attempt, retry)))
        ) {
          continue;
        }
        throw new ResponseValidationError({
          operationId,
          status,
          issues: [
            {
              path: [],
              code: 'invalid_json',
              message: `the body is not JSON (${error instanceof Error ? error.message : String(error)}): ${text.slice(0, 120)}`,
            },
          ],
          body: text,
          hint:
            kind === 'submit'
              ? 'The body was cut or garbled on the way, so the answer is lost; the job may exist: look for it before submitting again.'
              : 'The body was cut or garbled on the way; retry the call.',
        });
      }
      const parsed = def.schema.safeParse(json);
      if (parsed.success) {
        return {
          status,
          headers: response.headers,
          data: parsed.data as never,
          attempts: attempt,
          url,
        };
      }
      const issues = toIssues(parsed.error.issues, 'body');
      if (!options.lenient) {
        throw new ResponseValidationError({ operationId, status, issues, body: json });
      }
      report(status, issues, json);
      return { status, headers: response.headers, data: json as never, attempts: attempt, url };
    } finally {
      disarm.abort();
      if (!keepSignal) options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
