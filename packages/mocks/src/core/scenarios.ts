/**
 * Scenarios: named behaviours a request can ask for without changing the client, with a header
 * `X-Reelkit-Scenario: <name>` or a prompt token `[reelkit:<name>]`.
 * @module
 */
import type { CanonicalStatus, ErrorKind } from '@reelkit/spec';
import type { WireFaultKind } from './faults.js';
import { WIRE_FAULTS } from './faults.js';
import type { HeaderReader } from './request.js';

/** A scenario's effect: answer an error now, or shape how the job ends. */
export type ScenarioEffect =
  | {
      readonly kind: 'job';
      readonly outcome: Exclude<CanonicalStatus, 'queued' | 'in_progress'>;
      readonly cause?: 'moderation' | 'provider';
      readonly timeFactor?: number;
    }
  | { readonly kind: 'http'; readonly error: ErrorKind }
  | { readonly kind: 'wire'; readonly fault: WireFaultKind };

/** A resolved scenario: its name and effect. */
export interface Scenario {
  readonly name: string;
  readonly effect: ScenarioEffect;
  /** Where it came from: `header`, `prompt`, `default` or `random`. */
  readonly source: 'header' | 'prompt' | 'default' | 'random';
}

/** Every scenario the engine knows, with what it does; each router supports a subset. */
export const SCENARIOS: Readonly<
  Record<string, { readonly description: string; readonly effect: ScenarioEffect }>
> = {
  success: {
    description: 'The job completes normally.',
    effect: { kind: 'job', outcome: 'completed' },
  },
  slow: {
    description: 'The job completes, five times slower than the model usually takes.',
    effect: { kind: 'job', outcome: 'completed', timeFactor: 5 },
  },
  failed: {
    description: 'The job fails with a provider error.',
    effect: { kind: 'job', outcome: 'failed', cause: 'provider' },
  },
  moderation: {
    description: 'The job is refused by the content policy (moderation).',
    effect: { kind: 'job', outcome: 'failed', cause: 'moderation' },
  },
  cancelled: {
    description: 'The job is cancelled before it completes.',
    effect: { kind: 'job', outcome: 'cancelled' },
  },
  expired: {
    description: 'The job outlives its time to live.',
    effect: { kind: 'job', outcome: 'expired' },
  },
  'insufficient-credits': {
    description: 'The account has too little credit for the request.',
    effect: { kind: 'http', error: 'insufficient_credits' },
  },
  'rate-limit': {
    description: 'The request is rate limited (429 with Retry-After).',
    effect: { kind: 'http', error: 'rate_limited' },
  },
  'server-error': {
    description: 'The router fails with a 5xx in its own envelope.',
    effect: { kind: 'http', error: 'server_error' },
  },
  'provider-error': {
    description: 'The upstream provider fails (502 where the router documents it).',
    effect: { kind: 'http', error: 'provider_error' },
  },
};

/** Faults on the wire every router's mock can act out, as scenarios (they answer this request). */
export const WIRE_SCENARIOS: Readonly<
  Record<string, { readonly description: string; readonly effect: ScenarioEffect }>
> = Object.fromEntries(
  (['latency', 'reset', 'truncate', 'stall', 'malformed-json'] as const).map((kind) => [
    kind,
    { description: WIRE_FAULTS[kind], effect: { kind: 'wire', fault: kind } },
  ]),
);

/** The header that selects a scenario. */
export const SCENARIO_HEADER = 'x-reelkit-scenario';

const PROMPT_TOKEN = /\[reelkit:([a-z0-9-]+)\]/i;

/**
 * Finds the scenario a request asks for: the header wins over the prompt token.
 *
 * @example
 * requestedScenario(new Headers({ 'X-Reelkit-Scenario': 'failed' }), undefined); // { name: 'failed', source: 'header' }
 * requestedScenario(new Headers(), 'a cat [reelkit:moderation]'); // { name: 'moderation', source: 'prompt' }
 */
export function requestedScenario(
  headers: HeaderReader,
  prompt: string | undefined,
): { name: string; source: 'header' | 'prompt' } | undefined {
  const header = headers.get(SCENARIO_HEADER)?.trim().toLowerCase();
  if (header) return { name: header, source: 'header' };
  const match = prompt ? PROMPT_TOKEN.exec(prompt) : null;
  return match?.[1] ? { name: match[1].toLowerCase(), source: 'prompt' } : undefined;
}

/** The prompt a body carries: a string, or rout.my's `{ text }` object. */
export function promptOf(body: Readonly<Record<string, unknown>>): string | undefined {
  const prompt = body.prompt;
  if (typeof prompt === 'string') return prompt;
  if (
    prompt &&
    typeof prompt === 'object' &&
    typeof (prompt as { text?: unknown }).text === 'string'
  ) {
    return (prompt as { text: string }).text;
  }
  return undefined;
}
