/**
 * rout.my's daily token quota in the mock: each key's pool lives in the engine's ledger, is
 * checked (by the spec's judge) against a worst-case estimate before generation, and comes back
 * at the daily reset.
 * @module
 */
import { routmySpec } from '@reelkit/spec';
import type { Judgement } from '@reelkit/spec';
import { secondsUntilDailyReset } from '../../core/ledger.js';
import type { Reply } from '../../core/types.js';

const { routmyErrorBody } = routmySpec;

/**
 * Each key's daily token pool when nothing else is configured: generous on purpose, so that only
 * tests about the quota meet the 429. 100,000,000 tokens is about 80 default Veo 3.1 videos
 * (1,248,000 each) and five times the largest worst-case estimate the catalog allows (an edit
 * with n = 4 on the docs' placeholder model, 19,890,000); 10,000,000 would refuse that request on
 * a fresh key. The real pool depends on the plan and is not published (provisional).
 *
 * @example
 * createMockEngine({ provider: routmyMock }).ledger.balanceOf('sk-new'); // ROUTMY_DEFAULT_QUOTA_TOKENS
 */
export const ROUTMY_DEFAULT_QUOTA_TOKENS = 100_000_000;

/**
 * The reply to a request the judge refused. A 429 is the quota (the judge checks the worst case
 * against the key's tokens): it is retried after the daily reset.
 *
 * @example
 * refusal(verdict, clock.now()).headers?.['retry-after']; // seconds to 00:00 UTC, on a 429
 */
export function refusal(verdict: Extract<Judgement, { ok: false }>, now: number): Reply {
  const reply: Reply = { status: verdict.status, body: routmyErrorBody(verdict) };
  if (verdict.status !== 429) return reply;
  return { ...reply, headers: { 'retry-after': String(secondsUntilDailyReset(now)) } };
}
