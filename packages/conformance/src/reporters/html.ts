/**
 * The HTML reporter: one standalone file (inline CSS and SVG, no scripts, no external assets, a
 * Content-Security-Policy that forbids loading anything) that a person would rather read than the
 * logs. Header with the verdict and counts; failures first with the rule broken, what was
 * observed, the request as curl and the response; every check grouped by operation; every job's
 * status timeline drawn as a picture.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import { fullPath, providers } from '@reelkit/spec';
import type { CheckResult, ConformanceReport, Exchange, JobTimeline } from '../report.js';
import { culpritExchange } from './console.js';
import {
  countResults,
  describeTarget,
  describeTime,
  escapeMarkup as h,
  formatDuration,
  groupByOperation,
  reportFailed,
} from './format.js';
import { describeTimeline, renderTimelineSvg, STATUS_COLORS, timelineModel } from './timeline.js';

/** Options of {@link formatHtmlReport}. */
export interface HtmlReportOptions {
  /** Shown in the footer; default: now. */
  readonly generatedAt?: Date;
  /** Bodies longer than this are cut in the page (default 20 000 characters). */
  readonly maxBodyChars?: number;
}

const CSS = `
:root{--bg:#f8fafc;--fg:#0f172a;--muted:#475569;--card:#fff;--line:#e2e8f0;--code:#f1f5f9;
--pass:#15803d;--fail:#b91c1c;--skip:#a16207;--pass-bg:#dcfce7;--fail-bg:#fee2e2;--skip-bg:#fef9c3}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--card:#111827;
--line:#1f2937;--code:#0f172a;--pass:#4ade80;--fail:#f87171;--skip:#facc15;--pass-bg:#052e16;
--fail-bg:#450a0a;--skip-bg:#422006}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0}h3{font-size:15px;margin:16px 0 8px}
a{color:inherit}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin:4px 0 10px;
white-space:pre-wrap;word-break:break-all;max-height:420px;overflow:auto}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:16px 0}
.report-header .meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:10px 0 0;color:var(--muted)}
.report-header .meta dt{font-weight:600}.report-header .meta dd{margin:0;word-break:break-all}
.verdict{display:inline-block;font-weight:700;letter-spacing:.04em;border-radius:6px;padding:2px 10px;margin-right:10px}
.verdict.fail{background:var(--fail);color:#fff}.verdict.pass{background:var(--pass);color:#fff}
.counts{font-size:16px;margin:12px 0 8px}.count{margin-right:18px;white-space:nowrap}.count b{font-size:22px}
.count.failed b{color:var(--fail)}.count.passed b{color:var(--pass)}.count.skipped b{color:var(--skip)}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--line)}
.bar span{display:block}.bar .passed{background:var(--pass)}.bar .failed{background:var(--fail)}.bar .skipped{background:var(--skip)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;width:70px}
td.n.failed:not(.zero){color:var(--fail);font-weight:700}
.badge{display:inline-block;min-width:44px;text-align:center;font-size:11px;font-weight:700;border-radius:4px;padding:1px 6px;margin-right:8px}
.badge.pass{background:var(--pass-bg);color:var(--pass)}.badge.fail{background:var(--fail-bg);color:var(--fail)}.badge.skip{background:var(--skip-bg);color:var(--skip)}
.operation h2 code{font-weight:400;color:var(--muted);margin-left:8px}
.operation .op-counts{color:var(--muted);margin:2px 0 8px}
ul.checks{list-style:none;padding:0;margin:0}
.check{border-top:1px solid var(--line)}.check:first-child{border-top:0}
.check>details>summary{cursor:pointer;padding:7px 0;display:flex;align-items:baseline;gap:4px;list-style-position:outside}
.check.fail>details>summary{font-weight:600}
.check .reason{color:var(--muted);margin-left:6px}.check .dur{margin-left:auto;color:var(--muted);font-size:12px;white-space:nowrap}
.check .body{padding:2px 0 12px 24px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:6px 0 10px}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0}
.check.fail .message{color:var(--fail);font-weight:600}
.label{font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;margin-top:8px}
.exchange{border-left:3px solid var(--line);padding-left:12px;margin:10px 0}
.status-line{margin:4px 0}.http-status{font-weight:700}.http-status.ok{color:var(--pass)}.http-status.bad{color:var(--fail)}
table.headers{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;margin:4px 0 8px}
table.headers td:first-child{white-space:nowrap;color:var(--muted);width:1%}
.no-response{color:var(--fail);font-weight:600}
figure.job-timeline{margin:12px 0 18px}figure.job-timeline figcaption{margin-bottom:4px}
.timeline{display:block;max-width:100%;color:var(--fg)}
.sequence{color:var(--muted);font-size:12.5px;margin:2px 0 0}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted);margin:8px 0 0;padding:0;list-style:none}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.failure-index li{margin:4px 0}.failure-index .rule{color:var(--muted)}
.filter{float:right;font-size:13px;color:var(--muted);cursor:pointer}
body:has(#only-failures:checked) .check:not(.fail),body:has(#only-failures:checked) .operation:not(.has-failures){display:none}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:28px}
`;

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function routeLabel(provider: ProviderId | (string & {}), operationId: string): string | undefined {
  const spec = providers[provider as ProviderId] as (typeof providers)[ProviderId] | undefined;
  const route = spec && Object.values(spec.routes).find((r) => r.operationId === operationId);
  return spec && route ? `${route.method} ${fullPath(spec, route)}` : undefined;
}

function badge(result: CheckResult): string {
  const text = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' }[result.status];
  return `<span class="badge ${result.status}">${text}</span>`;
}

function prettyBody(body: string, max: number): string {
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON: show it as it came.
  }
  return text.length > max
    ? `${text.slice(0, max)}\n… (${text.length - max} more characters not shown)`
    : text;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function renderExchange(exchange: Exchange, title: string, maxBody: number): string {
  const { request, response } = exchange;
  const parts = [
    `<div class="exchange">`,
    `<div class="exchange-title">${h(title)} · <code>${h(request.method)} ${h(pathOf(request.url))}</code></div>`,
    `<div class="label">Request as curl</div>`,
    `<pre class="curl"><code>${h(request.curl)}</code></pre>`,
    `<div class="label">Response</div>`,
  ];
  if (response) {
    const ok = response.status < 400;
    const headers = Object.entries(response.headers);
    parts.push(
      `<p class="status-line"><span class="http-status ${ok ? 'ok' : 'bad'}">HTTP ${response.status}</span> · ${h(formatDuration(response.durationMs))}</p>`,
    );
    if (headers.length > 0) {
      parts.push(
        `<table class="headers"><tbody>${headers
          .map(([name, value]) => `<tr><td>${h(name)}</td><td>${h(value)}</td></tr>`)
          .join('')}</tbody></table>`,
      );
    }
    if (response.body !== undefined && response.body.length > 0) {
      parts.push(
        `<pre class="body">${h(prettyBody(response.body, maxBody))}${response.bodyTruncated ? h('\n… (truncated by the runner)') : ''}</pre>`,
      );
    } else {
      parts.push(`<p class="sequence">(empty body)</p>`);
    }
  } else {
    parts.push(`<p class="no-response">No response: ${h(exchange.error ?? 'unknown error')}</p>`);
  }
  parts.push('</div>');
  return parts.join('');
}

function renderExchanges(result: CheckResult, maxBody: number): string {
  const all = result.exchanges;
  if (all.length === 0) return '<p class="sequence">No request was made for this check.</p>';
  const total = all.length;
  const culprit = result.status === 'fail' ? culpritExchange(result) : undefined;
  if (!culprit || total === 1) {
    return all.map((e, i) => renderExchange(e, `Request ${i + 1} of ${total}`, maxBody)).join('');
  }
  const index = all.indexOf(culprit);
  const others = all
    .map((e, i) => (i === index ? '' : renderExchange(e, `Request ${i + 1} of ${total}`, maxBody)))
    .join('');
  return (
    renderExchange(culprit, `Request ${index + 1} of ${total} (the last answered)`, maxBody) +
    `<details class="other-requests"><summary>The other ${total - 1} request${total - 1 === 1 ? '' : 's'} of this check</summary>${others}</details>`
  );
}

function renderTimelineFigure(
  timeline: JobTimeline,
  provider: ProviderId | (string & {}),
  caption: string,
): string {
  const model = timelineModel(timeline, provider);
  const seen = new Map<string, string>();
  for (const s of model.segments) seen.set(s.status, s.canonical ?? 'unknown');
  const legend = [...seen]
    .map(
      ([status, canonical]) =>
        `<li><span class="swatch" style="background:${STATUS_COLORS[canonical as keyof typeof STATUS_COLORS] ?? STATUS_COLORS.unknown}"></span>${h(status)}${canonical !== status ? ` <span>(${h(canonical)})</span>` : ''}</li>`,
    )
    .join('');
  const illegal = model.segments.filter((s) => s.illegal);
  return [
    `<figure class="job-timeline" data-job-id="${h(timeline.jobId)}">`,
    `<figcaption>${caption}</figcaption>`,
    renderTimelineSvg(timeline, provider),
    `<ul class="legend">${legend}${illegal.length > 0 ? '<li><span class="swatch" style="background:#b91c1c"></span>illegal transition</li>' : ''}</ul>`,
    `<p class="sequence">${h(describeTimeline(timeline, provider))}</p>`,
    '</figure>',
  ].join('');
}

function jobCaption(timeline: JobTimeline, extra = ''): string {
  return `Job <code>${h(timeline.jobId)}</code>${timeline.model ? ` · ${h(timeline.model)}` : ''}${extra}`;
}

function renderCheck(
  result: CheckResult,
  anchor: string,
  provider: ProviderId | (string & {}),
  maxBody: number,
): string {
  const facts = [`<dt>Rule</dt><dd class="rule">${h(result.rule)}</dd>`];
  if (result.message) {
    const label = result.status === 'skip' ? 'Skipped because' : 'Observed';
    facts.push(`<dt>${label}</dt><dd class="message">${h(result.message)}</dd>`);
  }
  facts.push(`<dt>Check</dt><dd><code>${h(result.check)}</code></dd>`);
  return [
    `<li class="check ${result.status}" id="${anchor}" data-check-id="${h(result.id)}">`,
    `<details${result.status === 'fail' ? ' open' : ''}>`,
    `<summary>${badge(result)}<span class="check-id">${h(result.id)}</span>${result.status === 'skip' ? `<span class="reason">— ${h(result.message ?? 'no reason given')}</span>` : ''}<span class="dur">${h(formatDuration(result.durationMs))}</span></summary>`,
    `<div class="body"><dl class="facts">${facts.join('')}</dl>`,
    result.timeline
      ? renderTimelineFigure(result.timeline, provider, jobCaption(result.timeline))
      : '',
    result.status === 'skip' && result.exchanges.length === 0
      ? ''
      : renderExchanges(result, maxBody),
    '</div></details></li>',
  ].join('');
}

/**
 * The report as one standalone HTML document.
 *
 * @example
 * writeFileSync('report.html', formatHtmlReport(report));
 */
export function formatHtmlReport(
  report: ConformanceReport,
  options: HtmlReportOptions = {},
): string {
  const maxBody = options.maxBodyChars ?? 20_000;
  const generatedAt = options.generatedAt ?? new Date();
  const provider = report.provider;
  const title = providers[provider as ProviderId]?.title ?? provider;
  const failed = reportFailed(report);
  const { passed, failed: nFailed, skipped } = report.summary;
  const total = report.results.length;
  const anchors = new Map<CheckResult, string>(report.results.map((r, i) => [r, `check-${i + 1}`]));
  const anchorOf = (r: CheckResult) => anchors.get(r) ?? '';
  const pct = (n: number) => (total === 0 ? 0 : +((n / total) * 100).toFixed(2));
  const groups = groupByOperation(report.results);

  const header = [
    '<header class="report-header card">',
    `<h1>Conformance report: ${h(title)}</h1>`,
    `<div><span class="verdict ${failed ? 'fail' : 'pass'}">${failed ? 'FAILED' : 'PASSED'}</span>`,
    failed
      ? `${nFailed} of ${total} checks broke the ${h(title)} contract.`
      : `The target kept every promise that was checked.`,
    '</div>',
    `<p class="counts"><span class="count failed"><b>${nFailed}</b> failed</span> <span class="count passed"><b>${passed}</b> passed</span> <span class="count skipped"><b>${skipped}</b> skipped</span></p>`,
    `<div class="bar" role="img" aria-label="${nFailed} failed, ${passed} passed, ${skipped} skipped">`,
    `<span class="failed" style="width:${pct(nFailed)}%"></span><span class="passed" style="width:${pct(passed)}%"></span><span class="skipped" style="width:${pct(skipped)}%"></span></div>`,
    '<dl class="meta">',
    `<dt>Provider</dt><dd>${h(title)} (<code>${h(provider)}</code>)</dd>`,
    `<dt>Target</dt><dd><code class="target-url">${h(report.target.baseUrl)}</code> · ${h(describeTarget(report.target))}</dd>`,
    `<dt>Started</dt><dd>${h(report.startedAt)} · took ${h(formatDuration(report.durationMs))}</dd>`,
    report.time ? `<dt>Time</dt><dd class="time">${h(describeTime(report.time) ?? '')}</dd>` : '',
    report.costUsd !== undefined
      ? `<dt>Spent</dt><dd>$${h(report.costUsd.toFixed(4))} on the live API</dd>`
      : '',
    `<dt>Tool</dt><dd>${h(report.tool.name)} ${h(report.tool.version)}</dd>`,
    '</dl></header>',
  ].join('');

  const failures = report.results.filter((r) => r.status === 'fail');
  const failureIndex =
    failures.length === 0
      ? ''
      : [
          '<section class="failure-index card"><h2>What failed</h2><ol>',
          ...failures.map(
            (r) =>
              `<li><a href="#${anchorOf(r)}">${h(r.id)}</a>${r.message ? ` — ${h(r.message)}` : ''}<br><span class="rule">Rule: ${h(r.rule)}</span></li>`,
          ),
          '</ol></section>',
        ].join('');

  const overview = [
    '<section class="overview card"><label class="filter"><input type="checkbox" id="only-failures"> Show failures only</label>',
    '<h2>Checks by operation</h2><table><thead><tr><th>Operation</th><th>Endpoint</th><th class="n">Failed</th><th class="n">Passed</th><th class="n">Skipped</th></tr></thead><tbody>',
    ...[...groups].map(([operationId, results]) => {
      const c = countResults(results);
      return `<tr><td><a href="#op-${h(operationId)}">${h(operationId)}</a></td><td><code>${h(routeLabel(provider, operationId) ?? '')}</code></td><td class="n failed${c.failed === 0 ? ' zero' : ''}">${c.failed}</td><td class="n">${c.passed}</td><td class="n">${c.skipped}</td></tr>`;
    }),
    '</tbody></table></section>',
  ].join('');

  const operations = [...groups].map(([operationId, results]) => {
    const c = countResults(results);
    const route = routeLabel(provider, operationId);
    return [
      `<section class="operation card${c.failed > 0 ? ' has-failures' : ''}" id="op-${h(operationId)}" data-operation-id="${h(operationId)}">`,
      `<h2>${h(operationId)}${route ? `<code>${h(route)}</code>` : ''}</h2>`,
      `<p class="op-counts">${c.failed} failed · ${c.passed} passed · ${c.skipped} skipped</p>`,
      '<ul class="checks">',
      ...results.map((r) => renderCheck(r, anchorOf(r), provider, maxBody)),
      '</ul></section>',
    ].join('');
  });

  // Every job once, with the longest observation list any check recorded for it.
  const jobs = new Map<string, { timeline: JobTimeline; results: CheckResult[] }>();
  for (const r of report.results) {
    if (!r.timeline) continue;
    const known = jobs.get(r.timeline.jobId);
    if (!known) jobs.set(r.timeline.jobId, { timeline: r.timeline, results: [r] });
    else {
      known.results.push(r);
      if (r.timeline.observations.length > known.timeline.observations.length)
        known.timeline = r.timeline;
    }
  }
  const jobsSection =
    jobs.size === 0
      ? ''
      : [
          `<section class="jobs card"><h2>Job timelines (${jobs.size})</h2>`,
          '<p class="sequence">Each band is a status as polled over time since submission; dots are polls, a flag marks the terminal status, a red mark an illegal transition.</p>',
          ...[...jobs.values()].map(({ timeline, results }) =>
            renderTimelineFigure(
              timeline,
              provider,
              jobCaption(
                timeline,
                ` · seen by ${results.map((r) => `<a href="#${anchorOf(r)}">${h(r.id)}</a>`).join(', ')}`,
              ),
            ),
          ),
          '</section>',
        ].join('');

  const pageTitle = `reelkit conformance · ${title} · ${failed ? `FAILED (${nFailed})` : 'PASSED'}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${h(pageTitle)}</title>`,
    `<style>${CSS}</style></head><body><main>`,
    header,
    failureIndex,
    overview,
    ...operations,
    jobsSection,
    `<footer>Generated by ${h(report.tool.name)} ${h(report.tool.version)} at ${h(generatedAt.toISOString())}. Re-run the failing requests with the curl commands above.</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
