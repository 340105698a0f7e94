/**
 * Worker (c): a bare `node:http` server answering the mock's routes with fixed bodies copied from
 * the mock byte for byte, with no framework: the floor any Node HTTP server pays per request,
 * and so the reference the mock's throughput is a ratio of.
 *
 * It reports ready once it listens and has received the bodies.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { BaselineBodies, BaselineServerInfo } from '../protocol.js';
import { onMessage, runWorker, send } from './worker.js';

/** A body and its headers, encoded once. */
interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function answer(status: number, contentType: string, body: Buffer): Answer {
  return {
    status,
    body,
    headers: { 'content-type': contentType, 'content-length': String(body.byteLength) },
  };
}

function serve(bodies: BaselineBodies) {
  const { statuses } = bodies;
  const poll = answer(statuses.poll, 'application/json', Buffer.from(bodies.poll));
  const submit = answer(statuses.submit, 'application/json', Buffer.from(bodies.submit));
  const mp4 = answer(statuses.content, 'video/mp4', Buffer.from(bodies.mp4Base64, 'base64'));
  const notFound = answer(404, 'text/plain', Buffer.from('not found'));
  // As little routing as will tell the three routes apart: the job routes share the part of the
  // poll template before its job id, and the content route adds a suffix after it.
  const { routes } = bodies;
  const jobPrefix = routes.poll.slice(0, routes.poll.indexOf('{'));
  const contentSuffix = routes.content.slice(routes.content.lastIndexOf('}') + 1);
  const route = (request: IncomingMessage): Answer => {
    const url = request.url ?? '';
    if (request.method === 'POST') return url === routes.submit ? submit : notFound;
    if (request.method !== 'GET' || !url.startsWith(jobPrefix)) return notFound;
    return url.includes(contentSuffix) ? mp4 : poll;
  };
  const write = (response: ServerResponse, { status, headers, body }: Answer) => {
    response.writeHead(status, headers);
    response.end(body);
  };
  return createServer((request, response) => {
    const chosen = route(request);
    if (request.method === 'GET') return write(response, chosen);
    // Read the whole request body before answering, as a server that uses it must.
    request.on('data', () => undefined);
    request.on('end', () => write(response, chosen));
  });
}

runWorker(async () => {
  const bodies = await new Promise<BaselineBodies>((resolve) => {
    onMessage((message) => {
      if (message.type === 'bodies') resolve(message.bodies);
    });
  });
  const server = serve(bodies);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('node:http did not bind a TCP port');
  onMessage((message) => {
    if (message.type !== 'stop') return;
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  send<BaselineServerInfo>({
    type: 'ready',
    info: { origin: `http://127.0.0.1:${address.port}` },
  });
});
