/**
 * Errors of the mock itself (as opposed to the router errors it imitates), with stable codes.
 * They surface in the control plane and, when a handler breaks its own contract, as a 500 whose
 * message says what to fix.
 * @module
 */

/** The catalog of the mock's own error codes, with their HTTP status. */
export const MOCK_ERRORS = {
  MOCK_ERR_UNKNOWN_ROUTE: 404,
  MOCK_ERR_UNKNOWN_SCENARIO: 400,
  MOCK_ERR_INVALID_RESPONSE: 500,
  MOCK_ERR_ILLEGAL_TRANSITION: 500,
  MOCK_ERR_BAD_CONTROL_REQUEST: 400,
  MOCK_ERR_CLOCK_NOT_MANUAL: 409,
  MOCK_ERR_NOT_FOUND: 404,
  /** A control-plane call without the control token (`--control-token`), or with a wrong one. */
  MOCK_ERR_CONTROL_UNAUTHORIZED: 401,
  /** A mutating control-plane call from another site (foreign `Origin`, `Sec-Fetch-Site: cross-site`). */
  MOCK_ERR_CROSS_SITE_REFUSED: 403,
  /** A mutating control-plane call whose body is not `application/json`. */
  MOCK_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  /** Something broke inside the mock: a reelkit bug, never the caller's mistake. Logged on the server. */
  MOCK_ERR_INTERNAL: 500,
  MOCK_ERR_BAD_BODY: 400,
  MOCK_ERR_STORE_FULL: 429,
  /** An `X-Reelkit-Namespace` (or `<namespace>~` key prefix) that is not a namespace name. */
  MOCK_ERR_BAD_NAMESPACE: 400,
  /** A new namespace while the store holds its most (`--max-namespaces`). */
  MOCK_ERR_NAMESPACE_LIMIT: 429,
  /** The shared state store (Redis) could not be reached or did not answer in time. */
  MOCK_ERR_STATE_STORE: 503,
} as const;

/** One of {@link MOCK_ERRORS}. */
export type MockErrorCode = keyof typeof MOCK_ERRORS;

/** The JSON form of a mock error: its status, body and headers, answered through `respond()`. */
export interface MockErrorReply {
  readonly status: number;
  readonly body: {
    readonly error: {
      readonly code: MockErrorCode;
      readonly message: string;
      readonly details?: unknown;
    };
  };
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An error raised by the mock engine; `toReply()` gives its HTTP form, which the engine answers
 * like any other reply.
 *
 * @example
 * throw new MockError('MOCK_ERR_CLOCK_NOT_MANUAL', 'Start the mock with --clock manual to advance time.');
 */
export class MockError extends Error {
  override readonly name = 'MockError';
  readonly status: number;
  constructor(
    readonly code: MockErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(`[reelkit] ${message}`);
    this.status = MOCK_ERRORS[code];
  }

  /**
   * The control-plane JSON form of this error.
   *
   * @example
   * new MockError('MOCK_ERR_NOT_FOUND', 'No job x.').toReply().status; // 404
   */
  toReply(): MockErrorReply {
    return {
      status: this.status,
      body: {
        error: {
          code: this.code,
          message: this.message,
          ...(this.details ? { details: this.details } : {}),
        },
      },
      ...(this.code === 'MOCK_ERR_CONTROL_UNAUTHORIZED'
        ? { headers: { 'www-authenticate': 'Bearer realm="reelkit control plane"' } }
        : {}),
    };
  }
}
