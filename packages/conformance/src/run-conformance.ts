/**
 * `runConformance`: plans every check of a router from its spec, runs the probes that feed them
 * against a target, and judges each check into a {@link ConformanceReport}.
 * @module
 */
import type { ProviderId, ProviderSpec, RouterSpec } from '@reelkit/spec';
import { PROVIDER_IDS, providers } from '@reelkit/spec';
import { fidelityChecks } from './checks/fidelity.js';
import { lifecycleChecks } from './checks/lifecycle.js';
import { negativeChecks } from './checks/negative.js';
import { RESPONSES_PROBE, responseChecks } from './checks/responses.js';
import { scenarioChecks } from './checks/scenarios.js';
import type { CheckDef, PlanContext, Probe, Verdict } from './checks/types.js';
import { webhookChecks } from './checks/webhooks.js';
import { clockChecks } from './checks/clock.js';
import type { MockWebhookSettings } from './control.js';
import { createTargetClock, listScenarios, webhookSettings } from './control.js';
import { asyncJobDriver, drivers } from './drivers/index.js';
import type { Driver } from './drivers/index.js';
import { Session } from './http.js';
import type { CheckResult, ConformanceReport, Exchange } from './report.js';
import { compileRouteTable } from './routes.js';
import type { RunSettings, RunState } from './run/state.js';
import { sweepProbe } from './run/sweep.js';
import type { CheckSelector, SkipRule } from './skip.js';
import { assertSkipRules, selects, skipReasonFor } from './skip.js';
import type { Target } from './target.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import { randomBytes } from 'node:crypto';

/**
 * The kit's version, as reports name it.
 *
 * @example
 * report.tool.version === TOOL_VERSION; // true
 */
export const TOOL_VERSION = '0.1.0';

/**
 * Default spending cap of a run against a live target, in USD.
 *
 * @example
 * runConformance({ provider, target, maxCostUsd: DEFAULT_MAX_COST_USD * 5 });
 */
export const DEFAULT_MAX_COST_USD = 1;

/**
 * The key sent to a reelkit mock when none is given (mocks accept any key by default).
 *
 * @example
 * // a mock sees `Authorization: Bearer ${DEFAULT_MOCK_API_KEY}` when the target has no key
 */
export const DEFAULT_MOCK_API_KEY = 'reelkit-conformance';

/** Webhook receiver settings. */
export interface WebhookOptions {
  /** Loopback port of the receiver; 0 (default) picks a free one. */
  readonly port?: number;
  /** The signing secret the target signs deliveries with. */
  readonly secret: string;
  /** A public HTTPS URL that reaches the receiver (a tunnel), for live routers. */
  readonly publicUrl?: string;
  /** Real ms to wait for a delivery. Default 5 000 on a mock, 120 000 on a live target. */
  readonly timeoutMs?: number;
}

/** Progress of a run: a check starts, a check ends. */
export type ProgressEvent =
  | {
      readonly type: 'start';
      readonly id: string;
      readonly operationId: string;
      readonly check: string;
    }
  | { readonly type: 'end'; readonly result: CheckResult };

/** Options of {@link runConformance}. */
export interface RunConformanceOptions {
  /** A built-in router's id, or the `id` of {@link RunConformanceOptions.router}. */
  readonly provider: ProviderId | (string & {});
  /**
   * A router declared with `defineRouter` (with `facts.job`), checked with the generic driver.
   *
   * @example
   * await runConformance({ provider: acme.id, router: acme, target: await engineTarget(engine) });
   */
  readonly router?: RouterSpec;
  readonly target: Target;
  /** Run only these checks (ids, families or operation ids; or a pattern over ids). */
  readonly only?: CheckSelector;
  /** Leave checks out, each rule with its reason (a rule without one is a TypeError). */
  readonly skip?: readonly SkipRule[];
  /** Negative checks (invalid input, missing or invalid key, unknown ids). Default true. */
  readonly negative?: boolean;
  /**
   * Whether the target refuses keys it did not issue. Default: true on a live target; on a mock,
   * detected (a mock without a key list accepts any key, and the check skips with the reason).
   */
  readonly keysEnforced?: boolean;
  /** Spending cap on a live target, USD; cheapest (free first) models are used. Default 1. */
  readonly maxCostUsd?: number;
  /**
   * Webhook checks (routers that send them). Default: against a reelkit mock the kit starts its own
   * loopback receiver and, through the control plane (`PUT /__reelkit/webhooks/settings`), gives
   * the mock a signing secret of its own and allows loopback http callbacks for the run, then puts
   * both back; against anything else the checks are skipped. Pass options to use your own
   * receiver port, secret or public URL (the target must then be set up to match), or `false` to
   * leave webhooks out.
   */
  readonly webhook?: WebhookOptions | false;
  /**
   * The ffprobe that decodes every downloaded video end to end (Debian's `ffmpeg` package);
   * `false` decodes none. Default `ffprobe` on PATH; when it is missing the playback check says so.
   */
  readonly ffprobe?: string | false;
  /** Poll cadence in target-time ms. Default 5 000. */
  readonly pollIntervalMs?: number;
  /** Target time a job may take, ms. Default 60 min on a mock, 20 min live. */
  readonly jobBudgetMs?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Every exchange as it happens, with the operation it addressed. */
  readonly onExchange?: (exchange: Exchange, operationId: string | undefined) => void;
}

/** A check of the plan and whether it will run. */
export interface PlannedCheck {
  readonly id: string;
  readonly operationId: string;
  readonly check: string;
  readonly rule: string;
  /** Set when the check will be skipped, with why. */
  readonly skipReason?: string;
}

interface Plan {
  readonly state: RunState;
  readonly probes: readonly Probe[];
  /** Every check of the router. */
  readonly all: readonly CheckDef[];
  /** The checks `only` selects. */
  readonly defs: readonly CheckDef[];
  /** Why checks (of `all`) are skipped: a skip rule or the target. */
  readonly skipped: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

function settingsOf(options: RunConformanceOptions, autoSecret: string | undefined): RunSettings {
  const { target } = options;
  const keysEnforced = options.keysEnforced ?? (target.live ? true : undefined);
  return {
    negative: options.negative ?? true,
    keysEnforced,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    jobBudgetMs: options.jobBudgetMs ?? (target.live ? 20 * 60_000 : 60 * 60_000),
    terminalRepolls: 2,
    maxCostUsd: options.maxCostUsd ?? DEFAULT_MAX_COST_USD,
    ffprobe: options.ffprobe ?? 'ffprobe',
    ...(options.webhook
      ? {
          webhook: {
            secret: options.webhook.secret,
            timeoutMs: options.webhook.timeoutMs ?? (target.live ? 120_000 : 5000),
          },
        }
      : options.webhook === undefined && target.controllable
        ? { webhook: { ...(autoSecret ? { secret: autoSecret } : {}), timeoutMs: 5000 } }
        : {}),
  };
}

/** How the kit sets up a reelkit mock's webhooks by itself, and puts them back afterwards. */
interface AutoWebhooks {
  /** The mock's settings before the run. */
  readonly before: MockWebhookSettings;
  /** The secret the kit gives the mock, unless it already signs with one of its own. */
  readonly secret?: string;
}

async function autoWebhooks(target: Target): Promise<AutoWebhooks | { unavailable: string }> {
  try {
    const before = await webhookSettings(target);
    return {
      before,
      ...(before.signed ? {} : { secret: `whsec_reelkit_${randomBytes(18).toString('hex')}` }),
    };
  } catch (error) {
    const detail =
      error instanceof Error ? error.message.replace('[reelkit/conformance] ', '') : String(error);
    return {
      unavailable: `the kit could not set up the mock's webhooks (${detail}); pass webhook: { port, secret } (--webhook-port with REELKIT_WEBHOOK_SECRET) and start the mock with that secret and --allow-http-callbacks`,
    };
  }
}

/** The spec and driver of the router a run checks: a built-in one, or `options.router`. */
function routerOf(options: RunConformanceOptions): { spec: ProviderSpec; driver: Driver } {
  const { provider, router } = options;
  if (router) {
    if (router.id !== provider) {
      throw new TypeError(
        `[reelkit/conformance] provider '${provider}' is not the router's id '${router.id}'; make them the same.`,
      );
    }
    return { spec: router, driver: asyncJobDriver(router) };
  }
  if (!(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new TypeError(
      `[reelkit/conformance] unknown provider '${provider}'; use one of ${PROVIDER_IDS.join(', ')}, or pass the router declared with defineRouter as router.`,
    );
  }
  return { spec: providers[provider as ProviderId], driver: drivers[provider as ProviderId] };
}

async function buildPlan(
  options: RunConformanceOptions,
  { prepare }: { readonly prepare: boolean },
): Promise<Plan> {
  assertSkipRules(options.skip);
  const { target, provider } = options;
  if (target.provider !== provider) {
    throw new TypeError(
      `[reelkit/conformance] the target is for '${target.provider}' but provider is '${provider}'; make them the same.`,
    );
  }
  const { spec, driver } = routerOf(options);
  let webhookUnavailable: string | undefined;
  let auto: AutoWebhooks | undefined;
  if (driver.webhooks) {
    if (options.webhook === false) {
      webhookUnavailable = 'webhook checks are turned off (webhook: false)';
    } else if (options.webhook) {
      if (target.live && !options.webhook.publicUrl) {
        webhookUnavailable = `a live router cannot reach a loopback receiver: pass webhook.publicUrl, an HTTPS tunnel to port ${options.webhook.port ?? '(the receiver port)'}`;
      }
    } else if (target.controllable) {
      const found = await autoWebhooks(target);
      if ('unavailable' in found) webhookUnavailable = found.unavailable;
      else auto = found;
    } else {
      webhookUnavailable =
        'needs a webhook receiver the target can reach: pass webhook: { port, secret, publicUrl } (--webhook-port with REELKIT_WEBHOOK_SECRET) and configure the target to sign with the same secret';
    }
  }
  const settings = settingsOf(options, auto?.secret);
  const session = new Session({
    target,
    table: compileRouteTable(spec, target.baseUrl),
    ...(target.apiKey || target.controllable
      ? { apiKey: target.apiKey ?? DEFAULT_MOCK_API_KEY }
      : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  });
  const scenarios = target.controllable ? await listScenarios(target).catch(() => []) : [];
  const state: RunState = {
    spec,
    driver,
    target,
    session,
    clock: createTargetClock(target),
    settings,
    plans: new Map(),
    jobs: new Map(),
    scenarioRuns: new Map(),
    scenarios,
    spentUsd: 0,
  };
  const ctx: PlanContext = {
    spec,
    driver,
    target,
    settings,
    scenarios,
    ...(webhookUnavailable ? { webhookUnavailable } : {}),
  };
  const lifecycle = lifecycleChecks(ctx);
  const negative = negativeChecks(ctx);
  const scenario = scenarioChecks(ctx);
  const webhook = webhookChecks(ctx);
  const responses = responseChecks(ctx);
  const clock = clockChecks(ctx);
  const fidelity = fidelityChecks(ctx);
  const probes = [
    sweepProbe,
    ...lifecycle.probes,
    ...negative.probes,
    ...scenario.probes,
    ...webhook.probes,
    ...responses.probes,
    ...fidelity.probes,
    // Last: time is judged once every job has run.
    ...clock.probes,
  ];
  const all = [
    ...responses.checks,
    ...negative.checks,
    ...lifecycle.checks,
    ...webhook.checks,
    ...scenario.checks,
    ...fidelity.checks,
    ...clock.checks,
  ];
  const defs = options.only ? all.filter((d) => selects(options.only!, d)) : all;
  const skipped = new Map<string, string>();
  for (const def of all) {
    const reason = skipReasonFor(options.skip, def) ?? def.unavailable;
    if (reason) skipped.set(def.id, reason);
  }
  let restore: (() => Promise<void>) | undefined;
  if (prepare && driver.webhooks && !webhookUnavailable && (options.webhook || auto)) {
    const needed = defs.some((d) => d.check.startsWith('webhook') && !skipped.has(d.id));
    if (needed) {
      const explicit = options.webhook || undefined;
      const receiver = await startWebhookReceiver({ port: explicit?.port ?? 0 });
      state.receiver = receiver;
      state.callbackUrl = explicit?.publicUrl ?? receiver.url;
      if (auto) {
        const { before, secret } = auto;
        try {
          await webhookSettings(target, {
            allowHttpCallbacks: true,
            ...(secret ? { secret } : {}),
          });
          restore = async () => {
            await webhookSettings(target, {
              allowHttpCallbacks: before.allowHttpCallbacks,
              ...(secret ? { secret: null } : {}),
            });
          };
        } catch (error) {
          const detail =
            error instanceof Error
              ? error.message.replace('[reelkit/conformance] ', '')
              : String(error);
          state.webhookProblem = `the kit could not set up the mock's webhooks (${detail}); pass webhook: { port, secret } (--webhook-port with REELKIT_WEBHOOK_SECRET) and start the mock with that secret and --allow-http-callbacks`;
        }
      }
    }
  }
  return {
    state,
    probes,
    all,
    defs,
    skipped,
    close: async () => {
      try {
        // Put the mock's webhook settings back as they were before the run.
        await restore?.();
      } finally {
        await state.receiver?.close();
      }
    },
  };
}

/**
 * The checks a run would make, and which it would skip and why, without sending a request to a
 * route (only the control plane's scenario list and webhook settings are read; nothing is changed).
 *
 * @example
 * const planned = await planConformance({ provider: 'openrouter', target });
 * planned.filter((c) => c.skipReason).map((c) => `${c.id}: ${c.skipReason}`);
 */
export async function planConformance(
  options: Omit<RunConformanceOptions, 'onProgress' | 'onExchange'>,
): Promise<PlannedCheck[]> {
  const plan = await buildPlan(options, { prepare: false });
  await plan.close();
  return plan.defs.map((d) => ({
    id: d.id,
    operationId: d.operationId,
    check: d.check,
    rule: d.rule,
    ...(plan.skipped.has(d.id) ? { skipReason: plan.skipped.get(d.id) } : {}),
  }));
}

/**
 * Runs every check of a router against a target and reports each one: pass, fail (with what was
 * observed, the exchanges that show it as curl commands, and the rule it breaks) or skip (with why).
 *
 * @example
 * const target = await httpTarget({ provider: 'openrouter', baseUrl: 'http://127.0.0.1:4010/api/v1', apiKey: 'test' });
 * const report = await runConformance({
 *   provider: 'openrouter',
 *   target,
 *   skip: [{ tests: ['createVideos: scenario expired'], reason: 'TTL is a day on this server' }],
 *   onProgress: (e) => e.type === 'end' && console.log(e.result.status, e.result.id),
 * });
 * report.summary; // { passed: 41, failed: 0, skipped: 3 }
 */
export async function runConformance(options: RunConformanceOptions): Promise<ConformanceReport> {
  const started = Date.now();
  const plan = await buildPlan(options, { prepare: true });
  const { state, probes, all, defs, skipped } = plan;
  const emit = options.onProgress ?? (() => undefined);
  const results = new Map<string, CheckResult>();
  const startedAt = new Map<string, number>();
  const active = defs.filter((d) => !skipped.has(d.id));

  const finish = (def: CheckDef, verdict: Verdict) => {
    const result: CheckResult = {
      id: def.id,
      operationId: def.operationId,
      check: def.check,
      status: verdict.status,
      rule: def.rule,
      ...(verdict.message ? { message: verdict.message } : {}),
      exchanges: verdict.exchanges ?? [],
      ...(verdict.timeline ? { timeline: verdict.timeline } : {}),
      durationMs: Math.round(performance.now() - (startedAt.get(def.id) ?? performance.now())),
    };
    results.set(def.id, result);
    emit({ type: 'end', result });
  };
  for (const def of defs) {
    const reason = skipped.get(def.id);
    if (reason === undefined) continue;
    emit({ type: 'start', id: def.id, operationId: def.operationId, check: def.check });
    finish(def, { status: 'skip', message: reason });
  }

  // The response checks judge every answer, so while one is selected every probe runs whose own
  // checks are not all skipped or impossible (a skip may be there to avoid spending, and a live
  // target must never get scenario requests).
  const responsesWanted = active.some((d) => d.probes.includes(RESPONSES_PROBE));
  const wanted = (probe: Probe): boolean => {
    if (probe.always || active.some((d) => d.probes.includes(probe.key))) return true;
    if (!responsesWanted) return false;
    const users = all.filter((d) => d.probes.includes(probe.key));
    return users.length === 0 || users.some((d) => !skipped.has(d.id));
  };
  const outcomes = new Map<string, { skip?: string; crash?: string }>();
  try {
    for (const probe of probes) {
      if (!wanted(probe)) continue;
      for (const def of active) {
        if (def.probes.includes(probe.key) && !startedAt.has(def.id)) {
          startedAt.set(def.id, performance.now());
          emit({ type: 'start', id: def.id, operationId: def.operationId, check: def.check });
        }
      }
      try {
        const outcome = await probe.run(state);
        outcomes.set(probe.key, outcome ? { skip: outcome.skip } : {});
      } catch (error) {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        outcomes.set(probe.key, { crash: detail });
      }
      for (const def of active) {
        if (results.has(def.id) || !def.probes.every((p) => outcomes.has(p))) continue;
        finish(def, judge(def, state, outcomes));
      }
    }
    for (const def of active) {
      if (!results.has(def.id)) finish(def, { status: 'skip', message: 'its probes did not run' });
    }
  } finally {
    await plan.close();
  }
  const ordered = defs.map((d) => results.get(d.id)!);
  const count = (status: CheckResult['status']) =>
    ordered.filter((r) => r.status === status).length;
  return {
    tool: { name: 'reelkit-conformance', version: TOOL_VERSION },
    provider: options.provider,
    target: {
      baseUrl: state.target.baseUrl,
      controllable: state.target.controllable,
      live: state.target.live,
    },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    results: ordered,
    summary: { passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    time: state.clock.movement(),
    ...(state.target.live ? { costUsd: Math.round(state.spentUsd * 1e6) / 1e6 } : {}),
  };
}

function judge(
  def: CheckDef,
  state: RunState,
  outcomes: ReadonlyMap<string, { skip?: string; crash?: string }>,
): Verdict {
  for (const key of def.probes) {
    const outcome = outcomes.get(key);
    if (outcome?.crash) {
      return {
        status: 'fail',
        message: `the check could not run: ${outcome.crash.split('\n')[0]}. Unless the target dropped the connection this is a reelkit bug; please report it with this message.`,
      };
    }
    if (outcome?.skip) return { status: 'skip', message: outcome.skip };
  }
  try {
    return def.judge(state);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      status: 'fail',
      message: `the check could not judge: ${detail}. This is a reelkit bug; please report it with this message.`,
    };
  }
}
