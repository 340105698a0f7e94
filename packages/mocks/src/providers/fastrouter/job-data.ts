/**
 * What a FastRouter job keeps beside the engine's fields.
 * @module
 */
import type { fastrouterSpec } from '@reelkit/spec';
import type { Job } from '../../core/store.js';
import type { RequestContext } from '../../core/types.js';

/** A FastRouter job's own data: its family, billing and the values its views repeat. */
export type FastRouterJobData = {
  readonly style: fastrouterSpec.ResponseStyle;
  readonly chatId: string;
  readonly credits: number;
  readonly provider: string;
  readonly echoModel: string;
  /** Pollo's generation id (task family). */
  readonly generationId: string;
  /** Sora `seconds` and `size`. */
  readonly seconds: string;
  readonly size: string;
  /** Response-cache entry of the task, when the request carried a `cache_key` header. */
  readonly cache?: { readonly fingerprint: string; readonly until: number };
  /** Whether the planned end is a success (failed tasks are never cache hits). */
  readonly succeeds: boolean;
  /** The Sora `error.code` of a failed job (its message is the job's `error`). */
  readonly failureCode?: string;
};

/** A FastRouter job: the engine's fields and its {@link FastRouterJobData}. */
export type FastRouterJob = Job<FastRouterJobData>;

/** What FastRouter's handlers see of a request: their job store holds FastRouter jobs. */
export type FastRouterContext = RequestContext<FastRouterJobData>;
