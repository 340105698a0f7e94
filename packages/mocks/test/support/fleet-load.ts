/**
 * The fleet load driver shared by `test/fleet/restart.test.ts` (1,000 jobs, in `npm test`) and
 * `scripts/fleet-load.ts` (20,000 by default): an OpenRouter fleet on Redis behind nginx, on a
 * real clock running `timeScale` times faster than life, every job with a callback to a loopback
 * receiver that fails a seeded share of first attempts (so retries happen). Clients submit and
 * poll through the balancer with bounded concurrency; once half the jobs are acknowledged, one
 * replica is SIGKILLed and, a moment later, restarted on its port. It returns what it saw;
 * {@link fleetLoadProblems} judges.
 *
 * Every loop is bounded in count and in wall-clock time (`deadlineMs`): nothing waits forever.
 * @module
 */
import { createRandom } from '../../src/core/random.js';
import type { LifecycleDef } from '@reelkit/spec';
import { checkObservedSequence, isLegalTransition, openrouterSpec } from '@reelkit/spec';
import type { Fleet } from './fleet.js';
import { startFleet } from './fleet.js';
import { UPSTREAM_HEADER } from './load-balancer.js';
import type { WebhookReceiver } from './webhook-receiver.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/** Options of {@link runFleetLoad}. */
export interface FleetLoadOptions {
  readonly jobs: number;
  /** Replica processes (default 3). */
  readonly replicas?: number;
  /** `redis` (default), or `memory` to see what a fleet without shared state loses. */
  readonly store?: 'redis' | 'memory';
  /** Jobs in flight at once (default 64). */
  readonly concurrency?: number;
  /** Simulated seconds per real second (default 600: a Veo job ends in a few hundred ms). */
  readonly timeScale?: number;
  /** Seeds the fleet and the receiver's failures (default 1). */
  readonly seed?: number;
  /** Share of first delivery attempts the receiver answers 500 (default 0.05). */
  readonly webhookFailureRate?: number;
  /** Replica killed midway (default 1); `undefined` with `kill: false`. */
  readonly killReplica?: number;
  /** Whether to kill and restart a replica midway (default true). */
  readonly kill?: boolean;
  /** Real ms the killed replica stays down before its restart (default 1000). */
  readonly downMs?: number;
  /** Real ms between two polls of a job (default 50). */
  readonly pollIntervalMs?: number;
  /** Wall-clock budget of the whole run (default 10 minutes). */
  readonly deadlineMs?: number;
  /** Progress lines, every couple of seconds. */
  readonly progress?: (line: string) => void;
}

/** A key the receiver accepted more than once. */
export interface TwiceAccepted {
  readonly key: string;
  readonly acceptedAt: readonly number[];
  /**
   * Explained by the kill: the first acceptance came before the killed replica was gone (it had
   * the delivery in flight and did not record it), the next one after (its lease ran out).
   */
  readonly explainedByKill: boolean;
}

/**
 * How long before the SIGKILL, and after the process is gone, an attempt of the dying replica may
 * reach the receiver (real ms): claimed and sent just before, read by a busy receiver just after.
 */
const IN_FLIGHT_MS = 2_000;

/**
 * The shortest time after which a delivery held by a dead replica is attempted again: the
 * lease (the attempt timeout, 10 s, plus 5 s) less what the first acceptance may lag.
 */
const MIN_LEASE_MS = 10_000;

/** What a fleet load run saw. */
export interface FleetLoadSummary {
  readonly jobs: number;
  readonly replicas: number;
  /** Submissions answered 202, each with a job id. */
  readonly acknowledged: number;
  /** Acknowledged jobs that a later poll answered 404, or that never reached a terminal status. */
  readonly lost: readonly { readonly id: string; readonly why: string }[];
  /** Ids answered to more than one submission. */
  readonly duplicatedIds: readonly string[];
  /** Jobs whose polled statuses or stored history break the lifecycle. */
  readonly illegal: readonly { readonly id: string; readonly rule: string }[];
  /** Terminal statuses at the last poll. */
  readonly terminal: Readonly<Record<string, number>>;
  /**
   * Submit attempts answered 502/503/504 or cut (a network error), by status ('network' for the
   * latter). Each is retried by the load client, as an SDK would: nginx never resends a POST
   * that reached a replica, so the client decides. A job is acknowledged once, by the attempt
   * that got 202.
   */
  readonly submitsRefused: Readonly<Record<string, number>>;
  /** Submissions given up after every retry, or answered something else (should be none). */
  readonly submitsFailed: readonly string[];
  /** Poll attempts answered 502/503/504 or cut even after nginx's retry on another replica. */
  readonly pollsRetried: number;
  readonly webhooks: {
    /** One terminal event per acknowledged job. */
    readonly expected: number;
    /** Every delivery attempt the receiver got. */
    readonly attempts: number;
    /** Attempts it answered 500 on purpose. */
    readonly failedOnPurpose: number;
    /** Distinct idempotency keys accepted. */
    readonly distinctKeys: number;
    /** Expected events never accepted. */
    readonly missing: readonly string[];
    readonly acceptedTwice: readonly TwiceAccepted[];
    /**
     * Events of jobs no submission was acknowledged with: a submit that reached the killed
     * replica, stored its job and lost its answer (the client saw a 502 and submitted again).
     */
    readonly forUnacknowledgedJobs: number;
  };
  /** Requests each replica answered, through the balancer. */
  readonly perReplica: Readonly<Record<string, number>>;
  readonly requests: number;
  /** Wall-clock ms: the SIGKILL was sent, the process was seen gone, the restart answered. */
  readonly kill?: {
    readonly replica: number;
    readonly killedAt: number;
    readonly diedAt: number;
    readonly restartedAt: number;
  };
  readonly durationMs: number;
}

const KEY = 'sk-fleet-load';
const RETRYABLE = new Set([502, 503, 504]);
/** Attempts at one submission before it counts as failed. */
const SUBMIT_TRIES = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `worker` over 0..count-1 with at most `concurrency` at once. */
async function pool(count: number, concurrency: number, worker: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await worker(next++);
    }),
  );
}

/** Why a stored history breaks `lifecycle`, or undefined. */
function historyRule(lifecycle: LifecycleDef, history: readonly { status: string; at: number }[]) {
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1]!;
    const to = history[i]!;
    if (!isLegalTransition(lifecycle, from.status, to.status)) {
      return `stored history ${from.status} → ${to.status} is not a transition`;
    }
    if (to.at < from.at) return `stored history goes back in time at ${to.status}`;
  }
  return undefined;
}

/**
 * Starts the fleet and the receiver, runs the load, stops everything, and returns the summary.
 *
 * @example
 * const summary = await runFleetLoad({ jobs: 1000, progress: console.log });
 * const problems = fleetLoadProblems(summary); // [] when nothing was lost, duplicated or illegal
 */
export async function runFleetLoad(options: FleetLoadOptions): Promise<FleetLoadSummary> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 600_000);
  const concurrency = options.concurrency ?? 64;
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const replicas = options.replicas ?? 3;
  const random = createRandom((options.seed ?? 1) ^ 0x5eed);
  const failureRate = options.webhookFailureRate ?? 0.05;
  const progress = options.progress ?? (() => {});

  let receiver: WebhookReceiver | undefined;
  let fleet: Fleet | undefined;
  try {
    receiver = await startWebhookReceiver((_key, attempt) =>
      attempt === 1 && random.next() < failureRate ? 'fail' : 'accept',
    );
    fleet = await startFleet({
      provider: 'openrouter',
      replicas,
      store: options.store ?? 'redis',
      clock: 'real',
      timeScale: options.timeScale ?? 600,
      seed: options.seed ?? 1,
      allowHttpCallbacks: true,
    });
    return await drive(fleet, receiver);
  } finally {
    await fleet?.stop();
    await receiver?.stop();
  }

  async function drive(fleet: Fleet, receiver: WebhookReceiver): Promise<FleetLoadSummary> {
    // Read as any router's lifecycle: statuses come off the wire as plain strings.
    const lifecycle: LifecycleDef = openrouterSpec.openrouterLifecycle;
    const seen = new Map<string, string[]>(); // id → polled statuses
    const lost: { id: string; why: string }[] = [];
    const duplicatedIds: string[] = [];
    const submitsRefused: Record<string, number> = {};
    const submitsFailed: string[] = [];
    const perReplica: Record<string, number> = {};
    let pollsRetried = 0;
    let requests = 0;
    let kill: FleetLoadSummary['kill'];
    let killing: Promise<void> | undefined;
    const killReplica = options.killReplica ?? 1;

    const send = async (path: string, init: RequestInit = {}) => {
      requests++;
      try {
        const response = await fetch(`${fleet.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${KEY}`, ...init.headers },
        });
        const upstream = response.headers.get(UPSTREAM_HEADER)?.split(', ').at(-1);
        if (upstream) perReplica[upstream] = (perReplica[upstream] ?? 0) + 1;
        const text = await response.text();
        return { status: response.status, text };
      } catch (error) {
        return { status: 0, text: String(error) };
      }
    };

    const submit = async (index: number): Promise<string | undefined> => {
      for (let attempt = 0; attempt < SUBMIT_TRIES && Date.now() < deadline; attempt++) {
        const answer = await send('/api/v1/videos', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'google/veo-3.1',
            prompt: `fleet load job ${index}`,
            duration: 4,
            callback_url: receiver.url,
          }),
        });
        if (answer.status === 202) return (JSON.parse(answer.text) as { id: string }).id;
        if (answer.status === 0 || RETRYABLE.has(answer.status)) {
          const label = answer.status === 0 ? 'network' : String(answer.status);
          submitsRefused[label] = (submitsRefused[label] ?? 0) + 1;
          await sleep(pollIntervalMs);
          continue;
        }
        submitsFailed.push(`job ${index}: ${answer.status} ${answer.text.slice(0, 200)}`);
        return undefined;
      }
      submitsFailed.push(`job ${index}: no 202 after ${SUBMIT_TRIES} attempts`);
      return undefined;
    };

    const follow = async (id: string) => {
      const statuses = seen.get(id)!;
      while (Date.now() < deadline) {
        await sleep(pollIntervalMs);
        const answer = await send(`/api/v1/videos/${encodeURIComponent(id)}`);
        if (answer.status === 200) {
          const { status } = JSON.parse(answer.text) as { status: string };
          statuses.push(status);
          if (lifecycle.terminal.includes(status)) return;
        } else if (answer.status === 404) {
          lost.push({ id, why: `404 after ${statuses.join(' → ')}` });
          return;
        } else if (answer.status === 0 || RETRYABLE.has(answer.status)) {
          pollsRetried++;
        } else {
          lost.push({ id, why: `poll answered ${answer.status}: ${answer.text.slice(0, 200)}` });
          return;
        }
      }
      lost.push({ id, why: `not terminal by the deadline after ${statuses.join(' → ')}` });
    };

    const killAndRestart = async () => {
      const killedAt = Date.now();
      progress(
        `  kill: SIGKILL replica ${killReplica} (port ${fleet.replicas[killReplica]!.port})`,
      );
      await fleet.kill(killReplica, 'SIGKILL');
      const diedAt = Date.now();
      await sleep(options.downMs ?? 1000);
      await fleet.restart(killReplica);
      kill = { replica: killReplica, killedAt, diedAt, restartedAt: Date.now() };
      progress(`  kill: replica ${killReplica} restarted after ${kill.restartedAt - killedAt} ms`);
    };

    // Enough credit for every job (the default balance covers a few dozen).
    const credit = await send(`/__reelkit/balances/${KEY}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ balance: 1_000_000_000 }),
    });
    if (credit.status !== 200) throw new Error(`could not set the balance: ${credit.text}`);

    const ticker = setInterval(() => {
      const terminalCount = [...seen.values()].filter((s) =>
        lifecycle.terminal.includes(s.at(-1) ?? ''),
      ).length;
      progress(
        `  ${Math.round((Date.now() - started) / 1000)} s: ${seen.size} acknowledged, ` +
          `${terminalCount} terminal, ${requests} requests, ` +
          `${Object.values(submitsRefused).reduce((a, b) => a + b, 0)} submits refused, ` +
          `${receiver.attempts.length} webhook attempts`,
      );
    }, 2_000);
    ticker.unref();
    try {
      await pool(options.jobs, concurrency, async (index) => {
        const id = await submit(index);
        if (id === undefined) return;
        if (seen.has(id)) duplicatedIds.push(id);
        else seen.set(id, ['pending']);
        if (options.kill !== false && killing === undefined && seen.size >= options.jobs / 2) {
          killing = killAndRestart();
        }
        await follow(id);
      });
      await killing;

      // Every stored history, through the balancer's control plane, step by step.
      const illegal: { id: string; rule: string }[] = [];
      const ids = [...seen.keys()];
      await pool(ids.length, concurrency, async (i) => {
        const id = ids[i]!;
        const polled = checkObservedSequence(lifecycle, seen.get(id)!);
        if (polled)
          illegal.push({ id, rule: `polled ${seen.get(id)!.join(' → ')}: ${polled.rule}` });
        const answer = await send(`/__reelkit/jobs/${encodeURIComponent(id)}`);
        if (answer.status !== 200) {
          if (!lost.some((l) => l.id === id))
            lost.push({ id, why: `control plane: ${answer.status}` });
          return;
        }
        const { history } = JSON.parse(answer.text) as {
          history: { status: string; at: number }[];
        };
        const rule = historyRule(lifecycle, history);
        if (rule) illegal.push({ id, rule });
      });

      // One terminal event per job; wait (bounded) until the receiver has accepted them all.
      const terminal: Record<string, number> = {};
      const expected = new Set<string>();
      for (const [id, statuses] of seen) {
        const last = statuses.at(-1) ?? '';
        if (!lifecycle.terminal.includes(last)) continue;
        terminal[last] = (terminal[last] ?? 0) + 1;
        if ((openrouterSpec.WEBHOOK_STATUSES as readonly string[]).includes(last)) {
          expected.add(openrouterSpec.idempotencyKey(id, last as openrouterSpec.WebhookStatus));
        }
      }
      const missingNow = () => [...expected].filter((key) => !receiver.acceptedKeys().has(key));
      while (missingNow().length > 0 && Date.now() < deadline) await sleep(100);

      const accepted = receiver.acceptedKeys();
      const acceptedTwice = [...accepted]
        .map((key) => ({ key, acceptedAt: receiver.acceptedAt(key) }))
        .filter(({ acceptedAt }) => acceptedAt.length > 1)
        .map(({ key, acceptedAt }) => ({
          key,
          acceptedAt,
          // Sent by the replica as it died (it never recorded the answer; requests it had sent
          // may reach a busy receiver a little after its exit), then again once its lease ran
          // out: what a kill explains. Any other pair is not: a live replica never resends a
          // delivered event, and a lease never runs out sooner.
          explainedByKill:
            kill !== undefined &&
            acceptedAt.length === 2 &&
            acceptedAt[0]! >= kill.killedAt - IN_FLIGHT_MS &&
            acceptedAt[0]! <= kill.diedAt + IN_FLIGHT_MS &&
            acceptedAt[1]! - acceptedAt[0]! >= MIN_LEASE_MS,
        }));
      return {
        jobs: options.jobs,
        replicas,
        acknowledged: seen.size,
        lost,
        duplicatedIds,
        illegal,
        terminal,
        submitsRefused,
        submitsFailed,
        pollsRetried,
        webhooks: {
          expected: expected.size,
          attempts: receiver.attempts.length,
          failedOnPurpose: receiver.attempts.filter((a) => a.answer === 'fail').length,
          distinctKeys: accepted.size,
          missing: missingNow(),
          acceptedTwice,
          forUnacknowledgedJobs: [...accepted].filter((key) => !expected.has(key)).length,
        },
        perReplica,
        requests,
        ...(kill ? { kill } : {}),
        durationMs: Date.now() - started,
      };
    } finally {
      clearInterval(ticker);
    }
  }
}

/**
 * What went wrong in a run: lost, duplicated or illegal jobs, failed submissions, events never
 * delivered, events delivered twice without the kill to explain it, and events of unacknowledged
 * jobs beyond the submits the kill cut. Empty when the fleet kept every promise.
 *
 * @example
 * expect(fleetLoadProblems(await runFleetLoad({ jobs: 1000 }))).toEqual([]);
 */
export function fleetLoadProblems(summary: FleetLoadSummary): string[] {
  const problems: string[] = [];
  const few = (items: readonly unknown[]) => JSON.stringify(items.slice(0, 5));
  if (summary.acknowledged + summary.submitsFailed.length < summary.jobs) {
    problems.push(`${summary.jobs - summary.acknowledged} jobs never acknowledged`);
  }
  if (summary.lost.length) problems.push(`${summary.lost.length} lost: ${few(summary.lost)}`);
  if (summary.duplicatedIds.length) {
    problems.push(`${summary.duplicatedIds.length} duplicated ids: ${few(summary.duplicatedIds)}`);
  }
  if (summary.illegal.length)
    problems.push(`${summary.illegal.length} illegal: ${few(summary.illegal)}`);
  if (summary.submitsFailed.length) {
    problems.push(`${summary.submitsFailed.length} submits failed: ${few(summary.submitsFailed)}`);
  }
  const { webhooks } = summary;
  if (webhooks.missing.length) {
    problems.push(`${webhooks.missing.length} events never delivered: ${few(webhooks.missing)}`);
  }
  const unexplained = webhooks.acceptedTwice.filter((t) => !t.explainedByKill);
  if (unexplained.length) {
    problems.push(
      `${unexplained.length} events delivered twice, not by the kill: ${few(unexplained)}`,
    );
  }
  const cut = Object.values(summary.submitsRefused).reduce((a, b) => a + b, 0);
  if (webhooks.forUnacknowledgedJobs > cut) {
    problems.push(
      `${webhooks.forUnacknowledgedJobs} events for unacknowledged jobs, more than the ${cut} submits refused`,
    );
  }
  return problems;
}
