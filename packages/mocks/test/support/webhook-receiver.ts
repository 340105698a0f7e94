/**
 * A loopback receiver of OpenRouter webhooks for the fleet tests and the fleet load test: it
 * records every attempt by idempotency key, and answers each as the test decides (accept with
 * 200, fail with 500, or hold the connection open until it stops).
 * @module
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openrouterSpec } from '@reelkit/spec';

/** What the receiver does with one attempt. */
export type ReceiverAnswer = 'accept' | 'fail' | 'hold';

/** One delivery attempt as the receiver saw it. */
export interface ReceivedAttempt {
  readonly key: string;
  /** Wall-clock ms when the receiver answered (or took it, when held). */
  readonly at: number;
  readonly answer: ReceiverAnswer;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`: a callback URL. */
  readonly url: string;
  readonly attempts: readonly ReceivedAttempt[];
  /** Wall-clock ms of each accepted attempt of `key`, in order. */
  acceptedAt(key: string): readonly number[];
  /** Keys with at least one accepted attempt (a live view, kept as attempts come in). */
  acceptedKeys(): ReadonlySet<string>;
  stop(): Promise<void>;
}

/** Largest body the receiver reads (an OpenRouter event is a few hundred bytes). */
const MAX_BODY = 64 * 1024;

/**
 * Starts a receiver on 127.0.0.1. `decide(key, attempt)` (attempt counts from 1 per key) picks the
 * answer; by default every attempt is accepted.
 *
 * @example
 * const receiver = await startWebhookReceiver((key, attempt) => (attempt === 1 ? 'fail' : 'accept'));
 * // submit with callback_url: receiver.url …
 * receiver.acceptedAt('job_1-completed'); // [1796400000123]
 * await receiver.stop();
 */
export async function startWebhookReceiver(
  decide: (key: string, attempt: number) => ReceiverAnswer = () => 'accept',
): Promise<WebhookReceiver> {
  const attempts: ReceivedAttempt[] = [];
  const perKey = new Map<string, { count: number; accepted: number[] }>();
  const held = new Set<ServerResponse>();
  const accepted = new Set<string>();
  const server = createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      const key = String(req.headers[openrouterSpec.WEBHOOK_HEADER_KEYS.idempotencyKey] ?? '');
      const log = perKey.get(key) ?? { count: 0, accepted: [] };
      perKey.set(key, log);
      const answer = decide(key, ++log.count);
      const at = Date.now();
      attempts.push({ key, at, answer });
      if (answer === 'hold') {
        held.add(res);
        return;
      }
      if (answer === 'accept') {
        log.accepted.push(at);
        accepted.add(key);
      }
      res.writeHead(answer === 'accept' ? 200 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    attempts,
    acceptedAt: (key) => perKey.get(key)?.accepted ?? [],
    acceptedKeys: () => accepted,
    async stop() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
