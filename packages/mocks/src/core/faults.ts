/**
 * Faults on the wire: what goes wrong between a client and a router rather than inside a job.
 * Rules match by route (operationId) and job id, fire once, a number of times, or with a
 * probability drawn from the engine's seeded random.
 * @module
 */
import { z } from '@reelkit/spec';
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

/** The longest a `latency` or `stall` fault may hold a request: one simulated hour. */
export const MAX_FAULT_DELAY_MS = 3_600_000;
/** The largest `retryAfterSeconds` a fault may announce: one day. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;
/** The largest `times` of a rule. */
export const MAX_FAULT_TIMES = 1_000_000;
/** The longest `operationId` or `jobId` a rule may name. */
const MAX_NAME_LENGTH = 256;

const DISTRIBUTIONS = 'uniform (min, max), exponential (mean) or normal (mean, stddev)';

/** A number from `min` to `max`, refused with one message that names the field and the range. */
function bounded(field: string, min: number, max: number, what = 'a number') {
  const error = `${field} must be ${what} from ${min} to ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}
const delay = (field: string) => bounded(field, 0, MAX_FAULT_DELAY_MS, 'a number of simulated ms');

const latencySchema = z.union(
  [
    delay('latencyMs'),
    z.discriminatedUnion(
      'distribution',
      [
        z
          .strictObject({
            distribution: z.literal('uniform'),
            min: delay('latencyMs.min'),
            max: delay('latencyMs.max'),
          })
          .refine((s) => s.min <= s.max, {
            error: 'latencyMs.min must not exceed latencyMs.max',
            path: ['min'],
          }),
        z.strictObject({ distribution: z.literal('exponential'), mean: delay('latencyMs.mean') }),
        z.strictObject({
          distribution: z.literal('normal'),
          mean: delay('latencyMs.mean'),
          stddev: delay('latencyMs.stddev'),
        }),
      ],
      { error: `latencyMs.distribution must be ${DISTRIBUTIONS}` },
    ),
  ],
  {
    error: `latencyMs must be a number of simulated ms from 0 to ${MAX_FAULT_DELAY_MS}, or {"distribution": ${DISTRIBUTIONS}}`,
  },
);

const name = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(MAX_NAME_LENGTH, { error: `${field} must be at most ${MAX_NAME_LENGTH} characters` });

const faultRuleSchema = z.strictObject(
  {
    kind: z.enum(Object.keys(WIRE_FAULTS) as [WireFaultKind, ...WireFaultKind[]], {
      error: `kind must be one of ${Object.keys(WIRE_FAULTS).join(', ')}`,
    }),
    operationId: name('operationId').optional(),
    jobId: name('jobId').optional(),
    once: z.boolean({ error: 'once must be true or false' }).optional(),
    times: z
      .int({ error: `times must be an integer from 1 to ${MAX_FAULT_TIMES}` })
      .min(1, { error: `times must be an integer from 1 to ${MAX_FAULT_TIMES}` })
      .max(MAX_FAULT_TIMES, { error: `times must be an integer from 1 to ${MAX_FAULT_TIMES}` })
      .optional(),
    probability: bounded('probability', 0, 1).optional(),
    latencyMs: latencySchema.optional(),
    stallMs: delay('stallMs').optional(),
    retryAfterSeconds: bounded('retryAfterSeconds', 0, MAX_RETRY_AFTER_SECONDS).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.join(', ')} (a rule takes kind, operationId, jobId, once, times, probability, latencyMs, stallMs, retryAfterSeconds)`
        : 'a fault rule must be a JSON object',
  },
);

/**
 * Parses and checks a rule from untrusted JSON (control plane, CLI): every number finite and in
 * range (delays up to {@link MAX_FAULT_DELAY_MS}), distributions well formed, no unknown field.
 * Throws a `RangeError` whose message names each bad field and its allowed range.
 *
 * @example
 * parseFaultRule({ kind: 'latency', latencyMs: { distribution: 'normal', mean: 500, stddev: 100 } });
 * parseFaultRule({ kind: 'stall', stallMs: -1 }); // RangeError: … stallMs must be a number of simulated ms from 0 to 3600000.
 */
export function parseFaultRule(input: unknown): FaultRule {
  const result = faultRuleSchema.safeParse(input ?? {});
  if (result.success) return result.data as FaultRule;
  const problems = [...new Set(result.error.issues.map((issue) => issue.message))];
  throw new RangeError(`[reelkit] invalid fault rule: ${problems.join('; ')}.`);
}

/**
 * Draws a latency in ms.
 *
 * @example
 * drawLatency({ distribution: 'uniform', min: 100, max: 200 }, random); // e.g. 143
 */
export function drawLatency(spec: LatencySpec | undefined, random: Random): number {
  // Whole milliseconds: bodies carry timestamps derived from the clock, often as integers. A
  // draw (an exponential's tail) never holds a request longer than any rule may.
  return Math.round(Math.min(MAX_FAULT_DELAY_MS, drawRawLatency(spec, random)));
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

/**
 * The fault rules of one namespace as the pipeline and the control plane reach them: in this
 * process ({@link FaultController}) or in a shared store, where a `once` rule fires once across
 * every replica.
 *
 * @example
 * const fault = faults.size > 0 ? await faults.match(target) : undefined;
 */
export interface Faults {
  add(rule: FaultRule): ActiveFault | Promise<ActiveFault>;
  remove(id: string): boolean | Promise<boolean>;
  list(): readonly ActiveFault[] | Promise<readonly ActiveFault[]>;
  clear(): void | Promise<void>;
  /** The first rule that fires for this request, counting it. */
  match(target: FaultTarget): ActiveFault | undefined | Promise<ActiveFault | undefined>;
  /** How many rules there are (none, on almost every request: then nothing needs matching). */
  readonly size: number;
}

/** The engine's fault rules, in this process. */
export interface FaultController extends Faults {
  add(rule: FaultRule): ActiveFault;
  remove(id: string): boolean;
  list(): readonly ActiveFault[];
  clear(): void;
  match(target: FaultTarget): ActiveFault | undefined;
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
        if (!ruleApplies(rule, target, random())) continue;
        rule.fired++;
        return rule;
      }
      return undefined;
    },
  };
}

/** How many more times a rule may fire (`once` is one in all, `times` n, else no limit). */
export function firingsLeft(rule: ActiveFault): number {
  return (rule.once ? 1 : (rule.times ?? Infinity)) - rule.fired;
}

/**
 * Whether `rule` acts on a request: firings left, the operation and job it names, and its
 * probability (drawn from `random`).
 *
 * @example
 * ruleApplies({ kind: 'reset', id: 'fault_1', fired: 0, once: true }, target, random); // true
 */
export function ruleApplies(rule: ActiveFault, target: FaultTarget, random: Random): boolean {
  if (firingsLeft(rule) <= 0) return false;
  if (rule.operationId !== undefined && rule.operationId !== target.operationId) return false;
  const about =
    rule.jobId === undefined ||
    Object.values(target.params).includes(rule.jobId) ||
    target.body.taskId === rule.jobId;
  if (!about) return false;
  return rule.probability === undefined || random.next() < rule.probability;
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
