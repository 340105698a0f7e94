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
import { ALL_TARGETS, runLoad, TARGET_LABELS, WORKLOAD_TARGETS, WORKLOADS } from './load.js';
import { measureMemory } from './memory.js';
import type { BenchOptions } from './options.js';
import { cliBin, repoRoot } from './paths.js';
import type { PrismMock, ServerWorker } from './processes.js';
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
import type { BenchRedis } from './redis-server.js';
import { countersPerRequest, redisServerMissing, startBenchRedis } from './redis-server.js';
import { summariseProfile } from './profile.js';
import type {
  BaselineBodies,
  BaselineServerInfo,
  EngineLoopResult,
  MockConfig,
  ReelkitServerInfo,
} from './protocol.js';
import type { BenchRoutes } from './protocol.js';
import { AUTH_HEADERS, MOCK_CONFIG_NAMES, SUBMIT_BODY, SUBMIT_HEADERS } from './protocol.js';
import { BENCH_ROUTES, BENCH_STATUSES, jobPath, UNMOUNTED_ROUTES } from './routes.js';
import type {
  BenchResults,
  BodiesCheck,
  LoadSummary,
  Machine,
  Ratio,
  RedisSection,
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

/**
 * The ratios a run reports, each taken round by round from two targets driven back to back:
 * the mock in both configurations against the bare node:http floor, against each other, and
 * against raw fastify and Prism.
 */
const RATIOS: readonly (readonly [Workload, Target, Target])[] = [
  ['poll', 'reelkit-default', 'node-http'],
  ['poll', 'reelkit-manual', 'node-http'],
  ['poll', 'reelkit-default', 'reelkit-manual'],
  ['poll', 'reelkit-default', 'fastify'],
  ['poll', 'reelkit-manual', 'fastify'],
  ['poll', 'fastify', 'node-http'],
  ['poll', 'reelkit-default', 'prism'],
  ['submit', 'reelkit-default', 'fastify'],
  ['submit', 'reelkit-default', 'prism'],
  ['mixed', 'reelkit-default', 'fastify'],
  ['poll', 'reelkit-redis', 'reelkit-default'],
  ['submit', 'reelkit-redis', 'reelkit-default'],
];

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
  routes: BenchRoutes,
  jobId: string,
  pid: number | undefined,
): TargetPaths {
  return {
    origin,
    ...(pid !== undefined ? { pid } : {}),
    submit: routes.submit,
    poll: jobPath(routes.poll, jobId),
    pollOf: (id) => jobPath(routes.poll, id),
    content: `${jobPath(routes.content, jobId)}?index=0`,
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

/** Whether a run drives `target` under any of its workloads (Redis's availability aside). */
function drives(options: BenchOptions, target: Target): boolean {
  if (target === 'prism' && !options.prism) return false;
  return (
    options.targets.includes(target) &&
    options.workloads.some((workload) => WORKLOAD_TARGETS[workload].includes(target))
  );
}

/** A started reelkit configuration, the bodies it answered, and its paths. */
interface StartedMock {
  readonly config: MockConfig;
  readonly worker: ServerWorker<ReelkitServerInfo>;
  readonly paths: TargetPaths;
  readonly poll: Buffer;
  readonly submit: Buffer;
  readonly mp4: Buffer;
}

/** Worker arguments of a configuration: its name, the job pool's size, and Redis's URL. */
function serverArgs(config: MockConfig, pool: number, redis: BenchRedis | undefined): string[] {
  if (config !== 'redis') return [config, String(pool)];
  if (!redis) throw new Error('the redis configuration needs the benchmark’s redis-server');
  return [config, String(pool), redis.url];
}

async function startMock(
  config: MockConfig,
  options: BenchOptions,
  redis: BenchRedis | undefined,
  onStarted: (worker: ServerWorker<ReelkitServerInfo>) => void,
): Promise<StartedMock> {
  const worker = await startServerWorker<ReelkitServerInfo>('reelkit-server', {
    args: serverArgs(config, 64, redis),
    env: workerEnv(options),
    timeoutMs: 90_000,
  });
  onStarted(worker);
  const jobId = worker.info.jobIds[0] as string;
  const paths = pathsOf(worker.info.origin, BENCH_ROUTES, jobId, worker.pid);
  const at = (path: string) => paths.origin + path;
  const poll = await expectStatus(
    `${config} poll`,
    httpGet(at(paths.poll), AUTH_HEADERS),
    BENCH_STATUSES.poll,
  );
  const mp4 = await expectStatus(
    `${config} content`,
    httpGet(at(paths.content), AUTH_HEADERS),
    BENCH_STATUSES.content,
  );
  const submit = await expectStatus(
    `${config} submit`,
    httpSend(at(paths.submit), 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
    BENCH_STATUSES.submit,
  );
  return {
    config,
    worker,
    paths: { ...paths, pollBody: poll.toString('utf8') },
    poll,
    submit,
    mp4,
  };
}

/** Starts a baseline with the mock's bodies and checks that it answers them byte for byte. */
async function startBaseline(
  name: 'fastify-server' | 'node-http-server',
  source: StartedMock,
  bodies: BaselineBodies,
  onStarted: (worker: ServerWorker<BaselineServerInfo>) => void,
): Promise<{ paths: TargetPaths; identical: boolean }> {
  const worker = await startServerWorker<BaselineServerInfo>(name, { timeoutMs: 30_000 }, (child) =>
    child.send({ type: 'bodies', bodies }),
  );
  onStarted(worker);
  const jobId = source.worker.info.jobIds[0] as string;
  const paths = pathsOf(worker.info.origin, BENCH_ROUTES, jobId, worker.pid);
  const at = (path: string) => paths.origin + path;
  const same = [
    source.poll.equals(
      await expectStatus(
        `${name} poll`,
        httpGet(at(paths.poll), AUTH_HEADERS),
        BENCH_STATUSES.poll,
      ),
    ),
    source.submit.equals(
      await expectStatus(
        `${name} submit`,
        httpSend(at(paths.submit), 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
        BENCH_STATUSES.submit,
      ),
    ),
    source.mp4.equals(
      await expectStatus(
        `${name} content`,
        httpGet(at(paths.content), AUTH_HEADERS),
        BENCH_STATUSES.content,
      ),
    ),
  ];
  return { paths: { ...paths, pollBody: bodies.poll }, identical: same.every(Boolean) };
}

async function startTargets(
  options: BenchOptions,
  redis: BenchRedis | undefined,
  log: Log,
): Promise<Targets & { redisInfo?: ReelkitServerInfo }> {
  const configs = MOCK_CONFIG_NAMES.filter(
    (config) => drives(options, `reelkit-${config}`) && (config !== 'redis' || redis),
  );
  if (configs.length === 0) {
    throw new Error('--targets names no reelkit configuration; the baselines copy its bodies.');
  }
  const prismWanted = drives(options, 'prism');
  log(
    `starting the reelkit mock (${configs.map((c) => `${c} configuration`).join(', ')})` +
      (prismWanted ? ' and Prism' : ''),
  );
  const prismStarting: Promise<PrismMock | undefined> = prismWanted
    ? startPrism({ timeoutMs: 60_000, logLevel: options.prismLog })
    : Promise.resolve(undefined);
  // Keep a failed Prism start from being an unhandled rejection while the others start.
  prismStarting.catch(() => undefined);
  const started: { stop(): Promise<void> }[] = [];
  const track = (worker: { stop(): Promise<void> }) => void started.push(worker);
  try {
    // Together: the default configuration's jobs need a few seconds of real time to complete.
    const mocks = await Promise.all(
      configs.map((config) => startMock(config, options, redis, track)),
    );
    const paths = new Map<Target, TargetPaths>(
      mocks.map((mock) => [`reelkit-${mock.config}`, mock.paths]),
    );
    // The baselines answer the bytes of what users run, the default configuration, if it runs.
    const source = mocks[0] as StartedMock;
    const bodies: BaselineBodies = {
      routes: BENCH_ROUTES,
      statuses: BENCH_STATUSES,
      poll: source.poll.toString('utf8'),
      submit: source.submit.toString('utf8'),
      mp4Base64: source.mp4.toString('base64'),
    };
    const identical: boolean[] = [];
    const baselines = [
      ['node-http', 'node-http-server'],
      ['fastify', 'fastify-server'],
    ] as const;
    for (const [target, worker] of baselines) {
      if (!drives(options, target)) continue;
      log(`starting ${TARGET_LABELS[target]} with the ${source.config} configuration’s bodies`);
      const baseline = await startBaseline(worker, source, bodies, track);
      paths.set(target, baseline.paths);
      identical.push(baseline.identical);
    }

    const prism = await prismStarting;
    let prismPollBytes: number | undefined;
    if (prism) {
      started.push(prism);
      log('Prism is up');
      // Prism serves the document's paths, without the servers' /api/v1 base.
      const prismPaths = pathsOf(
        prism.origin,
        UNMOUNTED_ROUTES,
        source.worker.info.jobIds[0] as string,
        prism.pid,
      );
      const prismPoll = await expectStatus(
        'prism poll',
        httpGet(prismPaths.origin + prismPaths.poll, AUTH_HEADERS),
        BENCH_STATUSES.poll,
      );
      await expectStatus(
        'prism submit',
        httpSend(prismPaths.origin + prismPaths.submit, 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
        BENCH_STATUSES.submit,
      );
      prismPollBytes = prismPoll.byteLength;
      paths.set('prism', { ...prismPaths, pollBody: prismPoll.toString('utf8') });
    }
    const redisMock = mocks.find((mock) => mock.config === 'redis');
    return {
      paths,
      ...(redisMock ? { redisInfo: redisMock.worker.info } : {}),
      bodies: {
        source: source.config,
        pollBytes: source.poll.byteLength,
        pollBytesByConfig: Object.fromEntries(mocks.map((m) => [m.config, m.poll.byteLength])),
        submitBytes: source.submit.byteLength,
        mp4Bytes: source.mp4.byteLength,
        identical: identical.every(Boolean),
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

function describe(sample: LoadSample): string {
  const problems = [
    sample.non2xx ? `${sample.non2xx} non-2xx` : '',
    sample.errors ? `${sample.errors} errors` : '',
    sample.mismatches ? `${sample.mismatches} body mismatches` : '',
  ].filter(Boolean);
  const cpu =
    (sample.cpuUsPerReq !== undefined ? `  cpu ${Math.round(sample.cpuUsPerReq)} µs/req` : '') +
    (sample.redis
      ? `  redis ${sample.redis.commands} cmd/req, ${Math.round(sample.redis.cpuUs)} µs/req`
      : '');
  return (
    `${sample.target.padEnd(15)} ${Math.round(sample.reqPerSec).toLocaleString('en-US').padStart(7)} req/s${cpu}` +
    `  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms${problems.length ? `  (${problems.join(', ')})` : ''}`
  );
}

/** One load run; on the Redis target, with what Redis did over it per response. */
async function loadRun(
  target: Target,
  workload: Workload,
  paths: TargetPaths,
  load: LoadOptions,
  round: number,
  redis: BenchRedis | undefined,
): Promise<LoadSample> {
  if (target !== 'reelkit-redis' || !redis) return runLoad(target, workload, paths, load, round);
  const before = await redis.counters();
  const sample = await runLoad(target, workload, paths, load, round);
  const after = await redis.counters();
  if (sample.ok === 0) return sample;
  return { ...sample, redis: countersPerRequest(before, after, sample.ok) };
}

async function driveLoad(
  options: BenchOptions,
  paths: Map<Target, TargetPaths>,
  redis: BenchRedis | undefined,
  log: Log,
): Promise<{ warmups: LoadSample[]; samples: LoadSample[] }> {
  const warmups: LoadSample[] = [];
  const samples: LoadSample[] = [];
  const load: LoadOptions = { connections: options.connections, seconds: options.seconds };
  const warm: LoadOptions = { connections: options.connections, seconds: options.warmupSeconds };
  const runLoad = (t: Target, w: Workload, p: TargetPaths, o: LoadOptions, r: number) =>
    loadRun(t, w, p, o, r, redis);
  for (const workload of options.workloads) {
    const targets = WORKLOAD_TARGETS[workload].filter((target) => paths.has(target));
    for (const target of targets) {
      const sample = await runLoad(target, workload, paths.get(target) as TargetPaths, warm, 0);
      warmups.push(sample);
      log(`${workload} warm-up   ${describe(sample)}`);
    }
    for (let r = 1; r <= options.rounds; r++) {
      // Each round starts one target later, so that no target always runs right after the
      // same other one (or first, right after the previous workload).
      const shift = (r - 1) % targets.length;
      for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
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
    for (const target of ALL_TARGETS) {
      const rounds = samples.filter((s) => s.workload === workload && s.target === target);
      if (rounds.length === 0) continue;
      const sum = (pick: (s: LoadSample) => number) => rounds.reduce((n, s) => n + pick(s), 0);
      const cpu = rounds.flatMap((s) => (s.cpuUsPerReq !== undefined ? [s.cpuUsPerReq] : []));
      const onRedis = rounds.flatMap((s) => (s.redis ? [s.redis] : []));
      summaries.push({
        workload,
        target,
        reqPerSec: round(median(rounds.map((s) => s.reqPerSec))),
        p50Ms: round(median(rounds.map((s) => s.p50Ms)), 2),
        p99Ms: round(median(rounds.map((s) => s.p99Ms)), 2),
        roundsReqPerSec: rounds.map((s) => s.reqPerSec),
        ...(cpu.length > 0 ? { cpuUsPerReq: round(median(cpu), 1) } : {}),
        ...(onRedis.length > 0
          ? {
              redis: {
                commands: round(median(onRedis.map((r) => r.commands)), 3),
                cpuUs: round(median(onRedis.map((r) => r.cpuUs)), 1),
                byCommand: meanByCommand(onRedis),
              },
            }
          : {}),
        non2xx: sum((s) => s.non2xx),
        errors: sum((s) => s.errors),
        mismatches: sum((s) => s.mismatches),
      });
    }
  }
  return summaries;
}

/** Each command's calls per response, averaged over the rounds. */
function meanByCommand(runs: readonly { byCommand: Readonly<Record<string, number>> }[]) {
  const sums: Record<string, number> = {};
  for (const run of runs) {
    for (const [name, n] of Object.entries(run.byCommand)) sums[name] = (sums[name] ?? 0) + n;
  }
  return Object.fromEntries(
    Object.entries(sums).map(([name, sum]) => [name, round(sum / runs.length, 3)]),
  );
}

function ratios(samples: readonly LoadSample[]): Ratio[] {
  const out: Ratio[] = [];
  for (const [workload, numerator, denominator] of RATIOS) {
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
 * Runs the reelkit mock in each of `configs`, every one in its own process with `--cpu-prof`,
 * under the same load: one workload, driven at each in turn for two interleaved rounds. Then it
 * summarises where each spent its time (samples while it was idle, or before it was ready, are
 * left out) with the CPU time it used per request.
 *
 * @example
 * const [defaults, manual] = await profileMocks(options, 'poll', ['default', 'manual'], console.log);
 */
export async function profileMocks(
  options: BenchOptions,
  workload: 'poll' | 'submit',
  wanted: readonly MockConfig[],
  log: Log,
  sharedRedis?: BenchRedis,
): Promise<ProfileSummary[]> {
  let configs = wanted;
  let ownRedis: BenchRedis | undefined;
  if (configs.includes('redis') && !sharedRedis) {
    const missing = redisServerMissing();
    if (missing) {
      log(`profiling without the redis configuration: ${missing}`);
      configs = configs.filter((config) => config !== 'redis');
    } else {
      ownRedis = await startBenchRedis();
    }
  }
  const redis = sharedRedis ?? ownRedis;
  const dir = mkdtempSync(join(tmpdir(), 'reelkit-bench-prof-'));
  const workers: ServerWorker<ReelkitServerInfo>[] = [];
  try {
    const dirOf = (config: MockConfig) => join(dir, config);
    const started = await Promise.allSettled(
      configs.map((config) =>
        startServerWorker<ReelkitServerInfo>('reelkit-server', {
          args: serverArgs(config, 8, redis),
          env: workerEnv(options),
          nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dirOf(config)}`],
          timeoutMs: 90_000,
        }),
      ),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') workers.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const seconds = Math.max(1, options.seconds);
    log(
      `profiling ${configs.join(' and ')} under ${workload} load: a warm-up, then two interleaved ` +
        `rounds of ${seconds} s each`,
    );
    const samples = new Map<MockConfig, LoadSample[]>(configs.map((config) => [config, []]));
    // Samples before the measured rounds (start-up, the JIT warming up) are left out.
    let measuredFromUs = 0;
    try {
      for (let r = 0; r <= 2; r++) {
        if (r === 1) measuredFromUs = Number(process.hrtime.bigint() / 1000n);
        for (const worker of workers) {
          const { config, origin, jobIds } = worker.info;
          const paths = pathsOf(origin, BENCH_ROUTES, jobIds[0] as string, worker.pid);
          const sample = await runLoad(
            `reelkit-${config}`,
            workload,
            paths,
            {
              connections: options.connections,
              seconds: r === 0 ? options.warmupSeconds : seconds,
            },
            r,
          );
          if (r === 0) continue;
          samples.get(config)?.push(sample);
          log(`  under the profiler: ${describe(sample)}`);
        }
      }
    } finally {
      await Promise.allSettled(workers.map((worker) => worker.stop()));
    }
    return workers.map((worker) => {
      const { config } = worker.info;
      const file = readdirSync(dirOf(config)).find((name) => name.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile written for the ${config} configuration`);
      const profile = JSON.parse(readFileSync(join(dirOf(config), file), 'utf8')) as CpuProfile;
      const runs = samples.get(config) ?? [];
      const ok = runs.reduce((n, run) => n + run.ok, 0);
      const cpu = runs.flatMap((run) =>
        run.cpuUsPerReq !== undefined ? [run.cpuUsPerReq * run.ok] : [],
      );
      return summariseProfile(profile, {
        workload,
        target: `reelkit-${config}`,
        fromUs: measuredFromUs,
        requests: ok,
        ...(cpu.length === runs.length && ok > 0
          ? { cpuUsPerReq: round(cpu.reduce((a, b) => a + b, 0) / ok, 1) }
          : {}),
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await ownRedis?.stop();
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

  // The Redis replica's redis-server lives for the whole run (load, then profiles), whatever happens.
  let redis: BenchRedis | undefined;
  let redisSection: RedisSection | undefined;
  if (drives(options, 'reelkit-redis')) {
    const missing = redisServerMissing();
    if (missing) {
      redisSection = { measured: false, reason: missing };
      log(`Redis rows skipped: ${missing}`);
    } else {
      redis = await startBenchRedis();
      log(`redis-server ${redis.version} on ${redis.url} (persistence off)`);
    }
  }
  try {
    return await measureAll(
      options,
      log,
      command,
      { started, startedAt, loadAtStart, env },
      redis,
      redisSection,
    );
  } finally {
    await redis?.stop();
  }
}

async function measureAll(
  options: BenchOptions,
  log: Log,
  command: string,
  run: { started: number; startedAt: string; loadAtStart: number; env: Record<string, string> },
  redis: BenchRedis | undefined,
  skipped: RedisSection | undefined,
): Promise<BenchResults> {
  const { started, startedAt, loadAtStart, env } = run;
  const targets = await startTargets(options, redis, log);
  let load: { warmups: LoadSample[]; samples: LoadSample[] };
  try {
    load = await driveLoad(options, targets.paths, redis, log);
  } finally {
    await targets.stop();
  }
  const redisSection: RedisSection | undefined =
    redis && targets.redisInfo?.redisProbe
      ? {
          measured: true,
          version: redis.version,
          clock: 'real × 30, as the default configuration it is compared with',
          probe: targets.redisInfo.redisProbe,
        }
      : skipped;

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
  const partial = {
    options,
    load: summaries,
    ratios: ratioList,
    engine,
    startup,
    memory,
    ...(redisSection ? { redis: redisSection } : {}),
  };
  const profiles: ProfileSummary[] = [];
  if (options.profileOnMiss) {
    for (const { workload, configs } of needsProfile(partial)) {
      const runnable = configs.filter((config) => config !== 'redis' || redis);
      profiles.push(...(await profileMocks(options, workload, runnable, log, redis)));
    }
  }
  const conformance = await measureConformance(log);
  return {
    schema: 2,
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
    ...(redisSection ? { redis: redisSection } : {}),
  };
}
