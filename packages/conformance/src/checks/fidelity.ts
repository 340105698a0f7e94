/**
 * Checks of promises the routers' own docs make to integrators (issue #11): OpenRouter's
 * `unsigned_urls` download without a key, as the guide's own example and OpenRouter-authored
 * clients do it; ImageRouter's `created` is in milliseconds for every model, as its docs show.
 * @module
 */
import { openrouter } from '@reelkit/spec';
import { field } from '../drivers/common.js';
import type { Reply } from '../http.js';
import { runSyncJob } from '../run/jobs.js';
import type { JobRun, RunState } from '../run/state.js';
import { jobProbeKey, plannedLifecycles } from './lifecycle.js';
import type { CheckDef, PlanContext, PlanPart, Probe, Verdict } from './types.js';
import { fail, pass, skip, sourceOf } from './types.js';

/** Below this, an epoch time is in seconds (10 digits); at or above, in milliseconds (13). */
const MILLISECONDS_FROM = 1e11;

const jobName = (run: JobRun): string =>
  `${run.plan.model}${run.scenario ? ` (scenario ${run.scenario})` : ''}`;

/** The `unsigned_urls` of the last completed poll answer of a run, resolved against the poll URL. */
function unsignedUrlsOf(run: JobRun): { urls: string[]; poll: Reply } | undefined {
  const observations = run.tracks.flatMap((t) => t.observations);
  for (const o of observations.toReversed()) {
    const urls = field(o.reply.json, 'unsigned_urls');
    if (o.reading.status === run.lifecycle.success && Array.isArray(urls) && urls.length > 0) {
      return {
        urls: urls.map((u) => new URL(String(u), o.reply.request.url).href),
        poll: o.reply,
      };
    }
  }
  return undefined;
}

function startsLikeMp4(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.slice(4, 8)) === 'ftyp';
}

/** OpenRouter: `unsigned_urls[0]` fetched with no Authorization header, as the guide does. */
function unsignedUrlCheck(ctx: PlanContext): PlanPart {
  const lifecycle = plannedLifecycles(ctx)[0];
  if (!lifecycle) return { probes: [], checks: [] };
  const route = openrouter.routes.getVideoContent;
  const key = 'unsigned-url-without-key';
  let outcome: { reply: Reply; poll: Reply; url: string } | { skip: string } | undefined;
  const probe: Probe = {
    key,
    async run(state) {
      const run = state.jobs.get(lifecycle);
      if (!run?.job || run.terminal !== run.lifecycle.success) {
        outcome = { skip: `the ${lifecycle} job did not complete` };
        return undefined;
      }
      const found = unsignedUrlsOf(run);
      if (!found) {
        outcome = { skip: `the completed job ${run.job.id} lists no unsigned_urls` };
        return undefined;
      }
      const url = found.urls[0]!;
      const reply = await state.session.send({
        method: 'GET',
        url,
        auth: 'none',
        timeoutMs: 120_000,
      });
      outcome = { reply, poll: found.poll, url };
      return undefined;
    },
  };
  const check: CheckDef = {
    id: `${route.operationId}: unsigned_urls download without a key`,
    operationId: route.operationId,
    check: 'content',
    rule: `The first of a completed job's unsigned_urls answers 200 with the MP4 to a GET without an Authorization header: OpenRouter's guide downloads \`unsigned_urls[0]\` that way, as OpenRouter-authored clients do (the content route itself may keep requiring the key, as the skill shows); source: seeds/openrouter-video-skill.txt, ${sourceOf(route)}.`,
    probes: [jobProbeKey(lifecycle), key],
    judge(): Verdict {
      if (!outcome) return skip('the probe did not run');
      if ('skip' in outcome) return skip(outcome.skip);
      const { reply, poll, url } = outcome;
      const exchanges = [poll.exchange, reply.exchange];
      if (reply.status !== 200) {
        return fail(
          `GET ${url} without a key answered ${reply.status || reply.error}; clients that follow the guide cannot download the video`,
          exchanges,
        );
      }
      if (!startsLikeMp4(reply.bytes)) {
        return fail(
          `GET ${url} without a key answered 200 with ${reply.bytes.byteLength} bytes of ${reply.headers.get('content-type') ?? 'unknown type'}, not an MP4`,
          exchanges,
        );
      }
      return pass(`${reply.bytes.byteLength} bytes of MP4 from ${url}, no key sent`, exchanges);
    },
  };
  return { probes: [probe], checks: [check] };
}

/** Every generation answer of a run that carries `created`, with the run it came from. */
function createdValues(
  state: RunState,
  extra: readonly JobRun[],
): { run: JobRun; created: number }[] {
  const runs = [...state.jobs.values(), ...state.scenarioRuns.values(), ...extra].filter(
    (r): r is JobRun => 'plan' in r,
  );
  return runs.flatMap((run) => {
    const created = field(run.submit.json, 'created');
    return typeof created === 'number' ? [{ run, created }] : [];
  });
}

/** ImageRouter: `created` in milliseconds, for the test model as for every other. */
function createdUnitCheck(ctx: PlanContext): PlanPart {
  const lifecycle = plannedLifecycles(ctx)[0];
  if (!lifecycle) return { probes: [], checks: [] };
  const route = ctx.spec.routes[ctx.driver.createRoute]!;
  // The docs' samples all use the free test model: ask it too, beside the happy-path model.
  const testPlan = ctx.driver.plans().find((p) => p.costUsd === 0);
  const key = 'created-unit-test-model';
  const extra: JobRun[] = [];
  const probe: Probe = {
    key,
    async run(state) {
      if (!testPlan || state.plans.get(lifecycle)?.model === testPlan.model) return undefined;
      if (!state.session.apiKey) return { skip: 'no API key to generate with' };
      extra.push(await runSyncJob(state, testPlan));
      return undefined;
    },
  };
  const check: CheckDef = {
    id: `${route.operationId}: created is in milliseconds`,
    operationId: route.operationId,
    check: 'timestamps',
    rule: `Every answer's created is a Unix time in milliseconds (13 digits), as the docs' response example shows (1769286389027), whichever model answered: a client that reads it as milliseconds must never get seconds from one model and milliseconds from another; source: ${sourceOf(route)}, docs.imagerouter.io video generation (seeds/imagerouter-video-generation.txt).`,
    probes: [jobProbeKey(lifecycle), key],
    judge(state) {
      const values = createdValues(state, extra);
      if (values.length === 0) return skip('no answer carried created');
      const inSeconds = values.filter((v) => v.created < MILLISECONDS_FROM);
      const first = inSeconds[0];
      if (first) {
        const mixed = inSeconds.length < values.length;
        const others = values.filter((v) => v.created >= MILLISECONDS_FROM).map((v) => v.run);
        return fail(
          `${jobName(first.run)} answered created ${first.created} (seconds)${
            mixed
              ? `, while ${others.map(jobName).join(', ')} answered milliseconds: the units are mixed`
              : ''
          }; the docs show milliseconds`,
          [first.run.submit.exchange],
        );
      }
      const models = [...new Set(values.map((v) => v.run.plan.model))];
      return pass(`${values.length} answer(s) of ${models.join(', ')}, created in milliseconds`, [
        values[0]!.run.submit.exchange,
      ]);
    },
  };
  return { probes: [probe], checks: [check] };
}

/**
 * The fidelity checks a router's docs call for, with their probes (none for routers without any).
 *
 * @example
 * fidelityChecks(ctx).checks.map((c) => c.id);
 * // OpenRouter: ['listVideosContent: unsigned_urls download without a key']
 */
export function fidelityChecks(ctx: PlanContext): PlanPart {
  switch (ctx.spec.id) {
    case 'openrouter':
      return unsignedUrlCheck(ctx);
    case 'imagerouter':
      return createdUnitCheck(ctx);
    case 'fastrouter':
    case 'routmy':
    default:
      // Routers declared with defineRouter have no fidelity checks either.
      return { probes: [], checks: [] };
  }
}
