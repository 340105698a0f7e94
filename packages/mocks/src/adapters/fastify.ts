/**
 * Serves a mock engine over real HTTP with fastify. The adapter only converts between Node's
 * request/response and the Web `Request`/`Response` the engine speaks.
 * @module
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { MockEngine } from '../core/engine.js';

/** Options of {@link createMockServer}. */
export interface MockServerOptions {
  readonly engine: MockEngine;
  /** Largest accepted request body in bytes (413 in the router's envelope beyond it). Default 160 MiB. */
  readonly bodyLimit?: number;
  /** Seconds a client may take to send its request before the connection is closed. Default 60. */
  readonly requestTimeoutSeconds?: number;
}

/** ImageRouter accepts up to 6 images of 25 MB each; leave room for the form encoding. */
export const DEFAULT_BODY_LIMIT = 160 * 1024 * 1024;

function toRequest(request: FastifyRequest, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const host = request.headers.host ?? `${request.hostname}`;
  const hasBody = body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(`http://${host}${request.url}`, {
    method: request.method,
    headers,
    ...(hasBody
      ? {
          body: new Uint8Array(
            body.buffer,
            body.byteOffset,
            body.byteLength,
          ) as Uint8Array<ArrayBuffer>,
        }
      : {}),
  });
}

async function send(reply: FastifyReply, response: Response): Promise<void> {
  // Write the raw response ourselves: a streamed body must flush its headers at once (ImageRouter
  // sends HTTP 200 before rendering), and a plain body needs no fastify serialisation.
  reply.hijack();
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

/**
 * Builds a fastify instance that answers every request with the engine.
 *
 * @example
 * const app = createMockServer({ engine });
 * await app.listen({ host: '127.0.0.1', port: 4010 });
 */
export function createMockServer(options: MockServerOptions): FastifyInstance {
  const { engine } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout: (options.requestTimeoutSeconds ?? 60) * 1000,
    // Ids are matched by the engine, which rejects anything that is not a valid id.
    routerOptions: { maxParamLength: 1024 },
    // close() must not wait for idle keep-alive sockets (clients often leave one open).
    forceCloseConnections: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, _request, reply) => {
    const kind =
      error.statusCode === 413
        ? 'payload_too_large'
        : error.statusCode && error.statusCode < 500
          ? 'validation'
          : 'server_error';
    const answer = engine.provider.error(kind, { message: error.message });
    await reply
      .code(answer.status)
      .headers({ 'content-type': 'application/json', ...answer.headers })
      .send(JSON.stringify(answer.body));
  });
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'],
    url: '/*',
    handler: async (request, reply) => {
      const response = await engine.handle(toRequest(request, request.body as Buffer | undefined));
      await send(reply, response);
    },
  });
  return app;
}

/** A started mock server. */
export interface RunningMockServer {
  readonly engine: MockEngine;
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
  const app = createMockServer(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const origin = `http://${host}:${port}`;
  return {
    engine: options.engine,
    app,
    origin,
    baseUrl: `${origin}${options.engine.provider.spec.basePath}`,
    close: () => app.close(),
  };
}
