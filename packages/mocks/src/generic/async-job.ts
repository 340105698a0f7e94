/**
 * The generic mock of a plain asynchronous router, built from its `RouterSpec` alone: submit
 * (judge, charge, plan the timeline from `facts.timing`, store), poll (the job's view from
 * `facts.job.fields`), content download, and every error in the router's envelope from
 * `facts.errors`. A router adds only its genuine quirks ({@link AsyncJobQuirks}).
 * @module
 */
import type {
  AsyncJobDef,
  CanonicalStatus,
  ErrorKind,
  Judgement,
  LifecycleDef,
  ResolvedGeneration,
  ProviderSpec,
  RouterSpec,
} from '@reelkit/spec';
import { buildPath, defaultErrorBody, timingOf, writeField } from '@reelkit/spec';
import type { BalanceConfig } from '../core/ledger.js';
import type { Scenario } from '../core/scenarios.js';
import { SCENARIOS } from '../core/scenarios.js';
import type { Job, JobData } from '../core/store.js';
import type { ErrorDetail, Handler, MockProvider, Reply, RequestContext } from '../core/types.js';
import { describeIssues, drawMs, viewOnce } from '../providers/shared.js';

/** What a router adds to the generic asynchronous-job mock: only what its facts cannot say. */
export interface AsyncJobQuirks<Data extends object = JobData> {
  /**
   * Judges a submit; default: the spec's judge on the parsed body. A `Reply` refuses the request
   * as it is (a router check that is not the judge's).
   */
  judge?(ctx: RequestContext<Data>): Judgement | Reply;
  /**
   * Whether `facts.job.fields.pollingUrl` is an absolute URL (default) or a path without origin.
   */
  readonly pollingUrl?: 'absolute' | 'relative';
  /** Price of a generation in the balance's unit; `null` (the default) charges nothing. */
  cost?(generation: ResolvedGeneration): number | null;
  /** Router values fixed at submission and kept with the job (generation ids, prices). */
  jobData?(ctx: RequestContext<Data>, submitted: { readonly cost: number | null }): Data;
  /** Whether the job's terminal status needs a timer (a webhook to send). Default false. */
  notifyTerminal?(ctx: RequestContext<Data>): boolean;
  /** Fields of a job's answer beyond those `facts.job.fields` place (after the status). */
  viewExtra?(ctx: RequestContext<Data>, job: Job<Data>, status: string): Record<string, unknown>;
  /** Extra query of each video URL (`&token=…`), appended after `index`. */
  videoUrlQuery?(job: Job<Data>): string;
  /** Wording of an error that replaces the facts' default for this detail (`undefined`: keep it). */
  errorMessage?(kind: ErrorKind, detail: ErrorDetail): string | undefined;
  /** Headers of an error answer; default `retry-after` on 429 (`facts.retryAfterSeconds`). */
  errorHeaders?(kind: ErrorKind, detail: ErrorDetail): Record<string, string>;
  /** Whether a content request without a key proves access another way (a URL token). */
  keylessContent?(ctx: RequestContext<Data>): boolean;
  /** Handlers of the router's other routes (model listings). */
  readonly handlers?: Readonly<Record<string, Handler<Data>>>;
  /** How the router counts money; default USD starting at 100 per key. */
  readonly balance?: BalanceConfig;
  /** The rest of the provider (webhooks, keyless access), as `MockProvider` declares them. */
  readonly provider?: Pick<MockProvider<ProviderSpec, Data>, 'webhook' | 'keylessAccess'>;
}

/** A job's plan: statuses in order with how long each holds, and the failure message. */
interface JobPlanned {
  readonly path: { readonly status: string; readonly forMs: number }[];
  readonly error?: string;
}

function jobOf(router: RouterSpec): AsyncJobDef {
  if (!router.facts.job) {
    throw new TypeError(
      `[reelkit] router '${router.id}' declares no facts.job; createAsyncJobMock builds plain asynchronous routers only.`,
    );
  }
  return router.facts.job;
}

/** A setter of one field of an answer: a plain assignment for a top-level name. */
function fieldWriter(path: string): (body: Record<string, unknown>, value: unknown) => void {
  return path.includes('.')
    ? (body, value) => writeField(body, path, value)
    : (body, value) => {
        body[path] = value;
      };
}

/** The router's status word for a canonical status, or `undefined` when its lifecycle has none. */
function statusFor(lifecycle: LifecycleDef, canonical: CanonicalStatus): string | undefined {
  return lifecycle.statuses.find((s) => lifecycle.canonical[s] === canonical);
}

/**
 * The status words a plan walks through, resolved once: queued, running, and each ending the
 * scenarios can ask for (a lifecycle without one of them cannot act those scenarios out).
 */
function planStatuses(router: RouterSpec, lifecycle: LifecycleDef) {
  const ending = (canonical: CanonicalStatus) => {
    const status = statusFor(lifecycle, canonical);
    if (status === undefined) {
      throw new Error(
        `[reelkit] router '${router.id}' has no '${canonical}' status in lifecycle '${lifecycle.name}', so it cannot act out that scenario.`,
      );
    }
    return status;
  };
  return {
    queued: lifecycle.initial,
    running: lifecycle.intermediate.find((s) => s !== lifecycle.initial),
    ending,
  };
}

/**
 * Creates the mock provider of a router declared with `defineRouter` whose job flow is
 * `facts.job`: one handler each for submit, poll and content, the rest from `quirks.handlers`.
 *
 * @example
 * const engine = createMockEngine({ provider: createAsyncJobMock(acme) });
 * await engine.fetch('https://api.acme.example/v1/renders', { method: 'POST', ... }); // 202
 */
export function createAsyncJobMock<Spec extends RouterSpec, Data extends object = JobData>(
  router: Spec,
  quirks: AsyncJobQuirks<Data> = {},
): MockProvider<Spec, Data> {
  const job = jobOf(router);
  const { facts } = router;
  const { fields } = job;
  const lifecycle = router.lifecycles[job.lifecycle]!;
  const statuses = planStatuses(router, lifecycle);
  // Every ending the router's scenarios ask for must be a status of its lifecycle, checked now
  // rather than on the first request that asks for it.
  for (const name of facts.scenarios) {
    const effect = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name]!.effect : undefined;
    if (effect?.kind === 'job' && effect.outcome !== 'completed') statuses.ending(effect.outcome);
  }
  const submitRoute = router.routes[job.submit]!;
  const pollPath = router.routes[job.poll]!.path;
  const submitStatus =
    Number(Object.keys(submitRoute.responses).find((s) => s.startsWith('2'))) || 200;
  const errorBody = facts.errorBody ?? defaultErrorBody;
  const base = router.basePath;

  function error(kind: ErrorKind, detail: ErrorDetail = {}): Reply {
    const answer = facts.errors[kind];
    let message = quirks.errorMessage?.(kind, detail) ?? detail.message ?? answer.message;
    if (detail.issues?.length) message = `${answer.message}: ${describeIssues(detail.issues)}`;
    return {
      status: answer.status,
      body: errorBody({ ...answer, kind, message }),
      headers: quirks.errorHeaders?.(kind, detail) ?? defaultHeaders(kind, detail),
    };
  }

  const relative = quirks.pollingUrl === 'relative';
  const defaultHeaders = (kind: ErrorKind, detail: ErrorDetail): Record<string, string> => {
    const seconds = detail.retryAfterSeconds ?? facts.retryAfterSeconds;
    return kind === 'rate_limited' && seconds !== undefined
      ? { 'retry-after': String(seconds) }
      : {};
  };

  // The poll path around its one id parameter, split once: a submit joins a few strings.
  const [pollHead = '', pollTail, ...more] = pollPath.split(`{${job.idParam}}`);
  const simplePollPath =
    more.length === 0 &&
    pollTail !== undefined &&
    !pollHead.includes('{') &&
    !pollTail.includes('{');
  const pollingUrl = simplePollPath
    ? (origin: string, id: string) =>
        `${relative ? '' : origin}${base}${pollHead}${encodeURIComponent(id)}${pollTail}`
    : (origin: string, id: string) =>
        `${relative ? '' : origin}${base}${buildPath(pollPath, { [job.idParam]: id })}`;
  const writeId = fieldWriter(fields.id);
  const writeStatus = fieldWriter(fields.status);
  const writePollingUrl = fields.pollingUrl ? fieldWriter(fields.pollingUrl) : undefined;
  const writeVideoUrls = fieldWriter(fields.videoUrls);
  const writeError = fields.error ? fieldWriter(fields.error) : undefined;

  const videoUrls = (origin: string, stored: Job<Data>): string[] =>
    jobVideoUrls(router, origin, stored, quirks.videoUrlQuery?.(stored));

  function plan(generation: ResolvedGeneration, scenario: Scenario, draw: RequestContext<Data>) {
    const { effect } = scenario;
    const timing = provider.timing(generation);
    const factor = effect.kind === 'job' ? (effect.timeFactor ?? 1) : 1;
    const queue = drawMs(draw.services.random, timing.queueMs) * factor;
    const render = drawMs(draw.services.random, timing.renderMs) * factor;
    const outcome = effect.kind === 'job' ? effect.outcome : 'completed';
    const queued = { status: statuses.queued, forMs: queue };
    const running = (forMs: number) =>
      statuses.running === undefined ? [] : [{ status: statuses.running, forMs }];
    const end = (canonical: CanonicalStatus) => ({
      status: canonical === 'completed' ? lifecycle.success : statuses.ending(canonical),
      forMs: 0,
    });
    let planned: JobPlanned;
    switch (outcome) {
      case 'completed':
        planned = { path: [queued, ...running(render), end('completed')] };
        break;
      case 'failed':
        planned = {
          path: [queued, ...running(render / 3), end('failed')],
          error:
            effect.kind === 'job' && effect.cause === 'moderation'
              ? facts.errors.moderation.message
              : facts.errors.provider_error.message,
        };
        break;
      case 'cancelled':
        planned = {
          path: [queued, end('cancelled')],
          error: job.endings?.cancelled ?? `The job was ${statuses.ending('cancelled')}`,
        };
        break;
      case 'expired':
        planned = {
          path: [queued, ...running(render * 2), end('expired')],
          error: job.endings?.expired ?? `The job was ${statuses.ending('expired')}`,
        };
        break;
    }
    return planned;
  }

  async function findJob(ctx: RequestContext<Data>): Promise<Job<Data> | undefined> {
    const stored = await ctx.services.jobs.get(ctx.params[job.idParam] ?? '');
    // Jobs belong to the account that submitted them.
    return stored && stored.apiKey === ctx.apiKey ? stored : undefined;
  }

  function view(ctx: RequestContext<Data>, stored: Job<Data>, status: string) {
    const body: Record<string, unknown> = {};
    writeId(body, stored.id);
    writePollingUrl?.(body, pollingUrl(ctx.origin, stored.id));
    writeStatus(body, status);
    if (quirks.viewExtra) Object.assign(body, quirks.viewExtra(ctx, stored, status));
    if (status === lifecycle.success) writeVideoUrls(body, videoUrls(ctx.origin, stored));
    else if (writeError && stored.error && lifecycle.terminal.includes(status))
      writeError(body, stored.error);
    return body;
  }

  const handlers: Record<string, Handler<Data>> = {
    ...quirks.handlers,
    async [job.submit](ctx) {
      const verdict = quirks.judge ? quirks.judge(ctx) : router.judge(ctx.body);
      if (!('ok' in verdict)) return verdict;
      if (!verdict.ok) return error('validation', { message: verdict.message });
      const { random, jobs, media, ledger } = ctx.services;
      const { generation } = verdict;
      const cost = quirks.cost?.(generation) ?? null;
      const account = ctx.apiKey ?? '';
      const id = random.string(20);
      const { path, error: failure } = plan(generation, ctx.scenario, ctx);
      // The key must cover the cost; only jobs that will complete are billed (the plan is fixed at
      // submission). Spending checks and takes in one step: another request, on any replica, may
      // be spending the same balance.
      if (cost !== null) {
        const paid =
          path.at(-1)?.status === lifecycle.success
            ? await ledger.spend(account, cost)
            : cost <= (await ledger.balanceOf(account));
        if (!paid) return error('insufficient_credits');
      }
      const assets = Array.from({ length: generation.count }, () =>
        media.register({
          width: generation.width,
          height: generation.height,
          durationSeconds: generation.durationSeconds,
        }),
      );
      const created = await jobs.create({
        id,
        provider: router.id,
        lifecycle,
        apiKey: ctx.apiKey,
        generation,
        request: ctx.body,
        scenario: ctx.scenario.name,
        path,
        ...(failure ? { error: failure } : {}),
        assets,
        ...(quirks.jobData ? { data: quirks.jobData(ctx, { cost }) } : {}),
        ttlMs: provider.jobTtlMs,
        notifyTerminal: quirks.notifyTerminal?.(ctx) ?? false,
      });
      return { status: submitStatus, body: view(ctx, created, statuses.queued) };
    },
    async [job.poll](ctx) {
      const stored = await findJob(ctx);
      if (!stored) return error('not_found');
      const { status } = ctx.services.jobs.statusOf(stored);
      const body = viewOnce(stored, status, ctx.origin, () => view(ctx, stored, status));
      return { status: 200, body, reusedBody: true };
    },
  };
  if (job.content) {
    handlers[job.content] = async (ctx) => {
      // With a key, the job must be the key's; without one, the router's quirk must vouch.
      let stored: Job<Data> | undefined;
      if (ctx.apiKey !== undefined) stored = await findJob(ctx);
      else if (quirks.keylessContent?.(ctx) === true)
        stored = await ctx.services.jobs.get(ctx.params[job.idParam] ?? '');
      else return error('unauthorized', { reason: 'missing' });
      if (!stored) return error('not_found');
      const { status } = ctx.services.jobs.statusOf(stored);
      if (status !== lifecycle.success) {
        return error('validation', { message: `Video is not ready: the job is ${status}` });
      }
      const index = (ctx.query.index as number | undefined) ?? 0;
      const assetId = stored.assets[index];
      if (assetId === undefined) {
        return error('not_found', {
          message: `No video at index ${index}; this job has ${stored.assets.length}`,
        });
      }
      const bytes = await ctx.services.media.bytes(assetId);
      if (!bytes) return error('not_found');
      return { status: 200, bytes, contentType: 'video/mp4' };
    };
  }
  for (const key of Object.keys(router.routes)) {
    if (!Object.hasOwn(handlers, key)) {
      throw new TypeError(
        `[reelkit] router '${router.id}' has route '${key}', which neither facts.job nor quirks.handlers answers.`,
      );
    }
  }

  const provider: MockProvider<Spec, Data> = {
    spec: router,
    scenarios: facts.scenarios,
    jobTtlMs: facts.jobTtlMs,
    balance: quirks.balance ?? { unit: 'usd', defaultBalance: 100 },
    timing: (generation) => timingOf(facts.timing, generation.model),
    error,
    handlers: handlers as MockProvider<Spec, Data>['handlers'],
    ...quirks.provider,
  };
  return provider;
}

/**
 * The URLs of a finished job's videos as the generic mock lists them at
 * `facts.job.fields.videoUrls`: the content route per video (`?index=i`), plus `extraQuery`.
 * A quirk that repeats them (a webhook body) calls it too.
 *
 * @example
 * jobVideoUrls(openrouter, 'https://openrouter.ai', job); // ['https://openrouter.ai/api/v1/videos/<id>/content?index=0']
 */
export function jobVideoUrls(
  router: RouterSpec,
  origin: string,
  stored: Pick<Job, 'id' | 'assets'>,
  extraQuery = '',
): string[] {
  const job = jobOf(router);
  if (job.content === undefined) return [];
  const path = buildPath(router.routes[job.content]!.path, { [job.idParam]: stored.id });
  return stored.assets.map((_, i) => `${origin}${router.basePath}${path}?index=${i}${extraQuery}`);
}
