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
 *
 * The code lives in `errors/`: `base.ts` (codes, `ReelkitError`), `body.ts` (reading a router's
 * error body), `classify.ts` (status and words → family, code and hint), and the classes by where
 * the failure arose: `api-errors.ts`, `transport-errors.ts`, `request-errors.ts`, `job-errors.ts`.
 * @module
 */
export type { Issue, ReelkitErrorCode } from './errors/base.js';
export { ReelkitError, WebhookVerificationError } from './errors/base.js';
export type { ProviderErrorFields } from './errors/body.js';
export { providerErrorFields } from './errors/body.js';
export type { FailedStatus } from './errors/classify.js';
export { isModeration } from './errors/classify.js';
export type { APIErrorInit } from './errors/api-errors.js';
export {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from './errors/api-errors.js';
export { AbortError, ConnectionError, TimeoutError } from './errors/transport-errors.js';
export {
  CapabilityError,
  InvalidRequestError,
  ResponseValidationError,
} from './errors/request-errors.js';
export { GenerationFailedError } from './errors/job-errors.js';
