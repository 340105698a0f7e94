/**
 * The error of a job that ended without a video.
 * @module
 */
import { ReelkitError, sentence } from './base.js';
import type { FailedStatus } from './classify.js';
import { classifyJobEnd } from './classify.js';

/**
 * The job ended without a video: failed, refused by moderation, cancelled or expired. Keeps the
 * router's status word and its message verbatim.
 *
 * @example
 * catch (e) { if (e instanceof GenerationFailedError) console.log(e.status, e.providerMessage); }
 */
export class GenerationFailedError extends ReelkitError {
  override readonly name = 'GenerationFailedError';
  readonly provider: string;
  readonly jobId: string | undefined;
  /** The canonical status the job ended in. */
  readonly status: FailedStatus;
  /** The router's own status word (`failed`, `cancelled`, …), or `http <status>` for sync routers. */
  readonly providerStatus: string;
  readonly providerMessage: string | undefined;
  readonly providerCode: string | undefined;
  /** The last body the router sent. */
  readonly raw: unknown;
  constructor(init: {
    readonly provider: string;
    readonly jobId?: string;
    readonly status: FailedStatus;
    readonly providerStatus: string;
    readonly providerMessage?: string;
    readonly providerCode?: string;
    readonly moderated?: boolean;
    readonly raw: unknown;
    readonly cause?: unknown;
  }) {
    const { code, hint } = classifyJobEnd(init.status, init.moderated === true);
    super(
      code,
      sentence(
        `${init.provider} job ${init.jobId ?? '(no id)'} ended ${init.providerStatus}: ${init.providerMessage ?? '(no message)'}`,
      ),
      hint,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.provider = init.provider;
    this.jobId = init.jobId;
    this.status = init.status;
    this.providerStatus = init.providerStatus;
    this.providerMessage = init.providerMessage;
    this.providerCode = init.providerCode;
    this.raw = init.raw;
  }
}
