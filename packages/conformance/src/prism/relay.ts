/**
 * The recording relay in front of Prism: it looks like the target (same base path), sends each
 * request through Prism, fetches a binary answer again straight from the target (Prism re-encodes
 * binary bodies), moves absolute URLs on the target's origin to itself, and records every exchange
 * with Prism's verdict. `/__reelkit/` control-plane calls go straight to the target's origin, since
 * Prism does not know them.
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ProviderId } from '@reelkit/spec';
import { INVALID_API_KEY, toCurl } from '../http.js';
import { operationMatcher, replayable } from './routes.js';
import type { PrismObservation } from './types.js';
import { parseViolations } from './violations.js';

const BINARY = /^(video|audio|image)\/|octet-stream|multipart\//i;

/** Headers fetch adds on its own; a replayed request does not need them. */
const FETCH_NOISE = new Set(['accept-language', 'sec-fetch-mode', 'user-agent']);

/** Request headers as reports show them: the API key masked as `$API_KEY`, fetch noise left out. */
function reportedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (FETCH_NOISE.has(name) || (name === 'accept' && value === '*/*')) continue;
    out[name] =
      name === 'authorization' && /^bearer\s/i.test(value) && value !== `Bearer ${INVALID_API_KEY}`
        ? 'Bearer $API_KEY'
        : value;
  }
  return out;
}

const SKIP_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
]);

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function headerRecord(headers: IncomingMessage['headers'], skip?: Set<string>) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || skip?.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function bodyText(raw: Buffer, size: number, contentType: string, max: number) {
  if (size === 0) return { text: undefined, truncated: false };
  if (BINARY.test(contentType))
    return { text: `(${contentType}, ${size} bytes)`, truncated: false };
  const text = raw.toString('utf8');
  if (text.length > max) return { text: text.slice(0, max), truncated: true };
  return { text, truncated: size > raw.length };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Sends a buffered request and resolves with the answer's head; the body is left to read. */
function forward(
  destination: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: Buffer,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = destination.protocol === 'https:' ? httpsRequest : httpRequest;
    const out = send(destination, { method, headers }, resolve);
    out.once('error', reject);
    out.end(body);
  });
}

/** Raw header pairs without the ones the relay recomputes, with URLs moved to the relay. */
function relayHeaders(raw: readonly string[], rewrite: (text: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection')
      continue;
    out.push(name, lower === 'location' ? rewrite(raw[i + 1] as string) : (raw[i + 1] as string));
  }
  return out;
}

/** What {@link startRelay} needs. */
export interface RelayOptions {
  readonly provider: ProviderId;
  /** The target's base URL. */
  readonly upstream: URL;
  /** Its path without a trailing slash (`/api/v1`, or empty). */
  readonly basePath: string;
  /** Prism's origin. */
  readonly prismUrl: string;
  /** Bodies kept per exchange, in characters. */
  readonly maxBodyChars: number;
  /** Called with each exchange once its answer has been relayed. */
  readonly record: (observation: PrismObservation) => void;
}

/** A listening relay. */
export interface Relay {
  /** `http://127.0.0.1:<port>`: the relay's origin (the target's base path goes after it). */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Starts the relay on a free port of 127.0.0.1. It never times a request out: synchronous routers
 * hold one open for minutes.
 *
 * @example
 * const relay = await startRelay({ provider, upstream, basePath, prismUrl, maxBodyChars: 16_384, record: (o) => seen.push(o) });
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { upstream, basePath, prismUrl } = options;
  const upstreamBase = `${upstream.origin}${basePath}`;
  const operationOf = operationMatcher(options.provider);

  let relayOrigin = '';
  const rewrite = (text: string) =>
    text.includes(upstream.origin) ? text.split(upstream.origin).join(relayOrigin) : text;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const body = await readAll(req);
    const headers: OutgoingHttpHeaders = { ...req.headers };
    for (const name of ['host', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding'])
      delete headers[name];
    if (body.length > 0 || req.headers['content-length'] !== undefined)
      headers['content-length'] = String(body.length);

    // The control plane is reelkit's, not the router's: straight to the target's origin.
    if (url.startsWith('/__reelkit/')) {
      const answer = await forward(new URL(url, upstream.origin), method, headers, body);
      res.writeHead(
        answer.statusCode ?? 502,
        relayHeaders(answer.rawHeaders, (t) => t),
      );
      answer.pipe(res);
      return;
    }

    const relative =
      url.startsWith(`${basePath}/`) || url === basePath ? url.slice(basePath.length) : url;
    const path = relative.split('?')[0] ?? relative;
    const operationId = operationOf(method, path);
    const direct = new URL(`${upstreamBase}${relative}`);
    const started = performance.now();
    let answer = await forward(new URL(`${prismUrl}${relative}`), method, headers, body);
    const violations = parseViolations(headerValue(answer.headers['sl-violations']));
    const contentType = headerValue(answer.headers['content-type']) ?? '';
    let replayed = false;
    if (BINARY.test(contentType)) {
      if (replayable(options.provider, method, operationId)) {
        answer.resume();
        answer = await forward(direct, method, headers, body);
        replayed = true;
      } else {
        violations.push({
          location: ['response', 'body'],
          severity: 'Error',
          message: `a ${contentType} answer to ${method} went through prism proxy, which re-encodes binary bodies as text, so the body the checks saw is corrupted; this operation cannot be validated --via-prism`,
        });
      }
    }

    const status = answer.statusCode ?? 502;
    const answerType = headerValue(answer.headers['content-type']) ?? '';
    let raw: Buffer;
    let size = 0;
    if (BINARY.test(answerType)) {
      // Stream binary bodies through untouched, keeping only their size.
      const streamed = answer;
      res.writeHead(status, streamed.rawHeaders);
      streamed.on('data', (chunk: Buffer) => (size += chunk.length));
      streamed.pipe(res);
      await new Promise<void>((resolve) => streamed.once('end', () => resolve()));
      raw = Buffer.alloc(0);
    } else {
      // Text answers are small: move absolute URLs on the target's origin to the relay, so the
      // checks keep talking through prism (prism validated the answer as the target sent it).
      raw = await readAll(answer);
      size = raw.length;
      const text = raw.toString('utf8');
      const out = text.includes(upstream.origin) ? Buffer.from(rewrite(text)) : raw;
      const outHeaders = relayHeaders(answer.rawHeaders, rewrite);
      outHeaders.push('content-length', String(out.length));
      res.writeHead(status, outHeaders);
      res.end(out);
    }

    const requestHeaders = headerRecord(req.headers, SKIP_REQUEST_HEADERS);
    const reqBody = bodyText(
      body,
      body.length,
      requestHeaders['content-type'] ?? '',
      options.maxBodyChars,
    );
    const resBody = bodyText(raw, size, answerType, options.maxBodyChars);
    const shown = reportedHeaders(requestHeaders);
    const reqText = reqBody.text !== undefined ? { body: reqBody.text } : {};
    options.record({
      operationId,
      violations,
      replayed,
      exchange: {
        request: {
          method,
          url: direct.href,
          headers: shown,
          ...reqText,
          curl: toCurl({ method, url: direct.href, headers: shown, ...reqText }),
        },
        response: {
          status,
          headers: headerRecord(answer.headers),
          ...(resBody.text !== undefined ? { body: resBody.text } : {}),
          ...(resBody.truncated ? { bodyTruncated: true } : {}),
          durationMs: Math.round(performance.now() - started),
        },
      },
    });
  };

  const relay = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`reelkit --via-prism relay: ${message}`);
    });
  });
  // Synchronous routers hold a request open for minutes; never time the relay out.
  relay.requestTimeout = 0;
  relay.headersTimeout = 0;
  relay.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', resolve);
  });
  const relayPort = (relay.address() as AddressInfo).port;
  relayOrigin = `http://127.0.0.1:${relayPort}`;
  return {
    origin: relayOrigin,
    close: async () => {
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
