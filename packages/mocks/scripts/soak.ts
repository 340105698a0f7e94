/**
 * The 50,000-job soak: the same run as `test/load.test.ts`, fifty times larger. The OpenRouter
 * mock over fastify on 127.0.0.1, 50 concurrent clients submitting and polling while the clock
 * moves, a webhook receiver on loopback refusing 30 % of attempts (seeded); then every job is
 * polled once more, time moves past the TTL and the store is swept. Prints progress and a summary;
 * exits 1 on any lost, duplicated or illegal job, any webhook not delivered exactly once, any
 * diagnostic, or a store not empty after eviction.
 *
 * Then the hostile phases (`test/support/hostile.ts`): creates with a new random API key each,
 * past the job cap, first while every job is live and again once they have finished; 20 MB
 * prompts; prompts at the limit. It prints RSS before and after each, and exits 1 if the store
 * passes its cap, the ledger outgrows the store, a refused request was not refused, or the server
 * stops answering.
 *
 * Usage: `npm run soak -w @reelkit/mocks` (or `-- --jobs 5000 --concurrency 20 --seed 7`;
 * `--hostile-creates 0` skips the hostile phases).
 * `--expose-gc` (set by the npm script) makes the memory readings follow a full GC.
 * @module
 */
import { parseArgs } from 'node:util';
import type { LoadSummary } from '../test/support/load.js';
import { runLoad } from '../test/support/load.js';
import type { HostilePhase } from '../test/support/hostile.js';
import { runHostile } from '../test/support/hostile.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50000' },
    concurrency: { type: 'string', default: '50' },
    polls: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20260424' },
    'failure-rate': { type: 'string', default: '0.3' },
    'deadline-minutes': { type: 'string', default: '30' },
    'hostile-creates': { type: 'string', default: '120000' },
    'hostile-max-jobs': { type: 'string', default: '100000' },
    'huge-prompts': { type: 'string', default: '20' },
    'limit-prompts': { type: 'string', default: '1000' },
  },
});

const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`--${name} must be a number`);
  return n;
};

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const gc = globalThis.gc;

const options = {
  jobs: positive('jobs', values.jobs),
  concurrency: positive('concurrency', values.concurrency),
  pollsPerJob: positive('polls', values.polls),
  seed: positive('seed', values.seed),
  webhookFailureRate: positive('failure-rate', values['failure-rate']),
  deadlineMs: positive('deadline-minutes', values['deadline-minutes']) * 60_000,
  progress: (line: string) => console.log(`[soak ${elapsed()}] ${line}`),
  ...(gc ? { gc: () => gc() } : {}),
};

console.log(
  `[soak] ${options.jobs} jobs, ${options.concurrency} clients, ${options.pollsPerJob} poll(s) per job while loading, ` +
    `webhook receiver refusing ${options.webhookFailureRate * 100} %, seed ${options.seed}, ` +
    `node ${process.version}${gc ? ', GC before readings' : ', no --expose-gc (readings without GC)'}`,
);

const summary: LoadSummary = await runLoad(options);
const { webhooks, memory } = summary;
const mem = (r: { rssMiB: number; heapUsedMiB: number; externalMiB: number }) =>
  `rss ${r.rssMiB} MiB, heap ${r.heapUsedMiB} MiB, external ${r.externalMiB} MiB`;
const lines: [string, string | number][] = [
  ['jobs submitted', summary.jobs],
  ['accepted (202)', summary.accepted],
  ['refused', JSON.stringify(summary.refused)],
  ['lost', summary.lost.length],
  ['duplicated', summary.duplicated.length],
  ['store size after load', summary.storeSize],
  ['ids in store never answered', summary.unknownInStore],
  ['illegal histories', summary.illegal.length],
  ['not terminal at the end', summary.notTerminal],
  ['terminal statuses', JSON.stringify(summary.terminal)],
  ['HTTP requests to the mock', summary.requests],
  ['webhook events', webhooks.events],
  ['webhook attempts (refused)', `${webhooks.attempts} (${webhooks.refused})`],
  ['events accepted exactly once', webhooks.acceptedOnce],
  ['events accepted twice', webhooks.acceptedTwice.length],
  ['events never accepted', webhooks.neverAccepted.length],
  ['idempotency keys misused', webhooks.keyMisuse.length],
  ['deliveries given up', webhooks.failed],
  ['store size after TTL + sweep', summary.storeSizeAfterEviction],
  ['assets still registered after eviction', summary.retainedAfterEviction.assets],
  ['webhook log entries after eviction', summary.retainedAfterEviction.deliveries],
  ['memory at start', mem(memory.baseline)],
  ['memory loaded', mem(memory.loaded)],
  ['memory after eviction', mem(memory.afterEviction)],
  ['  … and clearing webhook log + media', mem(memory.afterClearingLogs)],
  ['diagnostics', summary.diagnostics.length],
  ['duration', `${(summary.durationMs / 1000).toFixed(1)} s ${JSON.stringify(summary.phasesMs)}`],
];
console.log('\n[soak] summary');
for (const [label, value] of lines) console.log(`  ${label.padEnd(40)} ${value}`);

const failures = [
  summary.accepted !== summary.jobs && 'not every submission was accepted',
  summary.lost.length > 0 && `lost: ${summary.lost.slice(0, 5).join(', ')}`,
  summary.duplicated.length > 0 && `duplicated: ${summary.duplicated.slice(0, 5).join(', ')}`,
  summary.storeSize !== summary.accepted && 'store size differs from accepted jobs',
  summary.unknownInStore > 0 && 'jobs in the store that no client was answered with',
  summary.illegal.length > 0 && `illegal: ${JSON.stringify(summary.illegal.slice(0, 5))}`,
  summary.notTerminal > 0 && 'jobs not terminal',
  webhooks.acceptedOnce !== webhooks.events && 'webhook events not accepted exactly once',
  webhooks.keyMisuse.length > 0 && 'idempotency keys reused for different bodies',
  summary.storeSizeAfterEviction !== 0 && 'store not empty after eviction',
  summary.diagnostics.length > 0 && `diagnostics: ${JSON.stringify(summary.diagnostics[0])}`,
].filter((f): f is string => typeof f === 'string');
const hostileCreates = positive('hostile-creates', values['hostile-creates']);
if (hostileCreates > 0) {
  const maxJobs = positive('hostile-max-jobs', values['hostile-max-jobs']);
  console.log(
    `\n[soak] hostile phases: ${hostileCreates} creates with random keys (cap ${maxJobs} jobs), ` +
      `${values['huge-prompts']} prompts of 20 MB, ${values['limit-prompts']} prompts at the limit`,
  );
  const phases: HostilePhase[] = await runHostile({
    randomKeyCreates: hostileCreates,
    maxJobs,
    hugePrompts: positive('huge-prompts', values['huge-prompts']),
    limitPrompts: positive('limit-prompts', values['limit-prompts']),
    concurrency: options.concurrency,
    seed: options.seed,
    deadlineMs: options.deadlineMs,
    progress: options.progress,
    ...(gc ? { gc: () => gc() } : {}),
  });
  console.log('\n[soak] hostile summary');
  for (const p of phases) {
    console.log(`  ${p.name}`);
    console.log(`    ${'answers'.padEnd(36)} ${JSON.stringify(p.statuses)}`);
    console.log(`    ${'store / ledger entries'.padEnd(36)} ${p.storeSize} / ${p.ledgerEntries}`);
    console.log(`    ${'memory before'.padEnd(36)} ${mem(p.before)}`);
    console.log(`    ${'memory after'.padEnd(36)} ${mem(p.after)}`);
  }
  const [live, finished, huge, atLimit] = phases;
  failures.push(
    ...[
      phases.some((p) => p.storeSize > maxJobs) && 'the store passed its cap',
      phases.some((p) => p.ledgerEntries > p.storeSize) && 'the ledger outgrew the store',
      phases.some((p) => !p.healthy) && 'the server stopped answering',
      live && hostileCreates > maxJobs && !live.statuses['429'] && 'no 429 past the job cap',
      finished &&
        (finished.statuses['202'] ?? 0) < Math.min(hostileCreates, maxJobs) &&
        'finished jobs did not make room',
      huge &&
        Object.keys(huge.statuses).some((s) => s.startsWith('2')) &&
        'a 20 MB prompt was accepted',
      atLimit &&
        atLimit.statuses['202'] !== atLimit.requests &&
        'a prompt at the limit was refused',
    ].filter((f): f is string => typeof f === 'string'),
  );
}

if (failures.length > 0) {
  console.error(`\n[soak] FAILED\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('\n[soak] OK');
}
