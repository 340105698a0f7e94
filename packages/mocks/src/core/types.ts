/**
 * The contract between the provider-agnostic engine and the thin per-router parts.
 * @module
 */
import type {
  ErrorKind,
  ProviderSpec,
  ResolvedGeneration,
  RouteDef,
  TimingProfile,
} from '@reelkit/spec';
import type { Clock } from './clock.js';
import type { BalanceConfig, Balances } from './ledger.js';
import type { RateLimits } from './rate-limiter.js';
import type { Jobs } from './store.js';
import type { MediaStore } from './media.js';
import type { Random } from './random.js';
import type { Scenario } from './scenarios.js';
import type { Job, JobData, TimelineEntry } from './store.js';
import type { WebhookEvent } from './webhooks.js';
import type { IncomingRequest } from './request.js';
import type { RequestTarget } from './url.js';

/** What every reply has: its status and headers. */
interface ReplyHead {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

/** A JSON reply (or one without a body), validated against the route's schema for its status. */
export interface JsonReply extends ReplyHead {
  readonly body?: unknown;
  /**
   * The handler returns this same `body` object again for later requests (a cached view of a job
   * that has not changed), and never mutates it: the engine serialises and checks it only once.
   */
  readonly reusedBody?: boolean;
  readonly bytes?: never;
  readonly stream?: never;
}

/** A binary reply (video/mp4), sent as it is. */
export interface BytesReply extends ReplyHead {
  readonly bytes: Uint8Array;
  readonly body?: never;
  readonly reusedBody?: never;
  readonly stream?: never;
}

/** A streamed reply, for the synchronous routers that hold the connection open. */
export interface StreamReply extends ReplyHead {
  readonly stream: ReadableStream<Uint8Array>;
  readonly body?: never;
  readonly reusedBody?: never;
  readonly bytes?: never;
}

/**
 * What a handler answers: JSON, bytes or a stream (the field present tells which). The engine
 * turns it into a response with `respond()`, checking JSON against the spec.
 *
 * @example
 * const ok: Reply = { status: 200, body: { id: 'job-1', status: 'pending' } };
 * const video: Reply = { status: 200, bytes, contentType: 'video/mp4' };
 */
export type Reply = JsonReply | BytesReply | StreamReply;

/** The failure families and timing profiles are the spec's (`@reelkit/spec`, router.ts). */
export type { ErrorKind, TimingProfile } from '@reelkit/spec';

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

/** Services the engine lends to handlers; the job store holds the provider's `Data`. */
export interface EngineServices<Data extends object = JobData> {
  readonly clock: Clock;
  readonly random: Random;
  readonly jobs: Jobs<Data>;
  readonly media: MediaStore;
  readonly webhookSettings: WebhookSettings;
  /** Balances per API key, in the router's unit. */
  readonly ledger: Balances;
  /** Per-key request windows, for routers with a documented rate. */
  readonly rateLimiter: RateLimits;
}

export type { HeaderReader, IncomingRequest, PlainResponse } from './request.js';

/** Everything a handler needs about one request. */
export interface RequestContext<Data extends object = JobData> {
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
  readonly services: EngineServices<Data>;
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

/**
 * A route handler: pure apart from the engine's services. Declared as a method so that a provider
 * with its own job data (`MockProvider<Spec, MyData>`) still counts as a `MockProvider`: the engine
 * hands every handler of a provider the one store that only that provider fills.
 */
export type Handler<Data extends object = JobData> = {
  handle(ctx: RequestContext<Data>): Reply | Promise<Reply>;
}['handle'];

/**
 * The thin per-router part of the mock: handlers keyed like the spec's route table, the router's
 * error envelope, timing data and job retention. `Data` is what its jobs carry (see {@link Job}).
 *
 * @example
 * type AcmeJobData = { readonly callbackUrl?: string };
 * const acmeMock: MockProvider<typeof acme, AcmeJobData> = { spec: acme, handlers, ... };
 * createMockEngine({ provider: acmeMock });
 */
export interface MockProvider<
  Spec extends ProviderSpec = ProviderSpec,
  Data extends object = JobData,
> {
  readonly spec: Spec;
  readonly handlers: { readonly [K in keyof Spec['routes']]: Handler<Data> };
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
  /**
   * The same router with its secrets (download tokens …) derived from `secret`: replicas that
   * share a state store use the store's secret, so that what one made, every other accepts.
   */
  withSharedSecret?(secret: Uint8Array): MockProvider<Spec, Data>;
  /** How long a finished job stays retrievable, in simulated ms. */
  readonly jobTtlMs: number;
  /** How the router counts money per API key. */
  readonly balance: BalanceConfig;
  /**
   * The webhook to deliver when a job reaches a terminal status, if the router sends one. Body
   * timestamps go through `clock.wallTime` (see {@link Clock.wallTime}).
   */
  webhook?(
    job: Job<Data>,
    terminal: TimelineEntry,
    settings: WebhookSettings,
    clock: Clock,
  ): WebhookEvent | undefined;
}

/** Something the engine noticed that a test should fail on: a mock bug, not a client error. */
export interface Diagnostic {
  readonly kind: 'invalid-response' | 'handler-crash';
  readonly operationId: string;
  readonly status?: number;
  readonly detail: string;
}
