/**
 * The public shapes of `--via-prism`: the proxy's options, what Prism found, and the running proxy.
 * @module
 */
import type { ProviderId } from '@reelkit/spec';
import type { CheckResult, Exchange } from '../report.js';

/** Options of `startPrismProxy`. */
export interface PrismProxyOptions {
  readonly provider: ProviderId;
  /** The target's base URL (origin and base path), e.g. `http://127.0.0.1:4010/api/v1`. */
  readonly upstream: string;
  /** OpenAPI document to validate against; default `@reelkit/spec`'s `openapi/<provider>.json`. */
  readonly openapiFile?: string;
  /**
   * Also fail on violations prism finds in requests (default false: negative checks send
   * invalid requests on purpose, and prism cannot tell them from mistakes).
   */
  readonly includeRequestViolations?: boolean;
  /** How long prism may take to start (default 60 s; it takes a few seconds). */
  readonly startTimeoutMs?: number;
  /** Bodies kept per exchange, in characters (default 16 384). */
  readonly maxBodyChars?: number;
  /** Prism's own log lines, for troubleshooting. */
  readonly log?: (line: string) => void;
}

/** One finding of prism, as sent in the `sl-violations` header. */
export interface PrismViolation {
  readonly location: readonly string[];
  readonly severity: string;
  readonly code?: string | number;
  readonly message: string;
}

/** One exchange that went through prism, and what prism said about it. */
export interface PrismObservation {
  readonly operationId: string;
  /**
   * The answer was binary: prism validated its status and headers, then the request was sent
   * again straight to the target for an uncorrupted body (prism re-encodes binary bodies).
   */
  readonly replayed: boolean;
  readonly exchange: Exchange;
  readonly violations: readonly PrismViolation[];
}

/** A running prism proxy with its recording relay. */
export interface PrismProxy {
  /** Give this to the target instead of the real base URL. */
  readonly baseUrl: string;
  /** Prism's own address (paths relative to the base path). */
  readonly prismUrl: string;
  /** The real target. */
  readonly upstream: string;
  /** The OpenAPI document prism validates against. */
  readonly openapiFile: string;
  /** Every exchange so far, in order. */
  observations(): readonly PrismObservation[];
  /** One `prism-violation` check per operation seen: failing if any response broke the document. */
  results(): CheckResult[];
  /** Stops the relay and prism. */
  close(): Promise<void>;
}
