/**
 * Faults on the wire: what goes wrong between a client and a router rather than inside a job.
 * Rules match by route (operationId) and job id, fire once, a number of times, or with a
 * probability drawn from the engine's seeded random.
 * @module
 */
import type { Random } from './random.js';

/** The fault kinds, as scenario names and in rules. */
export const WIRE_FAULTS = {
  latency: 'The answer is delayed (fixed, or drawn from a distribution; default 2–5 s).',
  'rate-limit': "429 with Retry-After and the router's rate-limit headers.",
  'server-error': "A 5xx in the router's own envelope.",
  reset: 'The connection is reset after the headers and part of the body.',
  truncate: 'The body stops halfway although Content-Length promised all of it.',
  stall: 'Half the body arrives, then nothing for a long time (10 simulated minutes by default).',
  'malformed-json': 'The JSON body is cut in the middle, so it does not parse.',
} as const;

/** One of {@link WIRE_FAULTS}. */
export type WireFaultKind = keyof typeof WIRE_FAULTS;

/** How long a `latency` fault waits. */
export type LatencySpec =
  | number
  | { readonly distribution: 'uniform'; readonly min: number; readonly max: number }
  | { readonly distribution: 'exponential'; readonly mean: number }
  | { readonly distribution: 'normal'; readonly mean: number; readonly stddev: number };

/** A fault rule. Without `once`, `times` or `probability` it fires on every matching request. */
export interface FaultRule {
  readonly kind: WireFaultKind;
  /** Only requests to this operation (e.g. `getVideos`); default any. */
  readonly operationId?: string;
  /** Only requests about this job (path parameter or `taskId` in the body); default any. */
  readonly jobId?: string;
  readonly once?: boolean;
  readonly times?: number;
  /** Chance per matching request, drawn from the engine's seeded random. */
  readonly probability?: number;
  /** For `latency`, in simulated ms. */
  readonly latencyMs?: LatencySpec;
  /** For `stall`, in simulated ms. */
  readonly stallMs?: number;
  readonly retryAfterSeconds?: number;
}

/** A rule as stored, with its id and how often it has fired. */
export interface ActiveFault extends FaultRule {
  readonly id: string;
  fired: number;
}

/** What a request looks like to the fault matcher. */
export interface FaultTarget {
  readonly operationId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Parses and checks a rule from untrusted JSON (control plane, CLI). */
export function parseFaultRule(input: unknown): FaultRule {
  const rule = (input ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof rule.kind !== 'string' || !(rule.kind in WIRE_FAULTS)) {
    problems.push(`kind must be one of ${Object.keys(WIRE_FAULTS).join(', ')}`);
  }
  for (const key of ['operationId', 'jobId'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string')
      problems.push(`${key} must be a string`);
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) > 0))
    problems.push('times must be a positive integer');
  if (
    rule.probability !== undefined &&
    !(typeof rule.probability === 'number' && rule.probability >= 0 && rule.probability <= 1)
  ) {
    problems.push('probability must be between 0 and 1');
  }
  if (problems.length)
    throw new RangeError(`[reelkit] invalid fault rule: ${problems.join('; ')}.`);
  return rule as unknown as FaultRule;
}

/**
 * Draws a latency in ms.
 *
 * @example
 * drawLatency({ distribution: 'uniform', min: 100, max: 200 }, random); // e.g. 143
 */
export function drawLatency(spec: LatencySpec | undefined, random: Random): number {
  // Whole milliseconds: bodies carry timestamps derived from the clock, often as integers.
  return Math.round(drawRawLatency(spec, random));
}

function drawRawLatency(spec: LatencySpec | undefined, random: Random): number {
  const s = spec ?? { distribution: 'uniform', min: 2000, max: 5000 };
  if (typeof s === 'number') return Math.max(0, s);
  switch (s.distribution) {
    case 'uniform':
      return s.min + random.next() * (s.max - s.min);
    case 'exponential':
      return -s.mean * Math.log(1 - random.next());
    case 'normal': {
      // Box–Muller; latency cannot be negative.
      const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
      return Math.max(0, s.mean + s.stddev * z);
    }
  }
}

/** The engine's fault rules. */
export interface FaultController {
  add(rule: FaultRule): ActiveFault;
  remove(id: string): boolean;
  list(): readonly ActiveFault[];
  clear(): void;
  /** The first rule that fires for this request, counting it. */
  match(target: FaultTarget): ActiveFault | undefined;
  /** How many rules there are (none, on almost every request: then nothing needs matching). */
  readonly size: number;
}

/**
 * Creates a fault controller drawing probabilities from `random`.
 *
 * @example
 * const faults = createFaultController(() => random);
 * faults.add({ kind: 'truncate', operationId: 'listVideosContent', once: true });
 */
export function createFaultController(random: () => Random): FaultController {
  let rules: ActiveFault[] = [];
  let counter = 0;
  const remaining = (r: ActiveFault) => (r.once ? 1 : (r.times ?? Infinity)) - r.fired;
  const about = (r: ActiveFault, t: FaultTarget) =>
    r.jobId === undefined || Object.values(t.params).includes(r.jobId) || t.body.taskId === r.jobId;
  return {
    add(rule) {
      const active: ActiveFault = { ...rule, id: `fault_${++counter}`, fired: 0 };
      rules.push(active);
      return active;
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    list: () => rules,
    clear: () => void (rules = []),
    get size() {
      return rules.length;
    },
    match(target) {
      for (const rule of rules) {
        if (remaining(rule) <= 0) continue;
        if (rule.operationId !== undefined && rule.operationId !== target.operationId) continue;
        if (!about(rule, target)) continue;
        if (rule.probability !== undefined && random().next() >= rule.probability) continue;
        rule.fired++;
        return rule;
      }
      return undefined;
    },
  };
}

/**
 * Corrupts a response's body as a fault says: cut it, reset it, stall it or break its JSON.
 * `sleep` waits on the engine's clock (for stalls).
 */
export async function corruptResponse(
  response: Response,
  fault: ActiveFault,
  sleep: (ms: number) => Promise<void>,
): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  const init = { status: response.status, statusText: response.statusText, headers };
  const half = bytes.subarray(0, Math.max(1, Math.floor(bytes.byteLength / 2)));
  switch (fault.kind) {
    case 'malformed-json':
      return new Response(half.slice(), init);
    case 'reset':
    case 'truncate': {
      const part =
        fault.kind === 'reset' ? bytes.subarray(0, Math.floor(bytes.byteLength / 4)) : half;
      if (fault.kind === 'truncate') headers.set('content-length', String(bytes.byteLength));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          if (part.byteLength) controller.enqueue(part.slice());
          controller.error(
            Object.assign(new Error(`[reelkit] fault '${fault.kind}' (${fault.id})`), {
              code: 'ECONNRESET',
            }),
          );
        },
      });
      return new Response(stream, init);
    }
    case 'stall': {
      let stopped = false;
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(half.slice());
          await sleep(fault.stallMs ?? 600_000);
          if (!stopped) {
            controller.enqueue(bytes.slice(half.byteLength));
            controller.close();
          }
        },
        cancel() {
          stopped = true;
        },
      });
      return new Response(stream, init);
    }
    case 'latency':
    case 'rate-limit':
    case 'server-error':
      // These answer before the handler; the body is left as it is.
      return response;
  }
}
