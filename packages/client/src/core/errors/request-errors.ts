/**
 * Errors about what was asked or answered, found by reelkit itself: a capability the model lacks,
 * a request or an answer that breaks the route's schema.
 * @module
 */
import type { Issue } from './base.js';
import { ReelkitError } from './base.js';

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
