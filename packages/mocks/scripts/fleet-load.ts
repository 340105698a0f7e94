/**
 * The fleet load test: 20,000 OpenRouter jobs submitted and polled through nginx in front of three
 * `reelkit mock` replicas on one redis-server, on a real clock ×600, each job with a callback to a
 * loopback receiver that answers 500 to a few % of first attempts; once half the jobs are
 * acknowledged, one replica is SIGKILLed and restarted. The same driver as the 1,000-job run in
 * `test/fleet/restart.test.ts` (`test/support/fleet-load.ts`). Prints progress and a summary, and
 * exits 1 if a job is lost, an id duplicated, a history illegal, or an event never delivered (or
 * delivered twice without the kill to explain it).
 *
 * Needs `redis-server` and `nginx` (Debian: redis-server, nginx-light).
 *
 * Usage: `npm run fleet-load -w @reelkit/mocks` (or `-- --jobs 5000 --replicas 3 --concurrency 64
 * --time-scale 600 --seed 7 --failure-rate 0.05 --no-kill`; `--store memory` shows
 * what replicas without shared state lose).
 * @module
 */
import { parseArgs } from 'node:util';
import { fleetLoadProblems, runFleetLoad } from '../test/support/fleet-load.js';
import { loadBalancerMissing } from '../test/support/load-balancer.js';
import { redisMissing } from '../test/support/redis-server.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    replicas: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '64' },
    'time-scale': { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    'failure-rate': { type: 'string', default: '0.05' },
    'no-kill': { type: 'boolean', default: false },
    store: { type: 'string', default: 'redis' },
    'deadline-minutes': { type: 'string', default: '20' },
  },
});

const missing = redisMissing ?? loadBalancerMissing;
if (missing) {
  console.error(`fleet-load: ${missing}`);
  process.exit(2);
}

const count = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`fleet-load: --${name} must be a number, not '${String(values[name])}'`);
    process.exit(2);
  }
  return n;
};

const stores = ['redis', 'memory'] as const;
const store = stores.find((s) => s === values.store);
if (store === undefined) {
  console.error(`fleet-load: --store is redis or memory, not '${values.store}'`);
  process.exit(2);
}

const options = {
  store,
  jobs: count('jobs'),
  replicas: count('replicas'),
  concurrency: count('concurrency'),
  timeScale: count('time-scale'),
  seed: count('seed'),
  webhookFailureRate: count('failure-rate'),
  kill: !values['no-kill'],
  deadlineMs: count('deadline-minutes') * 60_000,
  progress: (line: string) => console.log(line),
};
console.log(
  `fleet-load: ${options.jobs} OpenRouter jobs, ${options.replicas} replicas ${store === 'redis' ? 'on one Redis' : 'in memory each'} behind nginx, ` +
    `${options.concurrency} in flight, real clock ×${options.timeScale}, ` +
    `${options.webhookFailureRate * 100} % of first webhook attempts refused, ` +
    `${options.kill ? 'one replica SIGKILLed and restarted midway' : 'no kill'}`,
);
const summary = await runFleetLoad(options);
const refused = Object.values(summary.submitsRefused).reduce((a, b) => a + b, 0);
const { webhooks } = summary;
const explained = webhooks.acceptedTwice.filter((t) => t.explainedByKill).length;
console.log(`
summary (${(summary.durationMs / 1000).toFixed(1)} s, ${summary.requests} requests through nginx)
  jobs acknowledged        ${summary.acknowledged} of ${summary.jobs}
  lost                     ${summary.lost.length}   (acknowledged, then 404 or never terminal)
  duplicated ids           ${summary.duplicatedIds.length}
  illegal histories        ${summary.illegal.length}   (polled statuses and stored history, by the spec's lifecycle)
  terminal                 ${JSON.stringify(summary.terminal)}
  submits refused          ${refused} ${JSON.stringify(summary.submitsRefused)}   (attempts answered 502/503/504 or cut; each retried by the client)
  submits failed           ${summary.submitsFailed.length}
  polls retried            ${summary.pollsRetried}   (502/503/504 or cut after nginx's own retry)
  webhook events expected  ${webhooks.expected}
  attempts received        ${webhooks.attempts}   (${webhooks.failedOnPurpose} answered 500 on purpose)
  distinct keys accepted   ${webhooks.distinctKeys}
  never delivered          ${webhooks.missing.length}
  accepted more than once  ${webhooks.acceptedTwice.length}   (${explained} explained by the kill: in flight on the killed replica)
  events of unacknowledged jobs ${webhooks.forUnacknowledgedJobs}   (a submit cut by the kill that stored its job)
  per replica              ${JSON.stringify(summary.perReplica)}
  kill                     ${summary.kill ? `replica ${summary.kill.replica} down ${summary.kill.restartedAt - summary.kill.killedAt} ms` : 'none'}`);
const problems = fleetLoadProblems(summary);
if (problems.length > 0) {
  console.log(`\nFAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nOK: 0 lost, 0 duplicated, every history legal, every event delivered');
}
