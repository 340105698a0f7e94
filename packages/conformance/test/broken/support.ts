/**
 * Building blocks of the deliberately broken servers: a faithful mock engine on a manual clock, and
 * wrappers that corrupt exactly one thing in what it answers.
 */
import type { MockEngine, MockProvider } from '@reelkit/mocks';
import { createManualClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import type { ProviderId } from '@reelkit/spec';
import type { CheckFamily, EngineLike, RunConformanceOptions } from '../../src/index.js';

/** The one key the broken (and faithful) mocks accept. */
export const TEST_KEY = 'reelkit-test-key';
/** The webhook signing secret of the mocks that are started with one. */
export const WEBHOOK_SECRET = 'whsec_reelkit_conformance';

/** A failure the kit must report for a variant. */
export interface ExpectedFailure {
  readonly id: string;
  readonly check: CheckFamily;
}

/** A mock with one defect, and the checks that must catch it. */
export interface BrokenVariant {
  readonly name: string;
  readonly provider: ProviderId;
  /** What is wrong, in words. */
  readonly defect: string;
  /**
   * Every failure the run reports, exactly; the first is the check that names the defect, the
   * rest (if any) are other promises the same defect breaks.
   */
  readonly expected: readonly ExpectedFailure[];
  /** Builds the broken server, in-process. */
  create(): EngineLike & { readonly engine: MockEngine };
  readonly options?: Partial<Omit<RunConformanceOptions, 'provider' | 'target'>>;
}

/**
 * A faithful engine of a router: manual clock and a key list. Its webhooks start unsigned and
 * refuse http callbacks, as `npm start`'s do: the kit sets them up on the control plane itself.
 */
export function faithfulEngine(
  id: ProviderId,
  options: { provider?: MockProvider; apiKeys?: readonly string[] | false } = {},
): MockEngine {
  const keys = options.apiKeys === false ? undefined : (options.apiKeys ?? [TEST_KEY]);
  return createMockEngine({
    provider: options.provider ?? mockProviders[id],
    clock: createManualClock(),
    ...(keys ? { apiKeys: keys } : {}),
  });
}

/** An engine as a broken variant's server, unchanged on the wire (its provider carries the defect). */
export function served(engine: MockEngine): EngineLike & { readonly engine: MockEngine } {
  return { engine, provider: engine.provider, fetch: engine.fetch };
}

/** Rewrites answers of an engine: `rewrite` returns a new response, or `undefined` to keep it. */
export function rewrite(
  engine: MockEngine,
  rewriteFn: (request: Request, response: Response) => Promise<Response | undefined>,
  before?: (request: Request) => Request | Promise<Request>,
): EngineLike & { readonly engine: MockEngine } {
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    let request = new Request(input, init);
    const path = new URL(request.url).pathname;
    // The control plane is not the router's contract; media downloads are.
    if (path.startsWith('/__reelkit/') && !path.startsWith('/__reelkit/media/')) {
      return engine.handle(request);
    }
    if (before) request = await before(request);
    const response = await engine.handle(request.clone());
    return (await rewriteFn(request, response)) ?? response;
  }) as typeof fetch;
  return { engine, provider: engine.provider, fetch: fetchFn };
}

/** A JSON response with the same status and headers as another, and a new body. */
export function withJson(response: Response, body: unknown, status = response.status): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status, headers });
}

/** Rewrites the JSON bodies of the answers whose method and path match. */
export function rewriteJson(
  engine: MockEngine,
  match: { readonly method: string; readonly path: RegExp },
  mutate: (body: Record<string, unknown>, request: Request, response: Response) => unknown,
): EngineLike & { readonly engine: MockEngine } {
  return rewrite(engine, async (request, response) => {
    const url = new URL(request.url);
    if (request.method !== match.method || !match.path.test(url.pathname)) return undefined;
    if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
    const body = (await response.clone().json()) as Record<string, unknown>;
    return withJson(response, mutate(body, request, response));
  });
}
