/**
 * Command-line options of `npm run bench`.
 * @module
 */
import { parseArgs } from 'node:util';
import type { Target, Workload } from './load.js';
import { ALL_TARGETS, WORKLOADS } from './load.js';
import { defaultResultsFile } from './paths.js';

/** Everything a run can be told. */
export interface BenchOptions {
  /** Seconds of each measured load run. */
  readonly seconds: number;
  /** Seconds of the warm-up run per target and workload (not counted). */
  readonly warmupSeconds: number;
  /** Interleaved rounds (a, b, c, a, b, c, ...). */
  readonly rounds: number;
  readonly connections: number;
  /** Workloads to drive (default all); a subset is for iterating, its report misses the rest. */
  readonly workloads: readonly Workload[];
  /** Targets to drive (default all), for iterating in the same way. */
  readonly targets: readonly Target[];
  /** Jobs stored for the memory reading. */
  readonly jobs: number;
  readonly startupRuns: number;
  /** Seconds per operation of the in-process engine loop. */
  readonly engineSeconds: number;
  readonly prism: boolean;
  /** Prism's `--verboseLevel`; `error` keeps its console logging from counting against it. */
  readonly prismLog: 'info' | 'warn' | 'error' | 'silent';
  /** Profile the mock under load when a throughput target is missed. */
  readonly profileOnMiss: boolean;
  /** Results JSON file. */
  readonly out: string;
  /** Also write a BENCHMARKS.md here. */
  readonly markdown?: string;
  /** Only profile the mock under poll and submit load, and print what dominates. */
  readonly profileOnly: boolean;
  /** A `@reelkit/mocks` package directory whose `dist/` the reelkit targets use instead. */
  readonly mocksFrom?: string;
  /** Measure nothing: report again from a results file of an earlier run. */
  readonly fromResults?: string;
}

/** The defaults: the whole run takes about two minutes on two cores. */
export const DEFAULT_OPTIONS: BenchOptions = {
  seconds: 3,
  warmupSeconds: 2,
  rounds: 3,
  connections: 50,
  workloads: WORKLOADS,
  targets: ALL_TARGETS,
  jobs: 100_000,
  startupRuns: 7,
  engineSeconds: 2,
  prism: true,
  prismLog: 'error',
  profileOnMiss: true,
  out: defaultResultsFile,
  profileOnly: false,
};

/** `--quick`: a sanity run in about half a minute; its numbers are noisy. */
export const QUICK_OPTIONS: Partial<BenchOptions> = {
  seconds: 1,
  warmupSeconds: 0.5,
  rounds: 2,
  jobs: 20_000,
  startupRuns: 3,
  engineSeconds: 0.5,
  profileOnMiss: false,
};

/** The usage text. */
export const USAGE = `Usage: npm run bench -- [options]

  --seconds <s>         seconds per measured load run (default 3)
  --warmup <s>          warm-up seconds per target and workload (default 2)
  --rounds <n>          interleaved rounds of a, b, c (default 3)
  --connections <n>     concurrent connections (default 50)
  --workloads <list>    comma-separated subset of ${WORKLOADS.join(',')} (default all)
  --targets <list>      comma-separated subset of ${ALL_TARGETS.join(',')}
                        (default all); goals whose targets did not run are NOT MEASURED
  --jobs <n>            jobs stored for the memory reading (default 100000)
  --startup-runs <n>    spawns of the mock for the start-up median (default 7)
  --engine-seconds <s>  seconds per in-process engine loop (default 2)
  --no-prism            skip Prism
  --prism-log <level>   Prism's --verboseLevel: error (default), warn, info (Prism's own default)
                        or silent; info logging halves Prism's throughput
  --no-profile          do not profile the mock when a throughput target is missed
  --out <file>          results JSON (default packages/bench/results/latest.json)
  --markdown <file>     also write BENCHMARKS.md there from this run
  --profile             only profile the mock under poll and submit load
  --mocks-from <dir>    use another @reelkit/mocks build (its dist/) for the reelkit targets
  --from-results <file> measure nothing: print (and with --markdown write) the report of an
                        earlier run's results file, verdicts re-checked
  --quick               short sanity run (noisy numbers)
  --help`;

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got '${value}'.`,
    );
  }
  return n;
}

function subset<T extends string>(
  name: string,
  value: string | undefined,
  all: readonly T[],
): readonly T[] | undefined {
  if (value === undefined) return undefined;
  const picked = value.split(',').map((item) => item.trim());
  const unknown = picked.filter((item) => !all.includes(item as T));
  if (unknown.length > 0 || picked.length === 0) {
    throw new Error(`${name} takes a comma-separated subset of ${all.join(', ')}; got '${value}'.`);
  }
  // In the canonical order, whatever order they were given in.
  return all.filter((item) => picked.includes(item));
}

const PRISM_LEVELS = ['info', 'warn', 'error', 'silent'] as const;

function prismLevel(value: string | undefined): BenchOptions['prismLog'] | undefined {
  if (value === undefined) return undefined;
  const level = PRISM_LEVELS.find((l) => l === value);
  if (!level) throw new Error(`--prism-log must be one of ${PRISM_LEVELS.join(', ')}.`);
  return level;
}

/**
 * Parses the command line; `undefined` means `--help` was asked for.
 *
 * @example
 * parseOptions(['--quick', '--no-prism']);
 */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      workloads: { type: 'string' },
      targets: { type: 'string' },
      jobs: { type: 'string' },
      'startup-runs': { type: 'string' },
      'engine-seconds': { type: 'string' },
      'no-prism': { type: 'boolean' },
      'prism-log': { type: 'string' },
      'no-profile': { type: 'boolean' },
      out: { type: 'string' },
      markdown: { type: 'string' },
      profile: { type: 'boolean' },
      'mocks-from': { type: 'string' },
      'from-results': { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const base: BenchOptions = { ...DEFAULT_OPTIONS, ...(values.quick ? QUICK_OPTIONS : {}) };
  const pick = <K extends keyof BenchOptions>(key: K, value: BenchOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    ...base,
    ...pick('seconds', positive('--seconds', values.seconds, false)),
    ...pick('warmupSeconds', positive('--warmup', values.warmup, false)),
    ...pick('rounds', positive('--rounds', values.rounds, true)),
    ...pick('connections', positive('--connections', values.connections, true)),
    ...pick('workloads', subset('--workloads', values.workloads, WORKLOADS)),
    ...pick('targets', subset('--targets', values.targets, ALL_TARGETS)),
    ...pick('jobs', positive('--jobs', values.jobs, true)),
    ...pick('startupRuns', positive('--startup-runs', values['startup-runs'], true)),
    ...pick('engineSeconds', positive('--engine-seconds', values['engine-seconds'], false)),
    ...(values['no-prism'] ? { prism: false } : {}),
    ...pick('prismLog', prismLevel(values['prism-log'])),
    ...(values['no-profile'] ? { profileOnMiss: false } : {}),
    ...pick('out', values.out),
    ...pick('markdown', values.markdown),
    ...(values.profile ? { profileOnly: true } : {}),
    ...pick('mocksFrom', values['mocks-from']),
    ...pick('fromResults', values['from-results']),
  };
}
