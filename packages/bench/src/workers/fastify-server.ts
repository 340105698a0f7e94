/**
 * Worker (b): raw fastify answering the mock's routes with fixed bodies copied from the mock
 * byte for byte: the poll JSON, the 202 submit JSON (after fastify's own JSON body parsing) and
 * the MP4. It is the ceiling a fastify-mounted mock can approach.
 *
 * It reports ready once it listens and has received the bodies.
 * @module
 */
import Fastify from 'fastify';
import type { BaselineBodies, BaselineServerInfo } from '../protocol.js';
import { onMessage, runWorker, send } from './worker.js';

/** A spec path template (`/videos/{jobId}`) in fastify's syntax (`/videos/:jobId`). */
const fastifyPath = (template: string): string => template.replace(/\{([^}]+)\}/g, ':$1');

function serve(bodies: BaselineBodies) {
  const app = Fastify({ logger: false });
  const mp4 = Buffer.from(bodies.mp4Base64, 'base64');
  const { routes, statuses } = bodies;
  app.post(routes.submit, (_request, reply) => {
    void reply.code(statuses.submit).header('content-type', 'application/json').send(bodies.submit);
  });
  // Poll and content answer fastify's default 200 (no per-request code() call in the baseline);
  // the orchestrator checks every baseline answer's status against the spec's.
  app.get(fastifyPath(routes.poll), (_request, reply) => {
    void reply.header('content-type', 'application/json').send(bodies.poll);
  });
  app.get(fastifyPath(routes.content), (_request, reply) => {
    void reply.header('content-type', 'video/mp4').send(mp4);
  });
  return app;
}

runWorker(async () => {
  const bodies = await new Promise<BaselineBodies>((resolve) => {
    onMessage((message) => {
      if (message.type === 'bodies') resolve(message.bodies);
    });
  });
  const app = serve(bodies);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('fastify did not bind a TCP port');
  onMessage((message) => {
    if (message.type === 'stop') void app.close().finally(() => process.exit(0));
  });
  send<BaselineServerInfo>({
    type: 'ready',
    info: { origin: `http://127.0.0.1:${address.port}` },
  });
});
