import { defineLifecycle } from '../../lifecycle.js';

/**
 * OpenRouter's job lifecycle (`VideoGenerationResponse.status`). No cancel endpoint is documented,
 * yet `cancelled` exists; `expired` is reached when a job outlives its time to live. A job may go
 * straight from `pending` to a terminal status: OpenRouter's own QA run polled pending → completed.
 */
export const openrouterLifecycle = defineLifecycle({
  name: 'openrouter',
  statuses: ['pending', 'in_progress', 'completed', 'failed', 'cancelled', 'expired'],
  initial: 'pending',
  intermediate: ['pending', 'in_progress'],
  terminal: ['completed', 'failed', 'cancelled', 'expired'],
  success: 'completed',
  transitions: {
    pending: ['in_progress', 'completed', 'failed', 'cancelled', 'expired'],
    in_progress: ['completed', 'failed', 'cancelled', 'expired'],
    completed: [],
    failed: [],
    cancelled: [],
    expired: [],
  },
  canonical: {
    pending: 'queued',
    in_progress: 'in_progress',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    expired: 'expired',
  },
});
