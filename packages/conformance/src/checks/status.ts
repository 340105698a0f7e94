import type { RouteDef } from '@reelkit/spec';
import { declaredStatuses } from '@reelkit/spec';

/** A broken promise found by a check: which rule, and what was seen. */
export interface Finding {
  readonly rule: string;
  readonly message: string;
}

/**
 * Checks that a response status is one the route declares.
 *
 * @example
 * declaredStatusFinding(openrouter.routes.createVideo, 200);
 * // { rule: 'declared-status', message: 'createVideos answered 200; declared: 202, 400, ...' }
 */
export function declaredStatusFinding(route: RouteDef, status: number): Finding | undefined {
  const declared = declaredStatuses(route);
  if (declared.includes(status)) return undefined;
  return {
    rule: 'declared-status',
    message: `${route.operationId} answered ${status}; declared: ${declared.join(', ')}`,
  };
}
