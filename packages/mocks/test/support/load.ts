/**
 * The load driver shared by `test/load.test.ts` (2,000 jobs, in `npm test`) and
 * `scripts/soak.ts` (50,000 jobs): the OpenRouter mock over fastify on 127.0.0.1, a manual clock
 * moved while clients submit and poll concurrently, and a webhook receiver on loopback that fails
 * a seeded share of deliveries. It returns what it saw; the callers judge.
 *
 * Every loop is bounded in count and in wall-clock time (`deadlineMs`): the run throws rather
 * than hang. Nothing leaves loopback.
 * @module
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkObservedSequence, openrouterSpec } from '@reelkit/spec';
import { listenMockServer } from '../../src/adapters/fastify.js';
import { createManualClock } from '../../src/core/clock.js';
import type { Diagnostic } from '../../src/core/engine.js';
import { createMockEngine } from '../../src/core/engine.js';
import { createRandom } from '../../src/core/random.js';
import type { Job } from '../../src/core/store.js';
import { openrouterMock } from '../../src/providers/openrouter.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Jobs to submit. */
  readonly jobs: number;
  /** Clients submitting and polling at once. */
  readonly concurrency: number;
  /** Polls of each job while the load runs (a last poll follows once all have ended). */
  readonly pollsPerJob: number;
  /** Seeds the engine, the scenario mix and the receiver's failures. */
  readonly seed: number;
  /** Share of webhook deliveries the receiver refuses (500, 503 or a hang-up). */
  readonly webhookFailureRate: number;
  /** Wall-clock budget of the whole run, in ms. */
  readonly deadlineMs: number;
  /** Progress lines (the soak prints them). */
  readonly progress?: (line: string) => void;
  /** Force a GC before memory readings when the process runs with --expose-gc. */
  readonly gc?: () => void;
}

/** Memory at one moment, in MiB. */
export interface MemoryReading {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Memory of Buffers and other objects outside the V8 heap. */
  readonly externalMiB: number;
}

/** What a load run saw. */
export interface LoadSummary {
  readonly jobs: number;
  /** Submissions answered 202. */
  readonly accepted: number;
  /** Submissions answered anything else, by status. */
  readonly refused: Readonly<Record<string, number>>;
  /** Accepted ids the API no longer resolved before their TTL (404 on the last poll). */
  readonly lost: readonly string[];
  /** Ids answered to more than one submission. */
  readonly duplicated: readonly string[];
  /** Jobs in the store after the load, before eviction (should equal `accepted`). */
  readonly storeSize: number;
  /** Store ids that no submission was answered with. */
  readonly unknownInStore: number;
  /** Jobs whose polled statuses or stored history break the lifecycle. */
  readonly illegal: readonly { readonly id: string; readonly rule: string }[];
  /** Jobs not terminal on the last poll. */
  readonly notTerminal: number;
  /** Terminal statuses seen on the last poll. */
  readonly terminal: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly webhooks: {
    /** Terminal events expected (one per accepted job). */
    readonly events: number;
    /** Delivery attempts the receiver got, and how many it refused on purpose. */
    readonly attempts: number;
    readonly refused: number;
    /** Events accepted exactly once, more than once, or never. */
    readonly acceptedOnce: number;
    readonly acceptedTwice: readonly string[];
    readonly neverAccepted: readonly string[];
    /** Idempotency keys seen with two different bodies, or not matching their body. */
    readonly keyMisuse: readonly string[];
    /** Deliveries the engine gave up on. */
    readonly failed: number;
  };
  /** Jobs left after advancing past the TTL and sweeping (should be 0). */
  readonly storeSizeAfterEviction: number;
  /** Media assets of evicted jobs still registered, and webhook log entries still kept. */
  readonly retainedAfterEviction: { readonly assets: number; readonly deliveries: number };
  readonly memory: {
    readonly baseline: MemoryReading;
    readonly loaded: MemoryReading;
    readonly afterEviction: MemoryReading;
    /** After also clearing the webhook log and the media registry: what those two retained. */
    readonly afterClearingLogs: MemoryReading;
  };
  readonly diagnostics: readonly Diagnostic[];
  readonly durationMs: number;
  readonly phasesMs: Readonly<Record<string, number>>;
}

const MiB = 1024 * 1024;
const KEY = 'sk-load';

function memory(gc?: () => void): MemoryReading {
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
  return { rssMiB: mib(rss), heapUsedMiB: mib(heapUsed), externalMiB: mib(external) };
}

/** What the receiver saw of one idempotency key. */
interface KeyLog {
  /** Distinct bodies (as hashes) sent under the key. */
  readonly bodies: Set<string>;
  accepted: number;
  /** The body is a valid event whose job id and status are the ones the key names. */
  matches: boolean;
}

/**
 * A loopback webhook receiver that refuses a seeded share of deliveries (half 500, some 503, the
 * rest hang up). It keeps a hash of each body, not the body, so that a soak's memory readings
 * measure the mock rather than the receiver.
 */
async function flappingReceiver(seed: number, failureRate: number) {
  const random = createRandom(seed ^ 0x5eed);
  const keys = new Map<string, KeyLog>();
  let attempts = 0;
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const key = String(req.headers['x-openrouter-idempotency-key'] ?? '');
      const raw = Buffer.concat(chunks);
      let log = keys.get(key);
      if (!log) {
        let event: unknown;
        try {
          event = JSON.parse(raw.toString('utf8'));
        } catch {
          event = undefined;
        }
        const parsed = openrouterSpec.VideoWebhookEvent.safeParse(event);
        const matches =
          parsed.success &&
          key === openrouterSpec.idempotencyKey(parsed.data.data.id, parsed.data.data.status);
        log = { bodies: new Set(), accepted: 0, matches };
        keys.set(key, log);
      }
      log.bodies.add(createHash('sha1').update(raw).digest('base64'));
      const draw = random.next();
      if (draw >= failureRate) {
        log.accepted++;
        res.writeHead(204).end();
        return;
      }
      refused++;
      if (draw < failureRate * 0.5) res.writeHead(500).end('flap');
      else if (draw < failureRate * 0.8) res.writeHead(503, { 'retry-after': '1' }).end();
      else req.socket.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/openrouter`,
    keys,
    counts: () => ({ attempts, refused }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Scenario mix of the submissions: mostly successes, every terminal status represented. */
function scenarioFor(draw: number): string | undefined {
  if (draw < 0.7) return undefined;
  if (draw < 0.8) return 'failed';
  if (draw < 0.86) return 'moderation';
  if (draw < 0.93) return 'cancelled';
  return 'expired';
}

/**
 * Runs the load and returns what it saw.
 *
 * @example
 * const summary = await runLoad({ jobs: 2000, concurrency: 50, pollsPerJob: 2, seed: 7,
 *   webhookFailureRate: 0.3, deadlineMs: 60_000 });
 * summary.lost; // []
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const deadline = started + options.deadlineMs;
  const checkDeadline = (phase: string) => {
    if (performance.now() > deadline) {
      throw new Error(`[load] ${phase} exceeded the ${options.deadlineMs} ms budget`);
    }
  };
  const phasesMs: Record<string, number> = {};
  let phaseStart = performance.now();
  const endPhase = (name: string) => {
    phasesMs[name] = Math.round(performance.now() - phaseStart);
    phaseStart = performance.now();
  };
  const log = options.progress ?? (() => undefined);

  const baseline = memory(options.gc);
  const receiver = await flappingReceiver(options.seed, options.webhookFailureRate);
  const clock = createManualClock({ start: Date.UTC(2026, 3, 24, 8) });
  const engine = createMockEngine({
    provider: openrouterMock,
    clock,
    seed: options.seed,
    // Enough attempts that a 30 % flapping receiver gets every event (0.3^25 ≈ 1e-13).
    webhooks: {
      secret: 'whsec_load',
      allowHttpLoopback: true,
      policy: { maxAttempts: 25, timeoutMs: 5000 },
    },
  });
  engine.ledger.set(KEY, 1e12);
  const server = await listenMockServer({ engine, port: 0 });
  const base = server.baseUrl;
  const auth = { authorization: `Bearer ${KEY}` };
  const random = createRandom(options.seed);

  const ids: string[] = [];
  const polled = new Map<string, string[]>();
  const refused: Record<string, number> = {};
  let requests = 0;

  const poll = async (id: string): Promise<number> => {
    requests++;
    const res = await fetch(`${base}/videos/${encodeURIComponent(id)}`, { headers: auth });
    const body = (await res.json()) as { status?: string };
    if (res.status === 200 && body.status) polled.get(id)?.push(body.status);
    return res.status;
  };

  try {
    // Phase 1: clients submit and poll while a driver moves the clock, so jobs end (and webhooks
    // fire at the flapping receiver) under load.
    let next = 0;
    let submitting = true;
    const driver = (async () => {
      for (let i = 0; submitting && i < 1_000_000; i++) {
        await new Promise((r) => setTimeout(r, 20));
        await clock.advance(30_000);
        checkDeadline('the load phase');
      }
    })();
    const worker = async () => {
      while (next < options.jobs) {
        checkDeadline('the load phase');
        const n = next++;
        const scenario = scenarioFor(random.next());
        requests++;
        const res = await fetch(`${base}/videos`, {
          method: 'POST',
          headers: {
            ...auth,
            'content-type': 'application/json',
            ...(scenario ? { 'x-reelkit-scenario': scenario } : {}),
          },
          body: JSON.stringify({
            model: 'google/veo-3.1-fast',
            prompt: `load job ${n}`,
            duration: 4,
            callback_url: receiver.url,
          }),
        });
        const body = (await res.json()) as { id?: string; status?: string };
        if (res.status !== 202 || !body.id) {
          refused[res.status] = (refused[res.status] ?? 0) + 1;
          continue;
        }
        ids.push(body.id);
        if (!polled.has(body.id)) polled.set(body.id, [String(body.status)]);
        for (let p = 0; p < options.pollsPerJob; p++) await poll(body.id);
        if ((n + 1) % Math.max(1, Math.floor(options.jobs / 10)) === 0) {
          log(
            `submitted ${ids.length}/${options.jobs}, ${requests} requests, clock +${Math.round((clock.now() - Date.UTC(2026, 3, 24, 8)) / 1000)} s`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    submitting = false;
    await driver;
    endPhase('submitAndPoll');

    const unique = new Set(ids);
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const storeSize = engine.jobs.size;
    const unknownInStore = engine.jobs.list().filter((j) => !unique.has(j.id)).length;
    const jobs = new Map<string, Job>(engine.jobs.list().map((j) => [j.id, j]));
    const loaded = memory(options.gc);
    log(`load done: ${ids.length} accepted, store ${storeSize}, rss ${loaded.rssMiB} MiB`);

    // Phase 2: move time until every job has ended and every delivery has settled.
    let lastEnd = clock.now();
    for (const job of jobs.values()) lastEnd = Math.max(lastEnd, job.timeline.at(-1)?.at ?? 0);
    for (let i = 0; i < 100_000; i++) {
      checkDeadline('the drain phase');
      await clock.advance(30_000);
      await engine.webhooks.idle();
      const pending = engine.webhooks.list().filter((d) => d.state === 'pending').length;
      if (clock.now() > lastEnd && pending === 0) break;
      if (i % 20 === 0) log(`draining: ${pending} deliveries pending`);
    }
    endPhase('drain');

    // Phase 3: one last poll of every job, concurrently.
    const lost: string[] = [];
    let cursor = 0;
    const order = [...unique];
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (cursor < order.length) {
          checkDeadline('the final polls');
          const id = order[cursor++] as string;
          if ((await poll(id)) !== 200) lost.push(id);
        }
      }),
    );
    endPhase('finalPolls');

    const illegal: { id: string; rule: string }[] = [];
    const terminal: Record<string, number> = {};
    let notTerminal = 0;
    for (const id of unique) {
      const job = jobs.get(id);
      const seen = polled.get(id) ?? [];
      const last = seen.at(-1) ?? '';
      if (job && job.lifecycle.terminal.includes(last)) terminal[last] = (terminal[last] ?? 0) + 1;
      else notTerminal++;
      const lifecycle = job?.lifecycle ?? openrouterSpec.openrouterLifecycle;
      const history = job ? engine.jobs.historyOf(job).map((e) => e.status) : [];
      const bad =
        checkObservedSequence(lifecycle, seen) ?? checkObservedSequence(lifecycle, history);
      if (bad) illegal.push({ id, rule: bad.rule });
    }

    // Webhooks: per event, accepted exactly once; per key, one body that names its job and status.
    const expectedKeys = [...unique].map((id) => {
      const job = jobs.get(id);
      const status = (job?.timeline.at(-1)?.status ?? 'completed') as openrouterSpec.WebhookStatus;
      return openrouterSpec.idempotencyKey(id, status);
    });
    const acceptedFor = (key: string) => receiver.keys.get(key)?.accepted ?? 0;
    const webhooks = {
      events: expectedKeys.length,
      ...receiver.counts(),
      acceptedOnce: expectedKeys.filter((k) => acceptedFor(k) === 1).length,
      acceptedTwice: expectedKeys.filter((k) => acceptedFor(k) > 1),
      neverAccepted: expectedKeys.filter((k) => acceptedFor(k) === 0),
      keyMisuse: [...receiver.keys]
        .filter(([, log]) => log.bodies.size !== 1 || !log.matches)
        .map(([key]) => key),
      failed: engine.webhooks.list().filter((d) => d.state === 'failed').length,
    };
    endPhase('judge');

    // Phase 4: past the TTL, sweep; the store must be empty and the ids gone.
    await clock.advance(openrouterMock.jobTtlMs + 60_000);
    engine.jobs.sweep();
    const storeSizeAfterEviction = engine.jobs.size;
    const gone = await poll(order[0] ?? 'none');
    if (order.length > 0 && gone !== 404) lost.push(`${order[0]} (still served after its TTL)`);
    const assets = [...jobs.values()].flatMap((j) => j.assets);
    const retainedAfterEviction = {
      assets: assets.filter((a) => engine.media.spec(a) !== undefined).length,
      deliveries: engine.webhooks.list().length,
    };
    // Drop the driver's and the receiver's own records, so the readings measure the mock.
    const accepted = unique.size;
    for (const collection of [jobs, polled, unique, counts, receiver.keys]) collection.clear();
    for (const list of [ids, order, assets, expectedKeys]) list.length = 0;
    const afterEviction = memory(options.gc);
    engine.webhooks.clear();
    engine.media.clear();
    const afterClearingLogs = memory(options.gc);
    endPhase('evict');
    log(`evicted: store ${storeSizeAfterEviction}, rss ${afterEviction.rssMiB} MiB`);

    return {
      jobs: options.jobs,
      accepted,
      refused,
      lost,
      duplicated,
      storeSize,
      unknownInStore,
      illegal,
      notTerminal,
      terminal,
      requests,
      webhooks,
      storeSizeAfterEviction,
      retainedAfterEviction,
      memory: { baseline, loaded, afterEviction, afterClearingLogs },
      diagnostics: [...engine.diagnostics],
      durationMs: Math.round(performance.now() - started),
      phasesMs,
    };
  } finally {
    await server.close();
    await receiver.close();
  }
}
