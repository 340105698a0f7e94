/**
 * One way to answer. Every reply the mock sends — a handler's answer, a router error, a fault or
 * scenario answering instead of the router, a refusal before any route is known, a mock error of
 * the control plane, an internal failure — becomes a response here: checked against the route's
 * declared responses where there is a route, and serialised once.
 * @module
 */
import type { ErrorKind, RouteDef } from '@reelkit/spec';
import { MockError } from './errors.js';
import { utf8Length } from './json-body.js';
import type { PlainResponse } from './request.js';
import type { BytesReply, Diagnostic, JsonReply, MockProvider, Reply } from './types.js';

/**
 * Header of a route's 500 answered in the router's envelope because the mock itself failed: its
 * value names the reelkit code and the crash reference (`MOCK_ERR_INTERNAL; ref=crash_1`).
 */
export const INTERNAL_ERROR_HEADER = 'x-reelkit-error';

/**
 * How a reply is checked against its route.
 * - `declared`: the route must declare the status and the body must match its schema (a handler's
 *   answer, an error the engine answers on the route's behalf).
 * - `if-declared`: checked where the route declares the status, sent as it is otherwise: the
 *   router answers some refusals on every route whether or not the route documents them
 *   (OpenRouter's 413 for a body over the limit, a fault rule's 429 or 500).
 */
export type ReplyCheck = 'declared' | 'if-declared';

/** Options of {@link createResponder}. */
export interface ResponderOptions {
  /** The router whose envelope refusals and crashes are answered in. */
  readonly provider: Pick<MockProvider, 'spec' | 'error'>;
  /** Check replies against the spec (a broken one becomes the mock's own 500). */
  readonly validate: boolean;
  /** Where contract breaks and crashes are recorded for tests to fail on. */
  readonly diagnostics: Diagnostic[];
  /** Where crashes are logged with their stack (answers never carry it). */
  readonly log: (message: string, error: unknown) => void;
}

/** The engine's one way to answer; see {@link createResponder}. */
export interface Responder {
  /**
   * The response for a reply: JSON and bytes as a {@link PlainResponse} (no Web objects on the hot
   * path), a stream as a `Response`. With a route, checked first (see {@link ReplyCheck}); a reply
   * that breaks the route's contract becomes `MOCK_ERR_INVALID_RESPONSE` (500).
   */
  respond(reply: Reply, route?: RouteDef, check?: ReplyCheck): Response | PlainResponse;
  /** {@link Responder.respond} for a reply that is not a stream. */
  respondPlain(reply: JsonReply | BytesReply, route?: RouteDef, check?: ReplyCheck): PlainResponse;
  /**
   * Checks a JSON body against the route's declared response for `status`; throws the
   * `MOCK_ERR_INVALID_RESPONSE` {@link MockError} (and records a diagnostic) when it does not match.
   */
  check(route: RouteDef, status: number, body: unknown): void;
  /**
   * The router's envelope for a request refused before it reaches a route, named by the HTTP
   * status a server would answer: 413 → `payload_too_large`, 429 → `rate_limited`, another 4xx →
   * `validation`, 5xx → `server_error`.
   */
  refusal(status: number, message: string): PlainResponse;
  /**
   * A failure of the mock itself (a reelkit bug): logged with its stack, recorded as a
   * diagnostic, and answered 500 without the stack. On a route, in the router's envelope (a client
   * of the router handles that 500 as the router's); elsewhere as `MOCK_ERR_INTERNAL`.
   */
  internalError(where: string, error: unknown, route?: RouteDef): PlainResponse;
}

/**
 * Wraps a plain answer in a Web `Response` (a `Response` passes through).
 *
 * @example
 * const response = asResponse(await engine.dispatch(request));
 */
export function asResponse(answer: Response | PlainResponse): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body as Uint8Array<ArrayBuffer> | string | null, {
    status: answer.status,
    headers: answer.headers,
  });
}

/** A crash's message for diagnostics: its first line, with file paths left out. */
function crashSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split('\n')[0] ?? '')
    .replace(
      /(?:file:\/\/)?(?:[A-Za-z]:)?[\\/](?:[^\s\\/'"()]+[\\/])+[^\s\\/'"():]*(?::\d+)*/g,
      '<path>',
    )
    .slice(0, 500);
}

/** The failure family of a refusal a server answers with `status`. */
function refusalKind(status: number): ErrorKind {
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'validation' : 'server_error';
}

/**
 * Creates the engine's {@link Responder}.
 *
 * @example
 * const responder = createResponder({ provider, validate: true, diagnostics: [], log: console.error });
 * responder.respond({ status: 200, body: view }, route); // { status: 200, headers, body: '{"id":…}' }
 */
export function createResponder(options: ResponderOptions): Responder {
  const { provider, validate, diagnostics, log } = options;
  // Bodies a handler hands out again (JsonReply.reusedBody), serialised and checked once; an
  // entry lives as long as the handler keeps the body.
  const preparedBodies = new WeakMap<
    object,
    { route: RouteDef; status: number; text: string; length: string }
  >();
  let crashes = 0;

  function check(route: RouteDef, status: number, body: unknown): void {
    const declared = route.responses[status];
    const problem = !declared
      ? `status ${status} is not declared for ${route.operationId}`
      : declared.schema && !declared.schema.safeParse(body).success
        ? `body does not match the ${status} schema: ${declared.schema
            .safeParse(body)
            .error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')}`
        : undefined;
    if (!problem) return;
    diagnostics.push({
      kind: 'invalid-response',
      operationId: route.operationId,
      status,
      detail: problem,
    });
    throw new MockError(
      'MOCK_ERR_INVALID_RESPONSE',
      `The mock broke its own contract: ${problem}. This is a reelkit bug.`,
    );
  }

  /** The mock's own 500 when a reply breaks its route's contract; undefined when it keeps it. */
  function contractBreak(
    route: RouteDef,
    status: number,
    body: unknown,
  ): PlainResponse | undefined {
    try {
      check(route, status, body);
      return undefined;
    } catch (error) {
      return respondPlain((error as MockError).toReply());
    }
  }

  function respondPlain(
    reply: JsonReply | BytesReply,
    route?: RouteDef,
    how: ReplyCheck = 'declared',
  ): PlainResponse {
    const headers: Record<string, string> = reply.headers ? { ...reply.headers } : {};
    if (reply.bytes) {
      if (reply.contentType) headers['content-type'] = reply.contentType;
      headers['content-length'] = String(reply.bytes.byteLength);
      return { status: reply.status, headers, body: reply.bytes };
    }
    headers['content-type'] = reply.contentType ?? 'application/json';
    const checked =
      validate &&
      route !== undefined &&
      (how === 'declared' || route.responses[reply.status] !== undefined);
    if (reply.body === undefined) {
      const problem = checked ? contractBreak(route, reply.status, undefined) : undefined;
      return problem ?? { status: reply.status, headers, body: null };
    }
    const reused =
      reply.reusedBody === true && typeof reply.body === 'object' && reply.body !== null;
    let prepared = reused ? preparedBodies.get(reply.body as object) : undefined;
    if (!prepared || prepared.route !== route || prepared.status !== reply.status) {
      const problem = checked ? contractBreak(route, reply.status, reply.body) : undefined;
      if (problem) return problem;
      const text = JSON.stringify(reply.body);
      // Only bodies sent on a route are cached: the cache entry names the route it was checked for.
      if (reused && route) {
        prepared = { route, status: reply.status, text, length: String(utf8Length(text)) };
        preparedBodies.set(reply.body as object, prepared);
      } else {
        headers['content-length'] = String(utf8Length(text));
        return { status: reply.status, headers, body: text };
      }
    }
    headers['content-length'] = prepared.length;
    return { status: reply.status, headers, body: prepared.text };
  }

  function respond(
    reply: Reply,
    route?: RouteDef,
    how: ReplyCheck = 'declared',
  ): Response | PlainResponse {
    if (!reply.stream) return respondPlain(reply, route, how);
    const headers = new Headers(reply.headers);
    if (reply.contentType) headers.set('content-type', reply.contentType);
    return new Response(reply.stream, { status: reply.status, headers });
  }

  function internalError(where: string, error: unknown, route?: RouteDef): PlainResponse {
    const ref = `crash_${++crashes}`;
    log(
      `[reelkit] ${provider.spec.id} ${where} failed unexpectedly (${ref}); this is a reelkit bug:`,
      error,
    );
    diagnostics.push({
      kind: 'handler-crash',
      operationId: where,
      detail: `${ref}: ${crashSummary(error)}`,
    });
    const message = `The mock failed unexpectedly (${ref}): this is a reelkit bug, not a problem with your request. The error is logged on the server; please report it.`;
    if (route) {
      const reply = provider.error('server_error', { message });
      // The router's own 500 (its clients parse that), with the reelkit code beside it.
      const headers = {
        ...reply.headers,
        [INTERNAL_ERROR_HEADER]: `MOCK_ERR_INTERNAL; ref=${ref}`,
      };
      if (!reply.stream) return respondPlain({ ...reply, headers }, route);
    }
    return respondPlain(new MockError('MOCK_ERR_INTERNAL', message).toReply());
  }

  return {
    respond,
    respondPlain,
    check,
    refusal(status, message) {
      const reply = provider.error(refusalKind(status), { message });
      if (reply.stream) {
        return internalError(
          '(refusal)',
          new Error(`${provider.spec.id}'s error() answered a stream for a ${status} refusal`),
        );
      }
      return respondPlain(reply);
    },
    internalError,
  };
}
