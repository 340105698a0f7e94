/**
 * A loopback HTTP receiver for webhook deliveries: it answers every POST with 204 (accepted) and
 * keeps the raw body and headers, so the signature can be checked on the exact bytes.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as it arrived. */
export interface ReceivedDelivery {
  readonly path: string;
  /** Header names lowercased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** The status the receiver answered (always 204: every delivery is accepted). */
  readonly answered: number;
  /** Wall-clock time of receipt, ms. */
  readonly receivedAt: number;
  /** The target's time when the kit first noticed the delivery (set by the kit). */
  targetTime?: number;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port><path>` */
  readonly url: string;
  readonly deliveries: readonly ReceivedDelivery[];
  /** Resolves once `predicate` holds for some delivery, or `undefined` after `timeoutMs` real ms. */
  waitFor(
    predicate: (delivery: ReceivedDelivery) => boolean,
    timeoutMs: number,
  ): Promise<ReceivedDelivery | undefined>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1. Port 0 picks a free port.
 *
 * @example
 * const receiver = await startWebhookReceiver({ port: 0 });
 * // submit with callback_url: receiver.url, then:
 * await receiver.waitFor((d) => d.rawBody.includes(jobId), 5000);
 * await receiver.close();
 */
export async function startWebhookReceiver(
  options: { port?: number; host?: string; path?: string } = {},
): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      deliveries.push({
        path: req.url ?? '/',
        headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        answered: 204,
        receivedAt: Date.now(),
      });
      res.writeHead(204).end();
      for (const wake of waiters) wake();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const path = options.path ?? '/reelkit/webhooks';
  return {
    url: `http://${host}:${port}${path}`,
    deliveries,
    waitFor(predicate, timeoutMs) {
      const found = deliveries.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        const wake = () => {
          const hit = deliveries.find(predicate);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(undefined);
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
