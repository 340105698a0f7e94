import { synchronousLifecycle } from '../../lifecycle.js';

/**
 * rout.my's implicit lifecycle. rout.my has no job object and sends no status word: "The HTTP
 * connection stays open while the provider renders the result" (video page). These statuses name
 * the states of that one request so the mock engine, client and conformance kit can treat it like
 * the asynchronous routers:
 *
 * - `rendering` (intermediate, canonical `in_progress`): the connection is open; clients should
 *   allow about 15 minutes (`curl --max-time 900`). There is no queued stage a client could see.
 * - `succeeded` (terminal, canonical `completed`): HTTP 200 with `videos`.
 * - `failed` (terminal, canonical `failed`): an error status after rendering began, for example
 *   502 "Upstream provider failed or no provider succeeded" (errors page).
 *
 * Errors answered before generation starts (400, 401, 403, 404, the quota 429) never enter this
 * lifecycle. A client that disconnects is logged as 499 by rout.my and sees nothing, so there is no
 * `cancelled` state.
 *
 * @example
 * import { isLegalTransition } from '../../lifecycle.js';
 * isLegalTransition(routmyLifecycle, 'rendering', 'succeeded'); // true
 */
export const routmyLifecycle = synchronousLifecycle('routmy');

/** A status of {@link routmyLifecycle}. */
export type RoutMyStatus = (typeof routmyLifecycle.statuses)[number];
