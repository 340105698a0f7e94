/**
 * Small helpers the reporters share: escaping, durations, grouping and counting results.
 * @module
 */
import type { CheckResult, CheckStatus, ConformanceReport } from '../report.js';

// Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF) and lone surrogates.
const INVALID_XML_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for XML or HTML, in element content and in quoted attributes alike. Characters
 * that XML cannot carry at all (most control characters, lone surrogates) become U+FFFD, so a
 * binary response body can never make a report unreadable.
 *
 * @example
 * escapeMarkup('<a href="x">Tom & Jerry</a>'); // '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;'
 */
export function escapeMarkup(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A duration in words a person reads at a glance: `12 ms`, `3.4 s`, `2 min 05 s`.
 *
 * @example
 * formatDuration(3400); // '3.4 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** Passed, failed and skipped counts. */
export interface StatusCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts results by outcome.
 *
 * @example
 * countResults(report.results); // { passed: 14, failed: 2, skipped: 3 }
 */
export function countResults(results: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) counts[countKey(result.status)] += 1;
  return counts;
}

function countKey(status: CheckStatus): keyof StatusCounts {
  switch (status) {
    case 'pass':
      return 'passed';
    case 'fail':
      return 'failed';
    case 'skip':
      return 'skipped';
  }
}

/**
 * Results grouped by operation, operations in the order they first appear.
 *
 * @example
 * for (const [operationId, results] of groupByOperation(report.results)) console.log(operationId);
 */
export function groupByOperation(
  results: readonly CheckResult[],
): Map<string, readonly CheckResult[]> {
  const groups = new Map<string, CheckResult[]>();
  for (const result of results) {
    const group = groups.get(result.operationId);
    if (group) group.push(result);
    else groups.set(result.operationId, [result]);
  }
  return groups;
}

/**
 * Whether a run broke the contract: any failed check. Reporters and the command agree on this.
 *
 * @example
 * process.exitCode = reportFailed(report) ? 1 : 0;
 */
export function reportFailed(report: ConformanceReport): boolean {
  return report.summary.failed > 0 || report.results.some((r) => r.status === 'fail');
}

/**
 * How the target was reached, in words.
 *
 * @example
 * describeTarget(report.target); // 'reelkit mock (control plane /__reelkit/)'
 */
export function describeTarget(target: ConformanceReport['target']): string {
  if (target.controllable) return 'reelkit mock (control plane /__reelkit/)';
  if (target.live) return 'live API';
  return 'server without the reelkit control plane';
}

/**
 * Which way target time moved in a run, in words: advanced on a mock's control plane, waited
 * for, or both; `undefined` when the report does not say (an older report).
 *
 * @example
 * describeTime(report.time);
 * // "the mock's manual clock was advanced 1,260 s in 84 steps on its control plane (no waiting)"
 */
export function describeTime(time: ConformanceReport['time']): string | undefined {
  if (!time) return undefined;
  const whose =
    time.clock === 'wall'
      ? 'the wall clock (live target)'
      : `the mock's ${time.clock} clock${time.timeScale ? ` (×${time.timeScale})` : ''}`;
  const advanced = `advanced ${Math.round(time.advancedMs / 1000).toLocaleString('en-US')} s in ${time.advances} step(s) on its control plane`;
  const waited = `waited ${formatDuration(time.waitedMs)} of real time`;
  const why = time.fallback ? ` (${time.fallback})` : '';
  switch (time.moved) {
    case 'advanced':
      return `${whose} was ${advanced} (no waiting)`;
    case 'both':
      return `${whose} was ${advanced}, and the kit ${waited}${why}`;
    case 'waited':
      return `the kit ${waited} for ${whose}${why}`;
    case 'none':
      return `${whose} did not need to move`;
  }
}

/**
 * The report with more results appended (for example `--via-prism` findings) and the summary
 * recounted.
 *
 * @example
 * const full = withResults(report, prism.results());
 */
export function withResults(
  report: ConformanceReport,
  extra: readonly CheckResult[],
): ConformanceReport {
  const results = [...report.results, ...extra];
  return { ...report, results, summary: countResults(results) };
}
