/**
 * The benchmark run: start the targets, drive them in interleaved rounds, measure the engine
 * in-process, start-up and memory, and check the issue's targets.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { LoadOptions, LoadSample, Target, TargetPaths, Workload } from './load.js';
import { runLoad } from './load.js';
import { measureMemory } from './memory.js';
import type { BenchOptions } from './options.js';
import { cliBin, repoRoot } from './paths.js';
import type { PrismMock } from './processes.js';
import {
  freePort,
  httpGet,
  httpSend,
  runWorker,
  startPrism,
  startServerWorker,
  timeToFirstAnswer,
} from './processes.js';
import type { CpuProfile, ProfileSummary } from './profile.js';
import { summariseProfile } from './profile.js';
import type {
  EngineLoopResult,
  FastifyBodies,
  FastifyServerInfo,
  ReelkitServerInfo,
} from './protocol.js';
import { AUTH_HEADERS, BASE_PATH, SUBMIT_BODY, SUBMIT_HEADERS } from './protocol.js';
import type {
  BenchResults,
  BodiesCheck,
  LoadSummary,
  Machine,
  Ratio,
  StartupResult,
  ConformanceResult,
} from './results.js';
import { engineTarget, runConformance } from '@reelkit/conformance';
import { createManualClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import { PROVIDER_IDS } from '@reelkit/spec';
import { median, round } from './stats.js';
import { checkTargets, needsProfile } from './verdicts.js';
import { MOCKS_FROM_ENV } from './workers/worker.js';

/** Progress lines go here. */
export type Log = (line: string) => void;

const WORKLOADS: readonly Workload[] = ['poll', 'submit', 'mixed'];

/**
 * Times the whole conformance suite over the four routers, in-process on manual clocks (the mock's
 * jobs take minutes of simulated time each), with webhooks and key checks on.
 */
async function measureConformance(log: Log): Promise<ConformanceResult> {
  log('conformance: the whole suite over the four routers on virtual time');
  const perProvider: Record<
    string,
    { seconds: number; passed: number; failed: number; skipped: number }
  > = {};
  const started = performance.now();
  for (const id of PROVIDER_IDS) {
    const t0 = performance.now();
    const engine = createMockEngine({
      provider: mockProviders[id],
      clock: createManualClock(),
      apiKeys: ['bench-key'],
      webhooks: { secret: 'whsec_bench', allowHttpLoopback: true },
    });
    const target = await engineTarget(engine, { apiKey: 'bench-key' });
    const report = await runConformance({
      provider: id,
      target,
      keysEnforced: true,
      webhook: { secret: 'whsec_bench' },
    });
    perProvider[id] = { seconds: round((performance.now() - t0) / 1000, 2), ...report.summary };
    log(
      `  ${id}: ${perProvider[id]?.seconds} s (${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped)`,
    );
  }
  return { measured: true, seconds: round((performance.now() - started) / 1000, 2), perProvider };
}

function machine(loadAtStart: number): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cpuModel,
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGB: round(totalmem() / 1024 ** 3, 1),
    loadAverage: { start: loadAtStart, end: round(loadavg()[0] ?? 0, 2) },
  };
}

function git(): BenchResults['git'] {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    return {
      commit: run(['rev-parse', '--short', 'HEAD']),
      dirty: run(['status', '--porcelain']) !== '',
    };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

function workerEnv(options: BenchOptions): Record<string, string> {
  return options.mocksFrom ? { [MOCKS_FROM_ENV]: resolve(options.mocksFrom) } : {};
}

function pathsOf(
  origin: string,
  basePath: string,
  jobId: string,
  pid: number | undefined,
): TargetPaths {
  return {
    origin,
    ...(pid !== undefined ? { pid } : {}),
    submit: `${basePath}/videos`,
    poll: `${basePath}/videos/${jobId}`,
    pollOf: (id) => `${basePath}/videos/${id}`,
    content: `${basePath}/videos/${jobId}/content?index=0`,
  };
}

async function expectStatus(
  what: string,
  answer: Promise<{ status: number; body: Buffer } | undefined>,
  status: number,
): Promise<Buffer> {
  const got = await answer;
  if (!got || got.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${got ? `${got.status} ${got.body.toString().slice(0, 300)}` : 'no answer'}`,
    );
  }
  return got.body;
}

interface Targets {
  readonly paths: Map<Target, TargetPaths>;
  readonly bodies: BodiesCheck;
  stop(): Promise<void>;
}

async function startTargets(options: BenchOptions, log: Log): Promise<Targets> {
  const env = workerEnv(options);
  log(
    'starting the reelkit mock (fastify mount, manual clock)' + (options.prism ? ' and Prism' : ''),
  );
  const prismStarting: Promise<PrismMock | undefined> = options.prism
    ? startPrism({ timeoutMs: 60_000, logLevel: options.prismLog })
    : Promise.resolve(undefined);
  // Keep a failed Prism start from being an unhandled rejection while the others start.
  prismStarting.catch(() => undefined);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const reelkit = await startServerWorker<ReelkitServerInfo>('reelkit-server', {
      args: ['64'],
      env,
      timeoutMs: 60_000,
    });
    started.push(reelkit);
    const jobId = reelkit.info.jobIds[0] as string;
    const reelkitPaths = pathsOf(reelkit.info.origin, BASE_PATH, jobId, reelkit.pid);
    const poll = await expectStatus(
      'reelkit poll',
      httpGet(reelkitPaths.origin + reelkitPaths.poll, AUTH_HEADERS),
      200,
    );
    const mp4 = await expectStatus(
      'reelkit content',
      httpGet(reelkitPaths.origin + reelkitPaths.content, AUTH_HEADERS),
      200,
    );
    const submit = await expectStatus(
      'reelkit submit',
      httpSend(reelkitPaths.origin + reelkitPaths.submit, 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
      202,
    );
    const bodies: FastifyBodies = {
      poll: poll.toString('utf8'),
      submit: submit.toString('utf8'),
      mp4Base64: mp4.toString('base64'),
    };

    log('starting raw fastify with the mock’s bodies');
    const fastify = await startServerWorker<FastifyServerInfo>(
      'fastify-server',
      { timeoutMs: 30_000 },
      (child) => child.send({ type: 'bodies', bodies }),
    );
    started.push(fastify);
    const fastifyPaths = pathsOf(fastify.info.origin, BASE_PATH, jobId, fastify.pid);
    const same = [
      poll.equals(
        await expectStatus(
          'fastify poll',
          httpGet(fastifyPaths.origin + fastifyPaths.poll, AUTH_HEADERS),
          200,
        ),
      ),
      submit.equals(
        await expectStatus(
          'fastify submit',
          httpSend(fastifyPaths.origin + fastifyPaths.submit, 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
          202,
        ),
      ),
      mp4.equals(
        await expectStatus(
          'fastify content',
          httpGet(fastifyPaths.origin + fastifyPaths.content, AUTH_HEADERS),
          200,
        ),
      ),
    ];
    const paths = new Map<Target, TargetPaths>([
      ['reelkit', { ...reelkitPaths, pollBody: bodies.poll }],
      ['fastify', { ...fastifyPaths, pollBody: bodies.poll }],
    ]);

    const prism = await prismStarting;
    let prismPollBytes: number | undefined;
    if (prism) {
      started.push(prism);
      log('Prism is up');
      // Prism serves the document's paths, without the servers' /api/v1 base.
      const prismPaths = pathsOf(prism.origin, '', jobId, prism.pid);
      const prismPoll = await expectStatus(
        'prism poll',
        httpGet(prismPaths.origin + prismPaths.poll, AUTH_HEADERS),
        200,
      );
      await expectStatus(
        'prism submit',
        httpSend(prismPaths.origin + prismPaths.submit, 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
        202,
      );
      prismPollBytes = prismPoll.byteLength;
      paths.set('prism', { ...prismPaths, pollBody: prismPoll.toString('utf8') });
    }
    return {
      paths,
      bodies: {
        pollBytes: poll.byteLength,
        submitBytes: submit.byteLength,
        mp4Bytes: mp4.byteLength,
        identical: same.every(Boolean),
        ...(prismPollBytes !== undefined ? { prismPollBytes } : {}),
      },
      stop: async () => void (await Promise.allSettled(started.map((s) => s.stop()))),
    };
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.stop()));
    const prism = await prismStarting.catch(() => undefined);
    await prism?.stop();
    throw error;
  }
}

function targetsFor(workload: Workload, paths: Map<Target, TargetPaths>): Target[] {
  // Prism cannot serve binary bodies, so it sits out the mixed workload (which downloads MP4s).
  const all: Target[] =
    workload === 'mixed' ? ['reelkit', 'fastify'] : ['reelkit', 'fastify', 'prism'];
  return all.filter((target) => paths.has(target));
}

function describe(sample: LoadSample): string {
  const problems = [
    sample.non2xx ? `${sample.non2xx} non-2xx` : '',
    sample.errors ? `${sample.errors} errors` : '',
    sample.mismatches ? `${sample.mismatches} body mismatches` : '',
  ].filter(Boolean);
  const cpu =
    sample.cpuUsPerReq !== undefined ? `  cpu ${Math.round(sample.cpuUsPerReq)} µs/req` : '';
  return (
    `${sample.target.padEnd(8)} ${Math.round(sample.reqPerSec).toLocaleString('en-US').padStart(7)} req/s${cpu}` +
    `  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms${problems.length ? `  (${problems.join(', ')})` : ''}`
  );
}

async function driveLoad(
  options: BenchOptions,
  paths: Map<Target, TargetPaths>,
  log: Log,
): Promise<{ warmups: LoadSample[]; samples: LoadSample[] }> {
  const warmups: LoadSample[] = [];
  const samples: LoadSample[] = [];
  const load: LoadOptions = { connections: options.connections, seconds: options.seconds };
  const warm: LoadOptions = { connections: options.connections, seconds: options.warmupSeconds };
  for (const workload of WORKLOADS) {
    const targets = targetsFor(workload, paths);
    for (const target of targets) {
      const sample = await runLoad(target, workload, paths.get(target) as TargetPaths, warm, 0);
      warmups.push(sample);
      log(`${workload} warm-up   ${describe(sample)}`);
    }
    for (let r = 1; r <= options.rounds; r++) {
      for (const target of targets) {
        const sample = await runLoad(target, workload, paths.get(target) as TargetPaths, load, r);
        samples.push(sample);
        log(`${workload} round ${r}/${options.rounds} ${describe(sample)}`);
      }
    }
  }
  return { warmups, samples };
}

function summarise(samples: readonly LoadSample[]): LoadSummary[] {
  const summaries: LoadSummary[] = [];
  for (const workload of WORKLOADS) {
    for (const target of ['reelkit', 'fastify', 'prism'] as const) {
      const rounds = samples.filter((s) => s.workload === workload && s.target === target);
      if (rounds.length === 0) continue;
      const sum = (pick: (s: LoadSample) => number) => rounds.reduce((n, s) => n + pick(s), 0);
      const cpu = rounds.flatMap((s) => (s.cpuUsPerReq !== undefined ? [s.cpuUsPerReq] : []));
      summaries.push({
        workload,
        target,
        reqPerSec: round(median(rounds.map((s) => s.reqPerSec))),
        p50Ms: round(median(rounds.map((s) => s.p50Ms)), 2),
        p99Ms: round(median(rounds.map((s) => s.p99Ms)), 2),
        roundsReqPerSec: rounds.map((s) => s.reqPerSec),
        ...(cpu.length > 0 ? { cpuUsPerReq: round(median(cpu), 1) } : {}),
        non2xx: sum((s) => s.non2xx),
        errors: sum((s) => s.errors),
        mismatches: sum((s) => s.mismatches),
      });
    }
  }
  return summaries;
}

function ratios(samples: readonly LoadSample[]): Ratio[] {
  const pairs: [Workload, Target, Target][] = [
    ['poll', 'reelkit', 'fastify'],
    ['poll', 'reelkit', 'prism'],
    ['submit', 'reelkit', 'fastify'],
    ['submit', 'reelkit', 'prism'],
    ['mixed', 'reelkit', 'fastify'],
  ];
  const out: Ratio[] = [];
  for (const [workload, numerator, denominator] of pairs) {
    const perRound: number[] = [];
    for (const a of samples) {
      if (a.workload !== workload || a.target !== numerator) continue;
      const b = samples.find(
        (s) => s.workload === workload && s.target === denominator && s.round === a.round,
      );
      if (b && b.reqPerSec > 0) perRound.push(a.reqPerSec / b.reqPerSec);
    }
    if (perRound.length === 0) continue;
    out.push({
      name: `${workload}: ${numerator} / ${denominator}`,
      workload,
      numerator,
      denominator,
      median: round(median(perRound), 3),
      min: round(Math.min(...perRound), 3),
      max: round(Math.max(...perRound), 3),
    });
  }
  return out;
}

async function measureStartup(options: BenchOptions, log: Log): Promise<StartupResult> {
  const runsMs: number[] = [];
  const baselineRunsMs: number[] = [];
  const baseline = (port: number) => [
    '-e',
    `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`,
  ];
  const mock = (port: number) => [
    cliBin,
    'mock',
    '--provider',
    'openrouter',
    '--port',
    String(port),
    '--clock',
    'manual',
  ];
  for (let i = 0; i < options.startupRuns; i++) {
    const port = await freePort();
    const ms = await timeToFirstAnswer(
      mock(port),
      `http://127.0.0.1:${port}/__reelkit/health`,
      20_000,
    );
    runsMs.push(round(ms, 1));
    const basePort = await freePort();
    baselineRunsMs.push(
      round(
        await timeToFirstAnswer(baseline(basePort), `http://127.0.0.1:${basePort}/`, 20_000),
        1,
      ),
    );
    log(
      `start-up run ${i + 1}/${options.startupRuns}: mock ${round(ms)} ms, bare node:http ${round(baselineRunsMs[i] as number)} ms`,
    );
  }
  return {
    command:
      'node packages/cli/dist/reelkit.js mock --provider openrouter --port <free> --clock manual',
    runsMs,
    medianMs: round(median(runsMs), 1),
    baselineRunsMs,
    baselineMedianMs: round(median(baselineRunsMs), 1),
  };
}

/**
 * Runs the reelkit mock with `--cpu-prof` under one workload and summarises where its time went.
 *
 * @example
 * const summary = await profileMock(options, 'poll', console.log);
 */
export async function profileMock(
  options: BenchOptions,
  workload: 'poll' | 'submit',
  log: Log,
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'reelkit-bench-prof-'));
  try {
    const reelkit = await startServerWorker<ReelkitServerInfo>('reelkit-server', {
      args: ['8'],
      env: workerEnv(options),
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      timeoutMs: 60_000,
    });
    const seconds = Math.max(2, options.seconds + options.warmupSeconds);
    log(`profiling the mock under ${workload} load for ${seconds} s`);
    try {
      const paths = pathsOf(
        reelkit.info.origin,
        BASE_PATH,
        reelkit.info.jobIds[0] as string,
        reelkit.pid,
      );
      const sample = await runLoad(
        'reelkit',
        workload,
        paths,
        { connections: options.connections, seconds },
        0,
      );
      log(`  under the profiler: ${describe(sample)}`);
    } finally {
      await reelkit.stop();
    }
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return summariseProfile(profile, workload, reelkit.info.readyAtUs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the whole benchmark.
 *
 * @example
 * const results = await runBench(DEFAULT_OPTIONS, (line) => console.error(line));
 */
export async function runBench(
  options: BenchOptions,
  log: Log,
  command = 'npm run bench',
): Promise<BenchResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const env = workerEnv(options);
  const loadAtStart = round(loadavg()[0] ?? 0, 2);
  if (loadAtStart > cpus().length / 2) {
    log(
      `warning: the 1-minute load average is ${loadAtStart} on ${cpus().length} cores; other work ` +
        'will skew absolute numbers (interleaved ratios suffer less)',
    );
  }
  if (options.mocksFrom) log(`reelkit targets use the build in ${resolve(options.mocksFrom)}`);

  const targets = await startTargets(options, log);
  let load: { warmups: LoadSample[]; samples: LoadSample[] };
  try {
    load = await driveLoad(options, targets.paths, log);
  } finally {
    await targets.stop();
  }

  log(`in-process engine: engine.handle in a loop, ${options.engineSeconds} s per operation`);
  const engine = await runWorker<EngineLoopResult>('engine-loop', {
    args: [String(options.engineSeconds), '2000000'],
    env,
    onProgress: log,
    timeoutMs: 60_000 + options.engineSeconds * 4_000,
  });
  log(`  poll ${engine.poll.opsPerSec} ops/s, submit ${engine.submit.opsPerSec} ops/s`);

  log(
    `memory: ${options.jobs.toLocaleString('en-US')} jobs submitted over loopback to the fastify mock (--expose-gc)`,
  );
  const memory = await measureMemory(options, env, log);

  log(`start-up: ${options.startupRuns} spawns of the reelkit CLI, to the first health answer`);
  const startup = await measureStartup(options, log);

  const summaries = summarise(load.samples);
  const ratioList = ratios(load.samples);
  const partial = { options, load: summaries, ratios: ratioList, engine, startup, memory };
  const profiles: ProfileSummary[] = [];
  if (options.profileOnMiss) {
    for (const workload of needsProfile(partial)) {
      profiles.push(await profileMock(options, workload, log));
    }
  }
  const conformance = await measureConformance(log);
  return {
    schema: 1,
    command,
    startedAt,
    elapsedSeconds: round((performance.now() - started) / 1000, 1),
    machine: machine(loadAtStart),
    git: git(),
    // Paths relative to the repository, so a committed results file names no machine's paths.
    options: {
      ...options,
      out: relative(repoRoot, resolve(options.out)),
      ...(options.mocksFrom ? { mocksFrom: resolve(options.mocksFrom) } : {}),
    },
    bodies: targets.bodies,
    warmups: load.warmups,
    samples: load.samples,
    load: summaries,
    ratios: ratioList,
    engine,
    startup,
    memory,
    conformance,
    verdicts: checkTargets({ ...partial, profiles, conformance }),
    profiles,
  };
}
