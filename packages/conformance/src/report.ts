/**
 * The shape of a conformance run's results: what the runner produces and every reporter (console,
 * JSON, JUnit, HTML) reads. Keep it plain JSON so a report can be saved and re-rendered.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import type { TimeMovement } from './control.js';

/** Outcome of one check. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** A request as sent, enough to replay it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Text bodies verbatim; binary or multipart bodies summarised. */
  readonly body?: string;
  /** The same request as a copy-pasteable curl command (secrets masked unless asked otherwise). */
  readonly curl: string;
}

/** A response as received (bodies truncated for reports). */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly bodyTruncated?: boolean;
  readonly durationMs: number;
}

/** One request/response pair a check made. */
export interface Exchange {
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  /** Set when no response came (connection refused, reset, timeout). */
  readonly error?: string;
}

/** A job's observed statuses over time, for the timeline picture. */
export interface JobTimeline {
  readonly jobId: string;
  readonly model?: string;
  /** `at` is ms since the job was submitted (simulated time where the target has a clock). */
  readonly observations: readonly {
    readonly status: string;
    readonly canonical?: string;
    readonly at: number;
  }[];
  readonly terminal?: string;
}

/** The result of one check. */
export interface CheckResult {
  /** `<operationId>: <check>`, e.g. `createVideos: declared statuses only`; what --only/--skip match. */
  readonly id: string;
  readonly operationId: string;
  /** The check's family id, e.g. `declared-status`, `schema`, `lifecycle`, `webhook-signature`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** The contract rule this check enforces, in words, with its source (route/spec/doc). */
  readonly rule: string;
  /** For a failure: what was observed instead; for a skip: why. */
  readonly message?: string;
  readonly exchanges: readonly Exchange[];
  readonly timeline?: JobTimeline;
  readonly durationMs: number;
}

/** A whole run. */
export interface ConformanceReport {
  readonly tool: { readonly name: 'reelkit-conformance'; readonly version: string };
  readonly provider: ProviderId | (string & {});
  readonly target: {
    readonly baseUrl: string;
    /** Whether the target has the reelkit control plane (`/__reelkit/`), i.e. is a mock. */
    readonly controllable: boolean;
    readonly live: boolean;
  };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: readonly CheckResult[];
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number };
  /** Money spent on a live target, in USD, when known. */
  readonly costUsd?: number;
  /** How target time moved: advanced on a mock's control plane, or waited for. */
  readonly time?: TimeMovement;
}
