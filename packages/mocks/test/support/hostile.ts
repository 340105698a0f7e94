/**
 * The soak's hostile phases, on the OpenRouter mock over fastify on 127.0.0.1 with its default
 * limits (only `maxJobs` may be lowered for a short run): creates with a new random API key each,
 * past the job cap; then huge prompts (20 MB, refused) and prompts at the limit (accepted, stored
 * compacted). Memory is read before and after each phase. Bounded in count and in time; nothing
 * leaves loopback.
 * @module
 */
import { request } from 'node:http';
import { Agent } from 'node:http';
import { REQUEST_LIMITS } from '@reelkit/spec';
import { listenMockServer } from '../../src/adapters/fastify.js';
import { createManualClock } from '../../src/core/clock.js';
import { createMockEngine } from '../../src/core/engine.js';
import { createRandom } from '../../src/core/random.js';
import { openrouterMock } from '../../src/providers/openrouter.js';
import type { MemoryReading } from './load.js';

/** Options of {@link runHostile}. */
export interface HostileOptions {
  /** Creates with a new random key each; beyond `maxJobs` they must be refused. */
  readonly randomKeyCreates: number;
  /** The server's job cap (default: the engine's default). */
  readonly maxJobs?: number;
  /** Prompts of 20 MB (over every limit: refused). */
  readonly hugePrompts: number;
  /** Prompts exactly at the limit (accepted, stored compacted). */
  readonly limitPrompts: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly deadlineMs: number;
  readonly progress?: (line: string) => void;
  readonly gc?: () => void;
}

/** One hostile phase's outcome. */
export interface HostilePhase {
  readonly name: string;
  readonly requests: number;
  /** Answers by status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly before: MemoryReading;
  readonly after: MemoryReading;
  readonly storeSize: number;
  readonly ledgerEntries: number;
  /** Whether the server still answered its health check afterwards. */
  readonly healthy: boolean;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function memory(gc?: () => void): MemoryReading {
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rssMiB: mib(rss), heapUsedMiB: mib(heapUsed), externalMiB: mib(external) };
}

/**
 * Runs the hostile phases and reports each.
 *
 * @example
 * const phases = await runHostile({ randomKeyCreates: 150_000, hugePrompts: 20, limitPrompts: 500,
 *   concurrency: 50, seed: 1, deadlineMs: 600_000 });
 */
export async function runHostile(options: HostileOptions): Promise<HostilePhase[]> {
  const started = performance.now();
  const log = options.progress ?? (() => undefined);
  const clock = createManualClock();
  const engine = createMockEngine({
    provider: openrouterMock,
    clock,
    seed: options.seed,
    ...(options.maxJobs !== undefined ? { maxJobs: options.maxJobs } : {}),
  });
  const server = await listenMockServer({ engine, port: 0 });
  const port = Number(new URL(server.origin).port);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const random = createRandom(options.seed);
  const checkDeadline = () => {
    if (performance.now() - started > options.deadlineMs) {
      throw new Error(`the hostile phases passed their ${options.deadlineMs} ms deadline`);
    }
  };

  // Bodies are shared Buffers: 20 concurrent 20 MB strings would each be encoded into a copy,
  // and the readings would show the client's memory rather than the server's.
  const post = (key: string, body: Buffer) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/videos',
          agent,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'content-length': body.byteLength,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      // A refused body may be cut off mid-send: the status we never read counts as 0.
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const healthy = () =>
    new Promise<boolean>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/__reelkit/health', agent }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
        .on('error', () => resolve(false))
        .end();
    });

  async function phase(
    name: string,
    count: number,
    next: (i: number) => { key: string; body: Buffer },
  ): Promise<HostilePhase> {
    const before = memory(options.gc);
    const statuses: Record<string, number> = {};
    let sent = 0;
    const worker = async () => {
      while (sent < count) {
        checkDeadline();
        const { key, body } = next(sent++);
        const status = await post(key, body);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
    const result: HostilePhase = {
      name,
      requests: count,
      statuses,
      before,
      after: memory(options.gc),
      storeSize: engine.jobs.size,
      ledgerEntries: engine.ledger.size,
      healthy: await healthy(),
    };
    log(
      `${name}: ${count} requests ${JSON.stringify(statuses)}, store ${result.storeSize}, ledger ${result.ledgerEntries}, rss ${before.rssMiB} → ${result.after.rssMiB} MiB`,
    );
    return result;
  }

  const randomKey = () => `sk-hostile-${random.string(24)}`;
  const create = (prompt: string) =>
    Buffer.from(JSON.stringify({ model: 'google/veo-3.1', prompt }));
  const small = create('a lighthouse at dawn');
  const phases: HostilePhase[] = [];
  try {
    phases.push(
      await phase('random keys, jobs live', options.randomKeyCreates, () => ({
        key: randomKey(),
        body: small,
      })),
    );
    // Every job ends: the same flood now replaces finished jobs, oldest first.
    await clock.advance(60 * 60_000);
    phases.push(
      await phase('random keys, jobs finished', options.randomKeyCreates, () => ({
        key: randomKey(),
        body: small,
      })),
    );
    const huge = create('x'.repeat(20 * 1024 * 1024));
    phases.push(
      await phase('20 MB prompts', options.hugePrompts, () => ({ key: randomKey(), body: huge })),
    );
    await clock.advance(60 * 60_000);
    const atLimit = create('y'.repeat(REQUEST_LIMITS.openrouter.maxPromptChars));
    phases.push(
      await phase('prompts at the limit', options.limitPrompts, () => ({
        key: randomKey(),
        body: atLimit,
      })),
    );
  } finally {
    agent.destroy();
    await server.close();
  }
  return phases;
}
