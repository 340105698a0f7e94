/**
 * The OpenRouter routes the benchmark drives, read from the spec's route table: the submit, poll
 * and content paths every target is asked on, and the templates the baselines serve. The
 * baseline workers get the templates over IPC with their bodies, so they load no spec.
 * @module
 */
import type { RouteDef } from '@reelkit/spec';
import { buildPath, declaredStatuses, fullPath, openrouter } from '@reelkit/spec';
import type { BenchRoutes, BenchStatuses } from './protocol.js';

const { routes } = openrouter;

/**
 * The three routes, as templates (`{jobId}`) under OpenRouter's base path.
 *
 * @example
 * BENCH_ROUTES.poll; // '/api/v1/videos/{jobId}'
 */
export const BENCH_ROUTES: BenchRoutes = {
  submit: fullPath(openrouter, routes.createVideo),
  poll: fullPath(openrouter, routes.getVideo),
  content: fullPath(openrouter, routes.getVideoContent),
};

/**
 * The same routes without the base path, as `prism mock` serves the document's paths.
 *
 * @example
 * UNMOUNTED_ROUTES.submit; // '/videos'
 */
export const UNMOUNTED_ROUTES: BenchRoutes = {
  submit: routes.createVideo.path,
  poll: routes.getVideo.path,
  content: routes.getVideoContent.path,
};

function successStatus(route: RouteDef): number {
  const status = declaredStatuses(route).find((s) => s >= 200 && s < 300);
  if (status === undefined) {
    throw new Error(`[reelkit bench] ${route.operationId} declares no success status`);
  }
  return status;
}

/**
 * The success status each route declares: what every target must answer.
 *
 * @example
 * BENCH_STATUSES.submit; // 202
 */
export const BENCH_STATUSES: BenchStatuses = {
  submit: successStatus(routes.createVideo),
  poll: successStatus(routes.getVideo),
  content: successStatus(routes.getVideoContent),
};

/**
 * The path of the model list without the base path: what Prism answers once it is up.
 *
 * @example
 * await waitForHttp(`${origin}${UNMOUNTED_MODELS_PATH}`, options);
 */
export const UNMOUNTED_MODELS_PATH = routes.listModels.path;

/**
 * A job's path on a route template.
 *
 * @example
 * jobPath(BENCH_ROUTES.poll, 'abc'); // '/api/v1/videos/abc'
 */
export function jobPath(template: string, jobId: string): string {
  return buildPath(template, { jobId });
}
