/**
 * What the kit needs to know about driving one router beyond its route table: how to build a
 * valid generation request from the catalog, where a job's id and status sit in a body, how to
 * poll, and where the video is. Drivers name routes by their keys in the spec's table and read
 * bodies typed by the spec's schemas; they list no endpoint or status of their own.
 * @module
 */
import type { ProviderSpec } from '@reelkit/spec';
import type { OutgoingRequest, Reply, Session } from '../http.js';
import type { InvalidField } from '../schema.js';

/** What a generated video should be, as the spec's judge resolves the request. */
export interface ExpectedVideo {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly count: number;
}

/** A valid generation request for one model. */
export interface JobPlan {
  /** Key of the lifecycle in `spec.lifecycles` this job follows. */
  readonly lifecycle: string;
  readonly model: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly expected: ExpectedVideo;
  /** Estimated USD price, when the router publishes one. */
  readonly costUsd?: number;
}

/** A job the target accepted. */
export interface SubmittedJob {
  readonly id: string;
  readonly plan: JobPlan;
  /** The status word the submit answer carried, if any. */
  readonly status?: string;
  /** The polling URL the submit answer carried, if any. */
  readonly pollingUrl?: string;
}

/** A named instant a body carries, in ms since the epoch. */
export interface Timestamp {
  readonly name: string;
  readonly ms: number;
}

/** What one answer says about a job. */
export interface StatusReading {
  /** The router's status word. */
  readonly status?: string;
  /** The job id the body echoes. */
  readonly id?: string;
  readonly timestamps?: readonly Timestamp[];
  /** Why the answer could not be read. */
  readonly problem?: string;
}

/** The request of one poll, and why the kit did not use the router's own pointer, if it did not. */
export interface PollRequest {
  readonly request: OutgoingRequest;
  readonly problem?: string;
}

/** One way to read a job's status. */
export interface Poller {
  readonly routeKey: string;
  /** What must resolve, for the check's name: `polling URL` or `task id`. */
  readonly resolves: string;
  request(job: SubmittedJob, session: Session): PollRequest;
}

/** Where a finished video is. */
export type ContentSource =
  | { readonly kind: 'url'; readonly operationId: string; readonly url: string }
  | { readonly kind: 'bytes'; readonly operationId: string; readonly bytes: Uint8Array };

/** Content, or why there is none. */
export type ContentResult = readonly ContentSource[] | { readonly problem: string };

/** What a negative or auth check sends to a route besides its URL. */
export interface RouteRequestParts {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

/** Context for building a request to any route. */
export interface RouteRequestContext {
  readonly plan: JobPlan;
  readonly job?: SubmittedJob;
  /** Address a job or model that does not exist. */
  readonly unknownId?: boolean;
}

interface DriverBase {
  readonly spec: ProviderSpec;
  /** Key of the generation route. */
  readonly createRoute: string;
  /** Every model's valid request, any order; the kit orders them by price. */
  plans(): JobPlan[];
  /** The model ids a listing answer names (available ones only), for live targets. */
  listedModels(routeKey: string, reply: Reply): readonly string[] | undefined;
  /** An out-of-set value from the catalog, when the request schema enumerates no field. */
  outOfSet?(plan: JobPlan): InvalidField | undefined;
  /** The parts of a request to a route; `undefined` when the kit cannot address it. */
  requestParts(routeKey: string, context: RouteRequestContext): RouteRequestParts | undefined;
  /** The operation a content check is attributed to, per lifecycle. */
  contentOperation(lifecycle: string): string;
  /** A content type a route may answer instead of the declared one (documented exceptions). */
  alternateContentType?(routeKey: string, status: number): string | undefined;
  /** Lifecycles whose answers carry timestamps the kit can check. */
  readonly timestamps?: readonly string[];
  /** Set when the router sends webhooks: the request field that names the receiver. */
  readonly webhooks?: { readonly callbackField: string };
}

/** A router that answers a submit at once and is then polled. */
export interface AsyncDriver extends DriverBase {
  readonly flow: 'async';
  /** The job id, status and polling URL of a submit answer. */
  parseSubmit(
    reply: Reply,
    plan: JobPlan,
  ): Omit<SubmittedJob, 'plan'> | { readonly problem: string };
  pollers(plan: JobPlan): readonly Poller[];
  read(routeKey: string, reply: Reply, job: SubmittedJob): StatusReading;
  /** The videos of a finished job, from the last answer of each poll route. */
  content(job: SubmittedJob, last: ReadonlyMap<string, Reply>): ContentResult;
}

/** A router that holds one request until the video is done. */
export interface SyncDriver extends DriverBase {
  readonly flow: 'sync';
  /** The implicit terminal status of a finished request (`undefined` status: refused, no job). */
  readOutcome(reply: Reply): StatusReading;
  content(reply: Reply): ContentResult;
}

/** Either kind of driver. */
export type Driver = AsyncDriver | SyncDriver;
