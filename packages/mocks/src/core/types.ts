/**
 * The contract between the provider-agnostic engine and the thin per-router parts.
 * @module
 */
import type { ProviderSpec, ResolvedGeneration, RouteDef } from '@reelkit/spec';
import type { Clock } from './clock.js';
import type { BalanceConfig, Ledger } from './ledger.js';
import type { RateLimiter } from './rate-limiter.js';
import type { JobStore } from './store.js';
import type { MediaStore } from './media.js';
import type { Random } from './random.js';
import type { Scenario } from './scenarios.js';
import type { Job, TimelineEntry } from './store.js';
import type { WebhookEvent } from './webhooks.js';
import type { RequestTarget } from './url.js';

/** What a handler answers; the engine turns it into a `Response` and checks it against the spec. */
export interface Reply {
  readonly status: number;
  /** A JSON body, validated against the route's schema for this status. */
  readonly body?: unknown;
  /** A binary body (video/mp4). */
  readonly bytes?: Uint8Array;
  /** A streamed body, for the synchronous routers that hold the connection open. */
  readonly stream?: ReadableStream<Uint8Array>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
  /**
   * The handler returns this same `body` object again for later requests (a cached view of a job
   * that has not changed), and never mutates it: the engine serialises and checks it only once.
   */
  readonly reusedBody?: boolean;
}

/** The failure families every router can answer, each in its own envelope. */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'not_found'
  | 'insufficient_credits'
  | 'rate_limited'
  | 'server_error'
  | 'provider_error'
  | 'moderation'
  | 'payload_too_large';

/** Details a provider may use to word an error as the router does. */
export interface ErrorDetail {
  readonly message?: string;
  readonly param?: string;
  readonly issues?: readonly { path: readonly PropertyKey[]; message: string }[];
  /** For `unauthorized`: no key at all, or a key that is not accepted. */
  readonly reason?: 'missing' | 'invalid';
  readonly retryAfterSeconds?: number;
}

/** Webhook settings of an engine. */
export interface WebhookSettings {
  /** Signing secret; deliveries are signed only when it is set (as on the real routers). */
  readonly secret?: string;
  /** Callback for jobs that name none (OpenRouter's workspace default). */
  readonly defaultCallbackUrl?: string;
  /** Accept `http://` callbacks to loopback hosts (127.0.0.1, ::1, localhost) for local receivers. */
  readonly allowHttpLoopback?: boolean;
  /** Accept callbacks to private and link-local networks (see `CallbackPolicy`). */
  readonly allowPrivateNetworks?: boolean;
}

/** Services the engine lends to handlers. */
export interface EngineServices {
  readonly clock: Clock;
  readonly random: Random;
  readonly jobs: JobStore;
  readonly media: MediaStore;
  readonly webhookSettings: WebhookSettings;
  /** Balances per API key, in the router's unit. */
  readonly ledger: Ledger;
  /** Per-key request windows, for routers with a documented rate. */
  readonly rateLimiter: RateLimiter;
}

/** The header lookups the engine makes: a Web `Headers` satisfies it. Names are case-insensitive. */
export interface HeaderReader {
  get(name: string): string | null;
  has(name: string): boolean;
}

/**
 * What the engine reads of a request: a `Request` satisfies it, and so does the fastify adapter's
 * lighter object, which reads Node's parsed headers in place: building a Web `Request` (or even a
 * `Headers`) costs more than the engine's own work on a poll.
 */
export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  /** The URL already split, when the server knows its parts (the engine parses `url` otherwise). */
  readonly target?: RequestTarget;
  readonly headers: HeaderReader;
  text(): Promise<string>;
  formData(): Promise<FormData>;
}

/**
 * A plain answer; `handle()` wraps it in a `Response`. A string body is JSON text, left for the
 * server to encode (Node writes strings to the socket without an intermediate copy); its
 * `content-length` header is set by the engine all the same.
 */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string | null;
}

/** Everything a handler needs about one request. */
export interface RequestContext {
  readonly routeKey: string;
  readonly route: RouteDef;
  readonly request: IncomingRequest;
  /** Path and query of the request as received, split from its URL. */
  readonly target: RequestTarget;
  /** The origin clients reach this mock at, for absolute URLs in bodies. */
  readonly origin: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed, schema-valid body (JSON or multipart fields). */
  readonly body: Readonly<Record<string, unknown>>;
  /** Files of a multipart body, by field name. */
  readonly files: ReadonlyMap<string, readonly File[]>;
  readonly apiKey: string | undefined;
  readonly scenario: Scenario;
  readonly services: EngineServices;
  /** Checks a JSON body against the route's schema for `status` (for bodies sent in a stream). */
  readonly validate: (status: number, body: unknown) => void;
}

/** What {@link MockProvider.keylessAccess} decides on: the route and the URL, before parsing. */
export interface KeylessRequest {
  readonly routeKey: string;
  readonly params: Readonly<Record<string, string>>;
  /** The URL's query string, `?` included (or empty). */
  readonly search: string;
}

/** A route handler: pure apart from the engine's services. */
export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** Queue wait and render time of a model, in simulated milliseconds: [min, max] ranges. */
export interface TimingProfile {
  readonly queueMs: readonly [number, number];
  readonly renderMs: readonly [number, number];
}

/**
 * The thin per-router part of the mock: handlers keyed like the spec's route table, the router's
 * error envelope, timing data and job retention.
 */
export interface MockProvider<Spec extends ProviderSpec = ProviderSpec> {
  readonly spec: Spec;
  readonly handlers: { readonly [K in keyof Spec['routes']]: Handler };
  /** The router's own error body and status for a failure family. */
  error(kind: ErrorKind, detail?: ErrorDetail): Reply;
  /** How long a model queues and renders. */
  timing(generation: ResolvedGeneration): TimingProfile;
  /** Scenarios this router can act out (see SCENARIOS). */
  readonly scenarios: readonly string[];
  /**
   * Whether a request without an Authorization header may reach the handler of a `bearer` route
   * (OpenRouter's `unsigned_urls` carry a per-job token instead of needing the key). The handler
   * then sees `apiKey: undefined`. Without this hook, every `bearer` route needs a key.
   */
  keylessAccess?(request: KeylessRequest): boolean;
  /** How long a finished job stays retrievable, in simulated ms. */
  readonly jobTtlMs: number;
  /** How the router counts money per API key. */
  readonly balance: BalanceConfig;
  /**
   * The webhook to deliver when a job reaches a terminal status, if the router sends one. Body
   * timestamps go through `clock.wallTime` (see {@link Clock.wallTime}).
   */
  webhook?(
    job: Job,
    terminal: TimelineEntry,
    settings: WebhookSettings,
    clock: Clock,
  ): WebhookEvent | undefined;
}
