/**
 * Load over the fastify mount on 127.0.0.1, bounded so that it runs in `npm test`: 2,000
 * OpenRouter jobs submitted and polled by 50 concurrent clients while the clock moves, webhooks
 * delivered to a receiver that refuses 30 % of attempts (seeded). The 50,000-job version of the
 * same run is `npm run soak -w @reelkit/mocks` (scripts/soak.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LoadSummary } from './support/load.js';
import { runLoad } from './support/load.js';

const JOBS = 2000;

describe('load: 2,000 jobs, 50 clients, a flapping webhook receiver', () => {
  let summary: LoadSummary;

  it('runs within its budget', async () => {
    summary = await runLoad({
      jobs: JOBS,
      concurrency: 50,
      pollsPerJob: 2,
      seed: 20260424,
      webhookFailureRate: 0.3,
      deadlineMs: 110_000,
    });
    expect(summary.diagnostics).toEqual([]);
  }, 120_000);

  it('loses and duplicates no job: ids unique, each resolves, the store holds exactly them', () => {
    expect(summary.refused).toEqual({});
    expect(summary.accepted).toBe(JOBS);
    expect(summary.duplicated).toEqual([]);
    expect(summary.lost).toEqual([]);
    expect(summary.storeSize).toBe(JOBS);
    expect(summary.unknownInStore).toBe(0);
  });

  it('ends every job in a terminal status through a legal history', () => {
    expect(summary.illegal).toEqual([]);
    expect(summary.notTerminal).toBe(0);
    // The scenario mix reaches every terminal status.
    expect(Object.keys(summary.terminal).sort()).toEqual([
      'cancelled',
      'completed',
      'expired',
      'failed',
    ]);
  });

  it('delivers every terminal event exactly once as accepted; one key, one body', () => {
    const { webhooks } = summary;
    expect(webhooks.events).toBe(JOBS);
    // The receiver really flapped: about 30 % of attempts refused.
    expect(webhooks.refused / webhooks.attempts).toBeGreaterThan(0.2);
    expect(webhooks.refused / webhooks.attempts).toBeLessThan(0.4);
    expect(webhooks.neverAccepted).toEqual([]);
    expect(webhooks.acceptedTwice).toEqual([]);
    expect(webhooks.acceptedOnce).toBe(JOBS);
    expect(webhooks.keyMisuse).toEqual([]);
    expect(webhooks.failed).toBe(0);
  });

  it('evicts every job past its TTL (the store is empty again)', () => {
    expect(summary.storeSizeAfterEviction).toBe(0);
  });

  it('forgets the media assets of evicted jobs', () => {
    expect(summary.retainedAfterEviction.assets).toBe(0);
  });

  it('drops the webhook log entries of evicted jobs', () => {
    expect(summary.retainedAfterEviction.deliveries).toBe(0);
  });
});
