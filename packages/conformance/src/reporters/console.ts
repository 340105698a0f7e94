/**
 * The console reporter: one line per check as it finishes, then a summary table per operation,
 * the failures with the rule, what was seen and the curl to reproduce it, and the skips with why.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import { providers } from '@reelkit/spec';
import type { CheckResult, CheckStatus, ConformanceReport, Exchange } from '../report.js';
import {
  countResults,
  describeTarget,
  describeTime,
  formatDuration,
  groupByOperation,
  reportFailed,
} from './format.js';

/** How console output looks. */
export interface ConsoleFormatOptions {
  /** ANSI colours (default false; the command turns them on for a terminal without NO_COLOR). */
  readonly color?: boolean;
}

/** Where the progress reporter writes, one line per call. */
export interface ConsoleProgressOptions extends ConsoleFormatOptions {
  readonly write: (line: string) => void;
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

function paint(color: boolean | undefined, style: keyof typeof ANSI, text: string): string {
  return color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
}

function mark(status: CheckStatus, color: boolean | undefined): string {
  switch (status) {
    case 'pass':
      return paint(color, 'green', '✓');
    case 'fail':
      return paint(color, 'red', '✗');
    case 'skip':
      return paint(color, 'yellow', '○');
  }
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * One progress line for a finished check.
 *
 * @example
 * formatProgressLine(result);
 * // '  ✗ getVideos: lifecycle (1.2 s) — in_progress → pending: 'pending' cannot follow …'
 */
export function formatProgressLine(
  result: CheckResult,
  options: ConsoleFormatOptions = {},
): string {
  const { color } = options;
  const head = `  ${mark(result.status, color)} ${result.id} ${paint(color, 'dim', `(${formatDuration(result.durationMs)})`)}`;
  switch (result.status) {
    case 'pass':
      return head;
    case 'fail':
      return `${head} — ${paint(color, 'red', oneLine(result.message ?? result.rule))}`;
    case 'skip':
      return `${head} — skipped: ${oneLine(result.message ?? 'no reason given')}`;
  }
}

/**
 * What a progress callback may receive: a finished check, or a runner event (`start` events
 * print nothing, `end` events print their result).
 */
export type ProgressInput =
  CheckResult | { readonly type: 'start' } | { readonly type: 'end'; readonly result: CheckResult };

/**
 * A progress callback for `runConformance({ onProgress })` that prints each check as it finishes.
 *
 * @example
 * const onProgress = createConsoleProgress({ write: (line) => process.stderr.write(`${line}\n`) });
 * await runConformance({ provider: 'openrouter', target, onProgress });
 */
export function createConsoleProgress(
  options: ConsoleProgressOptions,
): (event: ProgressInput) => void {
  return (event) => {
    if (!('type' in event)) options.write(formatProgressLine(event, options));
    else if (event.type === 'end') options.write(formatProgressLine(event.result, options));
  };
}

/**
 * The exchange that best shows a failure: the last one that got a response, else the last one.
 *
 * @example
 * culpritExchange(result)?.request.curl;
 */
export function culpritExchange(result: CheckResult): Exchange | undefined {
  const withResponse = result.exchanges.filter((e) => e.response !== undefined);
  return withResponse.at(-1) ?? result.exchanges.at(-1);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The end-of-run summary as lines: header, a table per operation, failures, skips and a verdict.
 *
 * @example
 * for (const line of formatConsoleSummary(report)) console.log(line);
 */
export function formatConsoleSummary(
  report: ConformanceReport,
  options: ConsoleFormatOptions = {},
): string[] {
  const { color } = options;
  const title = providers[report.provider as ProviderId]?.title ?? report.provider;
  const total = report.results.length;
  const lines: string[] = [
    paint(
      color,
      'bold',
      `reelkit conformance · ${title} (${report.provider}) · ${report.target.baseUrl}`,
    ),
    `${describeTarget(report.target)} · ${total} checks in ${formatDuration(report.durationMs)}` +
      (report.costUsd !== undefined ? ` · spent $${report.costUsd.toFixed(4)}` : ''),
  ];
  const time = describeTime(report.time);
  if (time) lines.push(`time: ${time}`);
  lines.push('');

  const rows: string[][] = [['Operation', 'Passed', 'Failed', 'Skipped']];
  for (const [operationId, results] of groupByOperation(report.results)) {
    const c = countResults(results);
    rows.push([operationId, String(c.passed), String(c.failed), String(c.skipped)]);
  }
  const { passed, failed, skipped } = report.summary;
  rows.push(['Total', String(passed), String(failed), String(skipped)]);
  const tableLines = table(rows);
  lines.push(...tableLines.map((l, i) => `  ${i === 0 ? paint(color, 'dim', l) : l}`), '');

  const failures = report.results.filter((r) => r.status === 'fail');
  if (failures.length > 0) {
    lines.push(paint(color, 'red', `Failures (${failures.length})`));
    failures.forEach((result, i) => {
      const exchange = culpritExchange(result);
      lines.push(`  ${i + 1}) ${result.id} [${result.check}]`);
      lines.push(`     rule:     ${result.rule}`);
      if (result.message) lines.push(`     observed: ${result.message}`);
      if (exchange) {
        const [first = '', ...rest] = exchange.request.curl.split('\n');
        lines.push(`     request:  ${first}`, ...rest.map((l) => `               ${l.trim()}`));
        lines.push(
          exchange.response
            ? `     response: HTTP ${exchange.response.status} (${formatDuration(exchange.response.durationMs)})`
            : `     response: none (${exchange.error ?? 'no response'})`,
        );
      }
    });
    lines.push('');
  }

  const skips = report.results.filter((r) => r.status === 'skip');
  if (skips.length > 0) {
    lines.push(paint(color, 'yellow', `Skipped (${skips.length})`));
    for (const result of skips) {
      lines.push(`  ${result.id} — ${oneLine(result.message ?? 'no reason given', Infinity)}`);
    }
    lines.push('');
  }

  lines.push(
    reportFailed(report)
      ? paint(
          color,
          'red',
          `FAILED: ${failed} of ${total} checks failed (${passed} passed, ${skipped} skipped).`,
        )
      : paint(color, 'green', `PASSED: ${passed} of ${total} checks passed (${skipped} skipped).`),
  );
  return lines;
}
