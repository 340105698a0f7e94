/**
 * Broken FastRouter look-alikes.
 */
import { fastrouterSpec } from '@reelkit/spec';
import type { BrokenVariant } from './support.js';
import { faithfulEngine, rewrite, rewriteJson, withJson } from './support.js';

const GET_TASK = /^\/api\/v1\/videos\/[^/]+$/;

/** `data.costUsd` of a finished task is a string ("0.21") instead of a number. */
export const wrongType: BrokenVariant = {
  name: 'fastrouter: wrong type',
  provider: 'fastrouter',
  defect: 'GET /videos/{task_id} sends data.costUsd as a string',
  expected: [{ id: 'getVideo: success answers match the schema', check: 'schema' }],
  create: () =>
    rewriteJson(faithfulEngine('fastrouter'), { method: 'GET', path: GET_TASK }, (body) => {
      const data = body.data as Record<string, unknown> | undefined;
      if (typeof data?.costUsd !== 'number') return body;
      return { ...body, data: { ...data, costUsd: String(data.costUsd) } };
    }),
};

/** Errors come as a flat `{ message, status }` instead of `{ error: { message, type, code, status } }`. */
export const wrongErrorEnvelope: BrokenVariant = {
  name: 'fastrouter: wrong error envelope',
  provider: 'fastrouter',
  defect: "error bodies are { message, status } instead of FastRouter's { error: { … } }",
  expected: [
    { id: "createVideo: errors use the router's envelope", check: 'error-envelope' },
    { id: "getVideoResponse: errors use the router's envelope", check: 'error-envelope' },
    { id: "getAsyncResponse: errors use the router's envelope", check: 'error-envelope' },
    { id: "getVideo: errors use the router's envelope", check: 'error-envelope' },
  ],
  create: () =>
    rewrite(faithfulEngine('fastrouter'), async (_request, response) => {
      if (response.status < 400) return undefined;
      const body = (await response.clone().json()) as { error?: { message?: string } };
      return withJson(response, {
        message: body.error?.message ?? 'error',
        status: response.status,
      });
    }),
};

/** An `fr_` task id sent without a model (as the docs allow) is not found on getAsyncResponse. */
export const taskIdNotResolving: BrokenVariant = {
  name: 'fastrouter: task id does not resolve',
  provider: 'fastrouter',
  defect: 'POST /getAsyncResponse answers 404 for an fr_ task id sent without a model',
  expected: [{ id: 'getAsyncResponse: task id resolves', check: 'resolves' }],
  create: () =>
    rewrite(faithfulEngine('fastrouter'), async (request, response) => {
      if (!new URL(request.url).pathname.endsWith('/getAsyncResponse')) return undefined;
      const body = (await request.clone().json()) as { taskId?: string; model?: string };
      if (!body.taskId?.startsWith('fr_') || body.model !== undefined) return undefined;
      return withJson(response, fastrouterSpec.fastrouterError(404), 404);
    }),
};

/** A task's `updatedDate` lies an hour before its `createdDate`. */
export const timestampsBackwards: BrokenVariant = {
  name: 'fastrouter: timestamps go backwards',
  provider: 'fastrouter',
  defect: 'GET /videos/{task_id} dates the last update an hour before the task was created',
  expected: [{ id: 'getVideo: timestamps never go backwards (task)', check: 'timestamps' }],
  create: () =>
    rewriteJson(faithfulEngine('fastrouter'), { method: 'GET', path: GET_TASK }, (body) => {
      const data = body.data as { generations?: Record<string, unknown>[] } | undefined;
      if (!data?.generations) return body;
      const generations = data.generations.map((g) => ({
        ...g,
        updatedDate: new Date(Date.parse(String(g.createdDate)) - 3_600_000).toISOString(),
      }));
      return { ...body, data: { ...data, generations } };
    }),
};

/** The FastRouter variants. */
export const fastrouterVariants: readonly BrokenVariant[] = [
  wrongType,
  wrongErrorEnvelope,
  taskIdNotResolving,
  timestampsBackwards,
];
