/**
 * The runner as the command line uses it: `runConformance` and `httpTarget` behind one small
 * interface, so the command can be tested with a fake runner.
 * @module
 */
import type { RunConformanceOptions } from './run-conformance.js';
import { runConformance } from './run-conformance.js';
import type { HttpTargetOptions, Target } from './target.js';
import { httpTarget } from './target.js';
import type { ConformanceReport } from './report.js';

/** Options the command passes to `runConformance`. */
export type RunnerContractOptions = RunConformanceOptions;

/** The two functions the command needs from the kit. */
export interface ConformanceRunner {
  readonly runConformance: (options: RunnerContractOptions) => Promise<ConformanceReport>;
  readonly httpTarget: (options: HttpTargetOptions) => Promise<Target>;
}

/**
 * The kit's runner.
 *
 * @example
 * const { runConformance, httpTarget } = await loadConformanceRunner();
 * const target = await httpTarget({ provider: 'openrouter', baseUrl, apiKey: 'test' });
 * const report = await runConformance({ provider: 'openrouter', target });
 */
export async function loadConformanceRunner(): Promise<ConformanceRunner> {
  return { runConformance, httpTarget };
}
