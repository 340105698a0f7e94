/**
 * The client's errors: one base class with a stable `code` and a `hint` saying what to do next,
 * subclasses per failure family. Errors answered by a router keep its own message and code
 * (`providerMessage`, `providerCode`) verbatim.
 *
 * | class                     | code(s)                                                      | when                                      |
 * | ------------------------- | ------------------------------------------------------------ | ----------------------------------------- |
 * | `BadRequestError`         | `bad_request`, `content_moderated`                           | 400, 413, 422                             |
 * | `AuthenticationError`     | `authentication_failed`                                      | 401                                       |
 * | `PaymentRequiredError`    | `insufficient_credits`, `quota_exceeded`                     | 402; ImageRouter's 200 "Insufficient credits"; rout.my's quota 429 |
 * | `PermissionDeniedError`   | `permission_denied`, `content_moderated`                     | 403                                       |
 * | `NotFoundError`           | `not_found`                                                  | 404                                       |
 * | `RateLimitError`          | `rate_limited`                                               | 429 (after the retry budget)              |
 * | `ServerError`             | `server_error`                                               | 5xx (after the retry budget)              |
 * | `APIError`                | `api_error`                                                  | any other status                          |
 * | `ConnectionError`         | `connection_failed`                                          | no HTTP answer                            |
 * | `TimeoutError`            | `timeout`                                                    | the call's `timeoutMs` ran out            |
 * | `AbortError`              | `aborted`                                                    | the caller's `AbortSignal` fired          |
 * | `CapabilityError`         | `capability_unsupported`                                     | refused before sending: the model or router cannot do it |
 * | `InvalidRequestError`     | `request_invalid`                                            | the request breaks the route's schema     |
 * | `ResponseValidationError` | `response_invalid`                                           | the answer breaks the route's schema (strict mode) |
 * | `GenerationFailedError`   | `generation_failed`, `generation_cancelled`, `generation_expired`, `content_moderated` | the job ended without a video |
 * | `WebhookVerificationError`| `webhook_*`                                                  | an untrusted webhook delivery             |
 * @module
 */

/**
 * Stable error codes; safe to switch on.
 *
 * @example
 * if (error instanceof ReelkitError && error.code === 'content_moderated') askForAnotherPrompt();
 */
export type ReelkitErrorCode =
  | 'webhook_signature_missing'
  | 'webhook_signature_malformed'
  | 'webhook_signature_mismatch'
  | 'webhook_timestamp_out_of_tolerance'
  | 'webhook_payload_invalid'
  | 'bad_request'
  | 'authentication_failed'
  | 'insufficient_credits'
  | 'quota_exceeded'
  | 'permission_denied'
  | 'content_moderated'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'api_error'
  | 'connection_failed'
  | 'timeout'
  | 'aborted'
  | 'capability_unsupported'
  | 'request_invalid'
  | 'response_invalid'
  | 'generation_failed'
  | 'generation_cancelled'
  | 'generation_expired';

/**
 * Base class of every error the client throws.
 *
 * @example
 * try { verifyWebhook(body, headers, secret); } catch (e) { if (e instanceof ReelkitError) console.log(e.code, e.hint); }
 */
export class ReelkitError extends Error {
  override readonly name: string = 'ReelkitError';
  constructor(
    readonly code: ReelkitErrorCode,
    message: string,
    /** What to do next. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(`[reelkit] ${message}${hint ? ` ${hint}` : ''}`, options);
  }
}

/**
 * A webhook that must not be trusted: missing or wrong signature, stale timestamp, bad payload.
 *
 * @example
 * if (error instanceof WebhookVerificationError) return new Response(null, { status: 401 });
 */
export class WebhookVerificationError extends ReelkitError {
  override readonly name = 'WebhookVerificationError';
}

/**
 * One schema problem, as Zod reports it (kept as data, never joined into a string).
 *
 * @example
 * const where = error.issues.map((i: Issue) => i.path.join('.'));
 */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
}

/**
 * What an {@link APIError} is built from.
 *
 * @example
 * APIError.generate({ status: 404, body: { error: { message: 'gone' } }, headers: new Headers() });
 */
export interface APIErrorInit {
  /** The router's id (`openrouter`, …) or title, for the message. */
  readonly provider?: string;
  readonly operationId?: string;
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
  readonly headers: Headers;
  /** How many attempts were made (1 when not retried). */
  readonly attempts?: number;
  /** Overrides the code derived from the status and body. */
  readonly code?: ReelkitErrorCode;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The fields routers put in their error envelopes, read from any of the four shapes.
 *
 * @example
 * const { message, code } = providerErrorFields(body);
 */
export interface ProviderErrorFields {
  readonly message?: string;
  readonly code?: string;
  readonly type?: string;
  readonly param?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

/**
 * Reads `{ error: { message, code, type, param, metadata } }` (OpenRouter, ImageRouter,
 * FastRouter, rout.my all use a variant of it), or a plain-text body.
 *
 * @example
 * providerErrorFields({ error: { code: 402, message: 'Insufficient credits' } });
 * // { message: 'Insufficient credits', code: '402' }
 */
export function providerErrorFields(body: unknown): ProviderErrorFields {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    return trimmed ? { message: trimmed.slice(0, 500) } : {};
  }
  if (!isRecord(body)) return {};
  const error = isRecord(body.error) ? body.error : body;
  const message = text(error.message) ?? text(body.message);
  const code = text(error.code);
  const type = text(error.type);
  const param = text(error.param);
  const metadata = isRecord(error.metadata) ? error.metadata : undefined;
  return {
    ...(message !== undefined ? { message } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(param !== undefined ? { param } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

const MODERATION = /moderation|content policy|safety system|flagged/i;
const QUOTA = /\bquota\b/i;
const CREDITS = /insufficient (credits|balance|funds)|out of credits/i;

/**
 * Whether a router's error words describe a content-policy refusal.
 *
 * @example
 * isModeration({ code: 'moderation_blocked' }); // true
 */
export function isModeration(fields: ProviderErrorFields): boolean {
  return (
    fields.code === 'moderation_blocked' ||
    fields.type === 'moderation_error' ||
    Array.isArray(fields.metadata?.reasons) ||
    MODERATION.test(fields.message ?? '')
  );
}

/** Ends `text` with a full stop unless it already ends a sentence. */
const sentence = (text: string): string =>
  /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;

function describe(fields: ProviderErrorFields): string {
  const extra = [fields.code, fields.type].filter((v): v is string => Boolean(v));
  return `${fields.message ?? '(no message)'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function retryAfterText(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms >= 1000 ? ` Retry-After: ${Math.round(ms / 1000)} s.` : ` Retry-After: ${ms} ms.`;
}

/**
 * An HTTP error answered by a router. Keeps the status, headers, body and the router's own message
 * and code. {@link APIError.generate} picks the subclass.
 *
 * @example
 * catch (e) { if (e instanceof APIError) console.log(e.status, e.providerMessage, e.providerCode); }
 */
export class APIError extends ReelkitError {
  override readonly name: string = 'APIError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
  readonly provider: string | undefined;
  readonly operationId: string | undefined;
  /** The router's own message, verbatim. */
  readonly providerMessage: string | undefined;
  /** The router's own error code (`error.code`), as a string. */
  readonly providerCode: string | undefined;
  /** The router's error type (`error.type`), where it sends one. */
  readonly providerType: string | undefined;
  /** The request field the router blames, where it names one. */
  readonly param: string | undefined;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
  /** `x-request-id` / `x-generation-id` style headers, for support tickets. */
  readonly requestId: string | undefined;

  constructor(init: APIErrorInit & { readonly code: ReelkitErrorCode; readonly hint?: string }) {
    const fields = providerErrorFields(init.body);
    const who = [init.provider, init.operationId].filter(Boolean).join(' ');
    super(
      init.code,
      sentence(`${who || 'The router'} answered ${init.status}: ${describe(fields)}`),
      init.hint,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.provider = init.provider;
    this.operationId = init.operationId;
    this.providerMessage = fields.message;
    this.providerCode = fields.code;
    this.providerType = fields.type;
    this.param = fields.param;
    this.attempts = init.attempts ?? 1;
    this.requestId =
      init.headers.get('x-request-id') ?? init.headers.get('x-generation-id') ?? undefined;
  }

  /**
   * The single factory that maps a status (and the router's words) to an error class.
   *
   * @example
   * const error = APIError.generate({ status: 429, body, headers, provider: 'openrouter' });
   * error instanceof RateLimitError; // true
   */
  static generate(init: APIErrorInit & { readonly retryAfterMs?: number }): APIError {
    const fields = providerErrorFields(init.body);
    const moderated = isModeration(fields);
    const tries = (init.attempts ?? 1) > 1 ? ` (${init.attempts} attempts)` : '';
    const status = init.status;
    if (status === 429 && QUOTA.test(fields.message ?? '')) {
      return new PaymentRequiredError({
        ...init,
        code: init.code ?? 'quota_exceeded',
        hint:
          init.hint ??
          `Wait for the quota window to reset${retryAfterText(init.retryAfterMs)} Or lower duration, resolution or n.`,
      });
    }
    if (status === 402 || CREDITS.test(fields.message ?? '')) {
      return new PaymentRequiredError({
        ...init,
        code: init.code ?? 'insufficient_credits',
        hint:
          init.hint ??
          "Add credits on the router's billing page, or choose a cheaper model or a shorter video.",
      });
    }
    switch (status) {
      case 400:
      case 413:
      case 422:
        return new BadRequestError({
          ...init,
          code: init.code ?? (moderated ? 'content_moderated' : 'bad_request'),
          hint:
            init.hint ??
            (moderated
              ? 'Change the prompt or the input images: the content policy refused them.'
              : "Fix the request as the router's message says; checkCapabilities() lists what a model accepts."),
        });
      case 401:
        return new AuthenticationError({
          ...init,
          code: init.code ?? 'authentication_failed',
          hint: init.hint ?? 'Check the API key: it is sent as Authorization: Bearer <key>.',
        });
      case 403:
        return new PermissionDeniedError({
          ...init,
          code: init.code ?? (moderated ? 'content_moderated' : 'permission_denied'),
          hint:
            init.hint ??
            (moderated
              ? 'Change the prompt or the input images: the content policy refused them.'
              : 'This key may not use this model; pick another model or change the plan.'),
        });
      case 404:
        return new NotFoundError({
          ...init,
          code: init.code ?? 'not_found',
          hint:
            init.hint ??
            'Check the id and the base URL; jobs expire and belong to the key that created them.',
        });
      case 429:
        return new RateLimitError({
          ...init,
          code: init.code ?? 'rate_limited',
          hint:
            init.hint ??
            `Slow down${tries}: retry later or lower concurrency.${retryAfterText(init.retryAfterMs)}`,
        });
      default:
        if (status >= 500) {
          return new ServerError({
            ...init,
            code: init.code ?? 'server_error',
            hint: init.hint ?? `The router failed${tries}; retry later.`,
          });
        }
        return new APIError({
          ...init,
          code: init.code ?? 'api_error',
          hint: init.hint ?? 'See the status and the router message.',
        });
    }
  }
}

type SubclassInit = APIErrorInit & { readonly code: ReelkitErrorCode; readonly hint?: string };

/**
 * 400 (also 413 and 422): the router refused the request as invalid.
 *
 * @example
 * if (e instanceof BadRequestError) console.log(e.param, e.providerMessage);
 */
export class BadRequestError extends APIError {
  override readonly name = 'BadRequestError';
}

/**
 * 401: no key, or a key the router does not accept.
 *
 * @example
 * if (e instanceof AuthenticationError) console.error('set OPENROUTER_API_KEY');
 */
export class AuthenticationError extends APIError {
  override readonly name = 'AuthenticationError';
}

/**
 * Out of credits (402, ImageRouter's HTTP 200 "Insufficient credits") or out of quota (rout.my's
 * 429 "Insufficient quota", code `quota_exceeded`). Never retried.
 *
 * @example
 * if (e instanceof PaymentRequiredError) console.error('top up:', e.providerMessage);
 */
export class PaymentRequiredError extends APIError {
  override readonly name = 'PaymentRequiredError';
}

/**
 * 403: the key may not do this, or the content policy refused the input (code
 * `content_moderated`).
 *
 * @example
 * if (e instanceof PermissionDeniedError && e.code === 'content_moderated') askForAnotherPrompt();
 */
export class PermissionDeniedError extends APIError {
  override readonly name = 'PermissionDeniedError';
}

/**
 * 404: unknown or expired id, or an unknown model.
 *
 * @example
 * if (e instanceof NotFoundError) console.error('job gone:', e.providerMessage);
 */
export class NotFoundError extends APIError {
  override readonly name = 'NotFoundError';
}

/**
 * 429 after the retry budget is spent (or when `Retry-After` is longer than the client may wait).
 *
 * @example
 * if (e instanceof RateLimitError) await sleep(e.retryAfterMs ?? 60_000);
 */
export class RateLimitError extends APIError {
  override readonly name = 'RateLimitError';
  /** What the router asked for in `Retry-After` / `retry-after-ms`, if anything. */
  readonly retryAfterMs: number | undefined;
  constructor(init: SubclassInit & { readonly retryAfterMs?: number }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * 5xx after the retry budget is spent (submits are retried only when the router cannot have
 * started the job; see `callRoute`).
 *
 * @example
 * if (e instanceof ServerError) console.error(e.status, e.providerMessage);
 */
export class ServerError extends APIError {
  override readonly name = 'ServerError';
}

/**
 * No HTTP answer: DNS, refused or reset connection, TLS. `maybeSent` says whether the request may
 * have reached the router (then a submit is not retried, since it may have created a job).
 *
 * @example
 * if (e instanceof ConnectionError && e.maybeSent) console.warn('check for a created job first');
 */
export class ConnectionError extends ReelkitError {
  override readonly name = 'ConnectionError';
  readonly url: string;
  /** Whether the request may have reached the router before the connection failed. */
  readonly maybeSent: boolean;
  readonly attempts: number;
  constructor(init: {
    readonly url: string;
    readonly maybeSent: boolean;
    readonly attempts: number;
    readonly cause: unknown;
    /** Whether the request creates a job (then a lost answer may hide a created job). */
    readonly createsJob: boolean;
  }) {
    const reason = describeCause(init.cause);
    super(
      'connection_failed',
      `Could not reach ${init.url}: ${reason}${init.attempts > 1 ? ` (${init.attempts} attempts)` : ''}.`,
      init.maybeSent && init.createsJob
        ? 'The request may have reached the router and created a job: look for it (dashboard or your webhook) before submitting again.'
        : 'Check the network and the base URL, then retry.',
      { cause: init.cause },
    );
    this.url = init.url;
    this.maybeSent = init.maybeSent;
    this.attempts = init.attempts;
  }
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = cause, depth = 0; c && depth < 4; depth++) {
    if (c instanceof Error) {
      const code = (c as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${c.message} [${code}]` : c.message);
      c = c.cause;
    } else {
      parts.push(String(c));
      break;
    }
  }
  return parts.join(' ← ') || 'unknown error';
}

/**
 * The call's `timeoutMs` ran out; the request in flight was aborted. For an async router the job
 * may still finish: `jobId` names it.
 *
 * @example
 * if (e instanceof TimeoutError && e.jobId) await client.getVideo({ params: { jobId: e.jobId } });
 */
export class TimeoutError extends ReelkitError {
  override readonly name = 'TimeoutError';
  readonly timeoutMs: number;
  readonly jobId: string | undefined;
  constructor(init: {
    readonly timeoutMs: number;
    readonly what: string;
    readonly jobId?: string;
  }) {
    super(
      'timeout',
      `${init.what} did not finish within ${init.timeoutMs} ms.`,
      init.jobId
        ? `The job ${init.jobId} may still finish: poll it later, or raise timeoutMs.`
        : 'Raise timeoutMs (synchronous routers hold the connection for up to ~15 minutes).',
    );
    this.timeoutMs = init.timeoutMs;
    this.jobId = init.jobId;
  }
}

/**
 * The caller's `AbortSignal` fired. `reason` is the signal's reason.
 *
 * @example
 * const controller = new AbortController(); setTimeout(() => controller.abort(), 1000);
 * try { await generateVideo({ ..., signal: controller.signal }); } catch (e) { e instanceof AbortError; }
 */
export class AbortError extends ReelkitError {
  override readonly name = 'AbortError';
  readonly jobId: string | undefined;
  constructor(init: { readonly reason?: unknown; readonly jobId?: string } = {}) {
    super(
      'aborted',
      'The call was aborted by its AbortSignal.',
      init.jobId ? `The job ${init.jobId} was submitted and may still finish.` : undefined,
      init.reason === undefined ? undefined : { cause: init.reason },
    );
    this.jobId = init.jobId;
  }
}

/**
 * Refused before any money was spent: the model or the router cannot do what was asked.
 * `accepted` lists the values that would work.
 *
 * @example
 * catch (e) { if (e instanceof CapabilityError) console.log(e.param, e.accepted); }
 */
export class CapabilityError extends ReelkitError {
  override readonly name = 'CapabilityError';
  readonly provider: string;
  readonly model: string;
  /** The unified parameter (`duration`, `resolution`, `images`, …). */
  readonly param: string;
  readonly value: unknown;
  /** Values that would be accepted; `undefined` when the parameter is not accepted at all. */
  readonly accepted: readonly (string | number | boolean)[] | undefined;
  constructor(init: {
    readonly provider: string;
    readonly model: string;
    readonly param: string;
    readonly value: unknown;
    readonly accepted?: readonly (string | number | boolean)[];
    readonly reason?: string;
  }) {
    const shown = typeof init.value === 'string' ? `'${init.value}'` : JSON.stringify(init.value);
    const reason =
      init.reason ??
      (init.accepted
        ? `${init.param} ${shown} is not supported by ${init.model} on ${init.provider}`
        : `${init.provider} cannot take ${init.param} for ${init.model}`);
    super(
      'capability_unsupported',
      `${reason}.`,
      init.accepted
        ? `Use one of: ${init.accepted.length ? init.accepted.join(', ') : '(none)'}.`
        : `Remove ${init.param}, or choose a model or router that supports it.`,
    );
    this.provider = init.provider;
    this.model = init.model;
    this.param = init.param;
    this.value = init.value;
    this.accepted = init.accepted;
  }
}

/**
 * The request breaks the route's request schema; nothing was sent.
 *
 * @example
 * catch (e) { if (e instanceof InvalidRequestError) console.log(e.issues); }
 */
export class InvalidRequestError extends ReelkitError {
  override readonly name = 'InvalidRequestError';
  constructor(
    readonly operationId: string,
    readonly issues: readonly Issue[],
  ) {
    const where = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    super(
      'request_invalid',
      `The ${operationId} request is invalid (${where.join('; ')}); nothing was sent.`,
      'Fix the fields named above.',
    );
  }
}

/**
 * In strict mode, an answer that breaks the route's declared schema for its status.
 *
 * @example
 * createOpenRouterClient({ apiKey, lenient: true, onSchemaDrift: (d) => log(d) }); // live use
 */
export class ResponseValidationError extends ReelkitError {
  override readonly name = 'ResponseValidationError';
  readonly operationId: string;
  readonly status: number;
  readonly issues: readonly Issue[];
  readonly body: unknown;
  constructor(init: {
    readonly operationId: string;
    readonly status: number;
    readonly issues: readonly Issue[];
    readonly body: unknown;
    readonly hint?: string;
  }) {
    const where = init.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    super(
      'response_invalid',
      `The ${init.operationId} answer (${init.status}) does not match the spec: ${where.join('; ')}.`,
      init.hint ??
        'Pass lenient: true to accept it and report the drift through onSchemaDrift; please report it to reelkit.',
    );
    this.operationId = init.operationId;
    this.status = init.status;
    this.issues = init.issues;
    this.body = init.body;
  }
}

/**
 * The canonical way a job ended without a video.
 *
 * @example
 * if (error instanceof GenerationFailedError && error.status === 'expired') resubmit();
 */
export type FailedStatus = 'failed' | 'cancelled' | 'expired';

/**
 * The job ended without a video: failed, refused by moderation, cancelled or expired. Keeps the
 * router's status word and its message verbatim.
 *
 * @example
 * catch (e) { if (e instanceof GenerationFailedError) console.log(e.status, e.providerMessage); }
 */
export class GenerationFailedError extends ReelkitError {
  override readonly name = 'GenerationFailedError';
  readonly provider: string;
  readonly jobId: string | undefined;
  /** The canonical status the job ended in. */
  readonly status: FailedStatus;
  /** The router's own status word (`failed`, `cancelled`, …), or `http <status>` for sync routers. */
  readonly providerStatus: string;
  readonly providerMessage: string | undefined;
  readonly providerCode: string | undefined;
  /** The last body the router sent. */
  readonly raw: unknown;
  constructor(init: {
    readonly provider: string;
    readonly jobId?: string;
    readonly status: FailedStatus;
    readonly providerStatus: string;
    readonly providerMessage?: string;
    readonly providerCode?: string;
    readonly moderated?: boolean;
    readonly raw: unknown;
    readonly cause?: unknown;
  }) {
    const code: ReelkitErrorCode = init.moderated
      ? 'content_moderated'
      : init.status === 'cancelled'
        ? 'generation_cancelled'
        : init.status === 'expired'
          ? 'generation_expired'
          : 'generation_failed';
    const hint = init.moderated
      ? 'Change the prompt or the input images: the content policy refused them.'
      : init.status === 'expired'
        ? 'The job outlived its time to live; submit it again.'
        : init.status === 'cancelled'
          ? 'The job was cancelled; submit it again if you still want it.'
          : 'The provider could not make the video; retry later or try another model.';
    super(
      code,
      sentence(
        `${init.provider} job ${init.jobId ?? '(no id)'} ended ${init.providerStatus}: ${init.providerMessage ?? '(no message)'}`,
      ),
      hint,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.provider = init.provider;
    this.jobId = init.jobId;
    this.status = init.status;
    this.providerStatus = init.providerStatus;
    this.providerMessage = init.providerMessage;
    this.providerCode = init.providerCode;
    this.raw = init.raw;
  }
}
