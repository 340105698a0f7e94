/**
 * The happy path of each lifecycle and what it shows: the target accepts a valid request, every
 * observed status sequence is legal, terminal statuses stay, polling URLs and task ids resolve,
 * timestamps never go backwards, and the finished video is the MP4 that was asked for.
 * @module
 */
import type { LifecycleDef } from '@reelkit/spec';
import { checkObservedSequence } from '@reelkit/spec';
import { describeMissingSamples } from '../mp4.js';
import type { Exchange } from '../report.js';
import { downloadContent, runAsyncJob, runSyncJob } from '../run/jobs.js';
import type { JobRun, PollTrack, RunState } from '../run/state.js';
import { statusesOf, timelineOf } from '../run/state.js';
import type { CheckDef, PlanContext, PlanPart, Probe, Verdict } from './types.js';
import { fail, lifecycleSuffix, pass, routeLabel, skip, sourceOf } from './types.js';

/**
 * The probe key of a lifecycle's happy-path job.
 *
 * @example
 * jobProbeKey('sora'); // 'job:sora'
 */
export const jobProbeKey = (lifecycle: string): string => `job:${lifecycle}`;

/**
 * Largest difference between a video's duration and the requested one, in seconds.
 *
 * @example
 * Math.abs(actual - requested) <= DURATION_TOLERANCE_SECONDS; // 0.1
 */
export const DURATION_TOLERANCE_SECONDS = 0.1;

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Lifecycles the driver can make jobs of, in the spec's order.
 *
 * @example
 * plannedLifecycles({ spec: fastrouter, driver: drivers.fastrouter }); // ['task', 'sora']
 */
export function plannedLifecycles(ctx: Pick<PlanContext, 'spec' | 'driver'>): string[] {
  const offered = new Set(ctx.driver.plans().map((p) => p.lifecycle));
  return Object.keys(ctx.spec.lifecycles).filter((l) => offered.has(l));
}

function jobProbe(lifecycle: string): Probe {
  return {
    key: jobProbeKey(lifecycle),
    async run(state) {
      const plan = state.plans.get(lifecycle);
      if (!plan) {
        return {
          skip: `the target lists no ${lifecycle} model that the spec's judge accepts a request for; check GET of the model listing`,
        };
      }
      if (!state.session.apiKey) {
        return { skip: 'no API key to submit a job with: pass apiKey (--api-key)' };
      }
      if (state.target.live) {
        const cost = plan.costUsd ?? 0;
        if (state.spentUsd + cost > state.settings.maxCostUsd) {
          return {
            skip: `it would exceed the cost cap: ${plan.model} costs about $${cost.toFixed(2)} and $${state.spentUsd.toFixed(2)} of $${state.settings.maxCostUsd.toFixed(2)} is spent; raise maxCostUsd (--max-cost) to run it`,
          };
        }
      }
      let run: JobRun;
      if (state.driver.flow === 'async') {
        const callbackUrl = state.webhookProblem ? undefined : state.callbackUrl;
        run = await runAsyncJob(state, plan, callbackUrl ? { callbackUrl } : {});
        if (callbackUrl && run.submit.status >= 400 && run.submit.status < 500) {
          state.webhookProblem = `the target refused a job with the loopback ${state.driver.webhooks?.callbackField ?? 'callback'} ${callbackUrl} (${run.submit.status}: ${run.submit.text.slice(0, 200)}); start the mock with a webhook secret and allowHttpLoopback (reelkit mock --webhook-secret <s> --allow-http-callbacks), or pass webhook.publicUrl`;
          run = await runAsyncJob(state, plan);
        }
      } else {
        run = await runSyncJob(state, plan);
      }
      state.jobs.set(lifecycle, run);
      if (state.target.live && !run.submitProblem) state.spentUsd += plan.costUsd ?? 0;
      if (run.terminal === run.lifecycle.success) await downloadContent(state, run);
      return undefined;
    },
  };
}

/** Runs of a lifecycle that polled a route: the happy path first, then scenario jobs. */
function runsOn(state: RunState, lifecycle: string, routeKey?: string) {
  const runs: JobRun[] = [];
  const happy = state.jobs.get(lifecycle);
  if (happy) runs.push(happy);
  for (const run of state.scenarioRuns.values()) {
    if ('plan' in run && run.plan.lifecycle === lifecycle) runs.push(run);
  }
  return runs.flatMap((run) => {
    const track = routeKey ? run.tracks.find((t) => t.routeKey === routeKey) : undefined;
    return routeKey && !track ? [] : [{ run, track }];
  });
}

const jobName = (run: JobRun): string =>
  `job ${run.job?.id ?? '(none)'}${run.scenario ? ` (scenario ${run.scenario})` : ''}`;

function noHappyJob(state: RunState, lifecycle: string, acceptsId: string): Verdict | undefined {
  const run = state.jobs.get(lifecycle);
  if (!run) return skip(`no ${lifecycle} job ran`);
  if (!run.job && state.driver.flow === 'async') {
    return skip(`no job: the submit failed (see '${acceptsId}')`, [run.submit.exchange]);
  }
  return undefined;
}

function resolved(track: PollTrack): boolean {
  return track.observations.some(
    (o) => o.source === 'poll' && o.reply.status >= 200 && o.reply.status < 300,
  );
}

function sequenceVerdict(
  state: RunState,
  lifecycle: LifecycleDef,
  runs: readonly { run: JobRun; track: PollTrack | undefined }[],
): Verdict {
  for (const { run, track } of runs) {
    if (!track) continue;
    const unreadable = track.observations.find(
      (o) => o.reply.status >= 200 && o.reply.status < 300 && o.reading.problem,
    );
    if (unreadable) {
      return {
        ...fail(`${jobName(run)}: ${unreadable.reading.problem ?? 'unreadable answer'}`, [
          unreadable.reply.exchange,
        ]),
        timeline: timelineOf(run, track),
      };
    }
    const observed = track.observations.filter((o) => o.reading.status);
    const statuses = statusesOf(track);
    const violation = checkObservedSequence(lifecycle, statuses);
    if (violation) {
      const at = observed[violation.index];
      return {
        ...fail(
          `${jobName(run)}: ${violation.rule} (observed ${statuses.join(' → ')})`,
          at ? [at.reply.exchange] : [],
        ),
        timeline: timelineOf(run, track),
      };
    }
  }
  const first = runs[0];
  const sequence = first?.track ? [...new Set(statusesOf(first.track))].join(' → ') : '';
  return {
    ...pass(`${runs.length} job(s) legal; the happy path went ${sequence}`),
    ...(first?.track ? { timeline: timelineOf(first.run, first.track) } : {}),
  };
}

function terminalVerdict(
  state: RunState,
  lifecycle: LifecycleDef,
  runs: readonly { run: JobRun; track: PollTrack | undefined }[],
  resolvesId: string,
): Verdict {
  const happy = runs[0];
  if (happy?.track && !resolved(happy.track)) {
    return skip(`the job never resolved on this route (see '${resolvesId}')`);
  }
  for (const { run, track } of runs) {
    if (!track || !resolved(track)) continue;
    const timeline = timelineOf(run, track);
    const observed = track.observations.filter((o) => o.reading.status);
    const firstTerminal = observed.findIndex((o) =>
      lifecycle.terminal.includes(o.reading.status as string),
    );
    if (firstTerminal < 0) {
      if (track.gone && run.scenario === 'expired') continue;
      const last = observed.at(-1);
      const why = track.gone
        ? `disappeared (404) while ${last?.reading.status ?? 'unknown'}, before any terminal status`
        : `did not reach a terminal status (${lifecycle.terminal.join(', ')}) within ${minutes(state.settings.jobBudgetMs)} of target time; last seen ${last?.reading.status ?? 'nothing'}`;
      return {
        ...fail(`${jobName(run)} ${why}`, last ? [last.reply.exchange] : []),
        timeline,
      };
    }
    const terminal = observed[firstTerminal]!.reading.status;
    const changed = observed.slice(firstTerminal + 1).find((o) => o.reading.status !== terminal);
    if (changed) {
      return {
        ...fail(
          `${jobName(run)}: terminal '${terminal}' became '${changed.reading.status}' on a later poll`,
          [changed.reply.exchange],
        ),
        timeline,
      };
    }
  }
  if (!happy?.track) return skip('no job was polled on this route');
  const observed = happy.track.observations.filter((o) => o.reading.status);
  const i = observed.findIndex((o) => lifecycle.terminal.includes(o.reading.status as string));
  const first = observed[i];
  return {
    ...pass(
      first
        ? `'${first.reading.status}' after ${seconds(first.at)} of target time, unchanged over ${observed.length - i - 1} later poll(s)`
        : 'every job ended',
    ),
    timeline: timelineOf(happy.run, happy.track),
  };
}

function timestampVerdict(
  state: RunState,
  runs: readonly { run: JobRun; track: PollTrack | undefined }[],
): Verdict {
  const skew = state.target.controllable ? 2000 : 300_000;
  let seen = 0;
  for (const { run, track } of runs) {
    if (track) {
      const last = new Map<string, number>();
      for (const o of track.observations) {
        const stamps = o.reading.timestamps ?? [];
        seen += stamps.length;
        const created = stamps.filter((t) => t.name.startsWith('created'));
        for (const t of stamps) {
          const before = last.get(t.name);
          if (before !== undefined && t.ms < before) {
            return fail(
              `${jobName(run)}: ${t.name} went back from ${new Date(before).toISOString()} to ${new Date(t.ms).toISOString()}`,
              [o.reply.exchange],
            );
          }
          last.set(t.name, t.ms);
          const firstCreated = created.find((c) => c.ms > t.ms);
          if (!t.name.startsWith('created') && firstCreated) {
            return fail(
              `${jobName(run)}: ${t.name} ${new Date(t.ms).toISOString()} is before ${firstCreated.name} ${new Date(firstCreated.ms).toISOString()}`,
              [o.reply.exchange],
            );
          }
        }
        for (const c of created) {
          if (c.ms > run.startedAt + o.at + skew) {
            return fail(
              `${jobName(run)}: ${c.name} ${new Date(c.ms).toISOString()} lies in the future of the target's clock (${new Date(run.startedAt + o.at).toISOString()})`,
              [o.reply.exchange],
            );
          }
        }
      }
    } else if (run.reading?.timestamps) {
      // A reelkit mock on a real (scaled) clock stamps bodies with the wall clock, not its own.
      const onWall = state.target.clock === 'real' && run.wall !== undefined;
      const start = onWall ? run.wall!.startedAt : run.startedAt;
      const end = onWall ? run.wall!.endedAt : (run.endedAt ?? run.startedAt);
      const clockName = onWall ? 'the wall clock' : "the target's clock";
      for (const t of run.reading.timestamps) {
        seen++;
        if (t.ms < start - skew - 1000 || t.ms > end + skew) {
          return fail(
            `${t.name} ${new Date(t.ms).toISOString()} is outside the request, which ran from ${new Date(start).toISOString()} to ${new Date(end).toISOString()} on ${clockName}`,
            [run.submit.exchange],
          );
        }
      }
    }
  }
  return seen === 0
    ? skip('no answer carried a timestamp to check')
    : pass(`${seen} timestamps in order`);
}

function contentVerdict(run: JobRun | undefined, acceptsId: string): Verdict {
  if (!run) return skip('no job ran');
  if (run.terminal !== run.lifecycle.success) {
    return skip(
      `the job did not complete (ended ${run.terminal ?? 'without a terminal status'}); see '${acceptsId}'`,
    );
  }
  const content = run.content;
  if (!content) return skip('the content was not fetched');
  if ('problem' in content) return fail(content.problem);
  const exchanges: Exchange[] = content.flatMap((c) => (c.exchange ? [c.exchange] : []));
  if (exchanges.length === 0) {
    const streamed = run.tracks
      .flatMap((t) => t.observations)
      .filter((o) => o.source === 'poll')
      .at(-1)?.reply.exchange;
    if (streamed) exchanges.push(streamed);
  }
  const { expected } = run.plan;
  const want = `${expected.width}x${expected.height}, ${expected.durationSeconds} s`;
  if (content.length !== expected.count) {
    return fail(`${content.length} video(s) where ${expected.count} were requested`, exchanges);
  }
  for (const c of content) {
    if (c.problem) return fail(c.problem, exchanges);
    const info = c.inspection;
    if (!info) return fail(`nothing was read from ${c.source}`, exchanges);
    if (!info.ok) return fail(`${c.source}: ${info.problem}`, exchanges);
    const got = `${info.width}x${info.height}, ${info.durationSeconds.toFixed(3)} s`;
    if (Math.abs(info.durationSeconds - expected.durationSeconds) > DURATION_TOLERANCE_SECONDS) {
      return fail(
        `${c.source} is ${got}; the request asked for ${want} (duration off by more than ${DURATION_TOLERANCE_SECONDS} s)`,
        exchanges,
      );
    }
    if (info.width !== expected.width || info.height !== expected.height) {
      return fail(`${c.source} is ${got}; the request asked for ${want}`, exchanges);
    }
  }
  return pass(`${content.length} MP4(s) of ${want} (${run.plan.model})`, exchanges);
}

/** Whether every video of a completed job plays: all indexed samples present, every frame decodes. */
function playbackVerdict(run: JobRun | undefined, contentId: string): Verdict {
  if (!run) return skip('no job ran');
  const content = run.content;
  if (run.terminal !== run.lifecycle.success || !content || 'problem' in content) {
    return skip(`no video was downloaded; see '${contentId}'`);
  }
  const exchanges: Exchange[] = content.flatMap((c) => (c.exchange ? [c.exchange] : []));
  const notes: string[] = [];
  let frames = 0;
  for (const c of content) {
    const info = c.inspection;
    if (!info?.ok) return skip(`${c.source} is not a readable MP4; see '${contentId}'`);
    const missing = describeMissingSamples(info);
    if (missing) {
      return fail(
        `${c.source}: the index references sample data the file does not hold: ${missing}; a player stops (or shows garbage) where the data ends`,
        exchanges,
      );
    }
    const decoding = c.decoding;
    if (!decoding || 'unavailable' in decoding) {
      notes.push(decoding?.unavailable ?? 'not decoded');
      continue;
    }
    const declared = decoding.declaredFrames;
    if (
      decoding.errors.length > 0 ||
      (declared !== undefined && decoding.decodedFrames < declared)
    ) {
      const count =
        declared !== undefined
          ? `${decoding.decoder} decoded ${decoding.decodedFrames} of ${declared} frames`
          : `${decoding.decoder} decoded ${decoding.decodedFrames} frames`;
      return fail(
        `${c.source}: ${count}${decoding.errors.length ? `; it reported: ${decoding.errors.join(' | ')}` : ''}`,
        exchanges,
      );
    }
    frames += decoding.decodedFrames;
  }
  const samples = content.reduce((n, c) => n + (c.inspection?.ok ? c.inspection.samples : 0), 0);
  const decoded =
    notes.length > 0
      ? `; not decoded: ${[...new Set(notes)].join('; ')}`
      : `; ${frames} frames decoded without an error`;
  return pass(
    `${content.length} video(s): all ${samples} indexed samples inside the file${decoded}`,
    exchanges,
  );
}

/**
 * The lifecycle checks and the happy-path job probes of every lifecycle.
 *
 * @example
 * lifecycleChecks(ctx).checks.map((c) => c.id);
 * // ['createVideos: accepts a valid request', 'getVideos: status sequence legal', …]
 */
export function lifecycleChecks(ctx: PlanContext): PlanPart {
  const { spec, driver } = ctx;
  const create = spec.routes[driver.createRoute]!;
  const createOp = create.operationId;
  const lifecycles = plannedLifecycles(ctx);
  const probes = lifecycles.map(jobProbe);
  const checks: CheckDef[] = [];
  const budget = minutes(ctx.settings.jobBudgetMs);
  const resolvesIds = new Map<string, string>();
  const resolvesChecks: CheckDef[] = [];

  for (const lifecycle of lifecycles) {
    const def = spec.lifecycles[lifecycle]!;
    const sfx = lifecycleSuffix(spec, lifecycle);
    const probe = jobProbeKey(lifecycle);
    const acceptsId = `${createOp}: ${driver.flow === 'async' ? 'accepts a valid request' : 'held request completes'}${sfx}`;
    const lifecycleRule = `statuses ${def.statuses.join(', ')}; a poll may repeat or skip statuses but never go back, and nothing follows a terminal status (${def.terminal.join(', ')}); source: spec lifecycle '${def.name}'`;

    if (driver.flow === 'async') {
      checks.push({
        id: acceptsId,
        operationId: createOp,
        check: 'accepts',
        rule: `${routeLabel(spec, create)} accepts a request the spec's judge accepts (the cheapest listed ${lifecycle} model, parameters from the catalog) with a 2xx and a job id; source: ${sourceOf(create)}.`,
        probes: [probe],
        judge(state) {
          const run = state.jobs.get(lifecycle);
          if (!run) return skip(`no ${lifecycle} job ran`);
          if (run.submitProblem || !run.job) {
            return fail(`${run.submitProblem ?? 'no job id'}: ${run.submit.text.slice(0, 300)}`, [
              run.submit.exchange,
            ]);
          }
          return pass(`job ${run.job.id} (${run.plan.model})`, [run.submit.exchange]);
        },
      });
      for (const poller of driver.pollers(driver.plans().find((p) => p.lifecycle === lifecycle)!)) {
        const route = spec.routes[poller.routeKey]!;
        const op = route.operationId;
        const label = routeLabel(spec, route);
        const resolvesId = `${op}: ${poller.resolves} resolves`;
        if (!resolvesIds.has(poller.routeKey)) {
          resolvesIds.set(poller.routeKey, resolvesId);
          resolvesChecks.push(resolvesCheck(ctx, lifecycles, poller, resolvesId));
        }
        checks.push({
          id: `${op}: status sequence legal${sfx}`,
          operationId: op,
          check: 'lifecycle',
          rule: `Every status sequence observed on ${label} is legal for ${def.name}: ${lifecycleRule}.`,
          probes: [probe],
          judge: (state) =>
            noHappyJob(state, lifecycle, acceptsId) ??
            sequenceVerdict(state, def, runsOn(state, lifecycle, poller.routeKey)),
        });
        checks.push({
          id: `${op}: terminal status is final${sfx}`,
          operationId: op,
          check: 'terminal',
          rule: `A job polled on ${label} reaches a terminal status (${def.terminal.join(', ')}) within ${budget} of target time and every later poll answers the same status; source: spec lifecycle '${def.name}'.`,
          probes: [probe],
          judge: (state) =>
            noHappyJob(state, lifecycle, acceptsId) ??
            terminalVerdict(state, def, runsOn(state, lifecycle, poller.routeKey), resolvesId),
        });
        if (driver.timestamps?.includes(lifecycle)) {
          checks.push({
            id: `${op}: timestamps never go backwards${sfx}`,
            operationId: op,
            check: 'timestamps',
            rule: `Timestamps in answers of ${label} never go back from one poll to the next, creation comes before every later instant, and none lies in the future of the target's clock; source: ${sourceOf(route)}.`,
            probes: [probe],
            judge: (state) =>
              noHappyJob(state, lifecycle, acceptsId) ??
              timestampVerdict(state, runsOn(state, lifecycle, poller.routeKey)),
          });
        }
      }
    } else {
      checks.push({
        id: acceptsId,
        operationId: createOp,
        check: 'lifecycle',
        rule: `${routeLabel(spec, create)} holds a valid request (the cheapest listed model, parameters from the catalog) until the video is done and then answers it: the implicit lifecycle ${def.initial} → ${def.success} is legal (${lifecycleRule}); on a controllable target the clock is advanced while the request is open; source: ${sourceOf(create)}.`,
        probes: [probe],
        judge(state) {
          const run = state.jobs.get(lifecycle);
          if (!run) return skip(`no ${lifecycle} request ran`);
          const timeline = timelineOf(run);
          const exchanges = [run.submit.exchange];
          const took = seconds((run.endedAt ?? run.startedAt) - run.startedAt);
          if (run.timedOut) {
            return {
              ...fail(`no answer within ${budget} of target time`, exchanges),
              timeline,
            };
          }
          if (run.reading?.problem) return { ...fail(run.reading.problem, exchanges), timeline };
          if (run.submitProblem || !run.reading?.status) {
            return fail(
              `${run.submitProblem ?? 'no outcome'}: ${run.submit.text.trim().slice(0, 300)}`,
              exchanges,
            );
          }
          const violation = checkObservedSequence(def, [def.initial, run.reading.status]);
          if (violation) return { ...fail(violation.rule, exchanges), timeline };
          if (run.reading.status !== def.success) {
            return {
              ...fail(
                `the request ended '${run.reading.status}' after ${took}: ${run.submit.text.trim().slice(0, 300)}`,
                exchanges,
              ),
              timeline,
            };
          }
          return {
            ...pass(`${def.initial} → ${def.success} after ${took} of target time`, exchanges),
            timeline,
          };
        },
      });
      if (driver.timestamps?.includes(lifecycle)) {
        checks.push({
          id: `${createOp}: timestamps are consistent${sfx}`,
          operationId: createOp,
          check: 'timestamps',
          rule: `The timestamps of the answer of ${routeLabel(spec, create)} (created) fall within the request, on the target's clock, or on the wall clock for a mock on a real, scaled clock (seconds or milliseconds); source: ${sourceOf(create)}.`,
          probes: [probe],
          judge(state) {
            const run = state.jobs.get(lifecycle);
            if (!run || run.reading?.status !== def.success) {
              return skip(`the request did not succeed; see '${acceptsId}'`);
            }
            return timestampVerdict(state, [{ run, track: undefined }]);
          },
        });
      }
    }
    const contentOp = driver.contentOperation(lifecycle);
    const contentRoute = Object.values(spec.routes).find((r) => r.operationId === contentOp);
    checks.push({
      id: `${contentOp}: content is a valid MP4${sfx}`,
      operationId: contentOp,
      check: 'content',
      rule: `The video of a completed ${lifecycle} job, downloaded with the API key only from the target's own origin, is an MP4 that mp4box reads, within ${DURATION_TOLERANCE_SECONDS} s of the requested duration and exactly the requested width × height (as the spec's judge resolves the request); source: ${contentRoute ? sourceOf(contentRoute) : spec.docs[0]}.`,
      probes: [probe],
      judge: (state) => contentVerdict(state.jobs.get(lifecycle), acceptsId),
    });
    checks.push({
      id: `${contentOp}: content plays end to end${sfx}`,
      operationId: contentOp,
      check: 'playback',
      rule: `A player can play the video of a completed ${lifecycle} job from start to end: every sample its index (moov) references lies inside the downloaded file (mp4box), and where ffprobe is installed it decodes every frame the container declares without an error; source: ${contentRoute ? sourceOf(contentRoute) : spec.docs[0]}.`,
      probes: [probe],
      judge: (state) =>
        playbackVerdict(state.jobs.get(lifecycle), `${contentOp}: content is a valid MP4${sfx}`),
    });
  }
  return { probes, checks: [...checks, ...resolvesChecks] };
}

/** `<operation>: <polling URL | task id> resolves`, over the jobs of every lifecycle. */
function resolvesCheck(
  context: PlanContext,
  lifecycles: readonly string[],
  poller: { readonly routeKey: string; readonly resolves: string },
  id: string,
): CheckDef {
  const { routeKey, resolves } = poller;
  const route = context.spec.routes[routeKey]!;
  return {
    id,
    operationId: route.operationId,
    check: 'resolves',
    rule: `The ${resolves} a submit answer gives addresses ${routeLabel(context.spec, route)} of the same job on the target, which answers 2xx with that job; source: ${sourceOf(route)}.`,
    probes: lifecycles.map(jobProbeKey),
    judge(state) {
      const runs = lifecycles.flatMap((l) => runsOn(state, l, routeKey));
      if (runs.length === 0) return skip('no job was submitted');
      for (const { run, track } of runs) {
        if (!track || !run.job) continue;
        const problem = track.problems[0];
        if (problem) return fail(`${jobName(run)}: ${problem}`, [run.submit.exchange]);
        const first = track.observations.find((o) => o.source === 'poll');
        if (!first) continue;
        if (first.reply.status < 200 || first.reply.status >= 300) {
          return fail(
            `${jobName(run)}: the ${resolves} did not resolve; it answered ${first.reply.status || first.reply.error}: ${first.reply.text.slice(0, 200)}`,
            [run.submit.exchange, first.reply.exchange],
          );
        }
        if (first.reading.id !== undefined && first.reading.id !== run.job.id) {
          return fail(`${jobName(run)}: the ${resolves} answered job ${first.reading.id} instead`, [
            first.reply.exchange,
          ]);
        }
      }
      const first = runs[0]?.track?.observations.find((o) => o.source === 'poll');
      return pass(
        `${runs.length} job(s) resolved`,
        first ? [runs[0]!.run.submit.exchange, first.reply.exchange] : [],
      );
    },
  };
}
