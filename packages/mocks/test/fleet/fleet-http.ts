/**
 * Small HTTP helpers of the fleet tests: OpenRouter submit and poll, control-plane calls, and the
 * namespace header. Each answer keeps the replica that served it (the balancer's header).
 * @module
 */
import type { LifecycleDef } from '@reelkit/spec';
import { checkObservedSequence, isLegalTransition } from '@reelkit/spec';
import { expect } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { loadBalancerMissing, UPSTREAM_HEADER } from '../support/load-balancer.js';
import { redisMissing } from '../support/redis-server.js';

/** Why fleet tests cannot run here (a system tool is missing), or undefined. */
export const fleetMissing: string | undefined = redisMissing ?? loadBalancerMissing;

/** The header that names a request's namespace (issue #15). */
export const NAMESPACE_HEADER = 'X-Reelkit-Namespace';

/** A reply with its parsed JSON body and the replica that served it. */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  /** `127.0.0.1:<port>` of the replica (through the balancer), else undefined. */
  readonly upstream: string | undefined;
}

/** Sends a request and reads its JSON body (or `{ text }` when it is not JSON). */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return {
    status: response.status,
    body: body as T,
    headers: response.headers,
    upstream: response.headers.get(UPSTREAM_HEADER)?.split(', ').at(-1),
  };
}

/** An OpenRouter job as a poll shows it. */
export interface VideoView {
  readonly id: string;
  readonly status: string;
  readonly polling_url?: string;
  readonly usage?: { readonly cost?: number | null };
}

/** Submits a 4-second Veo 3.1 job to OpenRouter at `origin`. */
export function submitVideo(
  origin: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<Answer<VideoView>> {
  return call<VideoView>(`${origin}/api/v1/videos`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-fleet', ...headers },
    body: { model: 'google/veo-3.1', prompt: 'a lighthouse at dawn', duration: 4, ...extra },
  });
}

/** Polls OpenRouter job `id` at `origin`. */
export function pollVideo(
  origin: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<Answer<VideoView>> {
  return call<VideoView>(`${origin}/api/v1/videos/${encodeURIComponent(id)}`, {
    headers: { authorization: 'Bearer sk-fleet', ...headers },
  });
}

/** A control-plane call: GET without a body, else JSON (an empty object by default). */
export function control<T = Record<string, unknown>>(
  origin: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const method = init.method ?? 'GET';
  return call<T>(`${origin}/__reelkit/${path}`, {
    method,
    headers: init.headers ?? {},
    ...(method === 'GET' ? {} : { body: init.body ?? {} }),
  });
}

/** Moves the fleet's manual clock by `seconds`, through replica `via` (directly). */
export async function advance(
  fleet: Fleet,
  seconds: number,
  via = 0,
  headers: Record<string, string> = {},
): Promise<number> {
  const answer = await control<{ now: number }>(fleet.replicas[via]!.origin, 'clock/advance', {
    method: 'POST',
    body: { seconds },
    headers,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.now;
}

/** A job's stored history as the control plane shows it. */
export interface JobRecord {
  readonly id: string;
  readonly status: string;
  readonly history: readonly { readonly status: string; readonly at: number }[];
}

/** Why a stored history breaks `lifecycle` (a step that is not a legal transition), or undefined. */
export function historyViolation(
  lifecycle: LifecycleDef,
  history: readonly { readonly status: string; readonly at: number }[],
): string | undefined {
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1]!;
    const to = history[i]!;
    if (!isLegalTransition(lifecycle, from.status, to.status)) {
      return `${from.status} → ${to.status} is not a transition of ${lifecycle.name}`;
    }
    if (to.at < from.at) return `${to.status} at ${to.at} is before ${from.status} at ${from.at}`;
  }
  return undefined;
}

/** Why a sequence of polled statuses breaks `lifecycle`, or undefined. */
export function pollViolation(lifecycle: LifecycleDef, statuses: readonly string[]) {
  const violation = checkObservedSequence(lifecycle, statuses);
  return violation && `${statuses.join(' → ')}: ${violation.rule}`;
}
