/**
 * The console, JSON and JUnit reporters (and the timeline model the HTML draws), against
 * hand-made reports.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult, ConformanceReport } from '../src/report.js';
import type { TimeMovement } from '../src/control.js';
import {
  createConsoleProgress,
  describeTime,
  formatConsoleSummary,
  formatHtmlReport,
  formatJsonReport,
  formatJunitReport,
  formatProgressLine,
  parseJsonReport,
  reportFailed,
  timelineModel,
  withResults,
} from '../src/reporters/index.js';
import { illegalTimeline, openrouterReport, passingReport } from './fixtures/report-openrouter.js';

const byStatus = (status: CheckResult['status']) =>
  openrouterReport.results.filter((r) => r.status === status);

interface JunitCase {
  '@_name': string;
  '@_classname': string;
  '@_time': string;
  failure?: { '#text': string; '@_message': string; '@_type': string };
  skipped?: { '@_message': string };
}
interface JunitSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testcase: JunitCase[];
}

function parseJunit(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  });
  return parser.parse(xml) as {
    testsuites: Record<string, string> & { testsuite: JunitSuite[] };
  };
}

describe('JUnit reporter', () => {
  const xml = formatJunitReport(openrouterReport);

  it('writes well-formed XML with the right counts', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const { testsuites } = parseJunit(xml);
    expect(testsuites['@_tests']).toBe('11');
    expect(testsuites['@_failures']).toBe('2');
    expect(testsuites['@_skipped']).toBe('2');
    expect(testsuites['@_errors']).toBe('0');
    expect(testsuites['@_time']).toBe('14.208');
    const suites = testsuites.testsuite;
    expect(suites.map((s) => s['@_name'])).toEqual([
      'openrouter createVideos',
      'openrouter getVideos',
      'openrouter listVideosContent',
      'openrouter listVideosModels',
      'openrouter webhooks',
    ]);
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(11);
    expect(cases.map((c) => c['@_name'])).toEqual(openrouterReport.results.map((r) => r.id));
    for (const suite of suites) {
      expect(Number(suite['@_tests'])).toBe(suite.testcase.length);
      expect(Number(suite['@_failures'])).toBe(suite.testcase.filter((c) => c.failure).length);
      expect(Number(suite['@_skipped'])).toBe(suite.testcase.filter((c) => c.skipped).length);
    }
  });

  it('puts the rule, the observation and the curl into each failure', () => {
    const cases = parseJunit(xml).testsuites.testsuite.flatMap((s) => s.testcase);
    const failures = cases.filter((c) => c.failure);
    expect(failures.map((c) => c['@_name'])).toEqual(byStatus('fail').map((r) => r.id));
    const lifecycle = failures.find((c) => c['@_name'] === 'getVideos: lifecycle legal');
    expect(lifecycle?.failure?.['@_type']).toBe('lifecycle');
    expect(lifecycle?.failure?.['@_message']).toContain("'pending' cannot follow 'in_progress'");
    const text = lifecycle?.failure?.['#text'] ?? '';
    expect(text).toContain('rule: Every observed status sequence is legal');
    expect(text).toContain('observed: At 6.0 s (poll 5)');
    expect(text).toContain("curl -sS -X GET 'http://127.0.0.1:4010/api/v1/videos/");
    expect(text).toContain('pending@0ms → pending@1500ms → in_progress@3000ms');
    const envelope = failures.find((c) => c['@_name'].includes('unknown model'));
    // The HTML page the broken server answered is text in the XML, not markup.
    expect(envelope?.failure?.['#text']).toContain('<script>alert("pwned")</script>');
  });

  it('gives each skip its reason and each case a class name and a time', () => {
    const cases = parseJunit(xml).testsuites.testsuite.flatMap((s) => s.testcase);
    const skipped = cases.filter((c) => c.skipped);
    expect(skipped.map((c) => c.skipped?.['@_message'])).toEqual(
      byStatus('skip').map((r) => r.message),
    );
    expect(cases[0]?.['@_classname']).toBe('reelkit.conformance.openrouter.createVideos');
    expect(cases.find((c) => c['@_name'] === 'getVideos: lifecycle legal')?.['@_time']).toBe(
      '10.612',
    );
  });

  it('stays well-formed whatever a server answers', () => {
    const nasty: ConformanceReport = withResults({ ...passingReport, results: [] }, [
      {
        id: 'createVideos: weird & "quoted" <id>',
        operationId: 'createVideos',
        check: 'schema',
        status: 'fail',
        rule: "a rule with ]]> and 'quotes'",
        message: 'control \u0001\u0008 chars, a lone \uD800 surrogate, emoji 🎬',
        exchanges: [
          {
            request: { method: 'GET', url: 'http://x/?a=1&b=2', headers: {}, curl: "curl 'x'" },
            response: { status: 200, headers: {}, body: '\u0000\u001f<binary>', durationMs: 1 },
          },
        ],
        durationMs: 1,
      },
    ]);
    const out = formatJunitReport(nasty);
    expect(XMLValidator.validate(out)).toBe(true);
    const cases = parseJunit(out).testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases[0]?.['@_name']).toBe('createVideos: weird & "quoted" <id>');
    expect(cases[0]?.failure?.['#text']).toContain('emoji 🎬');
  });
});

describe('JSON reporter', () => {
  it('round-trips a report', () => {
    const text = formatJsonReport(openrouterReport);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseJsonReport(text)).toEqual(openrouterReport);
  });

  it('says what is wrong with a file that is not a report', () => {
    expect(() => parseJsonReport('{"results": []}')).toThrow(/Not a reelkit conformance report/);
    expect(() => parseJsonReport('not json')).toThrow(SyntaxError);
  });
});

describe('console reporter', () => {
  it('prints one progress line per finished check', () => {
    const lines: string[] = [];
    const onProgress = createConsoleProgress({ write: (l) => lines.push(l) });
    for (const r of openrouterReport.results) onProgress(r);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('  ✓ createVideos: declared statuses only (6 ms)');
    expect(lines[4]).toBe(
      "  ✗ getVideos: lifecycle legal (10.6 s) — At 6.0 s (poll 5) the job went in_progress → pending: 'pending' cannot follow 'in_progress'.",
    );
    expect(lines[10]).toMatch(
      /^ {2}○ webhooks: signature verifies \(0 ms\) — skipped: No webhook receiver reachable/,
    );
  });

  it('colours only when asked', () => {
    const failing = byStatus('fail')[0] as CheckResult;
    // eslint-disable-next-line no-control-regex -- looking for ANSI escapes
    const ansi = /\u001b\[/;
    expect(formatProgressLine(failing)).not.toMatch(ansi);
    expect(formatProgressLine(failing, { color: true })).toMatch(ansi);
  });

  it('summarises per operation, lists failures with rule and curl, skips with reasons', () => {
    const text = formatConsoleSummary(openrouterReport).join('\n');
    expect(text).toContain(
      'reelkit conformance · OpenRouter (openrouter) · http://127.0.0.1:4010/api/v1',
    );
    expect(text).toMatch(/Operation\s+Passed\s+Failed\s+Skipped/);
    expect(text).toMatch(/createVideos\s+3\s+1\s+0/);
    expect(text).toMatch(/getVideos\s+2\s+1\s+0/);
    expect(text).toMatch(/webhooks\s+0\s+0\s+1/);
    expect(text).toMatch(/Total\s+7\s+2\s+2/);
    expect(text).toContain('Failures (2)');
    expect(text).toContain('rule:     Every observed status sequence is legal');
    expect(text).toContain("request:  curl -sS -X GET 'http://127.0.0.1:4010/api/v1/videos/");
    expect(text).toContain('response: HTTP 500 (31 ms)');
    expect(text).toContain('Skipped (2)');
    expect(text).toContain('--max-cost is $0.10');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'FAILED: 2 of 11 checks failed (7 passed, 2 skipped).',
    );
  });

  it('ends with PASSED when nothing failed', () => {
    const lines = formatConsoleSummary(passingReport);
    expect(lines.at(-1)).toBe('PASSED: 7 of 9 checks passed (2 skipped).');
    expect(lines.join('\n')).not.toContain('Failures');
    expect(reportFailed(passingReport)).toBe(false);
    expect(reportFailed(openrouterReport)).toBe(true);
  });
});

describe('which way time moved', () => {
  const base: TimeMovement = {
    clock: 'real',
    moved: 'advanced',
    advancedMs: 780_000,
    advances: 112,
    waitedMs: 0,
    timeScale: 30,
    shortfalls: [],
  };

  it.each([
    [
      base,
      "the mock's real clock (×30) was advanced 780 s in 112 step(s) on its control plane (no waiting)",
    ],
    [
      { ...base, clock: 'manual' as const, timeScale: undefined, advancedMs: 1_260_000 },
      "the mock's manual clock was advanced 1,260 s in 112 step(s) on its control plane (no waiting)",
    ],
    [
      { ...base, moved: 'both' as const, waitedMs: 3400, fallback: 'clock/advance answered 409' },
      "the mock's real clock (×30) was advanced 780 s in 112 step(s) on its control plane, and the kit waited 3.4 s of real time (clock/advance answered 409)",
    ],
    [
      { ...base, moved: 'none' as const, advances: 0, advancedMs: 0 },
      "the mock's real clock (×30) did not need to move",
    ],
  ])('%#: says it in words', (time, words) => {
    expect(describeTime(time)).toBe(words);
  });

  it('is a line of the console summary and a row of the HTML report', () => {
    const report = { ...passingReport, time: base };
    expect(formatConsoleSummary(report)).toContain(`time: ${describeTime(base)}`);
    expect(formatHtmlReport(report, { generatedAt: new Date(0) })).toContain(
      `<dt>Time</dt><dd class="time">the mock&#39;s real clock (×30) was advanced 780 s`,
    );
    // A report from before the kit said it has no line.
    expect(formatConsoleSummary(passingReport).join('\n')).not.toContain('time:');
    expect(describeTime(undefined)).toBeUndefined();
  });
});

describe('withResults', () => {
  it('appends results and recounts the summary', () => {
    const extra = byStatus('fail').map((r) => ({ ...r, id: `${r.id} (again)` }));
    const merged = withResults(passingReport, extra);
    expect(merged.results).toHaveLength(11);
    expect(merged.summary).toEqual({ passed: 7, failed: 2, skipped: 2 });
  });
});

describe('timeline model', () => {
  it('has one segment per status run, flags the illegal transition and the terminal status', () => {
    const model = timelineModel(illegalTimeline, 'openrouter');
    expect(model.lifecycle?.name).toBe('openrouter');
    expect(model.segments.map((s) => s.status)).toEqual([
      'pending',
      'in_progress',
      'pending',
      'in_progress',
      'completed',
    ]);
    expect(model.segments.map((s) => s.illegal)).toEqual([
      undefined,
      undefined,
      "'pending' cannot follow 'in_progress'",
      undefined,
      undefined,
    ]);
    expect(model.segments.map((s) => s.terminal)).toEqual([false, false, false, false, true]);
    expect(model.segments.map((s) => s.observations)).toEqual([2, 2, 1, 2, 1]);
    expect(model.segments[4]?.end).toBeGreaterThan(10_500);
  });

  it('maps router words to canonical statuses and flags words the router does not have', () => {
    const model = timelineModel(
      {
        jobId: 't1',
        observations: [
          { status: 'waiting', at: 0 },
          { status: 'processing', at: 1000 },
          { status: 'exploded', at: 2000 },
        ],
      },
      'fastrouter',
    );
    expect(model.segments.map((s) => s.canonical)).toEqual(['queued', 'in_progress', undefined]);
    expect(model.segments[2]?.illegal).toMatch(/'exploded' is not a/);
    expect(model.segments[2]?.terminal).toBe(false);
  });
});

describe('HTML reporter (markup)', () => {
  const html = formatHtmlReport(openrouterReport, { generatedAt: new Date(0) });

  it('is one document that cannot load anything', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<img|\ssrc="|\shref="(?!#)/i);
  });

  it('escapes what servers answered', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
  });
});
