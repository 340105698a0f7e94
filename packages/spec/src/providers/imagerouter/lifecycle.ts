import { synchronousLifecycle } from '../../lifecycle.js';

/**
 * ImageRouter's implicit lifecycle. The API is synchronous: one `POST` holds the connection until
 * the video is done, so no status word is ever sent on the wire. The statuses name the phases a
 * client lives through so that mocks, client and conformance can treat all routers alike:
 * - `rendering` (→ canonical `in_progress`): validation passed and the router has flushed
 *   HTTP 200; it writes a space every 3 s as a heartbeat while the provider works. There is no
 *   queued phase: a request that fails validation answers 400 and never becomes a job.
 * - `succeeded` (→ `completed`): the body is `{created, data, latency, cost}`.
 * - `failed` (→ `failed`): the body is `{"error": {...}}`, still with HTTP 200.
 * There is no cancel endpoint (closing the connection only stops the heartbeat) and no expiry.
 *
 * @example
 * isLegalTransition(imagerouterLifecycle, 'rendering', 'succeeded'); // true
 */
export const imagerouterLifecycle = synchronousLifecycle('imagerouter');
