/**
 * Small helpers the provider mocks share.
 * @module
 */
import type { Random } from '../core/random.js';
import type { Job } from '../core/store.js';

/** Draws a duration from a [min, max] range in ms. */
export function drawMs(random: Random, [min, max]: readonly [number, number]): number {
  return min + Math.round(random.next() * (max - min));
}

/**
 * Words validation issues as `path: message; path: message`.
 *
 * @example
 * describeIssues([{ path: ['duration'], message: 'Expected number' }]); // 'duration: Expected number'
 */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

const views = new WeakMap<object, { status: string; origin: string; body: object }>();

/**
 * A job's view, built again only when the job's status or the origin its URLs name changes (a
 * view must depend on nothing else that varies). A client polling a job gets the same object
 * back, so the engine serialises and checks it once (`reusedBody`). The view goes with the job.
 *
 * @example
 * const body = viewOnce(job, status, ctx.origin, () => view(ctx, job));
 * return { status: 200, body, reusedBody: true };
 */
export function viewOnce<T extends object, Data extends object>(
  job: Job<Data>,
  status: string,
  origin: string,
  build: () => T,
): T {
  const cached = views.get(job);
  if (cached && cached.status === status && cached.origin === origin) return cached.body as T;
  const body = build();
  views.set(job, { status, origin, body });
  return body;
}
