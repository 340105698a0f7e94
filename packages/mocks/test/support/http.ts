/**
 * A raw HTTP/1.1 client for edge-case tests: exact paths (no URL normalisation), exact headers,
 * bodies sent whole, chunked or trickled, and the connection's fate reported.
 * @module
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

/** An answer read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  readonly method?: string;
  /** Sent as is: `..`, `%2F` and `%00` reach the server untouched. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The whole body; with `chunked`, sent as chunks without a Content-Length. */
  readonly body?: string | Uint8Array;
  readonly chunked?: boolean;
}

/**
 * One request on a fresh connection (no keep-alive pool), resolved with the answer even when the
 * server stops reading the body early (as it does past the body limit).
 *
 * @example
 * const res = await rawRequest(port, { path: '/api/v1/videos/..%2F..%2Fetc%2Fpasswd' });
 */
export function rawRequest(port: number, options: RawRequestOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answered = true;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (error) => {
          if (!answered) reject(error);
        });
      },
    );
    // EPIPE or ECONNRESET after the server answered early are expected; before, they are errors.
    req.on('error', (error) => {
      setTimeout(() => {
        if (!answered) reject(error);
      }, 200);
    });
    if (options.body !== undefined && options.chunked) {
      const body = Buffer.from(options.body);
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
    } else if (options.body !== undefined) {
      req.write(options.body);
    }
    req.end();
  });
}

/** What a slow client saw. */
export interface SlowClientResult {
  /** Everything the server wrote back. */
  readonly received: string;
  /** Ms from the first byte sent until the server closed the connection. */
  readonly closedAfterMs: number;
  /** Bytes the client had sent when the connection closed. */
  readonly sent: number;
}

/**
 * Opens a connection, writes `head` (the request line and some headers), then trickles `trickle`
 * one byte every `intervalMs` until the server closes the connection or `giveUpMs` passes.
 *
 * @example
 * const slow = await slowClient(port, { head: 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n',
 *   trickle: 'x'.repeat(100), intervalMs: 200, giveUpMs: 5000 });
 */
export function slowClient(
  port: number,
  options: { head: string; trickle: string; intervalMs: number; giveUpMs: number },
): Promise<SlowClientResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(options.head);
      sent += options.head.length;
      timer = setInterval(() => {
        const next = options.trickle[sent - options.head.length];
        if (socket.destroyed || socket.writableEnded || next === undefined) return;
        socket.write(next);
        sent++;
      }, options.intervalMs);
    });
    const giveUp = setTimeout(() => socket.destroy(), options.giveUpMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Math.round(performance.now() - started), sent });
    });
  });
}
