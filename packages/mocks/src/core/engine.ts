/**
 * The mock engine: `handle(Request) → Promise<Response>` for one router. It knows nothing of
 * fastify or msw; both mount it, and a client can use it directly as its `fetch`.
 * @module
 */
import type { RouteDef } from '@reelkit/spec';
import { compileRouteMatcher } from '@reelkit/spec';
import type { Clock } from './clock.js';
import { createAutoClock } from './clock.js';
import { checkCallbackUrl } from './callback-policy.js';
import { handleControl } from './control.js';
import {
  exceedsJsonDepth,
  INVALID_UTF8_MESSAGE,
  InvalidBodyEncodingError,
  readBodyText,
  utf8Length,
} from './json-body.js';
import type { ResolvedRouteLimits } from './limits.js';
import { CONTROL_BODY_BYTES, createRouteLimits } from './limits.js';
import { createInterner } from './strings.js';
import type { RequestTarget } from './url.js';
import { parseTarget, publicOrigin } from './url.js';
import { MockError } from './errors.js';
import type { ActiveFault, FaultController, FaultRule, WireFaultKind } from './faults.js';
import { corruptResponse, createFaultController, drawLatency, parseFaultRule } from './faults.js';
import { createLedger } from './ledger.js';
import { createRateLimiter } from './rate-limiter.js';
import type { MediaStore } from './media.js';
import { createMediaStore } from './media.js';
import type { Random } from './random.js';
import { createRandom } from './random.js';
import type { Scenario } from './scenarios.js';
import { promptOf, requestedScenario, SCENARIOS, WIRE_SCENARIOS } from './scenarios.js';
import type { Ledger } from './ledger.js';
import type { JobStore } from './store.js';
import { createJobStore } from './store.js';
import type {
  EngineServices,
  IncomingRequest,
  MockProvider,
  PlainResponse,
  Reply,
  RequestContext,
  WebhookSettings,
} from './types.js';
import type { WebhookDispatcher, WebhookRetryPolicy } from './webhooks.js';
import { createWebhookDispatcher } from './webhooks.js';

/**
 * Wraps a plain answer in a Web `Response` (a `Response` passes through).
 *
 * @example
 * const response = asResponse(await engine.dispatch(request));
 */
export function asResponse(answer: Response | PlainResponse): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body as Uint8Array<ArrayBuffer> | string | null, {
    status: answer.status,
    headers: answer.headers,
  });
}

/** Labels a faulted response so a person reading traffic can tell the mock did it on purpose. */
function markFault(response: Response, fault: ActiveFault): Response {
  response.headers.set('x-reelkit-fault', `${fault.kind}; rule=${fault.id}`);
  return response;
}

const BODY_FAULTS = new Set<WireFaultKind>(['reset', 'truncate', 'stall', 'malformed-json']);

function faultFromScenario(kind: WireFaultKind): FaultRule {
  return { kind, once: true };
}

/** Options of {@link createMockEngine}. */
export interface MockEngineOptions {
  readonly provider: MockProvider;
  /** Defaults to an auto clock: simulated time that never waits. */
  readonly clock?: Clock;
  /** Seed for ids, timings and random faults. Default 1. */
  readonly seed?: number;
  /** Accepted API keys; by default any non-empty Bearer key is accepted. */
  readonly apiKeys?: readonly string[];
  /** The scenario of requests that name none. Default `success`. */
  readonly defaultScenario?: string;
  /** Probability per request of an HTTP-failure scenario, e.g. `{ 'server-error': 0.05 }`. */
  readonly faultRates?: Readonly<Record<string, number>>;
  /** Check every JSON reply against the spec and answer 500 when a handler breaks it. Default true. */
  readonly validateResponses?: boolean;
  /** Fault rules active from the start (more can be added on the control plane). */
  readonly faults?: readonly FaultRule[];
  /**
   * Most jobs stored at once (default `DEFAULT_MAX_JOBS`, 100,000): finished jobs make room first;
   * with every stored job unfinished, a create answers the router's 429.
   */
  readonly maxJobs?: number;
  /** Webhook signing, default callback, and delivery (fetch and retry policy). */
  readonly webhooks?: WebhookSettings & {
    readonly fetch?: typeof fetch;
    readonly policy?: Partial<WebhookRetryPolicy>;
  };
  /**
   * When set, every `/__reelkit/*` call except `health` and media downloads needs
   * `Authorization: Bearer <token>` or `X-Reelkit-Control-Token: <token>` (401 otherwise).
   */
  readonly controlToken?: string;
  /**
   * The origin clients reach this mock at (`https://mocks.example.com`), for a mock behind a
   * proxy: URLs in answers (polling, media) use it instead of the request's `Host`.
   */
  readonly publicUrl?: string;
  /**
   * Where the engine reports its own failures (a reelkit bug), with the error and its stack.
   * Default `console.error`. Answers never carry the stack.
   */
  readonly log?: (message: string, error: unknown) => void;
}

/** Something the engine noticed that a test should fail on: a mock bug, not a client error. */
export interface Diagnostic {
  readonly kind: 'invalid-response' | 'handler-crash';
  readonly operationId: string;
  readonly status?: number;
  readonly detail: string;
}

/** A running mock of one router. */
export interface MockEngine {
  readonly provider: MockProvider;
  readonly clock: Clock;
  readonly jobs: JobStore;
  readonly media: MediaStore;
  /** Answers one request as the router would. Never rejects. */
  handle(request: Request): Promise<Response>;
  /**
   * The same as {@link MockEngine.handle} for server adapters: takes anything `Request`-shaped
   * and may answer a {@link PlainResponse}, which spares building Web objects on the hot path.
   * @internal
   */
  dispatch(request: IncomingRequest): Promise<Response | PlainResponse>;
  /** The engine as a `fetch` function, for clients that take one. */
  readonly fetch: typeof fetch;
  /** Forgets every job and asset and restarts the random sequence from the seed. */
  reset(): void;
  /** The scenario for requests that name none; changeable at run time. */
  defaultScenario: string;
  readonly faultRates: Readonly<Record<string, number>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Webhook deliveries and their attempts. */
  readonly webhooks: WebhookDispatcher;
  /**
   * Webhook signing secret, default callback and loopback-http permission, as the engine was
   * created with or as `PUT /__reelkit/webhooks/settings` last set them. Jobs read them when they
   * are submitted (callback check) and when they end (signing).
   */
  webhookSettings: WebhookSettings;
  /** Balances per API key. */
  readonly ledger: Ledger;
  /** Fault rules on the wire. */
  readonly faults: FaultController;
  /** The control token, if the control plane needs one. */
  readonly controlToken: string | undefined;
  /** The origin of `publicUrl`, if one was given: answers name it instead of the request's. */
  readonly publicOrigin: string | undefined;
  /**
   * The largest body accepted for a request to `pathname` (the route's limit from the spec's
   * `REQUEST_LIMITS`; the control plane's is small). Servers stop reading a body beyond it.
   */
  bodyLimit(method: string, pathname: string): number;
}

/** A crash's message for diagnostics: its first line, with file paths left out. */
function crashSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split('\n')[0] ?? '')
    .replace(
      /(?:file:\/\/)?(?:[A-Za-z]:)?[\\/](?:[^\s\\/'"()]+[\\/])+[^\s\\/'"():]*(?::\d+)*/g,
      '<path>',
    )
    .slice(0, 500);
}

/** The key of an `Authorization: Bearer <key>` header (scheme case-insensitive, as in RFC 6750). */
function bearerKey(request: IncomingRequest): string | undefined {
  const header = request.headers.get('authorization')?.trim();
  if (!header || header.length < 8 || header.slice(0, 6).toLowerCase() !== 'bearer')
    return undefined;
  // At least one space after the scheme: 'Bearerxyz' names no key.
  if (!/\s/.test(header[6] as string)) return undefined;
  return header.slice(7).trim() || undefined;
}

type Parsed =
  | { ok: true; body: Record<string, unknown>; files: ReadonlyMap<string, File[]> }
  | { ok: false; reply: Reply };

/** The parse of a route without a body (shared: handlers never mutate `ctx.body`). */
const NO_BODY: Parsed = Object.freeze({
  ok: true,
  body: Object.freeze({}),
  files: new Map<string, File[]>(),
});

/** Parses and validates a body against the route's accepted forms (`route.body`). */
async function parseBody(
  provider: MockProvider,
  bodies: NonNullable<RouteDef['body']>,
  request: IncomingRequest,
  limits: ResolvedRouteLimits,
): Promise<Parsed> {
  const contentType =
    (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = bodies.map((b) => b.contentType);
  const def = bodies.find((b) => b.contentType === contentType);
  if (!def) {
    const message = contentType
      ? `Content-Type ${contentType} is not accepted; send ${accepted.join(' or ')}.`
      : `A request body is required, sent as ${accepted.join(' or ')}.`;
    return { ok: false, reply: provider.error('validation', { message }) };
  }
  let raw: Record<string, unknown>;
  const files = new Map<string, File[]>();
  try {
    if (contentType === 'application/json') {
      const text = await readBodyText(request);
      // Servers stop reading at the limit already; this covers the engine used as `fetch`.
      if (text.length > limits.maxBodyBytes)
        return { ok: false, reply: tooLarge(provider, limits) };
      if (exceedsJsonDepth(text, limits.maxJsonDepth)) {
        return {
          ok: false,
          reply: provider.error('validation', {
            message: `The JSON body nests deeper than ${limits.maxJsonDepth} levels.`,
          }),
        };
      }
      const json: unknown = JSON.parse(text);
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        return {
          ok: false,
          reply: provider.error('validation', {
            message: 'The request body must be a JSON object.',
          }),
        };
      }
      raw = json as Record<string, unknown>;
    } else {
      const form = await request.formData();
      raw = {};
      for (const [name, value] of form) {
        if (typeof value === 'string') raw[name] = value;
        else files.set(name, [...(files.get(name) ?? []), value]);
      }
      for (const [name, list] of files) raw[name] = list;
    }
  } catch (error) {
    if (error instanceof InvalidBodyEncodingError) {
      return { ok: false, reply: provider.error('validation', { message: INVALID_UTF8_MESSAGE }) };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reply: provider.error('validation', {
        message: `The request body could not be parsed: ${detail}`,
      }),
    };
  }
  const result = def.schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, reply: provider.error('validation', { issues: result.error.issues }) };
  }
  const body = result.data as Record<string, unknown>;
  const prompt = promptOf(body);
  if (prompt !== undefined && prompt.length > limits.maxPromptChars) {
    return {
      ok: false,
      reply: provider.error('validation', {
        param: 'prompt',
        message: `prompt must be ${limits.maxPromptChars} characters or less (it has ${prompt.length}).`,
      }),
    };
  }
  return { ok: true, body, files };
}

/** The router's own answer to a body over the route's limit (413 or 400, as the router does). */
function tooLarge(provider: MockProvider, limits: ResolvedRouteLimits): Reply {
  return provider.error('payload_too_large', {
    message: `The request body is larger than this route's limit of ${limits.maxBodyBytes} bytes.`,
  });
}

/**
 * Whether the path as sent (before dot segments or backslashes are resolved) is under
 * `/__reelkit/`: `/api/v1/../__reelkit/reset` must not reach the control plane.
 */
function sentToControlPlane(url: string): boolean {
  const authority = url.indexOf('//');
  const path = url.indexOf('/', authority < 0 ? 0 : authority + 2);
  return path >= 0 && url.startsWith('/__reelkit/', path);
}

/**
 * Creates the mock of one router.
 *
 * @example
 * import { createMockEngine, openrouterMock, createManualClock } from '@reelkit/mocks';
 * const clock = createManualClock();
 * const engine = createMockEngine({ provider: openrouterMock, clock });
 * const res = await engine.handle(new Request('https://openrouter.ai/api/v1/videos', {
 *   method: 'POST', headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }),
 * }));
 * res.status; // 202
 */
export function createMockEngine(options: MockEngineOptions): MockEngine {
  const { provider } = options;
  const ownOrigin = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  if (options.controlToken !== undefined && options.controlToken.trim() === '')
    throw new RangeError('[reelkit] controlToken must not be empty; leave it out for no token.');
  const log =
    options.log ??
    ((message: string, error: unknown) => {
      console.error(message, error);
    });
  let crashes = 0;
  /** Logs a failure of the mock itself and records it; returns the reference an answer names. */
  function recordCrash(operationId: string, error: unknown): string {
    const ref = `crash_${++crashes}`;
    log(
      `[reelkit] ${provider.spec.id} ${operationId} failed unexpectedly (${ref}); this is a reelkit bug:`,
      error,
    );
    diagnostics.push({
      kind: 'handler-crash',
      operationId,
      detail: `${ref}: ${crashSummary(error)}`,
    });
    return ref;
  }
  const clock = options.clock ?? createAutoClock();
  const seed = options.seed ?? 1;
  let random: Random = createRandom(seed);
  let webhookSettings: WebhookSettings = {
    ...(options.webhooks?.secret ? { secret: options.webhooks.secret } : {}),
    ...(options.webhooks?.defaultCallbackUrl
      ? { defaultCallbackUrl: options.webhooks.defaultCallbackUrl }
      : {}),
    allowHttpLoopback: options.webhooks?.allowHttpLoopback ?? false,
    allowPrivateNetworks: options.webhooks?.allowPrivateNetworks ?? false,
  };
  const services: EngineServices = {
    clock,
    get random() {
      return random;
    },
    jobs: createJobStore({
      clock,
      ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
    }),
    media: createMediaStore({
      nextId: () => random.string(24, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    }),
    ledger: createLedger({ clock, config: provider.balance }),
    rateLimiter: createRateLimiter(clock),
    // Read at each use: the control plane may change them while the mock runs.
    get webhookSettings() {
      return webhookSettings;
    },
  };
  // A job's media and delivery log go with it, so memory stays bounded by the retention window.
  services.jobs.onEvict((job) => {
    for (const asset of job.assets) services.media.forget(asset);
    webhooks.forgetJob(job.id);
    // A key's balance leaves with its last job (or after the ledger's TTL).
    if (job.apiKey !== undefined && services.jobs.countOf(job.apiKey) === 0)
      services.ledger.forget(job.apiKey);
  });
  const faults = createFaultController(() => random);
  for (const rule of options.faults ?? []) faults.add(parseFaultRule(rule));
  const webhooks = createWebhookDispatcher({
    clock,
    random: () => random,
    ...(options.webhooks?.fetch ? { fetch: options.webhooks.fetch } : {}),
    ...(options.webhooks?.policy ? { policy: options.webhooks.policy } : {}),
    // The operator's own default callback is trusted; a URL from a request is checked again.
    refuseTarget: (url) =>
      url === services.webhookSettings.defaultCallbackUrl
        ? undefined
        : checkCallbackUrl(url, services.webhookSettings),
  });
  if (provider.webhook) {
    const build = provider.webhook.bind(provider);
    services.jobs.onTerminal((job, entry) => {
      const event = build(job, entry, services.webhookSettings, clock);
      if (event) webhooks.enqueue(event);
    });
  }
  const router = compileRouteMatcher(provider.spec.routes, provider.spec.basePath);
  const limitsOf = createRouteLimits(provider.spec);
  const apiKeys =
    options.apiKeys && options.apiKeys.length > 0 ? new Set(options.apiKeys) : undefined;
  const validateResponses = options.validateResponses ?? true;
  const diagnostics: Diagnostic[] = [];
  // Jobs keep the API key and origin of their request: one shared copy each, not one per job.
  const internKey = createInterner(10_000);
  const internOrigin = createInterner(1_000);
  // Bodies a handler hands out again (Reply.reusedBody), serialised and checked once; an entry
  // lives as long as the handler keeps the body.
  const preparedBodies = new WeakMap<
    object,
    { route: RouteDef; status: number; text: string; length: string }
  >();
  const faultRates = options.faultRates ?? {};
  // Every router acts out its own scenarios plus the faults on the wire.
  const scenarioNames = [...provider.scenarios, ...Object.keys(WIRE_SCENARIOS)];
  // Own-property lookups only: a scenario named `constructor` must not find Object.prototype's.
  const scenarioNamed = (name: string) =>
    provider.scenarios.includes(name) && Object.hasOwn(SCENARIOS, name)
      ? SCENARIOS[name]
      : Object.hasOwn(WIRE_SCENARIOS, name)
        ? WIRE_SCENARIOS[name]
        : undefined;
  for (const [name, rate] of Object.entries(faultRates)) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      throw new RangeError(
        `[reelkit] the fault rate of '${name}' must be from 0 to 1, got ${rate}.`,
      );
  }
  for (const name of [options.defaultScenario, ...Object.keys(faultRates)]) {
    if (name && !scenarioNamed(name)) {
      throw new MockError(
        'MOCK_ERR_UNKNOWN_SCENARIO',
        `${provider.spec.title} has no scenario '${name}'; known: ${scenarioNames.join(', ')}.`,
      );
    }
  }

  function toResponse(route: RouteDef, reply: Reply): Response | PlainResponse {
    if (reply.stream) {
      const headers = new Headers(reply.headers);
      if (reply.contentType) headers.set('content-type', reply.contentType);
      return new Response(reply.stream, { status: reply.status, headers });
    }
    const headers: Record<string, string> = reply.headers ? { ...reply.headers } : {};
    if (reply.bytes) {
      if (reply.contentType) headers['content-type'] = reply.contentType;
      headers['content-length'] = String(reply.bytes.byteLength);
      return { status: reply.status, headers, body: reply.bytes };
    }
    headers['content-type'] = reply.contentType ?? 'application/json';
    if (reply.body === undefined) {
      const problem = validateResponses ? checkOrAnswer(route, reply.status, undefined) : undefined;
      return problem ?? { status: reply.status, headers, body: null };
    }
    const reused = reply.reusedBody && typeof reply.body === 'object' && reply.body !== null;
    let prepared = reused ? preparedBodies.get(reply.body) : undefined;
    if (!prepared || prepared.route !== route || prepared.status !== reply.status) {
      const problem = validateResponses
        ? checkOrAnswer(route, reply.status, reply.body)
        : undefined;
      if (problem) return problem;
      const text = JSON.stringify(reply.body);
      prepared = { route, status: reply.status, text, length: String(utf8Length(text)) };
      if (reused) preparedBodies.set(reply.body as object, prepared);
    }
    headers['content-length'] = prepared.length;
    return { status: reply.status, headers, body: prepared.text };
  }

  /**
   * A refusal of the request: checked against the spec like any reply, except a status the route
   * does not declare (OpenRouter's 413 for a body over the limit), sent in the router's envelope.
   */
  function plainOrChecked(route: RouteDef, reply: Reply): Response | PlainResponse {
    if (route.responses[reply.status]) return toResponse(route, reply);
    const text = JSON.stringify(reply.body);
    return {
      status: reply.status,
      headers: {
        'content-type': 'application/json',
        'content-length': String(utf8Length(text)),
        ...reply.headers,
      },
      body: text,
    };
  }

  /** Checks a reply against the spec; a broken contract becomes the mock's own 500. */
  function checkOrAnswer(route: RouteDef, status: number, body: unknown): Response | undefined {
    try {
      check(route, status, body);
      return undefined;
    } catch (error) {
      return (error as MockError).toResponse();
    }
  }

  function check(route: RouteDef, status: number, body: unknown): void {
    const declared = route.responses[status];
    const problem = !declared
      ? `status ${status} is not declared for ${route.operationId}`
      : declared.schema && !declared.schema.safeParse(body).success
        ? `body does not match the ${status} schema: ${declared.schema
            .safeParse(body)
            .error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')}`
        : undefined;
    if (!problem) return;
    diagnostics.push({
      kind: 'invalid-response',
      operationId: route.operationId,
      status,
      detail: problem,
    });
    throw new MockError(
      'MOCK_ERR_INVALID_RESPONSE',
      `The mock broke its own contract: ${problem}. This is a reelkit bug.`,
    );
  }

  /** Faults that answer instead of the router; latency waits and lets the request go on. */
  async function applyFault(fault: ActiveFault): Promise<Response | undefined> {
    switch (fault.kind) {
      case 'latency':
        await clock.sleep(drawLatency(fault.latencyMs, random));
        return undefined;
      case 'rate-limit':
      case 'server-error': {
        const reply = provider.error(
          fault.kind === 'rate-limit' ? 'rate_limited' : 'server_error',
          {
            ...(fault.retryAfterSeconds !== undefined
              ? { retryAfterSeconds: fault.retryAfterSeconds }
              : {}),
          },
        );
        const headers = new Headers({ 'content-type': 'application/json', ...reply.headers });
        return markFault(
          new Response(JSON.stringify(reply.body), { status: reply.status, headers }),
          fault,
        );
      }
      case 'reset':
      case 'truncate':
      case 'stall':
      case 'malformed-json':
        // Body faults act on the router's answer, after the handler.
        return undefined;
    }
  }

  function chooseScenario(
    request: IncomingRequest,
    body: Record<string, unknown>,
  ): Scenario | MockError {
    const asked = requestedScenario(request.headers, promptOf(body));
    if (asked) {
      const known = scenarioNamed(asked.name);
      if (!known) {
        return new MockError(
          'MOCK_ERR_UNKNOWN_SCENARIO',
          `${provider.spec.title} has no scenario '${asked.name}' (from the ${asked.source}); known: ${scenarioNames.join(', ')}.`,
        );
      }
      return { name: asked.name, effect: known.effect, source: asked.source };
    }
    for (const [name, rate] of Object.entries(faultRates)) {
      if (random.next() < rate)
        return { name, effect: scenarioNamed(name)!.effect, source: 'random' };
    }
    const name = engine.defaultScenario;
    return { name, effect: (SCENARIOS[name] ?? SCENARIOS.success)!.effect, source: 'default' };
  }

  async function handleRoute(
    request: IncomingRequest,
    target: RequestTarget,
  ): Promise<Response | PlainResponse> {
    const match = router.match(request.method.toUpperCase(), target.pathname);
    if (!match) {
      const reply = provider.error('not_found', {
        message: `No route ${request.method} ${target.pathname}.`,
      });
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers },
      });
    }
    const { route, key } = match;
    const apiKey = bearerKey(request);
    // A key on an optional-auth route is checked only where the router documents a 401 there.
    if (
      route.auth === 'bearer' ||
      (route.auth === 'optional' && request.headers.has('authorization') && route.responses[401])
    ) {
      const keyless =
        !apiKey &&
        !request.headers.has('authorization') &&
        provider.keylessAccess?.({ routeKey: key, params: match.params, search: target.search }) ===
          true;
      if (!apiKey && !keyless)
        return toResponse(route, provider.error('unauthorized', { reason: 'missing' }));
      if (apiKey && apiKeys && !apiKeys.has(apiKey))
        return toResponse(route, provider.error('unauthorized', { reason: 'invalid' }));
    }
    const params = route.params ? route.params.safeParse(match.params) : undefined;
    if (params && !params.success)
      return toResponse(route, provider.error('validation', { issues: params.error.issues }));
    const query = route.query
      ? route.query.safeParse(Object.fromEntries(new URLSearchParams(target.search)))
      : undefined;
    if (query && !query.success)
      return toResponse(route, provider.error('validation', { issues: query.error.issues }));
    const limits = limitsOf(route);
    const parsed = route.body ? await parseBody(provider, route.body, request, limits) : NO_BODY;
    if (!parsed.ok) return plainOrChecked(route, parsed.reply);
    if (limits.createsJob && services.jobs.isFull()) {
      return toResponse(
        route,
        provider.error('rate_limited', {
          message: `The mock holds ${services.jobs.maxJobs} unfinished jobs (its --max-jobs); retry when some finish.`,
          retryAfterSeconds: 30,
        }),
      );
    }

    const scenario = chooseScenario(request, parsed.body);
    if (scenario instanceof MockError) return scenario.toResponse();
    if (scenario.effect.kind === 'http') {
      const reply = provider.error(scenario.effect.error);
      // Use the scenario only where the router documents that answer (status and body).
      const declared = route.responses[reply.status];
      if (declared && (!declared.schema || declared.schema.safeParse(reply.body).success)) {
        return toResponse(route, reply);
      }
      if (scenario.source !== 'random') {
        return new MockError(
          'MOCK_ERR_UNKNOWN_SCENARIO',
          `Scenario '${scenario.name}' answers ${reply.status}, which ${provider.spec.title} does not document for ${route.operationId}; use it on another route.`,
        ).toResponse();
      }
    }
    const ctx: RequestContext = {
      routeKey: key,
      route,
      request,
      target,
      origin: ownOrigin ?? internOrigin(target.origin),
      params: (params?.data as Record<string, string> | undefined) ?? match.params,
      query: (query?.data as Record<string, unknown> | undefined) ?? {},
      body: parsed.body,
      files: parsed.files,
      apiKey: apiKey === undefined ? undefined : internKey(apiKey),
      scenario,
      services,
      validate: (status, body) => check(route, status, body),
    };
    const fault =
      (faults.size > 0
        ? faults.match({ operationId: route.operationId, params: match.params, body: parsed.body })
        : undefined) ??
      (scenario.effect.kind === 'wire'
        ? { ...faultFromScenario(scenario.effect.fault), id: `scenario:${scenario.name}`, fired: 1 }
        : undefined);
    if (fault) {
      const early = await applyFault(fault);
      if (early) return early;
    }
    const handler = provider.handlers[key];
    try {
      // Most handlers answer synchronously: skip the microtask an `await` would cost them.
      const result = handler!(ctx);
      const answer = toResponse(route, result instanceof Promise ? await result : result);
      if (!fault) return answer;
      const response = asResponse(answer);
      const corrupted = BODY_FAULTS.has(fault.kind)
        ? await corruptResponse(response, fault, (ms) => clock.sleep(ms))
        : response;
      return markFault(corrupted, fault);
    } catch (error) {
      if (error instanceof MockError) return error.toResponse();
      recordCrash(route.operationId, error);
      return toResponse(route, provider.error('server_error'));
    }
  }

  const engine: MockEngine = {
    provider,
    clock,
    jobs: services.jobs,
    media: services.media,
    defaultScenario: options.defaultScenario ?? 'success',
    faultRates,
    diagnostics,
    webhooks,
    get webhookSettings() {
      return webhookSettings;
    },
    set webhookSettings(settings) {
      webhookSettings = settings;
    },
    ledger: services.ledger,
    faults,
    controlToken: options.controlToken,
    publicOrigin: ownOrigin,
    bodyLimit(method, pathname) {
      if (pathname.startsWith('/__reelkit/')) return CONTROL_BODY_BYTES;
      const match = router.match(method.toUpperCase(), pathname);
      return match ? limitsOf(match.route).maxBodyBytes : CONTROL_BODY_BYTES;
    },
    async dispatch(request) {
      try {
        const target = request.target ?? parseTarget(request.url);
        if (target.pathname.startsWith('/__reelkit/') && sentToControlPlane(request.url))
          return await handleControl(engine, request, target);
        return await handleRoute(request, target);
      } catch (error) {
        if (error instanceof MockError) return error.toResponse();
        const ref = recordCrash('(engine)', error);
        return new MockError(
          'MOCK_ERR_INTERNAL',
          `The mock failed unexpectedly (${ref}): this is a reelkit bug, not a problem with your request. The error is logged on the server; please report it.`,
        ).toResponse();
      }
    },
    async handle(request) {
      return asResponse(await engine.dispatch(request));
    },
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      engine.handle(new Request(input, init))) as typeof fetch,
    reset() {
      services.jobs.clear();
      services.media.clear();
      webhooks.clear();
      faults.clear();
      services.ledger.reset();
      services.rateLimiter.reset();
      random = createRandom(seed);
      diagnostics.length = 0;
    },
  };
  return engine;
}
