/**
 * Serves a mock engine over real HTTP with fastify. The adapter only converts between Node's
 * request/response and the Web `Request`/`Response` the engine speaks.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { BaseMockEngine } from '../core/engine.js';
import { InvalidBodyEncodingError } from '../core/json-body.js';
import type { HeaderReader, IncomingRequest, PlainResponse } from '../core/types.js';
import type { RequestTarget } from '../core/url.js';
import { isLoopbackHost, targetOf, validHost } from '../core/url.js';

/** Options of {@link createMockServer}. */
export interface MockServerOptions {
  readonly engine: BaseMockEngine;
  /**
   * Largest accepted request body in bytes, on any route (413 in the router's envelope beyond it).
   * Each route has its own, smaller limit from the spec (`REQUEST_LIMITS`). Default 160 MiB.
   */
  readonly bodyLimit?: number;
  /**
   * Seconds a client may take to send its whole request (headers and body) before the connection
   * is closed. Default {@link DEFAULT_REQUEST_TIMEOUT_SECONDS}.
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Which `Host` values are served. `loopback` (the default): only names of this machine's
   * loopback (`localhost`, `127.0.0.1`, `[::1]`) and the engine's public URL, so a DNS-rebound
   * name cannot reach the mock from a browser; `any`: every well-formed host (a mock others reach
   * by name). A malformed `Host` is refused either way.
   */
  readonly hosts?: 'loopback' | 'any';
  /** Seconds a client may take to send its headers. Default {@link DEFAULT_HEADERS_TIMEOUT_SECONDS}. */
  readonly headersTimeoutSeconds?: number;
  /**
   * Open connections allowed per client address; a connection beyond it is closed at once.
   * Default {@link DEFAULT_MAX_CONNECTIONS_PER_CLIENT}.
   */
  readonly maxConnectionsPerClient?: number;
  /**
   * Bytes of request bodies buffered at once across all requests; a body that would pass it is
   * answered with the router's 429. Default {@link DEFAULT_MAX_BUFFERED_BODY_BYTES}.
   */
  readonly maxBufferedBodyBytes?: number;
}

/** Bodies buffered at once: many concurrent 32 MiB creates cannot take the process past 1 GB. */
export const DEFAULT_MAX_BUFFERED_BODY_BYTES = 256 * 1024 * 1024;

/** Seconds to send a whole request: an upload of 160 MiB takes well under this on any LAN. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
/** Seconds to send the headers: idle and dribbling (slowloris) connections are cut after this. */
export const DEFAULT_HEADERS_TIMEOUT_SECONDS = 10;
/** Concurrent connections per client address: load tests use 50–100, a browser 6. */
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

/** ImageRouter accepts up to 6 images of 25 MB each; leave room for the form encoding. */
export const DEFAULT_BODY_LIMIT = 160 * 1024 * 1024;

/** Header lookups on Node's parsed headers (names already lower-cased): no Web `Headers` per request. */
class NodeHeaders implements HeaderReader {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  /** A Web `Headers` copy, for the rare request that needs one (multipart parsing). */
  toHeaders(): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.raw)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    return headers;
  }
}

/**
 * A `Request`-shaped view of a fastify request. Building a real Web `Request` costs more than the
 * engine's own work on a poll, so one is made only if a multipart body must be parsed.
 */
class FastifyIncoming implements IncomingRequest {
  readonly method: string;
  readonly target: RequestTarget;
  readonly headers: NodeHeaders;
  private readonly host: string;
  private readonly path: string;
  private readonly body: Buffer | undefined;

  /** `host` is the request's validated `Host` (see {@link validHost}). */
  constructor(request: FastifyRequest, host: string) {
    this.method = request.method;
    this.host = host;
    this.path = request.url;
    // Split from the Host header and the request line: no URL string to build and parse again.
    this.target = targetOf('http', this.host, this.path);
    this.headers = new NodeHeaders(request.headers);
    const body = request.body as Buffer | undefined;
    this.body =
      body !== undefined && this.method !== 'GET' && this.method !== 'HEAD' ? body : undefined;
  }

  get url(): string {
    return `http://${this.host}${this.path}`;
  }

  /** Decodes the received buffer itself; no copy on the request path. Refuses invalid UTF-8. */
  text(): Promise<string> {
    if (!this.body) return Promise.resolve('');
    if (!isUtf8(this.body)) return Promise.reject(new InvalidBodyEncodingError());
    return Promise.resolve(this.body.toString('utf8'));
  }

  formData(): Promise<FormData> {
    const { body } = this;
    return new Request(this.url, {
      method: this.method,
      headers: this.headers.toHeaders(),
      body: body
        ? (new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>)
        : null,
    }).formData();
  }
}

/** Writes an answer: plain answers in one write, Web responses through {@link send}. */
function write(reply: FastifyReply, answer: Response | PlainResponse): Promise<void> | undefined {
  if (answer instanceof Response) return send(reply, answer);
  reply.raw.writeHead(answer.status, answer.headers);
  reply.raw.end(answer.body ?? undefined);
  return undefined;
}

async function send(reply: FastifyReply, response: Response): Promise<void> {
  const raw = reply.raw;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  raw.writeHead(response.status, headers);
  if (!response.body) {
    raw.end();
    return;
  }
  // Plain bodies (the engine sets Content-Length) go out in one write; streams, and faults that
  // must cut a body short, are piped so the client sees exactly what the stream does.
  if (response.headers.has('content-length') && !response.headers.has('x-reelkit-fault')) {
    raw.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  raw.flushHeaders();
  const stream = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  raw.on('close', () => stream.destroy());
  stream.on('error', () => raw.destroy());
  stream.pipe(raw);
}

/** The host a request without a `Host` header (HTTP/1.0) reached: the socket's local address. */
function localHost(request: FastifyRequest): string {
  const { localAddress, localPort } = request.raw.socket;
  const address = localAddress?.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  return address?.includes(':') ? `[${address}]:${localPort}` : `${address}:${localPort}`;
}

/** Sends an answer the engine gave (a refusal, an internal error), optionally closing the connection. */
function sendEngineAnswer(reply: FastifyReply, answer: PlainResponse, close = false): void {
  void reply
    .code(answer.status)
    .headers(close ? { ...answer.headers, connection: 'close' } : answer.headers)
    .send(answer.body);
}

/**
 * Builds a fastify instance that answers every request with the engine.
 *
 * @example
 * const app = createMockServer({ engine });
 * await app.listen({ host: '127.0.0.1', port: 4010 });
 */
export function createMockServer(options: MockServerOptions): FastifyInstance {
  const { engine } = options;
  const requestTimeoutMs =
    (options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000;
  // Node times out a request whose body trickles only if headersTimeout ≤ requestTimeout.
  const headersTimeoutMs = Math.min(
    requestTimeoutMs,
    (options.headersTimeoutSeconds ?? DEFAULT_HEADERS_TIMEOUT_SECONDS) * 1000,
  );
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const budget = { left: options.maxBufferedBodyBytes ?? DEFAULT_MAX_BUFFERED_BODY_BYTES };
  const app = Fastify({
    logger: false,
    bodyLimit,
    requestTimeout: requestTimeoutMs,
    http: {
      // Node checks request timeouts only this often (30 s by default), so a slow client would
      // outlive a short timeout by up to 30 s: check four times per shortest timeout instead.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, headersTimeoutMs / 4)),
      headersTimeout: headersTimeoutMs,
    },
    // Ids are matched by the engine, which rejects anything that is not a valid id.
    routerOptions: { maxParamLength: 1024 },
    // close() must not wait for idle keep-alive sockets (clients often leave one open).
    forceCloseConnections: true,
    // A URL that is not valid percent-encoding never reaches a route: answer it in the router's
    // envelope rather than fastify's own.
    frameworkErrors: (error, _request, reply) => {
      sendEngineAnswer(
        reply as FastifyReply,
        engine.refusal(error.statusCode ?? 400, error.message),
      );
    },
    // Errors Node raises on the connection (a request not received within requestTimeout, headers
    // over 16 KiB, a malformed request line): the router's envelope, then close the connection.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const message =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? `Request Timeout: the request was not received within ${requestTimeoutMs / 1000} s.`
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? 'Request Header Fields Too Large: the request line and headers exceed 16 KiB.'
            : `Bad Request: the request could not be parsed (${error.code ?? error.message}).`;
      const answer = engine.refusal(400, message);
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const head = [
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
        ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
        'connection: close',
        '',
        '',
      ].join('\r\n');
      const payload =
        typeof answer.body === 'string' || answer.body === null
          ? head + (answer.body ?? '')
          : Buffer.concat([Buffer.from(head), answer.body]);
      // end() alone half-closes: a client still trickling a body would keep the socket open.
      socket.end(payload, () => socket.destroy());
    },
  });
  const loopbackOnly = (options.hosts ?? 'loopback') === 'loopback';
  const publicHost = engine.publicOrigin ? new URL(engine.publicOrigin).host : undefined;
  // Host values this server serves (raw header → checked host): a server sees a handful, so a
  // request costs one Map lookup. Bounded, as an attacker may send many.
  const served = new Map<string, string>();
  const servedHost = (request: FastifyRequest): string | { refused: string } => {
    const raw = request.headers.host ?? localHost(request);
    const known = served.get(raw);
    if (known !== undefined) return known;
    const host = validHost(raw);
    if (host === undefined) {
      return {
        refused: `Bad Request: the Host header ${JSON.stringify(raw.slice(0, 100))} is not a valid host[:port].`,
      };
    }
    if (loopbackOnly && host !== publicHost && !isLoopbackHost(host)) {
      return {
        refused: `Bad Request: this mock serves only its loopback names (localhost, 127.0.0.1, [::1]), not Host ${host}; give --public-url for the name clients use.`,
      };
    }
    if (served.size >= 256) served.clear();
    served.set(raw, host);
    return host;
  };
  // Before anything else (body, routing): a Host that is not exactly a host[:port] is refused, and
  // so is, on loopback, a name that is not this machine's (DNS rebinding).
  app.addHook('onRequest', (request, reply, done) => {
    const host = servedHost(request);
    if (typeof host === 'string') done();
    else sendEngineAnswer(reply, engine.refusal(400, host.refused), true);
  });
  limitConnectionsPerClient(
    app,
    options.maxConnectionsPerClient ?? DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
  );
  app.removeAllContentTypeParsers();
  // Every body is read as bytes, up to its route's limit (the spec's REQUEST_LIMITS): a 10 MB
  // body to a poll is refused as soon as its Content-Length (or its bytes so far) says so.
  app.addContentTypeParser('*', (request, payload, done) => {
    const path = request.url;
    const query = path.indexOf('?');
    const limit = Math.min(
      bodyLimit,
      engine.bodyLimit(request.method, query < 0 ? path : path.slice(0, query)),
    );
    readBody(payload, limit, request.headers['content-length'], budget, done);
  });
  app.setErrorHandler(
    (error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
      // A client that goes away mid-body ('aborted') is not a failure of ours.
      const status = error.code === 'ECONNRESET' ? 400 : error.statusCode;
      // A failure of our own is logged by the engine; the answer says only that it happened.
      sendEngineAnswer(
        reply,
        status !== undefined && status < 500
          ? engine.refusal(status, error.message)
          : engine.internalError('(server)', error),
      );
    },
  );
  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
    // The reply is written on the raw response: a streamed body must flush its headers at once
    // (ImageRouter sends HTTP 200 before rendering), and a plain one needs no fastify serialisation.
    reply.hijack();
    // CONNECT, TRACE and the like reach the engine too and get the router's 404: no route has them.
    // dispatch() never rejects; a plain handler (not async) spares fastify a promise per request.
    // After hijack() fastify answers nothing itself: whatever throws must end the request here.
    let incoming: FastifyIncoming;
    try {
      const host = servedHost(request);
      // The onRequest hook refused any other; a string here is the checked host.
      if (typeof host !== 'string') throw new Error(host.refused);
      incoming = new FastifyIncoming(request, host);
    } catch (error) {
      // Nothing can be answered on a request the adapter cannot read: log it and drop it.
      engine.internalError('(server)', error);
      reply.raw.destroy();
      return;
    }
    void engine
      .dispatch(incoming)
      .then((answer) => write(reply, answer))
      // Only a failure to write is left (say, a header Node refuses): drop the connection.
      .catch((error: unknown) => reply.raw.destroy(error instanceof Error ? error : undefined));
  };
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'],
    url: '/*',
    handler,
  });
  // Methods outside that list (TRACE, PROPFIND, ...) reach the engine too: its 404, in the
  // router's envelope, instead of fastify's.
  app.setNotFoundHandler(handler);
  return app;
}

/** A 413 fastify hands to the error handler, answered in the router's envelope. */
function bodyTooLarge(limit: number): Error & { statusCode: number } {
  return Object.assign(
    new Error(`Payload Too Large: the request body is larger than this route's ${limit} bytes.`),
    { statusCode: 413 },
  );
}

/** A 429: the bodies being received at once would pass the server's buffer budget. */
function tooManyBodies(): Error & { statusCode: number } {
  return Object.assign(
    new Error('Too Many Requests: the mock is receiving too many large bodies at once; retry.'),
    { statusCode: 429 },
  );
}

/** Reads a request body into one buffer, refusing it as soon as it exceeds `limit` bytes. */
function readBody(
  payload: NodeJS.ReadableStream & { destroy?: () => void },
  limit: number,
  contentLength: string | undefined,
  budget: { left: number },
  done: (error: Error | null, body?: Buffer) => void,
): void {
  if (contentLength !== undefined && Number(contentLength) > limit) {
    done(bodyTooLarge(limit));
    return;
  }
  if (contentLength !== undefined && Number(contentLength) > budget.left) {
    done(tooManyBodies());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (error: Error | null, body?: Buffer) => {
    if (settled) return;
    settled = true;
    budget.left += size;
    payload.removeListener('data', onData);
    done(error, body);
  };
  const onData = (chunk: Buffer) => {
    if (size + chunk.length > limit) {
      // Stop buffering; the answer closes the connection (the client may still be sending).
      finish(bodyTooLarge(limit));
      return;
    }
    if (chunk.length > budget.left) {
      finish(tooManyBodies());
      return;
    }
    size += chunk.length;
    budget.left -= chunk.length;
    chunks.push(chunk);
  };
  payload.on('data', onData);
  payload.on('end', () => finish(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  payload.on('error', (error: Error) => finish(error));
}

/**
 * Closes connections beyond `max` open at once from one client address, before any byte is read.
 */
function limitConnectionsPerClient(app: FastifyInstance, max: number): void {
  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** A started mock server. */
export interface RunningMockServer {
  readonly engine: BaseMockEngine;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The base URL a client of this router uses (origin + the router's base path). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a mock server on loopback. Port 0 picks a free port.
 *
 * @example
 * const server = await listenMockServer({ engine, port: 0 });
 * await fetch(`${server.baseUrl}/videos/models`);
 * await server.close();
 */
export async function listenMockServer(
  options: MockServerOptions & { port?: number; host?: string },
): Promise<RunningMockServer> {
  const host = options.host ?? '127.0.0.1';
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const loopback = isLoopbackHost(bracketed);
  if (!loopback && options.engine.controlToken === undefined) {
    throw new RangeError(
      `[reelkit] Refusing to listen on ${host} without a control token: anyone who reaches the port could reset the mock, move its clock and read its API keys. Set --control-token <token> (or REELKIT_CONTROL_TOKEN), or listen on 127.0.0.1.`,
    );
  }
  const app = createMockServer({
    ...options,
    hosts: options.hosts ?? (loopback ? 'loopback' : 'any'),
  });
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const origin = options.engine.publicOrigin ?? `http://${bracketed}:${port}`;
  return {
    engine: options.engine,
    app,
    origin,
    baseUrl: `${origin}${options.engine.provider.spec.basePath}`,
    close: () => app.close(),
  };
}
