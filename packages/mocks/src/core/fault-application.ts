/**
 * Acting out a fault on one request: which fault applies, what it does before the handler runs
 * (wait, or answer instead of the router) and what it does to the router's answer after.
 * @module
 */
import type { Clock } from './clock.js';
import { asResponse } from './respond.js';
import type { ActiveFault, Faults, FaultTarget, WireFaultKind } from './faults.js';
import { corruptResponse, drawLatency } from './faults.js';
import type { Random } from './random.js';
import type { PlainResponse } from './request.js';
import type { Scenario } from './scenarios.js';
import type { MockProvider, Reply } from './types.js';

/** The header that labels a faulted answer, so a person reading traffic can tell it was on purpose. */
export const FAULT_HEADER = 'x-reelkit-fault';

const faultLabel = (fault: ActiveFault) => `${fault.kind}; rule=${fault.id}`;

/** Faults that act on the router's answer after the handler. */
const BODY_FAULTS = new Set<WireFaultKind>(['reset', 'truncate', 'stall', 'malformed-json']);

/**
 * The fault a request meets: the first fault rule that matches it, else the wire fault its
 * scenario names, else none. Without rules, nothing is allocated (this runs on every request).
 *
 * @example
 * const fault = await faultOf(engine.faults, scenario, 'getVideo', params, body);
 */
export function faultOf(
  faults: Faults,
  scenario: Scenario,
  operationId: string,
  params: FaultTarget['params'],
  body: FaultTarget['body'],
): ActiveFault | undefined | Promise<ActiveFault | undefined> {
  if (faults.size > 0) {
    const rule = faults.match({ operationId, params, body });
    if (rule instanceof Promise) return rule.then((r) => r ?? scenarioFault(scenario));
    if (rule) return rule;
  }
  return scenarioFault(scenario);
}

/** The wire fault a request's scenario names, if any. */
function scenarioFault(scenario: Scenario): ActiveFault | undefined {
  return scenario.effect.kind === 'wire'
    ? { kind: scenario.effect.fault, once: true, id: `scenario:${scenario.name}`, fired: 1 }
    : undefined;
}

/**
 * What a fault does before the handler runs: `latency` waits (simulated) and lets the request go
 * on; `rate-limit` and `server-error` answer instead of the router, in its envelope and labelled.
 * Body faults wait for the router's answer ({@link faultAfterHandler}).
 *
 * @example
 * const early = await faultBeforeHandler(fault, provider, clock, random);
 * if (early) return respond(early, route, 'if-declared');
 */
export async function faultBeforeHandler(
  fault: ActiveFault,
  provider: Pick<MockProvider, 'error'>,
  clock: Clock,
  random: Random,
): Promise<Reply | undefined> {
  switch (fault.kind) {
    case 'latency':
      await clock.sleep(drawLatency(fault.latencyMs, random));
      return undefined;
    case 'rate-limit':
    case 'server-error': {
      const reply = provider.error(fault.kind === 'rate-limit' ? 'rate_limited' : 'server_error', {
        ...(fault.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: fault.retryAfterSeconds }
          : {}),
      });
      return {
        ...reply,
        headers: { ...reply.headers, [FAULT_HEADER]: faultLabel(fault) },
      } as Reply;
    }
    case 'reset':
    case 'truncate':
    case 'stall':
    case 'malformed-json':
      return undefined;
  }
}

/**
 * What a fault does to the router's answer: body faults cut, stall or break it; every fault
 * labels it.
 *
 * @example
 * return fault ? faultAfterHandler(answer, fault, clock) : answer;
 */
export async function faultAfterHandler(
  answer: Response | PlainResponse,
  fault: ActiveFault,
  clock: Clock,
): Promise<Response> {
  const response = asResponse(answer);
  const faulted = BODY_FAULTS.has(fault.kind)
    ? await corruptResponse(response, fault, (ms) => clock.sleep(ms))
    : response;
  faulted.headers.set(FAULT_HEADER, faultLabel(fault));
  return faulted;
}
