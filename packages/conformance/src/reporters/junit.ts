/**
 * The JUnit XML reporter, in the shape CI tools read (GitHub test reporters, GitLab, Jenkins):
 * one `<testsuite>` per operation, one `<testcase>` per check, failures carrying the rule, what
 * was observed and the curl that reproduces it, skips carrying their reason.
 * @module
 */
import type { CheckResult, ConformanceReport, Exchange } from '../report.js';
import { countResults, escapeMarkup, groupByOperation } from './format.js';

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function attrs(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeMarkup(String(value))}"`)
    .join('');
}

function describeExchange(exchange: Exchange, index: number, total: number): string {
  const lines = [`request ${index + 1} of ${total}:`, `  ${exchange.request.curl}`];
  if (exchange.response) {
    const { status, durationMs, body, bodyTruncated } = exchange.response;
    lines.push(`response: HTTP ${status} in ${Math.round(durationMs)} ms`);
    if (body !== undefined && body.length > 0) {
      const shown = body.length > 2000 ? `${body.slice(0, 2000)}…` : body;
      lines.push(`  ${shown}${bodyTruncated ? ' (truncated)' : ''}`);
    }
  } else {
    lines.push(`no response: ${exchange.error ?? 'unknown error'}`);
  }
  return lines.join('\n');
}

/** The failure text: rule, observation, then the last few exchanges (most recent last). */
function failureText(result: CheckResult): string {
  const parts = [`rule: ${result.rule}`];
  if (result.message) parts.push(`observed: ${result.message}`);
  if (result.timeline) {
    const seq = result.timeline.observations.map((o) => `${o.status}@${o.at}ms`).join(' → ');
    parts.push(`job ${result.timeline.jobId}: ${seq}`);
  }
  const shown = result.exchanges.slice(-3);
  const offset = result.exchanges.length - shown.length;
  shown.forEach((exchange, i) =>
    parts.push(describeExchange(exchange, offset + i, result.exchanges.length)),
  );
  return parts.join('\n\n');
}

function testcase(report: ConformanceReport, result: CheckResult): string {
  const open = `    <testcase${attrs({
    classname: `reelkit.conformance.${report.provider}.${result.operationId}`,
    name: result.id,
    time: seconds(result.durationMs),
  })}`;
  switch (result.status) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
      return `${open}>\n      <skipped${attrs({ message: result.message ?? 'no reason given' })}/>\n    </testcase>`;
    case 'fail':
      return [
        `${open}>`,
        `      <failure${attrs({ message: result.message ?? result.rule, type: result.check })}>${escapeMarkup(failureText(result))}</failure>`,
        '    </testcase>',
      ].join('\n');
  }
}

/**
 * The report as JUnit XML.
 *
 * @example
 * writeFileSync('conformance.junit.xml', formatJunitReport(report));
 */
export function formatJunitReport(report: ConformanceReport): string {
  const timestamp = report.startedAt.replace(/(\.\d+)?Z$/, '');
  const suites: string[] = [];
  for (const [operationId, results] of groupByOperation(report.results)) {
    const c = countResults(results);
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    suites.push(
      [
        `  <testsuite${attrs({
          name: `${report.provider} ${operationId}`,
          tests: results.length,
          failures: c.failed,
          errors: 0,
          skipped: c.skipped,
          time: seconds(time),
          timestamp,
        })}>`,
        '    <properties>',
        `      <property${attrs({ name: 'provider', value: report.provider })}/>`,
        `      <property${attrs({ name: 'baseUrl', value: report.target.baseUrl })}/>`,
        `      <property${attrs({ name: 'controllable', value: String(report.target.controllable) })}/>`,
        `      <property${attrs({ name: 'live', value: String(report.target.live) })}/>`,
        '    </properties>',
        ...results.map((r) => testcase(report, r)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const c = countResults(report.results);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `reelkit conformance: ${report.provider}`,
      tests: report.results.length,
      failures: c.failed,
      errors: 0,
      skipped: c.skipped,
      time: seconds(report.durationMs),
      timestamp,
    })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
