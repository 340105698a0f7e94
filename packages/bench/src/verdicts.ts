/**
 * The issue's targets, checked against a run, with the reasons for a miss as far as the numbers
 * tell them.
 * @module
 */
import type { BenchOptions } from './options.js';
import type { ProfileSummary } from './profile.js';
import type { EngineLoopResult, MemoryResult, MemoryReading } from './protocol.js';
import type { ConformanceResult, LoadSummary, Ratio, StartupResult, Verdict } from './results.js';
import { round } from './stats.js';

/** What the checks read. */
export interface VerdictInput {
  readonly options: BenchOptions;
  readonly load: readonly LoadSummary[];
  readonly ratios: readonly Ratio[];
  readonly engine: EngineLoopResult;
  readonly startup: StartupResult;
  readonly memory: MemoryResult;
  readonly profiles?: readonly ProfileSummary[];
  readonly conformance?: ConformanceResult;
}

/** The issue's thresholds. */
export const TARGETS = {
  pollVsFastify: 0.8,
  pollVsPrism: 8,
  submitVsFastify: 0.6,
  startupMs: 500,
  rssMB: 200,
  jobs: 100_000,
  /** Heap after a second wave may exceed the first wave's by at most this factor. */
  boundedHeapFactor: 1.1,
} as const;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (reqPerSec: number) => round(1e6 / reqPerSec, 1);

function ratioOf(input: VerdictInput, name: string): Ratio | undefined {
  return input.ratios.find((r) => r.name === name);
}

function loadOf(input: VerdictInput, workload: string, target: string): LoadSummary | undefined {
  return input.load.find((l) => l.workload === workload && l.target === target);
}

function ratioVerdict(
  input: VerdictInput,
  name: string,
  metric: string,
  threshold: number,
  why: () => string[],
): Verdict {
  const ratio = ratioOf(input, name);
  const target = `≥ ${threshold}×`;
  if (!ratio) {
    return {
      metric,
      measured: 'not measured (target skipped)',
      value: null,
      target,
      status: 'NOT MEASURED',
      why: [],
    };
  }
  const pass = ratio.median >= threshold;
  return {
    metric,
    measured: `${ratio.median.toFixed(2)}× (rounds ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
    value: ratio.median,
    target,
    status: pass ? 'PASS' : 'MISS',
    why: pass ? [] : why(),
  };
}

function profileWhy(input: VerdictInput, workload: string): string[] {
  const profile = input.profiles?.find((p) => p.workload === workload);
  if (!profile) return [`Run \`npm run bench -- --profile\` to see where the mock's time goes.`];
  const areas = profile.areas
    .slice(0, 5)
    .map((a) => `${a.name} ${a.percent}%`)
    .join(', ');
  const inclusive = profile.inclusiveTop
    .slice(0, 6)
    .map((a) => `${a.name.split(' ')[0] ?? a.name} ${a.percent}%`)
    .join(', ');
  return [
    `CPU profile under ${workload} load, self time by area: ${areas}.`,
    `Inclusive time of reelkit functions: ${inclusive}.`,
  ];
}

function mountWhy(input: VerdictInput, workload: 'poll' | 'submit'): string[] {
  const mock = loadOf(input, workload, 'reelkit');
  const fastify = loadOf(input, workload, 'fastify');
  if (!mock || !fastify || mock.reqPerSec <= 0 || fastify.reqPerSec <= 0) return [];
  const engineOps = input.engine[workload].opsPerSec;
  const engineUs = input.engine[workload].cpuUsPerOp;
  // Server CPU per request where /proc has it; else 1 / throughput (the load generator shares
  // the machine, so that is only an approximation).
  const measured = mock.cpuUsPerReq !== undefined && fastify.cpuUsPerReq !== undefined;
  const mockUs = measured ? (mock.cpuUsPerReq as number) : us(mock.reqPerSec);
  const fastifyUs = measured ? (fastify.cpuUsPerReq as number) : us(fastify.reqPerSec);
  const extra = round(mockUs - fastifyUs, 1);
  return [
    `${measured ? 'Server CPU' : 'Server time (1 / throughput)'} per ${workload}: mock ${mockUs} µs ` +
      `vs raw fastify ${fastifyUs} µs, +${extra} µs. ${WORK[workload]}`,
    `For scale: the public engine.handle, in-process with no HTTP, takes ${engineUs} µs of CPU ` +
      `(${fmt(engineOps)} ops/s), most of it building a Web Request and reading a Web Response, ` +
      `which the fastify mount does not do.`,
    ...profileWhy(input, workload),
  ];
}

/** What the mock does per request beyond what raw fastify does (it writes a constant). */
const WORK: Record<'poll' | 'submit', string> = {
  poll:
    'Per poll the mock routes and authenticates the request, checks the job id against the ' +
    "spec, reads the job's status from its timeline on the clock and sends its view (built, " +
    'serialised and checked once per status).',
  submit:
    'Per submit the mock validates the JSON body against the spec, judges it against the model ' +
    'catalog, bills the key, plans the timeline, registers the output, stores the job (it is ' +
    'kept: see the memory readings) and checks its 202 reply against the spec.',
};

function reading(memory: MemoryResult, index: number): MemoryReading | undefined {
  return memory.readings[index];
}

/**
 * Which workloads to profile: those whose throughput target was missed.
 *
 * @example
 * for (const workload of needsProfile(input)) await profileMock(options, workload, log);
 */
export function needsProfile(input: VerdictInput): ('poll' | 'submit')[] {
  const out: ('poll' | 'submit')[] = [];
  const poll = ratioOf(input, 'poll: reelkit / fastify');
  const submit = ratioOf(input, 'submit: reelkit / fastify');
  if (poll && poll.median < TARGETS.pollVsFastify) out.push('poll');
  if (submit && submit.median < TARGETS.submitVsFastify) out.push('submit');
  return out;
}

/**
 * Checks every target of the issue.
 *
 * @example
 * for (const v of checkTargets(input)) console.log(v.metric, v.status);
 */
export function checkTargets(input: VerdictInput): Verdict[] {
  const { memory, startup } = input;
  const verdicts: Verdict[] = [
    ratioVerdict(
      input,
      'poll: reelkit / fastify',
      'poll GET throughput, reelkit / raw fastify',
      TARGETS.pollVsFastify,
      () => mountWhy(input, 'poll'),
    ),
    ratioVerdict(
      input,
      'poll: reelkit / prism',
      'poll GET throughput, reelkit / Prism',
      TARGETS.pollVsPrism,
      () => {
        const prism = loadOf(input, 'poll', 'prism');
        const fastify = loadOf(input, 'poll', 'fastify');
        if (!prism || !fastify || prism.reqPerSec <= 0) return [];
        const ceiling = fastify.reqPerSec / prism.reqPerSec;
        return [
          `Prism answered ${fmt(prism.reqPerSec)} req/s (--verboseLevel ${input.options.prismLog}); ` +
            `raw fastify answering a constant body is itself only ${ceiling.toFixed(1)}× Prism here, ` +
            `so ≥ ${TARGETS.pollVsPrism}× Prism needs the mock at ` +
            `${(TARGETS.pollVsPrism / ceiling).toFixed(2)}× raw fastify` +
            (ceiling < TARGETS.pollVsPrism ? ', faster than raw fastify itself.' : '.'),
        ];
      },
    ),
    ratioVerdict(
      input,
      'submit: reelkit / fastify',
      'submit POST throughput, reelkit / raw fastify POST',
      TARGETS.submitVsFastify,
      () => mountWhy(input, 'submit'),
    ),
  ];

  const startupPass = startup.medianMs < TARGETS.startupMs;
  verdicts.push({
    metric: 'start-up, spawn → first /__reelkit/health answer (median)',
    measured: `${fmt(startup.medianMs)} ms (${startup.runsMs.length} runs)`,
    value: startup.medianMs,
    target: `< ${TARGETS.startupMs} ms`,
    status: startupPass ? 'PASS' : 'MISS',
    why: startupPass
      ? []
      : [
          `A bare node:http server takes ${fmt(startup.baselineMedianMs)} ms to answer on this machine; ` +
            `the other ${fmt(startup.medianMs - startup.baselineMedianMs)} ms is loading and ` +
            `initialising the CLI, the spec and fastify.`,
        ],
  });

  const full = memory.jobsRequested >= TARGETS.jobs;
  const stored = reading(memory, 1);
  const empty = reading(memory, 0);
  if (!stored || !empty) throw new Error('the memory worker returned too few readings');
  const perJob = round(
    ((stored.heapUsedMB - empty.heapUsedMB) * 1024 * 1024) / memory.jobsRequested,
  );
  const rssPass = stored.rssMB < TARGETS.rssMB;
  verdicts.push({
    metric: `RSS with ${fmt(TARGETS.jobs)} jobs stored`,
    measured: full
      ? `${stored.rssMB} MB`
      : `not measured at ${fmt(TARGETS.jobs)} (this run stored ${fmt(memory.jobsRequested)}: ${stored.rssMB} MB)`,
    value: full ? stored.rssMB : null,
    target: `< ${TARGETS.rssMB} MB`,
    status: !full ? 'NOT MEASURED' : rssPass ? 'PASS' : 'MISS',
    why:
      full && !rssPass
        ? [
            `The live heap grows by about ${fmt(perJob)} bytes per stored job (job, timeline, ` +
              `request body, ids, asset). RSS follows V8's committed heap (${stored.heapTotalMB} MB ` +
              `for ${stored.heapUsedMB} MB live), which grows past the live set while jobs are created.`,
          ]
        : [],
  });

  const swept = reading(memory, 2);
  const second = reading(memory, 3);
  if (!swept || !second) throw new Error('the memory worker returned too few readings');
  const heapBound = stored.heapUsedMB * TARGETS.boundedHeapFactor;
  const evicted = memory.jobsAfterEviction <= 1000;
  const bounded = second.heapUsedMB <= heapBound;
  const why: string[] = [];
  if (!evicted) {
    why.push(
      `${fmt(memory.jobsAfterEviction)} jobs were still stored after the clock passed the TTL and new traffic arrived.`,
    );
  }
  if (memory.assetsStillHeld > 0) {
    why.push(
      `The media store still held ${fmt(memory.assetsStillHeld)} of ${fmt(memory.assetsSampled)} sampled assets of evicted ` +
        `jobs: sweeping the job store does not forget the jobs' assets.`,
    );
  }
  if (!bounded) {
    why.push(
      `Heap after a second wave of ${fmt(memory.jobsRequested)} jobs: ${second.heapUsedMB} MB against ` +
        `${stored.heapUsedMB} MB after the first (limit ${round(heapBound, 1)} MB).`,
    );
  }
  verdicts.push({
    metric: `expired jobs evicted (TTL ${memory.ttlHours} h), memory bounded over a second wave`,
    measured:
      `${fmt(memory.jobsAfterEviction)} jobs left after the TTL; heap ${stored.heapUsedMB} → ` +
      `${swept.heapUsedMB} → ${second.heapUsedMB} MB, RSS ${stored.rssMB} → ${swept.rssMB} → ${second.rssMB} MB`,
    value: second.heapUsedMB,
    target: `≤ 1,000 jobs left; 2nd-wave heap ≤ ${TARGETS.boundedHeapFactor}× 1st`,
    status: evicted && bounded ? 'PASS' : 'MISS',
    // Kept on a PASS too: retained assets are a slow leak that a bigger run would show.
    why,
  });

  const conformance = input.conformance;
  verdicts.push({
    metric: 'conformance suite over four routers on virtual time',
    measured: conformance
      ? `${conformance.seconds} s (${Object.entries(conformance.perProvider)
          .map(([id, r]) => `${id} ${r.seconds} s`)
          .join(', ')})`
      : 'not measured in this run',
    value: conformance?.seconds ?? null,
    target: '< 10 s',
    status: !conformance ? 'NOT MEASURED' : conformance.seconds < 10 ? 'PASS' : 'MISS',
    why:
      conformance && Object.values(conformance.perProvider).some((r) => r.failed > 0)
        ? ['the suite reported failures against the faithful mocks; see results JSON']
        : [],
  });
  return verdicts;
}
