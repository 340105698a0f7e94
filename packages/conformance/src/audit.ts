/**
 * A traffic auditor: wrap any `fetch` and the kit judges every exchange a client makes — the
 * request against the route's declared parameters and body schemas, the answer against the
 * route's declared statuses and response schema. It is how the reference client is verified by
 * the kit, and how anyone can check their own client's traffic.
 * @module
 */
import type { ProviderSpec } from '@reelkit/spec';
import { compileRouteTable } from './routes.js';
import { describeIssues, validate } from './schema.js';

/** One broken promise seen in the traffic. */
export interface AuditFinding {
  readonly operationId: string;
  readonly side: 'request' | 'response';
  readonly rule: string;
  readonly message: string;
  readonly request: string;
}

/** A fetch wrapper that records findings. */
export interface TrafficAuditor {
  /** `fetch` with every exchange audited (answers are passed through untouched). */
  readonly fetch: typeof fetch;
  /** Findings so far; waits for answers still being read. */
  findings(): Promise<readonly AuditFinding[]>;
  /** How many exchanges matched a route. */
  readonly audited: number;
}

/**
 * Creates an auditor for a router's contract at `baseUrl` (requests elsewhere pass unaudited).
 *
 * @example
 * const auditor = createTrafficAuditor({ spec: openrouter, baseUrl, fetch });
 * const client = createOpenRouterClient({ baseUrl, fetch: auditor.fetch });
 * // … use the client …
 * expect(await auditor.findings()).toEqual([]);
 */
export function createTrafficAuditor(options: {
  spec: ProviderSpec;
  baseUrl: string;
  fetch?: typeof fetch;
}): TrafficAuditor {
  const inner = options.fetch ?? fetch;
  const table = compileRouteTable(options.spec, options.baseUrl);
  const findings: AuditFinding[] = [];
  const pending = new Set<Promise<void>>();
  let audited = 0;

  const audit = async (request: Request, response: Response): Promise<void> => {
    const match = table.match(request.method, request.url);
    if (!match) return;
    audited++;
    const { route } = match;
    const label = `${request.method} ${new URL(request.url).pathname}`;
    const report = (side: AuditFinding['side'], rule: string, message: string) =>
      findings.push({ operationId: route.operationId, side, rule, message, request: label });

    if (route.params) {
      const issues = validate(route.params, match.params);
      if (issues.length)
        report('request', 'path parameters match the route', describeIssues(issues));
    }
    if (route.query) {
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const issues = validate(route.query, query);
      if (issues.length) report('request', 'query matches the route', describeIssues(issues));
    }
    if (route.body) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      const def = route.body.find((b) => b.contentType === type);
      if (!def) {
        report('request', 'body sent in a declared encoding', `Content-Type ${type || '(none)'}`);
      } else {
        const body: unknown =
          type === 'application/json'
            ? JSON.parse(await request.text())
            : Object.fromEntries(
                [...(await request.formData()).entries()].reduce((acc, [k, v]) => {
                  acc.set(
                    k,
                    typeof v === 'string' ? v : [...((acc.get(k) as File[] | undefined) ?? []), v],
                  );
                  return acc;
                }, new Map<string, unknown>()),
              );
        const issues = validate(def.schema, body);
        if (issues.length)
          report('request', 'body matches the route schema', describeIssues(issues));
      }
    }

    const declared = route.responses[response.status];
    if (!declared) {
      report('response', 'only declared statuses', `answered ${response.status}`);
      return;
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!declared.schema || !contentType.includes('json')) return;
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      report('response', 'body is JSON', text.slice(0, 80));
      return;
    }
    const issues = validate(declared.schema, json);
    if (issues.length)
      report('response', `body matches the ${response.status} schema`, describeIssues(issues));
  };

  const audited_fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const copy = request.clone();
    const response = await inner(request);
    // Judge a copy in the background, so a long or streamed answer reaches the client unchanged.
    const work = audit(copy, response.clone()).catch((error: unknown) => {
      findings.push({
        operationId: '(audit)',
        side: 'response',
        rule: 'readable exchange',
        message: error instanceof Error ? error.message : String(error),
        request: `${request.method} ${request.url}`,
      });
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return response;
  };

  return {
    fetch: audited_fetch,
    async findings() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      return findings;
    },
    get audited() {
      return audited;
    },
  };
}
