/**
 * Renders a run for the console and as BENCHMARKS.md.
 * @module
 */
import { TARGET_LABELS } from './load.js';
import type { ProfileComparison } from './profile.js';
import { compareProfiles, formatComparison, formatProfile } from './profile.js';
import { MOCK_CONFIGS } from './protocol.js';
import type { BenchResults, Verdict } from './results.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Lays out rows as an aligned text table (first row is the header).
 *
 * @example
 * textTable([['a', 'b'], ['1', '2']]);
 */
export function textTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return [];
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

function markdownTable(rows: readonly (readonly string[])[]): string[] {
  const [header, ...body] = rows;
  if (!header) return [];
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
}

/** Each workload's profile of the default configuration beside the manual one and the Redis one. */
function comparisons(results: BenchResults): ProfileComparison[] {
  const out: ProfileComparison[] = [];
  for (const a of results.profiles) {
    if (a.target !== 'reelkit-default') continue;
    for (const other of ['reelkit-manual', 'reelkit-redis'] as const) {
      const b = results.profiles.find((p) => p.workload === a.workload && p.target === other);
      const comparison = b
        ? compareProfiles(other === 'reelkit-redis' ? b : a, other === 'reelkit-redis' ? a : b)
        : undefined;
      if (comparison) out.push(comparison);
    }
  }
  return out;
}

/** What the Redis replica cost per response, under load and one request at a time. */
function redisRows(results: BenchResults): string[][] {
  const section = results.redis;
  if (!section?.measured) return [];
  const rows = [
    [
      'workload',
      'req/s Redis / memory',
      'replica CPU µs/req (memory)',
      'redis-server CPU µs/req',
      'commands Redis ran/req (Lua inner calls included)',
      'client commands/req',
      'round trips/req',
    ],
  ];
  for (const workload of ['poll', 'submit'] as const) {
    const onRedis = results.load.find(
      (l) => l.workload === workload && l.target === 'reelkit-redis',
    );
    const inMemory = results.load.find(
      (l) => l.workload === workload && l.target === 'reelkit-default',
    );
    const ratio = results.ratios.find(
      (r) => r.name === `${workload}: reelkit-redis / reelkit-default`,
    );
    const probe = section.probe[workload];
    rows.push([
      workload,
      `${fmt(onRedis?.reqPerSec ?? 0)} / ${fmt(inMemory?.reqPerSec ?? 0)}${ratio ? ` (${ratio.median.toFixed(2)}×)` : ''}`,
      `${onRedis?.cpuUsPerReq ?? 'n/a'} (${inMemory?.cpuUsPerReq ?? 'n/a'})`,
      String(onRedis?.redis?.cpuUs ?? 'n/a'),
      String(onRedis?.redis?.commands ?? 'n/a'),
      String(probe.commands),
      String(probe.roundTrips),
    ]);
  }
  return rows;
}

const byCommand = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/**
 * On paper, from the measured CPU per response: Redis runs commands on one thread, so one
 * redis-server answers at most 1 s / its CPU per request; each replica takes a core for
 * 1 s / its CPU per request. Their quotient is how many replicas (a core each) Redis keeps up with.
 */
function replicaLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const workload of ['poll', 'submit'] as const) {
    const onRedis = results.load.find(
      (l) => l.workload === workload && l.target === 'reelkit-redis',
    );
    const redisUs = onRedis?.redis?.cpuUs;
    const replicaUs = onRedis?.cpuUsPerReq;
    if (!redisUs || !replicaUs) continue;
    const redisCeiling = 1e6 / redisUs;
    const perReplica = 1e6 / replicaUs;
    lines.push(
      `- ${workload}: a replica spends ${replicaUs} µs of CPU per ${workload}, so one core serves about ` +
        `${fmt(perReplica)} ${workload}s/s; redis-server spends ${redisUs} µs, so its one thread tops out ` +
        `near ${fmt(redisCeiling)} ${workload}s/s. N replicas on N cores give about N × ${fmt(perReplica)}/s ` +
        `until N ≈ ${(redisCeiling / perReplica).toFixed(1)}, where Redis's thread is full.`,
    );
  }
  return lines;
}

/** Where a response on Redis costs more than in memory, per workload, from the same rounds. */
function redisCostLines(results: BenchResults): string[] {
  const section = results.redis;
  if (!section?.measured) return [];
  const lines: string[] = [];
  for (const workload of ['poll', 'submit'] as const) {
    const find = (target: string) =>
      results.load.find((l) => l.workload === workload && l.target === target);
    const onRedis = find('reelkit-redis');
    const inMemory = find('reelkit-default');
    if (onRedis?.cpuUsPerReq === undefined || inMemory?.cpuUsPerReq === undefined) continue;
    const extra = Math.round((onRedis.cpuUsPerReq - inMemory.cpuUsPerReq) * 10) / 10;
    const probe = section.probe[workload];
    lines.push(
      `- ${workload}: the replica spends ${extra >= 0 ? `${extra} µs more` : `${-extra} µs less`} CPU per ` +
        `response on Redis than in memory (${onRedis.cpuUsPerReq} vs ${inMemory.cpuUsPerReq} µs, for ` +
        `${probe.commands} commands sent; the profiles below show where), and redis-server ` +
        `${onRedis.redis?.cpuUs ?? 'n/a'} µs on the same two cores; a response waits for ` +
        `${probe.roundTrips} round trips in sequence, which under 50 connections overlap with other ` +
        'requests: throughput here is bounded by CPU, not by waiting.',
    );
  }
  return lines.length > 0 ? ['Where the difference comes from:', '', ...lines, ''] : [];
}

function redisSection(results: BenchResults): string[] {
  const section = results.redis;
  if (!section) return [];
  if (!section.measured) {
    return ['## State on Redis', '', `Not measured in this run: ${section.reason}.`, ''];
  }
  const { probe } = section;
  const load = (workload: string) =>
    results.load.find((l) => l.workload === workload && l.target === 'reelkit-redis')?.redis;
  return [
    '## State on Redis',
    '',
    `**reelkit-redis** is the default configuration (all four routers; clock ${section.clock}) with`,
    `\`--store redis://…\`: one replica, its state in a \`redis-server\` ${section.version} the benchmark`,
    'starts on a free loopback port (no RDB, no AOF) and stops at the end. It runs in the same',
    'interleaved rounds as the in-memory default configuration, which the ratios divide by.',
    '',
    ...markdownTable(redisRows(results)),
    '',
    'How each column was counted:',
    '',
    '- **replica CPU** and **redis-server CPU**: user + system time of each process over the load',
    '  run (`/proc` for the replica, `INFO cpu` for Redis), divided by the 2xx responses.',
    '- **commands Redis ran**: the delta of `INFO commandstats` calls over the load run per 2xx',
    '  response. Redis counts the commands a Lua script calls as well as the script itself',
    `  (poll: ${byCommand(load('poll')?.byCommand ?? {})}; submit: ${byCommand(load('submit')?.byCommand ?? {})}).`,
    "- **client commands** and **round trips**: counted inside the replica through ioredis's",
    `  \`ioredis:command\` tracing channel while ${probe.poll.requests} polls, then ${probe.submit.requests} submits, went one at a time`,
    '  (a Lua script is one command; a round trip is the client going from nothing in flight to',
    '  something in flight, so a pipeline or MULTI is one). Poll:',
    `  ${byCommand(probe.poll.byCommand)}; submit: ${byCommand(probe.submit.byCommand)}. The idle replica's`,
    `  webhook worker sends ${probe.idle.commands} commands in ${probe.idle.roundTrips} round trips per ${probe.idle.seconds} s`,
    '  (four routers looking for due deliveries), included in these counts (the `smembers`).',
    '',
    ...redisCostLines(results),
    '### What N replicas would give (reasoning on paper, from the numbers above)',
    '',
    ...replicaLines(results),
    '',
    'This machine has 2 cores shared by the load generator, the replica and Redis, so it cannot',
    'show the scaling itself; the CPU per response it measures is what the estimate rests on.',
    "Commands run one at a time on Redis's thread, which makes its CPU per request the ceiling of",
    'the fleet; replicas share nothing else and add throughput until that ceiling.',
    '',
  ];
}

function profileLines(results: BenchResults): string[] {
  return [
    ...results.profiles.flatMap((p) => ['', ...formatProfile(p)]),
    ...comparisons(results).flatMap((c) => ['', ...formatComparison(c)]),
  ];
}

function loadRows(results: BenchResults): string[][] {
  return [
    [
      'workload',
      'target',
      'req/s (median)',
      'p50 ms',
      'p99 ms',
      'server CPU µs/req',
      'req/s per round',
      'non-2xx',
      'errors',
    ],
    ...results.load.map((l) => [
      l.workload,
      TARGET_LABELS[l.target],
      fmt(l.reqPerSec),
      String(l.p50Ms),
      String(l.p99Ms),
      l.cpuUsPerReq !== undefined ? String(Math.round(l.cpuUsPerReq)) : 'n/a',
      l.roundsReqPerSec.map(fmt).join(', '),
      fmt(l.non2xx),
      fmt(l.errors + l.mismatches),
    ]),
  ];
}

function ratioRows(results: BenchResults): string[][] {
  return [
    ['ratio (per round, interleaved)', 'median', 'min', 'max'],
    ...results.ratios.map((r) => [
      r.name,
      `${r.median.toFixed(2)}×`,
      `${r.min.toFixed(2)}×`,
      `${r.max.toFixed(2)}×`,
    ]),
  ];
}

function engineRows(results: BenchResults): string[][] {
  const row = (name: string, r: BenchResults['engine']['poll']) => [
    name,
    fmt(r.opsPerSec),
    String(r.p50Us),
    String(r.p99Us),
    String(r.cpuUsPerOp),
    fmt(r.ops),
  ];
  return [
    ['in-process engine.handle', 'ops/s', 'p50 µs', 'p99 µs', 'CPU µs/op', 'ops'],
    row('poll GET (completed job)', results.engine.poll),
    row('submit POST', results.engine.submit),
  ];
}

function memoryRows(results: BenchResults): string[][] {
  return [
    ['memory (after full GC)', 'jobs stored', 'RSS MB', 'heap total MB', 'heap used MB'],
    ...results.memory.readings.map((r) => [
      r.label,
      fmt(r.jobs),
      String(r.rssMB),
      String(r.heapTotalMB),
      String(r.heapUsedMB),
    ]),
  ];
}

function verdictRows(verdicts: readonly Verdict[]): string[][] {
  return [
    ['target', 'measured', 'goal', 'verdict'],
    ...verdicts.map((v) => [v.metric, v.measured, v.target, v.status]),
  ];
}

function whyLines(verdicts: readonly Verdict[]): string[] {
  return verdicts.flatMap((v) =>
    v.why.length === 0 ? [] : [`${v.status} ${v.metric}:`, ...v.why.map((w) => `  - ${w}`)],
  );
}

/**
 * The console report printed at the end of a run.
 *
 * @example
 * console.log(consoleReport(results).join('\n'));
 */
export function consoleReport(results: BenchResults): string[] {
  const { machine, startup, memory, bodies } = results;
  return [
    '',
    `reelkit benchmarks — ${results.startedAt} — ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, ` +
      `load average ${machine.loadAverage.start} → ${machine.loadAverage.end}`,
    `autocannon -c ${results.options.connections}, ${results.options.seconds} s per run, ` +
      `${results.options.rounds} interleaved rounds after a ${results.options.warmupSeconds} s warm-up`,
    `poll body ${bodies.pollBytes} B of the ${bodies.source} configuration (baselines byte-identical: ${bodies.identical ? 'yes' : 'NO'}` +
      `${bodies.prismPollBytes !== undefined ? `; Prism's own example ${bodies.prismPollBytes} B` : ''}), ` +
      `MP4 ${bodies.mp4Bytes} B`,
    '',
    ...textTable(loadRows(results)),
    '',
    ...textTable(ratioRows(results)),
    '',
    ...(results.redis?.measured
      ? [...textTable(redisRows(results)), '', ...replicaLines(results), '']
      : results.redis
        ? [`Redis rows not measured: ${results.redis.reason}`, '']
        : []),
    ...textTable(engineRows(results)),
    '',
    `start-up (spawn → first health answer): median ${fmt(startup.medianMs)} ms ` +
      `[${startup.runsMs.map(fmt).join(', ')}]; bare node:http server ${fmt(startup.baselineMedianMs)} ms`,
    '',
    ...textTable(memoryRows(results)),
    `created ${fmt(memory.jobsRequested)} jobs in ${memory.createSeconds} s; GC forced: ${memory.gcForced ? 'yes' : 'no'}`,
    '',
    ...textTable(verdictRows(results.verdicts)),
    '',
    ...whyLines(results.verdicts),
    ...profileLines(results),
    '',
    `total ${results.elapsedSeconds} s`,
  ];
}

/**
 * BENCHMARKS.md for a run.
 *
 * @example
 * writeFileSync('BENCHMARKS.md', markdownReport(results));
 */
export function markdownReport(results: BenchResults): string {
  const { machine, startup, memory, bodies, options } = results;
  const why = whyLines(results.verdicts);
  const lines = [
    '# Benchmarks',
    '',
    'Measured by `npm run bench` (packages/bench). Goals are ratios measured in one run on one',
    'machine; they belong in a benchmark, never in a timed test. Absolute numbers drift ±15% from',
    'run to run on shared machines; the ratios are what the targets are about.',
    '',
    '## This run',
    '',
    `- Command: \`${results.command}\``,
    `- Date: ${results.startedAt} (took ${results.elapsedSeconds} s)`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores (\`nproc\`), ${machine.memoryGB} GB, ${machine.platform}`,
    `- Node: ${machine.node}`,
    `- 1-minute load average: ${machine.loadAverage.start} at the start, ${machine.loadAverage.end} at the end` +
      (machine.loadAverage.start > machine.cores / 2
        ? ' (other work was running: absolute numbers are low, ratios less affected)'
        : ''),
    `- Commit: ${results.git.commit}${results.git.dirty ? ' with uncommitted changes' : ''}`,
    `- Load: autocannon, ${options.connections} connections, ${options.seconds} s per run, ` +
      `${options.rounds} rounds interleaved (every target of a workload in turn, each round starting one ` +
      `target later) after ` +
      `a ${options.warmupSeconds} s warm-up per target; load generator and servers share the machine.`,
    '',
    '## Which configuration each figure is for',
    '',
    `- **reelkit-default**: ${MOCK_CONFIGS.default.command}, ${MOCK_CONFIGS.default.serves}.`,
    '  What users run. The throughput goals below are for it; its load goes to the OpenRouter mock.',
    `- **reelkit-manual**: ${MOCK_CONFIGS.manual.command}, ${MOCK_CONFIGS.manual.serves}.`,
    '  What this benchmark measured alone before; here for comparison, on polls.',
    `- **reelkit-redis**: ${MOCK_CONFIGS.redis.command}, ${MOCK_CONFIGS.redis.serves}.`,
    '  Compared with reelkit-default on polls and submits ([State on Redis](#state-on-redis)).',
    '- **node-http**, **fastify**: baselines in their own processes answering the',
    `  ${bodies.source} configuration's bytes (below). **prism**: Prism's own mock.`,
    '- In-process engine, start-up, memory: the OpenRouter mock alone on a manual clock (start-up',
    '  spawns the CLI on a free port: the default configuration would bind 4010–4013; memory needs',
    "  a clock it can move past the jobs' 24 h TTL). Conformance: the four engines on manual clocks.",
    '',
    '## Targets',
    '',
    ...markdownTable(verdictRows(results.verdicts)),
    '',
    ...(why.length > 0
      ? ['### Notes on the verdicts', '', ...why.map((l) => l.replace(/^(\S)/, '- $1')), '']
      : []),
    '## HTTP throughput and latency',
    '',
    'Targets, all on 127.0.0.1, each in its own process:',
    '',
    `- **${TARGET_LABELS['reelkit-default']}** and **${TARGET_LABELS['reelkit-manual']}**: the`,
    '  mock through its fastify mount with response validation on; polls read a completed job',
    `  (poll bodies ${Object.entries(bodies.pollBytesByConfig)
      .map(([config, bytes]) => `${config} ${bytes} B`)
      .join(', ')}: ids, ports and times differ, sizes should not).`,
    `- **${TARGET_LABELS['node-http']}**: \`node:http\` with no framework answering the mock's routes with`,
    `  the ${bodies.source} configuration's bodies byte for byte (poll ${bodies.pollBytes} B, submit`,
    `  ${bodies.submitBytes} B, MP4 ${bodies.mp4Bytes} B), the floor any Node server pays per request;`,
    '  it answers polls only, the workload its goal is about.',
    `- **${TARGET_LABELS.fastify}**: fastify answering the same routes with the same bodies, JSON`,
    '  bodies parsed by fastify on POST. Both baselines checked byte for byte against the mock:',
    `  ${bodies.identical ? 'identical' : 'NOT identical'}.`,
    `- **Prism**: \`prism mock packages/spec/openapi/openrouter.json --verboseLevel ${options.prismLog}\`,`,
    `  answering its own example${bodies.prismPollBytes !== undefined ? ` (${bodies.prismPollBytes} B poll body)` : ''}. Prism cannot serve binary bodies, so it`,
    '  sits out the mixed workload. Its log goes nowhere; with its default `info` level it answers',
    '  about half as many requests as at `error` (`npm run bench -- --prism-log info`).',
    '',
    'Workloads: **poll** GET of a completed job (every body checked against the expected bytes);',
    '**submit** POST of a 4 s 720p Veo job (the mock stores every job); **mixed** submit → poll that',
    "job → download a completed job's MP4, three requests per iteration (req/s counts requests).",
    'Polls go to every target; submits to the default configuration (in memory and on Redis), raw fastify and Prism; the',
    'mixed workload to the default configuration and raw fastify.',
    '',
    ...markdownTable(loadRows(results)),
    '',
    ...markdownTable(ratioRows(results)),
    '',
    ...redisSection(results),
    '## The engine in-process',
    '',
    'The OpenRouter engine on a manual clock, `engine.handle(new Request(...))` awaited in a loop,',
    'one at a time, no sockets: the cost of the',
    "engine's public API per request, a Web Request in and a Web Response out (the fastify mount",
    "passes Node's request and writes Node's response without either).",
    '',
    ...markdownTable(engineRows(results)),
    '',
    '## Start-up',
    '',
    `\`${startup.command}\`, spawn to the first 200 from \`/__reelkit/health\` (polled every 2 ms):`,
    `median **${fmt(startup.medianMs)} ms** over ${startup.runsMs.length} runs (${startup.runsMs.map(fmt).join(', ')} ms).`,
    `A bare \`node:http\` server measured the same way: ${fmt(startup.baselineMedianMs)} ms.`,
    '',
    '## Memory and eviction',
    '',
    `The OpenRouter mock alone on a manual clock (\`startMocks\`, fastify mount), in its own process;`,
    `${fmt(memory.jobsRequested)} jobs submitted over loopback HTTP from the benchmark's process (so no client`,
    `shares the server's heap; ${memory.createSeconds} s), RSS of that process read after a full GC`,
    `(\`--expose-gc\`: ${memory.gcForced ? 'yes' : 'no'}). Then the clock`,
    `moves past the OpenRouter job TTL (${memory.ttlHours} h), 1,000 new submits let the store's own sweep run, and`,
    `a second wave of ${fmt(memory.jobsRequested)} jobs shows whether memory stays bounded.`,
    '',
    ...markdownTable(memoryRows(results)),
    '',
    '## Conformance suite on virtual time',
    '',
    `The whole conformance suite over the four routers, in-process on manual clocks (jobs of one to`,
    `several simulated minutes each), with webhook and key checks: ${results.conformance.seconds} s in all.`,
    '',
    ...Object.entries(results.conformance.perProvider).map(
      ([id, r]) =>
        `- ${id}: ${r.seconds} s, ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`,
    ),
    '',
    ...(results.profiles.length > 0
      ? [
          '## CPU profiles',
          '',
          'Each configuration in its own process with `--cpu-prof`, under the same load (a warm-up,',
          'then two rounds at each in turn); µs per response are shares of busy samples times the',
          'CPU time the process used per response (from /proc). Samples are wall-clock: on a busy',
          'machine a descheduled process is sampled in its last system call, usually `writev`.',
          '',
          '```',
          ...profileLines(results).slice(1),
          '```',
          '',
        ]
      : []),
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench                # about 2–3 minutes; writes packages/bench/results/latest.json',
    'npm run bench -- --quick     # a short sanity run',
    'npm run bench -- --profile   # both configurations profiled under poll and submit load, side by side',
    'npm run bench -- --workloads poll --targets reelkit-default,reelkit-manual,node-http   # a subset',
    'npm run bench -- --markdown BENCHMARKS.md   # rewrite this file from a run',
    '```',
    '',
  ];
  return lines.join('\n');
}
