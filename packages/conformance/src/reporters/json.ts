/**
 * The JSON reporter: the report as it is, so it can be kept, diffed and re-rendered later.
 * @module
 */
import type { ConformanceReport } from '../report.js';

/**
 * The report as pretty-printed JSON, ending with a newline.
 *
 * @example
 * writeFileSync('report.json', formatJsonReport(report));
 */
export function formatJsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Reads a report written by {@link formatJsonReport} (for example to render HTML from a CI
 * artifact). Checks the envelope, not every field.
 *
 * @example
 * const report = parseJsonReport(readFileSync('report.json', 'utf8'));
 * writeFileSync('report.html', formatHtmlReport(report));
 */
export function parseJsonReport(text: string): ConformanceReport {
  const value: unknown = JSON.parse(text);
  if (!isReport(value)) {
    throw new TypeError(
      'Not a reelkit conformance report: expected an object with tool.name "reelkit-conformance", ' +
        'provider, target, results and summary. Was it written with --json?',
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isReport(value: unknown): value is ConformanceReport {
  return (
    isRecord(value) &&
    isRecord(value.tool) &&
    value.tool.name === 'reelkit-conformance' &&
    typeof value.provider === 'string' &&
    isRecord(value.target) &&
    Array.isArray(value.results) &&
    isRecord(value.summary)
  );
}
