/**
 * What a run knows while it runs: the target, the session that records every exchange, the jobs it
 * drove and what it observed of them. Probes fill it in; checks read it.
 * @module
 */
import type { LifecycleDef, ProviderSpec } from '@reelkit/spec';
import type { TargetClock } from '../control.js';
import type { Driver, JobPlan, StatusReading, SubmittedJob } from '../drivers/types.js';
import type { Reply, Session } from '../http.js';
import type { Mp4Decoding, Mp4Inspection } from '../mp4.js';
import type { Exchange, JobTimeline } from '../report.js';
import type { Target } from '../target.js';
import type { WebhookReceiver } from '../webhook-receiver.js';

/** Options a run resolved from {@link RunConformanceOptions} and the target. */
export interface RunSettings {
  readonly negative: boolean;
  /** Whether the target must refuse unknown keys: `true`, `false`, or detect (`undefined`). */
  readonly keysEnforced: boolean | undefined;
  /** Target-time cadence of polls in ms. */
  readonly pollIntervalMs: number;
  /** Target time a job may take to reach a terminal status, in ms. */
  readonly jobBudgetMs: number;
  /** Polls after the first terminal status, to see that it stays. */
  readonly terminalRepolls: number;
  readonly maxCostUsd: number;
  /** The secret deliveries are signed with, when the kit knows it. */
  readonly webhook?: { readonly secret?: string; readonly timeoutMs: number };
  /** The ffprobe that decodes downloaded videos, or `false` to decode none. */
  readonly ffprobe: string | false;
}

/** One observation of a poll route. */
export interface Observation {
  /** `submit`: the status the submit answer carried; `poll`: a poll. */
  readonly source: 'submit' | 'poll';
  readonly at: number;
  readonly reply: Reply;
  readonly reading: StatusReading;
}

/** A job's polls on one route. */
export interface PollTrack {
  readonly routeKey: string;
  readonly resolves: string;
  readonly observations: Observation[];
  /** Where the kit could not follow the router's own pointer (e.g. a polling URL). */
  readonly problems: string[];
  /** The job answered a 404 after it had been seen: gone (expired results do this). */
  gone: boolean;
}

/** A downloaded (or streamed) video and what it turned out to be. */
export interface ContentCheck {
  readonly operationId: string;
  readonly source: string;
  readonly exchange?: Exchange;
  readonly status?: number;
  readonly inspection?: Mp4Inspection;
  /** Every frame decoded (ffprobe), when the inspection read the file. */
  readonly decoding?: Mp4Decoding;
  readonly problem?: string;
}

/** One generation the kit asked for, and everything it saw of it. */
export interface JobRun {
  readonly plan: JobPlan;
  readonly lifecycle: LifecycleDef;
  readonly scenario?: string;
  readonly callbackUrl?: string;
  readonly submit: Reply;
  /** Target time when the request was sent. */
  readonly startedAt: number;
  /** Set when the target accepted the job (async). */
  job?: SubmittedJob;
  /** Why no job came of the submit. */
  submitProblem?: string;
  /** Polls by route (async). */
  readonly tracks: PollTrack[];
  /** The first terminal status seen (async), or the implicit one (sync). */
  terminal?: string;
  /** The job did not end within the budget. */
  timedOut?: boolean;
  /** Target time when the held request ended (sync). */
  endedAt?: number;
  /**
   * Wall-clock times of the held request (sync): what body timestamps are on when the target's
   * clock is real but scaled (a reelkit mock stamps bodies with the wall clock, see Clock.wallTime).
   */
  wall?: { readonly startedAt: number; readonly endedAt: number };
  /** What the final answer says (sync). */
  reading?: StatusReading;
  /** Videos of a successful happy-path job. */
  content?: readonly ContentCheck[] | { readonly problem: string };
}

/** Everything a run holds. */
export interface RunState {
  readonly spec: ProviderSpec;
  readonly driver: Driver;
  readonly target: Target;
  readonly session: Session;
  readonly clock: TargetClock;
  readonly settings: RunSettings;
  /** The chosen plan per lifecycle (cheapest first); the first is the primary. */
  plans: Map<string, JobPlan>;
  /** The happy-path job of each lifecycle. */
  readonly jobs: Map<string, JobRun>;
  readonly scenarioRuns: Map<string, JobRun | { readonly problem: string }>;
  /** Scenario names the target lists. */
  scenarios: readonly string[];
  receiver?: WebhookReceiver;
  /** The URL jobs name as their webhook receiver (the receiver's, or a public tunnel to it). */
  callbackUrl?: string;
  /** Why webhooks could not be used although a receiver runs. */
  webhookProblem?: string;
  /** A job's delivery did not arrive in time: later jobs wait for theirs only briefly. */
  webhookMissed?: boolean;
  /** Estimated USD spent on a live target. */
  spentUsd: number;
}

/**
 * The primary plan: the first lifecycle's.
 *
 * @example
 * primaryPlan(state)?.model; // 'google/veo-3.1-lite'
 */
export function primaryPlan(state: RunState): JobPlan | undefined {
  return state.plans.values().next().value;
}

/**
 * A job's observations on one route as a report timeline (ms since submission).
 *
 * @example
 * timelineOf(run, run.tracks[0]); // { jobId, model, observations: [{ status: 'pending', at: 0 }, …] }
 */
export function timelineOf(run: JobRun, track?: PollTrack): JobTimeline {
  const lifecycle = run.lifecycle;
  const observations: { status: string; canonical?: string; at: number }[] = [];
  const push = (status: string | undefined, at: number) => {
    if (!status) return;
    const canonical = (lifecycle.canonical as Readonly<Record<string, string>>)[status];
    observations.push({ status, ...(canonical ? { canonical } : {}), at });
  };
  if (track) {
    for (const o of track.observations) push(o.reading.status, o.at);
  } else {
    push(lifecycle.initial, 0);
    push(run.reading?.status, (run.endedAt ?? run.startedAt) - run.startedAt);
  }
  const last = observations.at(-1)?.status;
  return {
    jobId: run.job?.id ?? '(none)',
    model: run.plan.model,
    observations,
    ...(last && lifecycle.terminal.includes(last) ? { terminal: last } : {}),
  };
}

/**
 * The statuses a track observed, in order.
 *
 * @example
 * statusesOf(track); // ['pending', 'in_progress', 'completed']
 */
export function statusesOf(track: PollTrack): string[] {
  return track.observations.flatMap((o) => (o.reading.status ? [o.reading.status] : []));
}
