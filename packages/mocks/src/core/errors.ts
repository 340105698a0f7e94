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
  MOCK_ERR_BAD_BODY: 400,
  MOCK_ERR_STORE_FULL: 429,
} as const;

/** One of {@link MOCK_ERRORS}. */
export type MockErrorCode = keyof typeof MOCK_ERRORS;

/**
 * An error raised by the mock engine; `toResponse()` gives its HTTP form.
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

  /** The control-plane JSON form of this error. */
  toResponse(): Response {
    return Response.json(
      {
        error: {
          code: this.code,
          message: this.message,
          ...(this.details ? { details: this.details } : {}),
        },
      },
      { status: this.status },
    );
  }
}
