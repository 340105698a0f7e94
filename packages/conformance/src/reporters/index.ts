/**
 * Reporters of a conformance run: console, JSON, JUnit XML and standalone HTML, plus
 * {@link writeReports} to write the files a command line asked for.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ConformanceReport } from '../report.js';
import type { HtmlReportOptions } from './html.js';
import { formatHtmlReport } from './html.js';
import { formatJsonReport } from './json.js';
import { formatJunitReport } from './junit.js';

export type { ConsoleFormatOptions, ConsoleProgressOptions, ProgressInput } from './console.js';
export { createConsoleProgress, formatConsoleSummary, formatProgressLine } from './console.js';
export { describeTime, reportFailed, withResults } from './format.js';
export type { HtmlReportOptions } from './html.js';
export { formatHtmlReport } from './html.js';
export { formatJsonReport, parseJsonReport } from './json.js';
export { formatJunitReport } from './junit.js';
export type { TimelineModel, TimelineSegment } from './timeline.js';
export { describeTimeline, renderTimelineSvg, timelineModel } from './timeline.js';

/** Which report files to write; each path is created with its directories. */
export interface WriteReportsOptions {
  readonly json?: string;
  readonly junit?: string;
  readonly html?: string;
  readonly htmlOptions?: HtmlReportOptions;
}

/** A report file that was written. */
export interface WrittenReport {
  readonly kind: 'json' | 'junit' | 'html';
  /** Absolute path. */
  readonly path: string;
}

/**
 * Writes the JSON, JUnit and HTML reports that were asked for.
 *
 * @example
 * const written = await writeReports(report, { junit: 'reports/junit.xml', html: 'report.html' });
 * for (const file of written) console.log(`wrote ${file.kind} report: ${file.path}`);
 */
export async function writeReports(
  report: ConformanceReport,
  options: WriteReportsOptions,
): Promise<WrittenReport[]> {
  const jobs: [WrittenReport['kind'], string | undefined, () => string][] = [
    ['json', options.json, () => formatJsonReport(report)],
    ['junit', options.junit, () => formatJunitReport(report)],
    ['html', options.html, () => formatHtmlReport(report, options.htmlOptions)],
  ];
  const written: WrittenReport[] = [];
  for (const [kind, file, render] of jobs) {
    if (!file) continue;
    const path = resolve(file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, render());
    written.push({ kind, path });
  }
  return written;
}
