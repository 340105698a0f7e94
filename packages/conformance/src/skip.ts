/**
 * Which checks run: `only` narrows the run, `skip` leaves checks out with a stated reason. A skip
 * without a reason is a mistake the kit refuses, so every report says why something did not run.
 * @module
 */

/** Checks named by id, family or operation; or a pattern over ids. */
export type CheckSelector = readonly string[] | RegExp;

/** Checks to leave out of a run, and why. */
export interface SkipRule {
  /**
   * Check ids (`createVideos: declared statuses only`), families (`webhook-signature`) or
   * operation ids (`getVideos`); or a pattern tested against check ids.
   */
  readonly tests: CheckSelector;
  /** Why; shown in every report. Required. */
  readonly reason: string;
}

/** What a selector is matched against. */
export interface CheckName {
  readonly id: string;
  readonly check: string;
  readonly operationId: string;
}

/**
 * Throws a TypeError for a skip rule without tests or without a reason.
 *
 * @example
 * assertSkipRules([{ tests: ['getVideos: terminal status is final'], reason: 'known upstream bug #12' }]);
 */
export function assertSkipRules(rules: readonly SkipRule[] | undefined): void {
  for (const [i, rule] of (rules ?? []).entries()) {
    const tests = (rule as { tests?: unknown }).tests;
    if (!(tests instanceof RegExp) && !(Array.isArray(tests) && tests.length > 0)) {
      throw new TypeError(
        `[reelkit/conformance] skip[${i}] names no checks; give tests: ['<check id>', ...] or a RegExp.`,
      );
    }
    const reason = (rule as { reason?: unknown }).reason;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new TypeError(
        `[reelkit/conformance] skip[${i}] (${String(tests)}) has no reason; every skip must say why, e.g. { tests, reason: 'upstream has no cancel endpoint' }.`,
      );
    }
  }
}

/**
 * Whether a selector names a check: a string equal to its id, family or operation id, or a
 * pattern matching its id.
 *
 * @example
 * selects(['webhook-signature'], { id: 'createVideos: webhook signature verifies', check: 'webhook-signature', operationId: 'createVideos' }); // true
 */
export function selects(selector: CheckSelector, name: CheckName): boolean {
  if (selector instanceof RegExp) {
    selector.lastIndex = 0;
    return selector.test(name.id);
  }
  return selector.some((s) => s === name.id || s === name.check || s === name.operationId);
}

/**
 * The reason a check is skipped by the rules, if one applies (the first matching rule wins).
 *
 * @example
 * skipReasonFor([{ tests: /webhook/, reason: 'no public receiver' }], check); // 'no public receiver'
 */
export function skipReasonFor(
  rules: readonly SkipRule[] | undefined,
  name: CheckName,
): string | undefined {
  return rules?.find((rule) => selects(rule.tests, name))?.reason;
}
