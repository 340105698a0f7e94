/**
 * Driving one generation to its end. Asynchronous routers: submit, then poll every route that can
 * read the job at a cadence of target time (a controllable target's clock is advanced instead of
 * waited for), and poll again after the terminal status. Synchronous routers: send the held request
 * and move the clock while it is open.
 * @module
 */
import type { AsyncDriver, JobPlan, Poller, SyncDriver } from '../drivers/types.js';
import type { Reply } from '../http.js';
import { decodeMp4, inspectMp4 } from '../mp4.js';
import type { ContentCheck, JobRun, PollTrack, RunState } from './state.js';

/**
 * The header that picks a reelkit scenario for one request.
 *
 * @example
 * fetch(url, { headers: { [SCENARIO_HEADER]: 'failed' } });
 */
export const SCENARIO_HEADER = 'x-reelkit-scenario';

/** After this many answers that never resolved the job, a poll route is given up. */
const UNRESOLVED_LIMIT = 3;

const within = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);

/** The poll cadence at `elapsed` ms of target time: denser at first, sparser for long jobs. */
function stepFor(state: RunState, elapsed: number): number {
  const base = state.settings.pollIntervalMs;
  if (!state.target.controllable) return base;
  if (elapsed < 120_000) return base;
  if (elapsed < 600_000) return Math.max(base, 15_000);
  return Math.max(base, 60_000);
}

function retryAfterMs(reply: Reply): number {
  const value = reply.headers.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}

/**
 * Stamps webhook deliveries that arrived since the last look with the target's time.
 *
 * @example
 * stampDeliveries(state, await state.clock.now());
 */
export function stampDeliveries(state: RunState, now: number): void {
  for (const delivery of state.receiver?.deliveries ?? []) delivery.targetTime ??= now;
}

function isTerminalTrack(run: JobRun, track: PollTrack): boolean {
  return track.observations.some(
    (o) => o.reading.status !== undefined && run.lifecycle.terminal.includes(o.reading.status),
  );
}

function abandoned(track: PollTrack): boolean {
  const polls = track.observations.filter((o) => o.source === 'poll');
  return (
    polls.length >= UNRESOLVED_LIMIT &&
    polls.every((o) => o.reply.status < 200 || o.reply.status >= 300)
  );
}

/**
 * Submits a job and polls it to its end on every poll route.
 *
 * @example
 * const run = await runAsyncJob(state, plan, { scenario: 'failed' });
 * run.terminal; // 'failed'
 */
export async function runAsyncJob(
  state: RunState,
  plan: JobPlan,
  options: { scenario?: string; callbackUrl?: string; pollers?: readonly Poller[] } = {},
): Promise<JobRun> {
  const driver = state.driver as AsyncDriver;
  const lifecycle = state.spec.lifecycles[plan.lifecycle];
  if (!lifecycle) throw new Error(`${state.spec.title} has no lifecycle '${plan.lifecycle}'`);
  const callbackField = driver.webhooks?.callbackField;
  const json = {
    ...plan.body,
    ...(options.callbackUrl && callbackField ? { [callbackField]: options.callbackUrl } : {}),
  };
  const startedAt = await state.clock.now();
  const submit = await state.session.call(driver.createRoute, {
    json,
    ...(options.scenario ? { headers: { [SCENARIO_HEADER]: options.scenario } } : {}),
  });
  const run: JobRun = {
    plan,
    lifecycle,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
    submit,
    startedAt,
    tracks: [],
  };
  if (submit.status < 200 || submit.status >= 300) {
    run.submitProblem = `the target answered ${submit.status || submit.error} to the request`;
    return run;
  }
  const parsed = driver.parseSubmit(submit, plan);
  if ('problem' in parsed) {
    run.submitProblem = parsed.problem;
    return run;
  }
  const job = { ...parsed, plan };
  run.job = job;
  const pollers = options.pollers ?? driver.pollers(plan);
  for (const poller of pollers) {
    run.tracks.push({
      routeKey: poller.routeKey,
      resolves: poller.resolves,
      observations: job.status
        ? [{ source: 'submit', at: 0, reply: submit, reading: { status: job.status, id: job.id } }]
        : [],
      problems: [],
      gone: false,
    });
  }

  let repolls = -1;
  let hookSeen = false;
  for (;;) {
    const now = await state.clock.now();
    const at = now - startedAt;
    stampDeliveries(state, now);
    let wait = 0;
    for (const [i, poller] of pollers.entries()) {
      const track = run.tracks[i] as PollTrack;
      if (track.gone || abandoned(track)) continue;
      const { request, problem } = poller.request(job, state.session);
      if (problem && !track.problems.includes(problem)) track.problems.push(problem);
      const reply = await state.session.send(request);
      if (reply.status === 429) wait = Math.max(wait, retryAfterMs(reply));
      const seen = track.observations.some((o) => o.source === 'poll' && o.reading.status);
      if (reply.status === 404 && seen) track.gone = true;
      track.observations.push({
        source: 'poll',
        at,
        reply,
        reading: driver.read(poller.routeKey, reply, job),
      });
    }
    if (
      run.callbackUrl &&
      state.receiver &&
      !hookSeen &&
      run.tracks.some((t) => isTerminalTrack(run, t))
    ) {
      // Wait for the webhook before time moves on, so its signature is judged against the
      // target's clock of the moment it was sent (a virtual clock can race far ahead).
      hookSeen = true;
      // Once a delivery failed to come, later jobs wait briefly: the webhook probe waits again.
      const timeout = state.webhookMissed
        ? 250
        : state.clock.canAdvance
          ? 2000
          : (state.settings.webhook?.timeoutMs ?? 5000);
      const got = await state.receiver.waitFor((d) => d.rawBody.includes(job.id), timeout);
      if (!got) state.webhookMissed = true;
      stampDeliveries(state, await state.clock.now());
    }
    const done = run.tracks.every((t) => t.gone || abandoned(t) || isTerminalTrack(run, t));
    if (done) {
      if (repolls < 0) repolls = 0;
      if (repolls++ >= state.settings.terminalRepolls) break;
    }
    if (at > state.settings.jobBudgetMs) {
      run.timedOut = true;
      break;
    }
    await state.clock.pass(Math.max(stepFor(state, at), wait));
  }
  const first = run.tracks
    .flatMap((t) => t.observations)
    .filter((o) => o.reading.status && lifecycle.terminal.includes(o.reading.status))
    .sort((a, b) => a.at - b.at)[0];
  if (first?.reading.status) run.terminal = first.reading.status;
  stampDeliveries(state, await state.clock.now());
  return run;
}

/**
 * Sends a request that the target may hold open, moving a controllable clock forward while it is
 * pending (a held request on a manual clock would otherwise never end).
 *
 * @example
 * const reply = await held(state, (signal) => state.session.call('createVideo', { json, signal }));
 */
export async function held(
  state: RunState,
  send: (signal: AbortSignal) => Promise<Reply>,
): Promise<{ reply: Reply; gaveUp: boolean }> {
  const abort = new AbortController();
  const pending = send(abort.signal);
  if (!state.clock.canAdvance) return { reply: await pending, gaveUp: false };
  let settled = await within(pending, 20);
  let advanced = 0;
  let gaveUp = false;
  while (!settled) {
    if (advanced >= state.settings.jobBudgetMs) {
      gaveUp = true;
      abort.abort(new Error('the held request outlived the job budget'));
      break;
    }
    const step = stepFor(state, advanced);
    await state.clock.pass(step);
    advanced += step;
    settled = await within(pending, 2);
  }
  return { reply: await pending, gaveUp };
}

/**
 * Sends a synchronous router's generation request and reads how it ended.
 *
 * @example
 * const run = await runSyncJob(state, plan);
 * run.terminal; // 'succeeded'
 */
export async function runSyncJob(
  state: RunState,
  plan: JobPlan,
  options: { scenario?: string; json?: unknown } = {},
): Promise<JobRun> {
  const driver = state.driver as SyncDriver;
  const lifecycle = state.spec.lifecycles[plan.lifecycle];
  if (!lifecycle) throw new Error(`${state.spec.title} has no lifecycle '${plan.lifecycle}'`);
  const startedAt = await state.clock.now();
  const wallStartedAt = Date.now();
  const { reply: submit, gaveUp } = await held(state, (signal) =>
    state.session.call(driver.createRoute, {
      json: options.json ?? plan.body,
      signal,
      // rout.my: "allow about 15 minutes (curl --max-time 900)". A mock on a manual or auto
      // clock answers as soon as the kit moves its clock.
      timeoutMs: state.clock.canAdvance ? 120_000 : 20 * 60_000,
      ...(options.scenario ? { headers: { [SCENARIO_HEADER]: options.scenario } } : {}),
    }),
  );
  const endedAt = await state.clock.now();
  const wall = { startedAt: wallStartedAt, endedAt: Date.now() };
  const reading = driver.readOutcome(submit);
  const run: JobRun = {
    plan,
    lifecycle,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    submit,
    startedAt,
    endedAt,
    wall,
    reading,
    tracks: [],
  };
  if (gaveUp) run.timedOut = true;
  if (reading.status && lifecycle.terminal.includes(reading.status)) run.terminal = reading.status;
  if (!reading.status) {
    run.submitProblem = `the target answered ${submit.status || submit.error} to the request`;
  }
  return run;
}

/**
 * Downloads the videos of a successful job (with the key only on the target's own origin), reads
 * each with mp4box and decodes it with ffprobe where installed.
 *
 * @example
 * await downloadContent(state, run);
 * run.content; // [{ operationId: 'listVideosContent', inspection: { ok: true, durationSeconds: 4, … } }]
 */
export async function downloadContent(state: RunState, run: JobRun): Promise<void> {
  const driver = state.driver;
  let sources;
  if (driver.flow === 'async') {
    const last = new Map<string, Reply>();
    for (const track of run.tracks) {
      const reply = track.observations.filter((o) => o.source === 'poll').at(-1)?.reply;
      if (reply) last.set(track.routeKey, reply);
    }
    sources = run.job ? driver.content(run.job, last) : { problem: 'no job' };
  } else {
    sources = driver.content(run.submit);
  }
  if ('problem' in sources) {
    run.content = { problem: sources.problem };
    return;
  }
  const checks: ContentCheck[] = [];
  for (const source of sources) {
    if (source.kind === 'bytes') {
      checks.push({
        operationId: source.operationId,
        source: 'the streamed body',
        ...(await examine(state, source.bytes)),
      });
      continue;
    }
    const reply = await state.session.send({ method: 'GET', url: source.url, timeoutMs: 120_000 });
    if (reply.status !== 200) {
      checks.push({
        operationId: source.operationId,
        source: source.url,
        exchange: reply.exchange,
        status: reply.status,
        problem: `downloading ${source.url} answered ${reply.status || reply.error}`,
      });
      continue;
    }
    checks.push({
      operationId: source.operationId,
      source: source.url,
      exchange: reply.exchange,
      status: reply.status,
      ...(await examine(state, reply.bytes)),
    });
  }
  run.content = checks;
}

/** Reads a video's header and index, and decodes it when the header reads. */
async function examine(
  state: RunState,
  bytes: Uint8Array,
): Promise<Pick<ContentCheck, 'inspection' | 'decoding'>> {
  const inspection = inspectMp4(bytes);
  if (!inspection.ok) return { inspection };
  return { inspection, decoding: await decodeMp4(bytes, { ffprobe: state.settings.ffprobe }) };
}
