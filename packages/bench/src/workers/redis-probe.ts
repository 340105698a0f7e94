/**
 * Counts a replica's Redis traffic per request, in the replica's own process, through the
 * `ioredis:command` tracing channel that ioredis publishes on `node:diagnostics_channel` (every
 * command as it is written, pipelined and MULTI ones included). Requests go one at a time, so
 * that every command counted between two of them is theirs (or the webhook worker's, measured
 * alone while idle); a round trip is the client going from nothing in flight to something in
 * flight. Subscribed only while probing: the load runs pay nothing for it.
 * @module
 */
import { tracingChannel } from 'node:diagnostics_channel';
import type { RedisProbe, RedisTrafficPerRequest } from '../protocol.js';
import { AUTH_HEADERS, SUBMIT_BODY, SUBMIT_HEADERS } from '../protocol.js';
import { httpGet, httpSend } from '../processes.js';
import { BENCH_ROUTES, BENCH_STATUSES, jobPath } from '../routes.js';

/** Requests per probe: enough that the idle worker's few commands hardly count. */
const PROBE_REQUESTS = 300;
/** Real time to watch the idle replica's background traffic. */
const IDLE_MS = 1000;

interface Tally {
  commands: number;
  roundTrips: number;
  byCommand: Record<string, number>;
}

/** Watches ioredis commands while `work` runs. */
async function tallyWhile(work: () => Promise<void>): Promise<Tally> {
  const tally: Tally = { commands: 0, roundTrips: 0, byCommand: {} };
  let inFlight = 0;
  const channel = tracingChannel<string, { command?: string }>('ioredis:command');
  const handlers = {
    start(context: { command?: string }) {
      tally.commands++;
      const name = (context.command ?? '?').toLowerCase();
      tally.byCommand[name] = (tally.byCommand[name] ?? 0) + 1;
      if (inFlight++ === 0) tally.roundTrips++;
    },
    end() {},
    asyncStart() {},
    asyncEnd() {
      inFlight = Math.max(0, inFlight - 1);
    },
    error() {},
  };
  channel.subscribe(handlers);
  try {
    await work();
  } finally {
    channel.unsubscribe(handlers);
  }
  return tally;
}

function perRequest(tally: Tally, requests: number): RedisTrafficPerRequest {
  const per = (n: number) => Math.round((n / requests) * 1000) / 1000;
  return {
    requests,
    commands: per(tally.commands),
    roundTrips: per(tally.roundTrips),
    byCommand: Object.fromEntries(Object.entries(tally.byCommand).map(([k, n]) => [k, per(n)])),
  };
}

async function expectOk(
  what: string,
  answer: Promise<{ status: number } | undefined>,
  status: number,
) {
  const got = await answer;
  if (got?.status !== status) throw new Error(`${what} answered ${got?.status ?? 'nothing'}`);
}

/**
 * Polls `jobId` and submits jobs, one request at a time over loopback HTTP, and counts the Redis
 * commands and round trips each cost; then the background traffic of the idle replica.
 *
 * @example
 * const probe = await probeRedisTraffic('http://127.0.0.1:41234', jobIds[0]);
 * probe.poll.roundTrips; // e.g. 2
 */
export async function probeRedisTraffic(origin: string, jobId: string): Promise<RedisProbe> {
  const pollUrl = origin + jobPath(BENCH_ROUTES.poll, jobId);
  const submitUrl = origin + BENCH_ROUTES.submit;
  const poll = await tallyWhile(async () => {
    for (let i = 0; i < PROBE_REQUESTS; i++) {
      await expectOk('probe poll', httpGet(pollUrl, AUTH_HEADERS), BENCH_STATUSES.poll);
    }
  });
  const submit = await tallyWhile(async () => {
    for (let i = 0; i < PROBE_REQUESTS; i++) {
      await expectOk(
        'probe submit',
        httpSend(submitUrl, 'POST', SUBMIT_HEADERS, SUBMIT_BODY),
        BENCH_STATUSES.submit,
      );
    }
  });
  const idle = await tallyWhile(() => new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
  return {
    poll: perRequest(poll, PROBE_REQUESTS),
    submit: perRequest(submit, PROBE_REQUESTS),
    idle: { seconds: IDLE_MS / 1000, commands: idle.commands, roundTrips: idle.roundTrips },
  };
}
