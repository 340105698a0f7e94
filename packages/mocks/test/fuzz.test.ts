/**
 * Property-based fuzzing of every route of every router, in-process on a manual clock. Requests
 * are drawn from the route table's own Zod schemas (valid ones, and valid ones broken in one
 * place), with random and injected faults switched on. For every request:
 * - no 5xx unless a fault or a failure scenario injected it;
 * - no handler crash and no response that breaks the spec (`engine.diagnostics` stays empty);
 * - every error body parses with the router's `errorSchema` (ImageRouter's HTTP 200 failures
 *   too), and every 2xx JSON body with the route's declared schema;
 * - a request that breaks the schema is refused with the router's 400 (or 404 when the path no
 *   longer names a route), and a missing key with 401.
 * After the run the clock moves past every planned end: each job the engine accepted is terminal,
 * and its history and the statuses clients polled are legal (`checkObservedSequence`).
 *
 * Deterministic: fast-check runs from FUZZ_SEED (default below) and reports the seed and path of
 * a failure; FUZZ_RUNS scales the number of requests per property.
 */
import fc from 'fast-check';
import type { ProviderId, RouteDef, z } from '@reelkit/spec';
import {
  fastrouterSpec,
  fullPath,
  compileRouteMatcher,
  imagerouterSpec,
  openrouterSpec,
  routmySpec,
} from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { createMockEngine } from '../src/core/engine.js';
import type { FaultRule } from '../src/core/faults.js';
import type { MockProvider } from '../src/core/types.js';
import { mockProviders } from '../src/providers/index.js';
import { createJobTracker, drive } from './support/engine.js';
import { arbitraryFromZod, invalidFromZod } from './support/zod-arbitrary.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260424);
/** Requests per property (valid, then invalid, per route). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const KEYS = ['sk-fuzz-a', 'sk-fuzz-b'] as const;

type Arb = fc.Arbitrary<unknown>;

/** How a request body travels. */
type Encoding =
  | 'application/json'
  | 'multipart/form-data'
  | 'text/plain'
  | 'none'
  | 'broken-json'
  | 'broken-multipart';

/** One drawn request. */
interface Case {
  readonly auth: 'valid' | 'missing' | 'malformed';
  readonly key: 0 | 1;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly encoding: Encoding;
  /** Name a job the engine already holds (index into the tracked ids) instead of a drawn id. */
  readonly known: number | null;
  /** Simulated ms to let pass after the request. */
  readonly advanceMs: number;
  /** Router-specific request headers (FastRouter's `cache_key`). */
  readonly headers: Readonly<Record<string, string>>;
}

/** What the fuzzer knows about one router. */
interface RouterFuzz {
  readonly provider: MockProvider;
  readonly hints: Readonly<Record<string, Arb>>;
  /** Random scenarios (chosen by the engine's seeded random). */
  readonly faultRates: Readonly<Record<string, number>>;
  /** Path parameters and body fields that name a job. */
  readonly jobFields: readonly string[];
  /** Router-specific headers to draw. */
  readonly headers?: fc.Arbitrary<Record<string, string>>;
  /** The job and status a 2xx JSON body of a poll route shows. */
  observe(routeKey: string, body: unknown): { id: string; status: string } | undefined;
}

/** A params key telling `build` to put its value into every path parameter unencoded. */
const RAW_SEGMENT = '__raw_segment__';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof File);

const union = <T>(...lists: (readonly T[] | undefined)[]): T[] => [
  ...new Set(lists.flatMap((l) => l ?? [])),
];

/** Mostly values from the catalog, sometimes anything. */
const mostly = <T>(values: readonly T[], other: Arb): Arb =>
  fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 6 }, { arbitrary: other, weight: 1 });

function catalogHints(id: ProviderId): Record<string, Arb> {
  const models = mockProviders[id].spec.models;
  const ids = models.map((m) => m.id);
  const durations = union(...models.map((m) => m.durations), [1, 5, 10, 20]);
  const resolutions = union(...models.map((m) => m.resolutions));
  const ratios = union(...models.map((m) => m.aspectRatios));
  const sizes = union(...models.map((m) => m.sizes), ['1280x720']);
  const text = fc.string({ maxLength: 24 });
  switch (id) {
    case 'openrouter':
      return {
        model: mostly(ids, text),
        duration: mostly(durations, fc.integer({ min: 1, max: 100 })),
        size: mostly(sizes, text),
      };
    case 'imagerouter':
      return {
        model: mostly(ids, text),
        // The size rule is a refinement: draw sizes it accepts.
        size: fc.constantFrom('auto', ...sizes, '1280X720', '1280*720', '64x64'),
        seconds: fc.oneof(
          fc.constant('auto'),
          fc.constantFrom(...durations),
          fc.integer({ min: 1, max: 60 }),
        ),
      };
    case 'fastrouter':
      return {
        model: mostly(ids, text),
        image: fc.oneof(fc.constant('https://example.com/frame.png'), text),
      };
    case 'routmy':
      return {
        model: mostly(ids, text),
        duration: fc.oneof(
          fc.constantFrom(...durations),
          fc.double({ noNaN: true, min: -5, max: 100 }),
        ),
        resolution: mostly([...resolutions, '480p', '4K', '1280x720'], text),
        aspect_ratio: mostly(ratios.length ? ratios : ['16:9'], text),
        n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -2, max: 50 })),
      };
  }
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const someOf = <T>(values: readonly T[] | null | undefined): fc.Arbitrary<T | undefined> =>
  values && values.length > 0 ? maybe(fc.constantFrom(...values)) : fc.constant(undefined);
const PROMPT = fc.string({ minLength: 1, maxLength: 30 }).filter((p) => p.trim() !== '');
const HTTPS_URL = fc.stringMatching(/^[a-z]{1,8}$/).map((host) => `https://${host}.example/a.png`);

/**
 * Generation requests the router's judge accepts: a catalog model and, for each field the judge
 * checks, a value that model supports (or none). Laid over a schema-drawn body, so every other
 * field keeps its random value. Without these, few random bodies pass the model rules and the
 * poll routes would see few real jobs. ImageRouter needs none: its rules accept most bodies.
 */
function acceptable(id: ProviderId): fc.Arbitrary<Record<string, unknown>> | undefined {
  switch (id) {
    case 'openrouter':
      return fc.constantFrom(...openrouterSpec.OPENROUTER_CATALOG).chain(({ model: m }) =>
        fc.record({
          model: fc.constant(m.id),
          prompt: PROMPT,
          duration: someOf(m.supported_durations),
          resolution: someOf(m.supported_resolutions),
          aspect_ratio: someOf(m.supported_aspect_ratios),
          size: someOf(m.supported_sizes),
          frame_images: m.supported_frame_images?.length
            ? maybe(
                fc.array(
                  fc.record({
                    type: fc.constant('image_url'),
                    image_url: fc.record({ url: HTTPS_URL }),
                    frame_type: fc.constantFrom(...m.supported_frame_images),
                  }),
                  { maxLength: 2 },
                ),
              )
            : fc.constant(undefined),
          seed: m.seed === false ? fc.constant(undefined) : maybe(fc.integer()),
          generate_audio: m.generate_audio === false ? fc.constant(undefined) : maybe(fc.boolean()),
          callback_url: maybe(HTTPS_URL),
        }),
      );
    case 'fastrouter':
      return fc.constantFrom(...fastrouterSpec.FASTROUTER_CATALOG).chain(({ spec: m }) =>
        fc.record({
          model: fc.constant(m.id),
          prompt: PROMPT,
          image: !m.imageToVideo
            ? fc.constant(undefined)
            : m.textToVideo
              ? maybe(HTTPS_URL)
              : HTTPS_URL,
          length: someOf(m.lengths),
          seconds: someOf(m.seconds),
          resolution:
            m.resolutionRequired && m.resolutions
              ? fc.constantFrom(...m.resolutions)
              : someOf(m.resolutions),
          aspectRatio: someOf(m.aspectRatios),
          size: someOf(m.sizes),
        }),
      );
    case 'routmy':
      return fc
        .constantFrom(...routmySpec.ROUTMY_CATALOG.filter((e) => e.model.is_available))
        .chain(({ model, limits: l }) => {
          const image = l.imageInput ? maybe(HTTPS_URL) : fc.constant(undefined);
          return fc.record({
            model: fc.constant(model.id),
            prompt: fc.oneof(PROMPT, fc.record({ text: PROMPT, image })),
            input_image: image,
            input_image_b64: image,
            image,
            image_url: image,
            input_image_url: image,
            input_video: l.videoInput ? maybe(HTTPS_URL) : fc.constant(undefined),
            input_video_b64: fc.constant(undefined),
            duration: maybe(fc.integer({ min: 1, max: Math.ceil(l.maxDuration * 2) })),
            resolution: someOf(l.resolutions),
            aspect_ratio: someOf(l.aspectRatios),
            n: maybe(fc.integer({ min: 1, max: l.maxCount })),
            audio: l.audio ? maybe(fc.boolean()) : fc.constant(undefined),
            quality: someOf(routmySpec.ROUTMY_QUALITIES),
          });
        });
    case 'imagerouter':
      return undefined;
  }
}

const ROUTERS: Record<ProviderId, RouterFuzz> = {
  openrouter: {
    provider: mockProviders.openrouter,
    hints: catalogHints('openrouter'),
    faultRates: {
      failed: 0.05,
      moderation: 0.03,
      cancelled: 0.03,
      expired: 0.03,
      slow: 0.05,
      'insufficient-credits': 0.02,
      'rate-limit': 0.02,
      'server-error': 0.02,
    },
    jobFields: ['jobId'],
    observe(routeKey, body) {
      if (routeKey !== 'getVideo' || !isRecord(body)) return undefined;
      return { id: String(body.id), status: String(body.status) };
    },
  },
  imagerouter: {
    provider: mockProviders.imagerouter,
    hints: catalogHints('imagerouter'),
    faultRates: {
      failed: 0.05,
      moderation: 0.03,
      slow: 0.05,
      'insufficient-credits': 0.02,
      'rate-limit': 0.02,
      'server-error': 0.02,
      'provider-error': 0.02,
    },
    jobFields: [],
    observe: () => undefined,
  },
  fastrouter: {
    provider: mockProviders.fastrouter,
    hints: catalogHints('fastrouter'),
    faultRates: {
      failed: 0.05,
      moderation: 0.03,
      expired: 0.03,
      slow: 0.05,
      'insufficient-credits': 0.02,
      'rate-limit': 0.02,
      'server-error': 0.02,
      'provider-error': 0.02,
    },
    jobFields: ['task_id', 'taskId'],
    // Response caching: a valid key (sometimes reused, so hits happen) or a malformed one.
    headers: fc.oneof(
      { arbitrary: fc.constant({}), weight: 3 },
      { arbitrary: fc.constantFrom('k1', 'k2').map((k) => ({ cache_key: k })), weight: 2 },
      { arbitrary: fc.string({ maxLength: 140 }).map((k) => ({ cache_key: k })), weight: 1 },
    ),
    observe(routeKey, body) {
      if (routeKey === 'createVideo' || routeKey === 'listModels' || !isRecord(body)) {
        return undefined;
      }
      if (isRecord(body.data) && typeof body.data.status === 'string') {
        return { id: String(body.data.taskId), status: body.data.status };
      }
      return body.object === 'video'
        ? { id: String(body.id), status: String(body.status) }
        : undefined;
    },
  },
  routmy: {
    provider: mockProviders.routmy,
    hints: catalogHints('routmy'),
    faultRates: {
      failed: 0.05,
      moderation: 0.03,
      slow: 0.05,
      'insufficient-credits': 0.02,
      'rate-limit': 0.02,
      'server-error': 0.02,
      'provider-error': 0.02,
    },
    jobFields: [],
    observe: () => undefined,
  },
};

/** Faults on the wire, drawn per request from the engine's seeded random. */
const WIRE_FAULTS: readonly FaultRule[] = [
  { kind: 'server-error', probability: 0.01 },
  { kind: 'rate-limit', probability: 0.01, retryAfterSeconds: 3 },
  {
    kind: 'latency',
    probability: 0.02,
    latencyMs: { distribution: 'uniform', min: 100, max: 4000 },
  },
  { kind: 'malformed-json', probability: 0.005 },
  { kind: 'truncate', probability: 0.005 },
  { kind: 'reset', probability: 0.005 },
  { kind: 'stall', probability: 0.005, stallMs: 5000 },
];

const BODY_FAULTS = new Set(['malformed-json', 'truncate', 'reset', 'stall']);

function setup(id: ProviderId) {
  const fuzz = ROUTERS[id];
  const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 9) });
  const webhookBodies: string[] = [];
  // Ours, so that quiesce() can switch the random scenarios off for the final polls.
  const faultRates: Record<string, number> = { ...fuzz.faultRates };
  const engine = createMockEngine({
    provider: fuzz.provider,
    clock,
    seed: SEED,
    faultRates,
    faults: WIRE_FAULTS,
    // Callback URLs are drawn at random: never let a delivery leave the process.
    webhooks: {
      secret: 'whsec_fuzz',
      fetch: ((_url: string | URL | Request, init?: RequestInit) => {
        webhookBodies.push(String(init?.body));
        return Promise.resolve(new Response(null, { status: 204 }));
      }) as typeof fetch,
    },
  });
  // Enough money that only the insufficient-credits scenario answers 402 (or rout.my's 429).
  for (const key of KEYS) engine.ledger.set(key, 1e12);
  const quiesce = () => {
    engine.faults.clear();
    for (const name of Object.keys(faultRates)) delete faultRates[name];
  };
  const router = compileRouteMatcher(fuzz.provider.spec.routes, fuzz.provider.spec.basePath);
  const validBodies = new Set<string>();
  const tracker = createJobTracker(engine);
  return { fuzz, clock, engine, tracker, webhookBodies, quiesce, router, validBodies };
}

type Setup = ReturnType<typeof setup>;

/** A schema's arbitrary, or `{}` when the route has none. */
const valueOf = (schema: z.ZodType | undefined, hints: Readonly<Record<string, Arb>>): Arb =>
  schema ? arbitraryFromZod(schema, { hints }) : fc.constant({});

const brokenOf = (schema: z.ZodType | undefined, hints: Readonly<Record<string, Arb>>): Arb =>
  schema ? invalidFromZod(schema, { hints }) : fc.constant({});

const common = {
  key: fc.constantFrom<0 | 1>(0, 0, 0, 1),
  known: fc.option(fc.nat(), { nil: null, freq: 2 }),
  advanceMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 30_000 }),
    // Between two milliseconds too.
    fc.double({ min: 0, max: 3, noNaN: true }),
  ),
};

/** Requests that satisfy the route's schemas (a key is mostly sent, sometimes not). */
function validCases(route: RouteDef, fuzz: RouterFuzz): fc.Arbitrary<Case> {
  const odd: Case['auth'][] = ['missing', 'malformed'];
  const bodies = route.body ?? [];
  const body: fc.Arbitrary<{ body: unknown; encoding: Encoding }> =
    bodies.length === 0
      ? fc.constant({ body: undefined, encoding: 'none' as const })
      : fc.oneof(
          ...bodies.map((def) => {
            const drawn = valueOf(def.schema, fuzz.hints);
            const overlay =
              route === fuzz.provider.spec.routes.createVideo
                ? acceptable(fuzz.provider.spec.id as ProviderId)
                : undefined;
            const value = overlay
              ? fc.oneof(
                  { arbitrary: drawn, weight: 1 },
                  {
                    arbitrary: fc
                      .tuple(drawn, overlay)
                      .map(([d, o]) => ({ ...(isRecord(d) ? d : {}), ...o })),
                    weight: 2,
                  },
                )
              : drawn;
            return value.map((v) => ({ body: v, encoding: def.contentType as Encoding }));
          }),
        );
  return fc
    .record({
      ...common,
      auth: fc.constantFrom<Case['auth']>(...Array<'valid'>(18).fill('valid'), ...odd),
      params: valueOf(route.params, fuzz.hints),
      query: valueOf(route.query, fuzz.hints),
      body,
      headers: fuzz.headers ?? fc.constant({}),
    })
    .map(({ body: b, ...rest }) => ({ ...rest, ...b }));
}

/** Requests with a valid key, broken in one place: params, query, body or its encoding. */
function invalidCases(route: RouteDef, fuzz: RouterFuzz): fc.Arbitrary<Case> {
  const valid = validCases(route, fuzz).map((c) => ({ ...c, auth: 'valid' as const }));
  const ways: fc.Arbitrary<Case>[] = [];
  if (route.params) {
    ways.push(
      fc
        .tuple(valid, brokenOf(route.params, fuzz.hints))
        .map(([c, params]) => ({ ...c, params, known: null })),
    );
    // A segment that is not valid percent-encoding, sent as is.
    ways.push(
      fc
        .tuple(valid, fc.constantFrom('%', '%E0%A4%A', '%zz', 'a%2', '%C0%80'))
        .map(([c, raw]) => ({ ...c, params: { [RAW_SEGMENT]: raw }, known: null })),
    );
  }
  if (route.query) {
    ways.push(
      fc.tuple(valid, brokenOf(route.query, fuzz.hints)).map(([c, query]) => ({ ...c, query })),
    );
  }
  for (const def of route.body ?? []) {
    ways.push(
      fc
        .tuple(valid, brokenOf(def.schema, fuzz.hints))
        .map(([c, body]) => ({ ...c, body, encoding: def.contentType as Encoding, known: null })),
    );
  }
  if (route.body) {
    const multipart = route.body.some((b) => b.contentType === 'multipart/form-data');
    const encodings: Encoding[] = ['text/plain', 'none', 'broken-json'];
    if (multipart) encodings.push('broken-multipart');
    ways.push(
      fc.tuple(valid, fc.constantFrom(...encodings)).map(([c, encoding]) => ({ ...c, encoding })),
    );
    // JSON that parses but is not an object.
    ways.push(
      fc
        .tuple(valid, fc.constantFrom<unknown>([], [1, 2], 'text', 42, null, true))
        .map(([c, body]) => ({ ...c, body, encoding: 'application/json' as const })),
    );
  }
  // Always: junk query parameters (ignored where the route has no query) and odd keys.
  ways.push(
    fc
      .tuple(
        validCases(route, fuzz),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 }), {
          maxKeys: 3,
        }),
      )
      .map(([c, junk]) => ({ ...c, query: { ...(isRecord(c.query) ? c.query : {}), ...junk } })),
  );
  return fc.oneof(...ways);
}

/** The request a case stands for, and what the engine will see of it. */
interface Built {
  readonly request: Request;
  readonly pathParams: Record<string, string>;
  readonly query: Record<string, string>;
  /** The body as the engine parses it, or `undefined` when it will not parse. */
  readonly body: unknown;
  readonly parses: boolean;
}

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : isRecord(value) || Array.isArray(value)
      ? JSON.stringify(value)
      : String(value);

function multipart(body: unknown): { form: FormData; seen: Record<string, unknown> } {
  const form = new FormData();
  const strings: Record<string, string> = {};
  const files = new Map<string, File[]>();
  for (const [name, value] of Object.entries(isRecord(body) ? body : {})) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item instanceof File) {
        form.append(name, item);
        files.set(name, [...(files.get(name) ?? []), item]);
      } else {
        form.append(name, text(item));
        strings[name] = text(item);
      }
    }
  }
  return { form, seen: { ...strings, ...Object.fromEntries(files) } };
}

function build(s: Setup, route: RouteDef, c: Case): Built {
  const { fuzz, tracker } = s;
  const spec = fuzz.provider.spec;
  const ids = [...tracker.tracked.keys()];
  const knownId = c.known !== null && ids.length > 0 ? ids[c.known % ids.length] : undefined;
  const knownJob = knownId ? tracker.tracked.get(knownId)?.job : undefined;

  const params = isRecord(c.params) ? { ...c.params } : {};
  const pathParams: Record<string, string> = {};
  const path = fullPath(spec, route).replace(/\{([^}]+)\}/g, (_, name: string) => {
    const raw = params[RAW_SEGMENT];
    if (typeof raw === 'string') {
      pathParams[name] = raw;
      return raw;
    }
    const value = knownId && fuzz.jobFields.includes(name) ? knownId : params[name];
    pathParams[name] = value === undefined ? '' : text(value);
    return encodeURIComponent(pathParams[name]);
  });
  const search = new URLSearchParams();
  if (isRecord(c.query)) {
    for (const [k, v] of Object.entries(c.query)) if (v !== undefined) search.append(k, text(v));
  }
  const url = `${spec.origin}${path}${search.size ? `?${search}` : ''}`;

  const headers = new Headers();
  for (const [name, value] of Object.entries(c.headers)) {
    // Header values are bytes: a drawn string Headers refuses is sent without it.
    try {
      headers.set(name, value);
    } catch {
      continue;
    }
  }
  if (c.auth === 'valid') headers.set('authorization', `Bearer ${KEYS[c.key]}`);
  if (c.auth === 'malformed') headers.set('authorization', 'Basic Zm9vOmJhcg==');

  let body = c.body;
  if (knownId && isRecord(c.body)) {
    const named: Record<string, unknown> = { ...c.body };
    for (const field of fuzz.jobFields) if (field in named) named[field] = knownId;
    // Poll bodies name the model of the job; keep it right most of the time.
    if ('taskId' in named && knownJob && c.known !== null && c.known % 4 !== 0) {
      named.model = knownJob.generation.model;
    }
    body = named;
  }
  let payload: BodyInit | undefined;
  let seen: unknown;
  let parses = true;
  switch (c.encoding) {
    case 'application/json':
      headers.set('content-type', 'application/json');
      payload = JSON.stringify(body) ?? 'null';
      seen = JSON.parse(payload);
      break;
    case 'multipart/form-data': {
      const { form, seen: fields } = multipart(body);
      payload = form;
      seen = fields;
      break;
    }
    case 'text/plain':
      headers.set('content-type', 'text/plain');
      payload = JSON.stringify(body) ?? '';
      parses = false;
      break;
    case 'broken-json':
      headers.set('content-type', 'application/json');
      payload = (JSON.stringify(body) ?? '{}').slice(0, -1) || '{';
      parses = false;
      break;
    case 'broken-multipart':
      headers.set('content-type', 'multipart/form-data; boundary=reelkitfuzz');
      payload = '--reelkitfuzz\r\nContent-Disposition: form-data; name="model"\r\n\r\nir/test';
      parses = false;
      break;
    case 'none':
      parses = route.body === undefined;
      break;
  }
  const method = route.method;
  return {
    request: new Request(url, {
      method,
      headers,
      ...(method === 'POST' && payload !== undefined ? { body: payload } : {}),
    }),
    pathParams,
    query: Object.fromEntries(search),
    body: seen,
    parses,
  };
}

/**
 * How the engine should treat a request: `ok`, refused by a schema (`invalid`), no route at all
 * (`no-route`), or taken by another route (an empty id can turn `/v1/models/{id}` into
 * `/v1/models/`, which is the listing).
 */
function schemaVerdict(
  s: Setup,
  route: RouteDef,
  c: Case,
  b: Built,
): { verdict: 'ok' | 'invalid' | 'no-route' | 'other-route' | 'bad-path'; route: RouteDef } {
  let match;
  try {
    match = s.router.match(route.method, new URL(b.request.url).pathname);
  } catch {
    // Not valid percent-encoding: the router may call it a bad request or an unknown id.
    return { verdict: 'bad-path', route };
  }
  if (!match) return { verdict: 'no-route', route };
  if (match.route !== route) return { verdict: 'other-route', route: match.route };
  const invalid = { verdict: 'invalid' as const, route };
  if (route.params && !route.params.safeParse(b.pathParams).success) return invalid;
  if (route.query && !route.query.safeParse(b.query).success) return invalid;
  if (route.body) {
    const def = route.body.find((d) => d.contentType === c.encoding);
    if (!def || !b.parses || !def.schema.safeParse(b.body).success) return invalid;
  }
  return { verdict: 'ok', route };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A 5xx the engine was asked to produce: a fault rule, or a random failure scenario. */
function injected5xx(fuzz: RouterFuzz, res: Response, body: unknown): boolean {
  if (res.headers.has('x-reelkit-fault')) return true;
  const kinds = [
    ...('server-error' in fuzz.faultRates ? (['server_error'] as const) : []),
    ...('provider-error' in fuzz.faultRates || 'failed' in fuzz.faultRates
      ? (['provider_error'] as const)
      : []),
  ];
  return kinds.some((kind) => {
    const reply = fuzz.provider.error(kind);
    return reply.status === res.status && sameJson(reply.body, body);
  });
}

/** ImageRouter's HTTP 200 failures: its envelope, or a provider error forwarded as-is. */
const isImageRouterError = (body: unknown, errorSchema: z.ZodType) =>
  errorSchema.safeParse(body).success ||
  imagerouterSpec.ForwardedErrorResponse.safeParse(body).success;

async function exercise(s: Setup, routeKey: string, drawnFor: RouteDef, c: Case): Promise<void> {
  const { fuzz, clock, engine, tracker } = s;
  const spec = fuzz.provider.spec;
  const b = build(s, drawnFor, c);
  const { verdict, route } = schemaVerdict(s, drawnFor, c, b);
  const res = await drive(clock, engine.handle(b.request));
  const fault = res.headers.get('x-reelkit-fault')?.split(';')[0] ?? '';
  let bytes: Uint8Array | undefined;
  try {
    bytes = new Uint8Array(await drive(clock, res.arrayBuffer()));
  } catch (error) {
    // Only a fault that cuts the body may break it.
    expect(BODY_FAULTS.has(fault), `body failed without a body fault: ${String(error)}`).toBe(true);
  }
  expect(engine.diagnostics).toEqual([]);
  const type = res.headers.get('content-type') ?? '';
  let body: unknown;
  const intact = bytes !== undefined && !BODY_FAULTS.has(fault);
  let raw = '';
  if (intact && type.startsWith('application/json')) {
    raw = new TextDecoder().decode(bytes);
    body = raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
  }
  const where = `${route.method} ${b.request.url} (${c.encoding}, auth ${c.auth}) → ${res.status}`;

  // Status: no 5xx but the injected ones; schema breaks and missing keys refused as documented.
  if (res.status >= 500)
    expect(injected5xx(fuzz, res, body), `uninjected 5xx: ${where}`).toBe(true);
  // Optional-auth routes check a key only where the router documents a 401.
  const keyed =
    c.auth === 'valid' ||
    route.auth === 'none' ||
    (route.auth === 'optional' && (c.auth === 'missing' || !route.responses[401]));
  if (verdict === 'no-route') {
    expect(res.status, where).toBe(fuzz.provider.error('not_found').status);
  } else if (verdict === 'bad-path') {
    const refusals = [
      fuzz.provider.error('not_found').status,
      fuzz.provider.error('validation').status,
    ];
    expect(refusals, where).toContain(res.status);
  } else if (!keyed) {
    expect(res.status, where).toBe(fuzz.provider.error('unauthorized').status);
  } else if (verdict === 'invalid') {
    expect(res.status, where).toBe(fuzz.provider.error('validation').status);
  }

  // Bodies: errors in the router's envelope, successes as the route declares them.
  if (intact) {
    if (res.status >= 400) {
      expect(type, where).toMatch(/^application\/json/);
      const parsed = spec.errorSchema.safeParse(body);
      expect(parsed.success, `${where}: ${JSON.stringify(body)}`).toBe(true);
    } else if (res.status >= 200 && res.status < 300) {
      const declared = route.responses[res.status];
      expect(declared, `undeclared ${where}`).toBeDefined();
      if (declared?.schema && type.startsWith('application/json')) {
        // Listings repeat byte for byte: validate each distinct body once.
        const seenKey = `${route.operationId} ${res.status} ${raw}`;
        if (!s.validBodies.has(seenKey)) {
          expect(declared.schema.safeParse(body).success, `${where}: ${raw}`).toBe(true);
          s.validBodies.add(seenKey);
        }
        if (spec.id === 'imagerouter' && isRecord(body) && 'error' in body) {
          expect(isImageRouterError(body, spec.errorSchema), where).toBe(true);
        }
      } else if (declared?.binaryAlternatives?.includes(type)) {
        // A declared binary alternative (FastRouter streams a finished Sora job's video).
      } else {
        expect(type, where).toBe(declared?.contentType ?? 'application/json');
      }
    }
  }

  // Jobs: every accepted submission is in the store; polls are recorded for the sequence check.
  tracker.scan();
  if (res.status >= 200 && res.status < 300 && isRecord(body)) {
    const seen = fuzz.observe(routeKey, body);
    if (seen) tracker.polled(seen.id, seen.status);
    const created =
      routeKey === 'createVideo'
        ? spec.id === 'openrouter' || (spec.id === 'fastrouter' && body.object === 'video')
          ? body.id
          : isRecord(body.data) && spec.id === 'fastrouter'
            ? body.data.taskId
            : undefined
        : undefined;
    if (created !== undefined) expect(tracker.tracked.has(String(created)), where).toBe(true);
  }
  if (spec.id === 'fastrouter' && res.status === 200 && type === 'video/mp4' && isRecord(b.body)) {
    // The binary alternative is the finished job itself.
    tracker.polled(String(b.body.taskId ?? b.pathParams.task_id), 'completed');
  }
  if (c.advanceMs > 0) await clock.advance(c.advanceMs);
}

/** Polls every tracked job once more over the API, where the router has a poll route. */
async function finalPolls(s: Setup): Promise<void> {
  const { fuzz, engine, clock, tracker } = s;
  const spec = fuzz.provider.spec;
  const pollRoute =
    spec.id === 'openrouter' || spec.id === 'fastrouter' ? spec.routes.getVideo : undefined;
  if (!pollRoute) return;
  for (const [id, { job }] of tracker.tracked) {
    const key: Record<string, string> =
      job.apiKey === undefined ? {} : { authorization: `Bearer ${job.apiKey}` };
    const url = `${spec.origin}${fullPath(spec, pollRoute).replace(/\{[^}]+\}/, encodeURIComponent(id))}`;
    const res = await drive(clock, engine.handle(new Request(url, { headers: key })));
    const body: unknown = await drive(clock, res.json());
    if (job.expiresAt <= clock.now()) {
      expect(res.status, `${id} expired`).toBe(404);
      continue;
    }
    expect(res.status, `final poll of ${id}`).toBe(200);
    const seen = fuzz.observe('getVideo', body);
    expect(seen, `final poll of ${id}`).toBeDefined();
    if (seen) tracker.polled(seen.id, seen.status);
  }
}

async function run(name: string, property: fc.IAsyncProperty<[Case]>, runs: number): Promise<void> {
  try {
    await fc.assert(property, { seed: SEED, numRuns: runs, endOnFailure: true });
  } catch (error) {
    console.error(`[fuzz] ${name} failed; seed ${SEED} (rerun with FUZZ_SEED=${SEED})`);
    throw error;
  }
}

/** Routes whose bodies need more time per request (held connections, multipart). */
const runsFor = (id: ProviderId, routeKey: string): number =>
  routeKey === 'createVideo' && (id === 'imagerouter' || id === 'routmy')
    ? Math.ceil(RUNS / 2)
    : RUNS;

describe.each(Object.keys(ROUTERS) as ProviderId[])('fuzzing %s', (id) => {
  const routes = Object.entries(mockProviders[id].spec.routes);

  it.each(routes)(
    '%s: valid and invalid requests keep the contract; accepted jobs end legally',
    async (routeKey, route) => {
      const s = setup(id);
      // A few jobs first, so poll routes can name real ones.
      const create = s.fuzz.provider.spec.routes.createVideo as RouteDef;
      await run(
        `${id}.createVideo (seed jobs)`,
        fc.asyncProperty(validCases(create, s.fuzz), (c) => exercise(s, 'createVideo', create, c)),
        20,
      );
      const runs = runsFor(id, routeKey);
      await run(
        `${id}.${routeKey} valid`,
        fc.asyncProperty(validCases(route, s.fuzz), (c) => exercise(s, routeKey, route, c)),
        runs,
      );
      await run(
        `${id}.${routeKey} invalid`,
        fc.asyncProperty(invalidCases(route, s.fuzz), (c) => exercise(s, routeKey, route, c)),
        runs,
      );
      s.quiesce();
      await s.clock.advance(s.tracker.msUntilAllEnded() + 1);
      await s.engine.webhooks.idle();
      await finalPolls(s);
      expect(s.tracker.problems()).toEqual([]);
      expect(s.engine.diagnostics).toEqual([]);
      if (id === 'openrouter') {
        // One delivered webhook per job that named a callback, each a valid event.
        const hooked = [...s.tracker.tracked.values()].filter(({ job }) => job.data.callbackUrl);
        const delivered = s.engine.webhooks.list().filter((d) => d.state === 'delivered');
        expect(delivered.map((d) => d.jobId).sort()).toEqual(
          hooked.map(({ job }) => job.id).sort(),
        );
        for (const body of s.webhookBodies) {
          const event: unknown = JSON.parse(body);
          expect(openrouterSpec.VideoWebhookEvent.safeParse(event).success, body).toBe(true);
        }
      }
    },
    60_000,
  );
});

describe('engine bugs found by fuzzing, fixed', () => {
  const origin = (id: ProviderId) => mockProviders[id].spec.origin;

  it('OpenRouter listModels answers a non-Bearer Authorization header in its envelope', async () => {
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createManualClock(),
    });
    const res = await engine.handle(
      new Request(`${origin('openrouter')}/api/v1/videos/models`, {
        headers: { authorization: 'Basic Zm9vOmJhcg==' },
      }),
    );
    expect(res.status).toBeLessThan(500);
    expect(
      openrouterSpec.ErrorResponse.safeParse(await res.json()).success || res.status === 200,
    ).toBe(true);
    expect(engine.diagnostics).toEqual([]);
  });

  it("ImageRouter's created stays an integer when the clock stands between two ms", async () => {
    // A manual advance of 0.5 ms, a control-plane {"ms": 0.5}, or a real clock with a
    // fractional time scale all leave the clock between two milliseconds.
    const clock = createManualClock();
    await clock.advance(0.5);
    const engine = createMockEngine({ provider: mockProviders.imagerouter, clock });
    const res = await drive(
      clock,
      engine.handle(
        new Request(`${origin('imagerouter')}/v1/openai/videos/generations`, {
          method: 'POST',
          headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }),
        }),
      ),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(await drive(clock, res.text())) as unknown;
    expect(imagerouterSpec.VideoGenerationResponse.safeParse(body).success).toBe(true);
    expect(engine.diagnostics).toEqual([]);
  });

  it("a path segment that is not valid percent-encoding gets the router's 404 or 400", async () => {
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createManualClock(),
    });
    const res = await engine.handle(
      new Request(`${origin('openrouter')}/api/v1/videos/%E0%A4%A`, {
        headers: { authorization: 'Bearer k' },
      }),
    );
    expect([400, 404]).toContain(res.status);
    expect(openrouterSpec.ErrorResponse.safeParse(await res.json()).success).toBe(true);
    expect(engine.diagnostics).toEqual([]);
  });

  it('ImageRouter /v1/models ignores a sort word that names an Object.prototype member', async () => {
    const engine = createMockEngine({
      provider: mockProviders.imagerouter,
      clock: createManualClock(),
    });
    for (const word of ['__proto__', 'valueOf', 'toLocaleString']) {
      const res = await engine.handle(
        new Request(`${origin('imagerouter')}/v1/models?sort=${word}`),
      );
      expect(res.status, word).toBe(200);
    }
    expect(engine.diagnostics).toEqual([]);
  });

  it('a scenario named like an Object.prototype member is an unknown scenario', async () => {
    const engine = createMockEngine({
      provider: mockProviders.openrouter,
      clock: createManualClock(),
    });
    const submit = (headers: Record<string, string>, prompt: string) =>
      engine.handle(
        new Request(`${origin('openrouter')}/api/v1/videos`, {
          method: 'POST',
          headers: { authorization: 'Bearer k', 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'google/veo-3.1', prompt }),
        }),
      );
    for (const res of [
      await submit({ 'x-reelkit-scenario': 'constructor' }, 'a cat'),
      await submit({ 'x-reelkit-scenario': '__proto__' }, 'a cat'),
      await submit({}, 'a cat [reelkit:constructor]'),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'MOCK_ERR_UNKNOWN_SCENARIO' } });
    }
    expect(engine.diagnostics).toEqual([]);
  });
});
