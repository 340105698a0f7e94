/**
 * Prism's verdicts: the `sl-violations` header parsed, and the observations of a run turned into
 * one `prism-violation` check per operation.
 * @module
 */
import type { CheckResult } from '../report.js';
import type { PrismObservation, PrismViolation } from './types.js';

/**
 * Parses an `sl-violations` header.
 *
 * @example
 * parseViolations('[{"location":["response","body"],"severity":"Error","message":"…"}]').length; // 1
 */
export function parseViolations(header: string | undefined): PrismViolation[] {
  if (!header) return [];
  try {
    const value: unknown = JSON.parse(header);
    if (!Array.isArray(value)) return [];
    return value.flatMap((v: unknown): PrismViolation[] => {
      if (typeof v !== 'object' || v === null) return [];
      const o = v as Record<string, unknown>;
      const location = Array.isArray(o.location) ? o.location.map(String) : [];
      const code = typeof o.code === 'string' || typeof o.code === 'number' ? o.code : undefined;
      return [
        {
          location,
          severity: String(o.severity ?? 'Error'),
          ...(code !== undefined ? { code } : {}),
          message: String(o.message ?? 'violation'),
        },
      ];
    });
  } catch {
    return [{ location: [], severity: 'Error', message: `unreadable sl-violations: ${header}` }];
  }
}

/**
 * One `prism-violation` check per operation observed, failing when any of its answers had a
 * `counted` violation; a skip when nothing went through Prism.
 *
 * @example
 * const results = prismResults(observed, (o) => o.violations, '/…/openapi/openrouter.json');
 */
export function prismResults(
  observed: readonly PrismObservation[],
  counted: (o: PrismObservation) => PrismViolation[],
  openapiFile: string,
): CheckResult[] {
  const rule = (operationId: string) =>
    `Every ${operationId} response matches the OpenAPI document ${openapiFile.replace(/^.*\/(packages\/spec\/|@reelkit\/spec\/)/, '$1')} (validated by prism proxy; sl-violations must be empty)`;
  if (observed.length === 0) {
    return [
      {
        id: 'prism: prism-violation',
        operationId: 'prism',
        check: 'prism-violation',
        status: 'skip',
        rule: rule('API'),
        message: 'No request went through prism proxy, so nothing was validated.',
        exchanges: [],
        durationMs: 0,
      },
    ];
  }
  const byOperation = new Map<string, PrismObservation[]>();
  for (const o of observed) {
    const list = byOperation.get(o.operationId) ?? [];
    list.push(o);
    byOperation.set(o.operationId, list);
  }
  return [...byOperation].map(([operationId, list]): CheckResult => {
    const broken = list.filter((o) => counted(o).length > 0);
    const replayed = list.filter((o) => o.replayed).length;
    const durationMs = list.reduce((sum, o) => sum + (o.exchange.response?.durationMs ?? 0), 0);
    const base = {
      id: `${operationId}: prism-violation`,
      operationId,
      check: 'prism-violation',
      rule: rule(operationId),
      durationMs,
    };
    if (broken.length === 0) {
      return {
        ...base,
        status: 'pass',
        message:
          `${list.length} response${list.length === 1 ? '' : 's'} validated, no violations.` +
          (replayed > 0
            ? ` ${replayed} binary answer${replayed === 1 ? ' was' : 's were'} fetched again straight from the target, since prism proxy re-encodes binary bodies.`
            : ''),
        exchanges: list.slice(0, 1).map((o) => o.exchange),
      };
    }
    // The same findings on many answers (every poll of a job, say) are told once, with a count.
    const groups = new Map<string, { example: PrismObservation; messages: string[]; n: number }>();
    for (const o of broken) {
      const messages = counted(o).map((v) => v.message);
      const key = `${o.exchange.response?.status ?? '?'}\n${messages.join('\n')}`;
      const group = groups.get(key);
      if (group) group.n += 1;
      else groups.set(key, { example: o, messages, n: 1 });
    }
    const lines = [...groups.values()].slice(0, 5).map(({ example, messages, n }) => {
      const shown = messages.slice(0, 10);
      const more = messages.length - shown.length;
      const { method, url } = example.exchange.request;
      return (
        `${method} ${new URL(url).pathname} → ${example.exchange.response?.status ?? '?'}` +
        `${n > 1 ? ` (and ${n - 1} more like it)` : ''}: ` +
        `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
      );
    });
    const moreGroups = groups.size - lines.length;
    return {
      ...base,
      status: 'fail',
      message:
        `${broken.length} of ${list.length} responses broke the OpenAPI document. ${lines.join(' | ')}` +
        (moreGroups > 0 ? ` | and ${moreGroups} more kinds of violation` : ''),
      exchanges: broken.slice(0, 10).map((o) => o.exchange),
    };
  });
}
