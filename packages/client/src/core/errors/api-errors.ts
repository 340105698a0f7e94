/**
 * Errors a router answered over HTTP: {@link APIError} and one subclass per family, picked by
 * {@link APIError.generate} from the verdict of `classify.ts`.
 * @module
 */
import type { ReelkitErrorCode } from './base.js';
import { ReelkitError, sentence } from './base.js';
import { describeProviderError, providerErrorFields } from './body.js';
import type { HttpErrorFamily } from './classify.js';
import { classifyHttpError } from './classify.js';

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
      sentence(`${who || 'The router'} answered ${init.status}: ${describeProviderError(fields)}`),
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
    const verdict = classifyHttpError(init.status, providerErrorFields(init.body), init);
    const ErrorClass = CLASS_OF_FAMILY[verdict.family];
    return new ErrorClass({
      ...init,
      code: init.code ?? verdict.code,
      hint: init.hint ?? verdict.hint,
    });
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

/** The class of each family; `APIError.generate` builds through it. */
const CLASS_OF_FAMILY: Readonly<
  Record<HttpErrorFamily, new (init: SubclassInit & { readonly retryAfterMs?: number }) => APIError>
> = {
  payment_required: PaymentRequiredError,
  bad_request: BadRequestError,
  authentication: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  rate_limit: RateLimitError,
  server: ServerError,
  other: APIError,
};
