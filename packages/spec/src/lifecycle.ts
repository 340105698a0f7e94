/**
 * The canonical lifecycle every router's statuses map to.
 * `queued → in_progress → completed | failed | cancelled | expired`.
 */
export const CANONICAL_STATUSES = [
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const;

/** A status of the canonical lifecycle. */
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/** Canonical statuses that end a job. */
export const CANONICAL_TERMINAL: readonly CanonicalStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'expired',
];

/**
 * A router's job lifecycle as data: its own status words, which are intermediate and which
 * terminal, the legal transitions, and how each maps to the canonical lifecycle.
 */
export interface LifecycleDef<S extends string = string> {
  readonly name: string;
  readonly statuses: readonly S[];
  readonly initial: S;
  readonly intermediate: readonly S[];
  readonly terminal: readonly S[];
  /** Direct transitions; terminal statuses have none. */
  readonly transitions: { readonly [K in S]: readonly S[] };
  readonly canonical: { readonly [K in S]: CanonicalStatus };
  /** The status a successful job ends in. */
  readonly success: S;
}

/**
 * Declares a lifecycle and checks its invariants at load time, so a mistake in the table fails
 * fast instead of producing illegal mock behaviour.
 *
 * @example
 * const lifecycle = defineLifecycle({
 *   name: 'openrouter', statuses: ['pending', 'completed'], initial: 'pending',
 *   intermediate: ['pending'], terminal: ['completed'], success: 'completed',
 *   transitions: { pending: ['completed'], completed: [] },
 *   canonical: { pending: 'queued', completed: 'completed' },
 * });
 */
export function defineLifecycle<const S extends string>(def: LifecycleDef<S>): LifecycleDef<S> {
  const all = new Set<string>(def.statuses);
  const problems: string[] = [];
  for (const s of [...def.intermediate, ...def.terminal, def.initial, def.success]) {
    if (!all.has(s)) problems.push(`'${s}' is not one of the statuses`);
  }
  for (const s of def.statuses) {
    const isTerminal = def.terminal.includes(s);
    if (isTerminal === def.intermediate.includes(s)) {
      problems.push(`'${s}' must be either intermediate or terminal`);
    }
    if (isTerminal && def.transitions[s].length > 0)
      problems.push(`terminal '${s}' has transitions`);
  }
  if (!def.terminal.includes(def.success))
    problems.push(`success '${def.success}' is not terminal`);
  if (problems.length > 0) {
    throw new Error(`[reelkit/spec] lifecycle '${def.name}' is invalid: ${problems.join('; ')}`);
  }
  return def;
}

/**
 * Whether `to` can follow `from` directly.
 *
 * @example
 * isLegalTransition(lifecycle, 'pending', 'completed'); // true
 */
export function isLegalTransition<S extends string>(
  lifecycle: LifecycleDef<S>,
  from: S,
  to: S,
): boolean {
  return lifecycle.transitions[from].includes(to);
}

/** Whether a status ends the job. */
export function isTerminal<S extends string>(lifecycle: LifecycleDef<S>, status: S): boolean {
  return lifecycle.terminal.includes(status);
}

/**
 * The router's own word for a canonical status: the first of its statuses that maps to it
 * (terminal ones first, so a failure word is never an intermediate one). Throws when the
 * lifecycle has none, so a caller reading it once at load time fails at once.
 *
 * @example
 * statusWith(synchronousLifecycle('routmy'), 'failed'); // 'failed'
 * statusWith(fastrouterSoraLifecycle, 'in_progress'); // 'in_progress'
 */
export function statusWith<S extends string>(
  lifecycle: LifecycleDef<S>,
  canonical: CanonicalStatus,
): S {
  const status = [...lifecycle.terminal, ...lifecycle.intermediate].find(
    (s) => lifecycle.canonical[s] === canonical,
  );
  if (status === undefined)
    throw new Error(`[reelkit/spec] lifecycle '${lifecycle.name}' has no '${canonical}' status`);
  return status;
}

/** Statuses reachable from `from` by one or more transitions. */
export function reachableFrom<S extends string>(lifecycle: LifecycleDef<S>, from: S): Set<S> {
  const seen = new Set<S>();
  const queue: S[] = [...lifecycle.transitions[from]];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...lifecycle.transitions[next]);
  }
  return seen;
}

/** Why an observed status sequence is not legal. */
export interface SequenceViolation {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly rule: string;
}

/**
 * Judges a sequence of statuses observed by polling. Polling may miss intermediate statuses and
 * may see the same status many times, so a step is legal when `to` equals `from` or is reachable
 * from it; nothing may follow a terminal status but itself; unknown words are violations.
 *
 * @example
 * checkObservedSequence(lifecycle, ['pending', 'pending', 'completed']); // undefined (legal)
 */
export function checkObservedSequence(
  lifecycle: LifecycleDef,
  observed: readonly string[],
): SequenceViolation | undefined {
  for (let i = 0; i < observed.length; i++) {
    const to = observed[i] as string;
    if (!lifecycle.statuses.includes(to)) {
      return {
        index: i,
        from: observed[i - 1] ?? '',
        to,
        rule: `'${to}' is not a ${lifecycle.name} status`,
      };
    }
    if (i === 0) continue;
    const from = observed[i - 1] as string;
    if (from === to) continue;
    if (lifecycle.terminal.includes(from)) {
      return { index: i, from, to, rule: `terminal status '${from}' changed to '${to}'` };
    }
    if (!reachableFrom(lifecycle, from).has(to)) {
      return { index: i, from, to, rule: `'${to}' cannot follow '${from}'` };
    }
  }
  return undefined;
}

/**
 * The implicit lifecycle of a synchronous router, whose one request holds the connection until
 * the video is done and never sends a status word: `rendering` (canonical `in_progress`) ends
 * `succeeded` (`completed`) or `failed` (`failed`). Naming these phases lets mocks, client and
 * conformance treat every router alike.
 *
 * @example
 * const routmyLifecycle = synchronousLifecycle('routmy');
 * isLegalTransition(routmyLifecycle, 'rendering', 'succeeded'); // true
 */
export function synchronousLifecycle(name: string) {
  return defineLifecycle({
    name,
    statuses: ['rendering', 'succeeded', 'failed'],
    initial: 'rendering',
    intermediate: ['rendering'],
    terminal: ['succeeded', 'failed'],
    success: 'succeeded',
    transitions: { rendering: ['succeeded', 'failed'], succeeded: [], failed: [] },
    canonical: { rendering: 'in_progress', succeeded: 'completed', failed: 'failed' },
  });
}
