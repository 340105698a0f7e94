/**
 * A job's observed statuses drawn as an inline SVG: a time axis, a coloured band per status
 * segment, a dot per poll, a red mark where a transition breaks the router's lifecycle and a
 * marker where the job reached its terminal status.
 * @module
 */
import type { CanonicalStatus, LifecycleDef, ProviderId } from '@reelkit/spec';
import { CANONICAL_STATUSES, checkObservedSequence, providers } from '@reelkit/spec';
import type { JobTimeline } from '../report.js';
import { escapeMarkup, formatDuration } from './format.js';

/** A run of identical consecutive observations. */
export interface TimelineSegment {
  readonly status: string;
  readonly canonical?: CanonicalStatus;
  /** ms since submission. */
  readonly start: number;
  /** ms since submission; for the last segment, the end of the drawn axis. */
  readonly end: number;
  readonly observations: number;
  /** Set on the last segment when it is a terminal status. */
  readonly terminal: boolean;
  /** Why the transition into this segment is illegal, when it is. */
  readonly illegal?: string;
}

/** The drawable facts of a timeline. */
export interface TimelineModel {
  readonly segments: readonly TimelineSegment[];
  /** Drawn axis length in ms (a little past the last observation). */
  readonly axisEnd: number;
  readonly lifecycle?: LifecycleDef;
}

/** Fill colours by canonical status; white text reads on each. */
export const STATUS_COLORS: Readonly<Record<CanonicalStatus | 'unknown', string>> = {
  queued: '#64748b',
  in_progress: '#2563eb',
  completed: '#15803d',
  failed: '#dc2626',
  cancelled: '#b45309',
  expired: '#7e22ce',
  unknown: '#475569',
};

function isCanonical(status: string): status is CanonicalStatus {
  return (CANONICAL_STATUSES as readonly string[]).includes(status);
}

/**
 * The lifecycle of `provider` whose status words cover every observed status.
 *
 * @example
 * lifecycleFor('openrouter', ['pending', 'completed'])?.name; // 'openrouter'
 */
export function lifecycleFor(
  provider: ProviderId | (string & {}),
  statuses: readonly string[],
): LifecycleDef | undefined {
  const spec = providers[provider as ProviderId] as (typeof providers)[ProviderId] | undefined;
  if (!spec) return undefined;
  const lifecycles = Object.values(spec.lifecycles);
  return (
    lifecycles.find((l) => statuses.every((s) => l.statuses.includes(s))) ??
    lifecycles.find((l) => statuses.some((s) => l.statuses.includes(s)))
  );
}

/**
 * Cuts a timeline into segments and judges each transition against the router's lifecycle.
 *
 * @example
 * timelineModel(timeline, 'openrouter').segments.map((s) => s.status);
 * // ['pending', 'in_progress', 'completed']
 */
export function timelineModel(
  timeline: JobTimeline,
  provider: ProviderId | (string & {}),
): TimelineModel {
  const observations = [...timeline.observations].sort((a, b) => a.at - b.at);
  const lifecycle = lifecycleFor(
    provider,
    observations.map((o) => o.status),
  );
  const last = observations.at(-1)?.at ?? 0;
  const axisEnd = last > 0 ? last * 1.12 : 1000;
  const runs: { status: string; canonical?: CanonicalStatus; start: number; count: number }[] = [];
  for (const o of observations) {
    const current = runs.at(-1);
    if (current && current.status === o.status) {
      current.count += 1;
      continue;
    }
    const fromLifecycle = lifecycle?.canonical[o.status];
    const canonical =
      o.canonical !== undefined && isCanonical(o.canonical)
        ? o.canonical
        : (fromLifecycle ?? (isCanonical(o.status) ? o.status : undefined));
    runs.push({ status: o.status, start: o.at, count: 1, ...(canonical ? { canonical } : {}) });
  }
  const segments = runs.map((run, i): TimelineSegment => {
    const previous = runs[i - 1];
    const isLast = i === runs.length - 1;
    const violation =
      lifecycle && previous
        ? checkObservedSequence(lifecycle, [previous.status, run.status])
        : lifecycle && !lifecycle.statuses.includes(run.status)
          ? checkObservedSequence(lifecycle, [run.status])
          : undefined;
    const terminal =
      isLast &&
      (timeline.terminal === run.status || (lifecycle?.terminal.includes(run.status) ?? false));
    return {
      status: run.status,
      ...(run.canonical ? { canonical: run.canonical } : {}),
      start: run.start,
      end: runs[i + 1]?.start ?? axisEnd,
      observations: run.count,
      terminal,
      ...(violation ? { illegal: violation.rule } : {}),
    };
  });
  return { segments, axisEnd, ...(lifecycle ? { lifecycle } : {}) };
}

function niceStep(span: number, maxTicks: number): number {
  const raw = span / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

function tickLabel(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (step < 60_000 || ms < 60_000) return `${+(ms / 1000).toFixed(step < 100 ? 2 : 1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

const WIDTH = 760;
const LEFT = 14;
const RIGHT = 18;
const BAND_Y = 30;
const BAND_H = 28;
const AXIS_Y = BAND_Y + BAND_H + 8;
const HEIGHT = AXIS_Y + 22;

/**
 * In words, what the picture shows (for screen readers and for the text under the picture).
 *
 * @example
 * describeTimeline(timeline, 'openrouter');
 * // 'pending at 0 → in_progress at 3.0 s → completed at 14.0 s (terminal)'
 */
export function describeTimeline(
  timeline: JobTimeline,
  provider: ProviderId | (string & {}),
): string {
  const { segments } = timelineModel(timeline, provider);
  const text = segments
    .map(
      (s) =>
        `${s.status} at ${s.start === 0 ? '0' : formatDuration(s.start)}` +
        (s.illegal ? ` (illegal: ${s.illegal})` : '') +
        (s.terminal ? ' (terminal)' : ''),
    )
    .join(' → ');
  const last = segments.at(-1);
  return last && !last.terminal ? `${text} (no terminal status observed)` : text;
}

/**
 * The timeline as a standalone `<svg>` element (no scripts, no external references). Bands carry
 * `class="band"` and `data-status`; the terminal marker `class="terminal-marker"`; illegal
 * transitions `class="illegal-transition"`.
 *
 * @example
 * const svg = renderTimelineSvg(result.timeline, 'openrouter');
 */
export function renderTimelineSvg(
  timeline: JobTimeline,
  provider: ProviderId | (string & {}),
): string {
  const model = timelineModel(timeline, provider);
  const inner = WIDTH - LEFT - RIGHT;
  const x = (ms: number) => +(LEFT + (ms / model.axisEnd) * inner).toFixed(2);
  const parts: string[] = [];
  const label = `Job ${timeline.jobId}: ${describeTimeline(timeline, provider)}`;

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `width="100%" preserveAspectRatio="xMinYMin meet" data-job-id="${escapeMarkup(timeline.jobId)}" ` +
      `aria-label="${escapeMarkup(label)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11">`,
    `<title>${escapeMarkup(label)}</title>`,
  );

  // Bands, one per run of the same status.
  for (const s of model.segments) {
    const x0 = x(s.start);
    const w = Math.max(2, x(s.end) - x0);
    const fill = STATUS_COLORS[s.canonical ?? 'unknown'];
    const tip = `${s.status}${s.canonical && s.canonical !== s.status ? ` (${s.canonical})` : ''}: ${formatDuration(s.start)} – ${s.terminal ? 'end' : formatDuration(s.end)}, ${s.observations} poll${s.observations === 1 ? '' : 's'}`;
    parts.push(
      `<rect class="band${s.terminal ? ' terminal' : ''}" data-status="${escapeMarkup(s.status)}" ` +
        `data-canonical="${escapeMarkup(s.canonical ?? 'unknown')}" x="${x0}" y="${BAND_Y}" ` +
        `width="${+w.toFixed(2)}" height="${BAND_H}" fill="${fill}"` +
        `${s.terminal ? ' fill-opacity="0.85"' : ''}><title>${escapeMarkup(tip)}</title></rect>`,
    );
    const text = s.status;
    if (w > text.length * 6.6 + 10) {
      parts.push(
        `<text class="band-label" x="${+(x0 + 6).toFixed(2)}" y="${BAND_Y + BAND_H / 2 + 4}" fill="#ffffff" font-weight="600">${escapeMarkup(text)}</text>`,
      );
    }
  }

  // A dot per poll.
  for (const o of timeline.observations) {
    parts.push(
      `<circle class="observation" cx="${x(o.at)}" cy="${BAND_Y + BAND_H - 5}" r="2.2" fill="#ffffff" fill-opacity="0.9">` +
        `<title>${escapeMarkup(`${o.status} seen at ${formatDuration(o.at)}`)}</title></circle>`,
    );
  }

  // Illegal transitions: a red rule through the band and a warning glyph above it.
  for (const s of model.segments) {
    if (!s.illegal) continue;
    const xi = x(s.start);
    parts.push(
      `<g class="illegal-transition" data-status="${escapeMarkup(s.status)}">` +
        `<title>${escapeMarkup(`Illegal transition at ${formatDuration(s.start)}: ${s.illegal}`)}</title>` +
        `<line x1="${xi}" y1="${BAND_Y - 12}" x2="${xi}" y2="${BAND_Y + BAND_H + 3}" stroke="#b91c1c" stroke-width="3"/>` +
        `<circle cx="${xi}" cy="${BAND_Y - 17}" r="7" fill="#b91c1c"/>` +
        `<text x="${xi}" y="${BAND_Y - 13.5}" text-anchor="middle" fill="#ffffff" font-weight="700">!</text></g>`,
    );
  }

  // Terminal marker: a flag at the start of the terminal band.
  const last = model.segments.at(-1);
  if (last?.terminal) {
    const xt = x(last.start);
    const nearRight = xt > WIDTH - 150;
    const labelText = `${last.status} at ${formatDuration(last.start)}`;
    parts.push(
      `<g class="terminal-marker" data-status="${escapeMarkup(last.status)}">` +
        `<title>${escapeMarkup(`Terminal status ${labelText}`)}</title>` +
        `<line x1="${xt}" y1="${BAND_Y - 22}" x2="${xt}" y2="${BAND_Y + BAND_H}" stroke="currentColor" stroke-width="2"/>` +
        `<path d="M${xt} ${BAND_Y - 22} l${nearRight ? -12 : 12} 5 l${nearRight ? 12 : -12} 5 z" fill="currentColor"/>` +
        `<text x="${nearRight ? xt - 15 : xt + 15}" y="${BAND_Y - 13}" text-anchor="${nearRight ? 'end' : 'start'}" fill="currentColor" font-weight="600">${escapeMarkup(labelText)}</text></g>`,
    );
  }

  // Time axis.
  const step = niceStep(model.axisEnd, 8);
  parts.push(
    `<g class="axis"><line x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - RIGHT}" y2="${AXIS_Y}" stroke="currentColor" stroke-opacity="0.5"/>`,
  );
  for (let t = 0; t <= model.axisEnd + 1e-9; t += step) {
    parts.push(
      `<line x1="${x(t)}" y1="${AXIS_Y}" x2="${x(t)}" y2="${AXIS_Y + 4}" stroke="currentColor" stroke-opacity="0.5"/>` +
        `<text class="tick" x="${x(t)}" y="${AXIS_Y + 16}" text-anchor="${t === 0 ? 'start' : 'middle'}" fill="currentColor" fill-opacity="0.75">${escapeMarkup(tickLabel(t, step))}</text>`,
    );
  }
  parts.push('</g></svg>');
  return parts.join('');
}
