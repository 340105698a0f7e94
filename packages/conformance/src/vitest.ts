/**
 * The kit as a vitest suite: one `it` per check, skipped checks as `it.skip` with the reason in
 * the title. Kept out of the package entry so the CLI does not load vitest.
 * @module
 */
import { describe, it } from 'vitest';
import type { CheckResult } from './report.js';
import type { RunConformanceOptions } from './run-conformance.js';
import { runConformance } from './run-conformance.js';
import type { Target } from './target.js';

/** Options of {@link describeConformance}: those of `runConformance`, with a lazy target. */
export interface DescribeConformanceOptions extends Omit<RunConformanceOptions, 'target'> {
  /** The target, or a function that makes it (called while vitest collects the suite). */
  readonly target: Target | (() => Promise<Target>);
  /** The describe block's title. Default `<provider> conformance`. */
  readonly title?: string;
}

/** A failed check as an error whose message has everything needed to act on it. */
export class ConformanceCheckError extends Error {
  override readonly name = 'ConformanceCheckError';
  constructor(readonly result: CheckResult) {
    const exchange = result.exchanges.at(-1);
    const lines = [
      result.message ?? 'failed',
      `rule: ${result.rule}`,
      ...(exchange ? [`request: ${exchange.request.curl}`] : []),
      ...(exchange?.response
        ? [`response: ${exchange.response.status} ${(exchange.response.body ?? '').slice(0, 500)}`]
        : []),
    ];
    super(lines.join('\n'));
  }
}

/**
 * Declares a describe block with one test per check. The checks run while vitest collects the
 * file (the suite's tests then report their results), so a whole router takes one collection.
 *
 * @example
 * import { describeConformance } from '@reelkit/conformance/vitest';
 * describeConformance({
 *   provider: 'openrouter',
 *   target: () => engineTarget(createMockEngine({ provider: mockProviders.openrouter, clock: createManualClock() })),
 *   skip: [{ tests: /webhook/, reason: 'no receiver in this job' }],
 * });
 */
export function describeConformance(options: DescribeConformanceOptions): void {
  describe(options.title ?? `${options.provider} conformance`, async () => {
    const target = typeof options.target === 'function' ? await options.target() : options.target;
    const report = await runConformance({ ...options, target });
    for (const result of report.results) {
      if (result.status === 'skip') {
        it.skip(`${result.id} (skipped: ${result.message ?? 'no reason'})`, () => undefined);
        continue;
      }
      it(result.id, () => {
        if (result.status === 'fail') throw new ConformanceCheckError(result);
      });
    }
  });
}
