import { defineLifecycle } from '../../lifecycle.js';

/**
 * The task family's lifecycle (`data.status` and `data.generations[].status`), Pollo's task
 * vocabulary (docs.pollo.ai get-task-status): `waiting → processing → succeed | failed`.
 *
 * - The create response shows `waiting` (video page) or `processing` (caching docs, also on cache
 *   hits), so a job may be first observed in either; `waiting` may also jump straight to a terminal
 *   status when polling misses `processing` (or the task is a cache hit that already finished).
 * - `completed` is a terminal alias of `succeed`: the caching docs tell clients to poll "until
 *   `data.status` is `succeed` / `completed`", but no example shows it. A server sending it keeps
 *   its contract; the mock always ends successful tasks in `succeed`.
 * - No cancel endpoint and no expiry status: an expired result is a 404 on the poll routes.
 *
 * @example
 * isLegalTransition(fastrouterTaskLifecycle, 'waiting', 'processing'); // true
 */
export const fastrouterTaskLifecycle = defineLifecycle({
  name: 'fastrouter-task',
  statuses: ['waiting', 'processing', 'succeed', 'failed', 'completed'],
  initial: 'waiting',
  intermediate: ['waiting', 'processing'],
  terminal: ['succeed', 'failed', 'completed'],
  success: 'succeed',
  transitions: {
    waiting: ['processing', 'succeed', 'failed', 'completed'],
    processing: ['succeed', 'failed', 'completed'],
    succeed: [],
    failed: [],
    completed: [],
  },
  canonical: {
    waiting: 'queued',
    processing: 'in_progress',
    succeed: 'completed',
    failed: 'failed',
    completed: 'completed',
  },
});

/**
 * The Sora family's lifecycle: OpenAI's `VideoResource.status`, relayed by FastRouter for
 * `openai/sora-*` models, with `progress` 0..100 while `in_progress` (the docs example shows 82).
 * `queued` may go straight to a terminal status when polling misses `in_progress`.
 *
 * @example
 * isLegalTransition(fastrouterSoraLifecycle, 'completed', 'in_progress'); // false
 */
export const fastrouterSoraLifecycle = defineLifecycle({
  name: 'fastrouter-sora',
  statuses: ['queued', 'in_progress', 'completed', 'failed'],
  initial: 'queued',
  intermediate: ['queued', 'in_progress'],
  terminal: ['completed', 'failed'],
  success: 'completed',
  transitions: {
    queued: ['in_progress', 'completed', 'failed'],
    in_progress: ['completed', 'failed'],
    completed: [],
    failed: [],
  },
  canonical: {
    queued: 'queued',
    in_progress: 'in_progress',
    completed: 'completed',
    failed: 'failed',
  },
});

/**
 * FastRouter's lifecycles by name, as `ProviderSpec.lifecycles` holds them; pick one with
 * `responseStyle(model)`.
 *
 * @example
 * fastrouterLifecycles[responseStyle('openai/sora-2')].initial; // 'queued'
 */
export const fastrouterLifecycles = {
  task: fastrouterTaskLifecycle,
  sora: fastrouterSoraLifecycle,
} as const;
