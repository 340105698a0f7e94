/**
 * The results of a run, as written to `results/latest.json`.
 * @module
 */
import type { LoadSample, RedisPerRequest, Target, Workload } from './load.js';
import type { BenchOptions } from './options.js';
import type { ProfileSummary } from './profile.js';
import type { EngineLoopResult, MemoryResult, MockConfig, RedisProbe } from './protocol.js';

/** The machine a run happened on. */
export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly memoryGB: number;
  /** 1-minute load average when the run started and ended: other work skews the numbers. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** One target under one workload, over all measured rounds. */
export interface LoadSummary {
  readonly workload: Workload;
  readonly target: Target;
  /** Medians over the rounds. */
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly roundsReqPerSec: readonly number[];
  /** Median server CPU time per successful response, µs (Linux only). */
  readonly cpuUsPerReq?: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly mismatches: number;
  /** On Redis: medians over the rounds of Redis's commands and CPU per response. */
  readonly redis?: RedisPerRequest;
}

/** The Redis replica's rows: measured (with the traffic it counted itself), or why not. */
export type RedisSection =
  | {
      readonly measured: true;
      readonly version: string;
      /** The clock of the replica, the same as the in-memory configuration it is compared with. */
      readonly clock: string;
      readonly probe: RedisProbe;
    }
  | { readonly measured: false; readonly reason: string };

/** A ratio of two targets, taken round by round (each pair ran back to back). */
export interface Ratio {
  readonly name: string;
  readonly workload: Workload;
  readonly numerator: Target;
  readonly denominator: Target;
  /** Median of the per-round ratios. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** PASS, MISS, or not measured (never a made-up number). */
export type VerdictStatus = 'PASS' | 'MISS' | 'NOT MEASURED';

/** One target of the issue, checked. */
export interface Verdict {
  readonly metric: string;
  /** The measured value as shown, or the reason it was not measured. */
  readonly measured: string;
  readonly value: number | null;
  readonly target: string;
  readonly status: VerdictStatus;
  /** Why it was missed or not measured, as far as the run can tell. */
  readonly why: readonly string[];
}

/** Start-up times, spawn to first successful answer. */
export interface StartupResult {
  readonly command: string;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  /** The same for a bare `node:http` server: the floor any node server pays. */
  readonly baselineRunsMs: readonly number[];
  readonly baselineMedianMs: number;
}

/** The bodies the targets answered, and whether the baselines' copies are byte-identical. */
export interface BodiesCheck {
  /** The configuration whose bodies the baselines answer (the default one when it runs). */
  readonly source: MockConfig;
  /** Its poll body's size (the baselines answer the same bytes). */
  readonly pollBytes: number;
  /** Each configuration's poll body size (ids, ports and times differ, sizes should not). */
  readonly pollBytesByConfig: Readonly<Partial<Record<MockConfig, number>>>;
  readonly submitBytes: number;
  readonly mp4Bytes: number;
  /** Every baseline's poll, submit and MP4 bodies equal the source's, byte for byte. */
  readonly identical: boolean;
  readonly prismPollBytes?: number;
}

/** Everything a run measured. */
export interface BenchResults {
  readonly schema: 2;
  readonly command: string;
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly machine: Machine;
  readonly git: { readonly commit: string; readonly dirty: boolean };
  readonly options: BenchOptions;
  readonly bodies: BodiesCheck;
  readonly warmups: readonly LoadSample[];
  readonly samples: readonly LoadSample[];
  readonly load: readonly LoadSummary[];
  readonly ratios: readonly Ratio[];
  readonly engine: EngineLoopResult;
  readonly startup: StartupResult;
  readonly memory: MemoryResult;
  readonly conformance: ConformanceResult;
  readonly verdicts: readonly Verdict[];
  readonly profiles: readonly ProfileSummary[];
  /** The Redis replica's rows; absent when the run did not ask for them. */
  readonly redis?: RedisSection;
}

/** The whole conformance suite over the four routers, in-process on virtual time. */
export interface ConformanceResult {
  readonly measured: true;
  readonly seconds: number;
  readonly perProvider: Readonly<
    Record<string, { seconds: number; passed: number; failed: number; skipped: number }>
  >;
}
