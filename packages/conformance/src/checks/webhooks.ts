/**
 * Webhook checks (OpenRouter): jobs name a loopback receiver as their `callback_url`; each job that
 * reaches a terminal state must be delivered once, with its own idempotency key, a signature that
 * verifies, and a payload that a later poll confirms.
 *
 * What the target needs: nothing, against a reelkit mock: by default the kit gives it a signing
 * secret and allows loopback http callbacks on its control plane for the run. With explicit
 * `webhook` options the target must sign with `webhook.secret` (and a mock allow loopback http
 * callbacks). A live router cannot reach a loopback receiver; give `webhook.publicUrl`, an HTTPS
 * tunnel to the receiver's port.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { openrouterSpec } from '@reelkit/spec';
import type { AsyncDriver } from '../drivers/types.js';
import type { Reply } from '../http.js';
import { toCurl } from '../http.js';
import type { Exchange } from '../report.js';
import { stampDeliveries } from '../run/jobs.js';
import type { JobRun, RunState } from '../run/state.js';
import { describeIssues, validate } from '../schema.js';
import type { ReceivedDelivery } from '../webhook-receiver.js';
import { jobProbeKey, plannedLifecycles } from './lifecycle.js';
import type { CheckDef, PlanContext, PlanPart, Verdict } from './types.js';
import { fail, pass, skip } from './types.js';

const {
  SIGNATURE_TOLERANCE_SECONDS,
  VideoWebhookEvent,
  WEBHOOK_HEADERS,
  computeSignature,
  idempotencyKey,
  parseSignatureHeader,
} = openrouterSpec;

/**
 * The key of the webhook probe.
 *
 * @example
 * checks.filter((c) => c.probes.includes(WEBHOOK_PROBE));
 */
export const WEBHOOK_PROBE = 'webhooks';

const SIGNATURE = WEBHOOK_HEADERS.signature.toLowerCase();
const IDEMPOTENCY = WEBHOOK_HEADERS.idempotencyKey.toLowerCase();
const GUIDE = 'OpenRouter video-generation guide and webhooks cookbook (spec webhooks.ts)';

interface Parsed {
  readonly delivery: ReceivedDelivery;
  readonly body: unknown;
  readonly jobId?: string;
  readonly status?: string;
  readonly type?: string;
}

function parse(delivery: ReceivedDelivery): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody) as unknown;
  } catch {
    body = undefined;
  }
  const data = (body as { data?: { id?: unknown; status?: unknown } } | undefined)?.data;
  const type = (body as { type?: unknown } | undefined)?.type;
  return {
    delivery,
    body,
    ...(typeof data?.id === 'string' ? { jobId: data.id } : {}),
    ...(typeof data?.status === 'string' ? { status: data.status } : {}),
    ...(typeof type === 'string' ? { type } : {}),
  };
}

/** The delivery as an exchange, so reports show it like any request (and can replay it). */
function exchangeOf(delivery: ReceivedDelivery, url: string): Exchange {
  const body = delivery.rawBody.slice(0, 4096);
  return {
    request: {
      method: 'POST',
      url,
      headers: delivery.headers,
      body,
      curl: toCurl({
        method: 'POST',
        url,
        headers: Object.fromEntries(
          Object.entries(delivery.headers).filter(([name]) =>
            ['content-type', SIGNATURE, IDEMPOTENCY].includes(name),
          ),
        ),
        body: delivery.rawBody,
      }),
    },
    response: { status: delivery.answered, headers: {}, durationMs: 0 },
  };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * The webhook checks and their probe.
 *
 * @example
 * webhookChecks(ctx).checks.map((c) => c.check);
 * // ['webhook-delivery', 'webhook-idempotency', 'webhook-signature', 'webhook-signature', 'webhook-payload']
 */
export function webhookChecks(ctx: PlanContext): PlanPart {
  const { spec, driver } = ctx;
  if (!driver.webhooks || driver.flow !== 'async') return { probes: [], checks: [] };
  const asyncDriver: AsyncDriver = driver;
  const create = spec.routes[driver.createRoute]!;
  const op = create.operationId;
  const field = driver.webhooks.callbackField;
  const primary = plannedLifecycles(ctx)[0];
  const laterPolls = new Map<string, Reply>();
  let skipReason: string | undefined;
  let runs: JobRun[] = [];

  const deliveriesOf = (state: RunState, run: JobRun): Parsed[] =>
    (state.receiver?.deliveries ?? [])
      .map(parse)
      .filter(
        (p) =>
          p.jobId === run.job?.id ||
          (p.jobId === undefined &&
            (p.delivery.headers[IDEMPOTENCY] ?? '').startsWith(`${run.job?.id}-`)),
      );

  const probe = {
    key: WEBHOOK_PROBE,
    async run(state: RunState) {
      if (!state.receiver) return { skip: 'no webhook receiver runs' };
      if (state.webhookProblem) return { skip: state.webhookProblem };
      runs = [
        ...state.jobs.values(),
        ...[...state.scenarioRuns.values()].filter((r) => 'plan' in r),
      ]
        .filter((r): r is JobRun => 'plan' in r)
        .filter((r) => r.callbackUrl && r.job && r.terminal);
      if (runs.length === 0) {
        skipReason = 'no job that named the receiver reached a terminal status';
        return undefined;
      }
      const timeout = state.settings.webhook?.timeoutMs ?? 5000;
      const receiver = state.receiver;
      const deliveredFor = (run: JobRun) =>
        receiver.deliveries.some(
          (d) =>
            parse(d).jobId === run.job?.id ||
            (d.headers[IDEMPOTENCY] ?? '').startsWith(`${run.job?.id}-`),
        );
      // One wait for every job at once: a target that never delivers costs one timeout, not one per job.
      const allDelivered = () => runs.every(deliveredFor);
      let got = await receiver.waitFor(allDelivered, state.clock.canAdvance ? 250 : timeout);
      // Deliveries are sent on the target's clock: give a manual clock a moment to fire them.
      for (let i = 0; !got && state.clock.canAdvance && i < 4; i++) {
        await state.clock.pass(1000);
        got = await receiver.waitFor(allDelivered, timeout / 4);
      }
      // Let duplicates and late retries arrive before judging.
      await new Promise((resolve) => setTimeout(resolve, state.target.controllable ? 100 : 2000));
      stampDeliveries(state, await state.clock.now());
      for (const run of runs) {
        if (!run.job) continue;
        const poller = asyncDriver.pollers(run.plan)[0];
        if (!poller) continue;
        laterPolls.set(
          run.job.id,
          await state.session.send(poller.request(run.job, state.session).request),
        );
      }
      return undefined;
    },
  };

  const judged = (state: RunState, judge: () => Verdict): Verdict => {
    if (skipReason) return skip(skipReason);
    if (!state.receiver) return skip('no webhook receiver runs');
    return judge();
  };
  const url = (state: RunState) => state.receiver?.url ?? '(receiver)';
  const source = `source: ${GUIDE}`;
  const probes = [jobProbeKey(primary ?? 'video'), WEBHOOK_PROBE];

  const checks: CheckDef[] = [
    {
      id: `${op}: webhook delivered once per terminal state`,
      operationId: op,
      check: 'webhook-delivery',
      rule: `A job submitted with ${field} gets exactly one accepted delivery (the receiver answers 204) of the event for the terminal status it reached (video.generation.<status>: completed, failed, cancelled, expired); ${source}.`,
      probes,
      judge: (state) =>
        judged(state, () => {
          const statuses = new Set<string>();
          for (const run of runs) {
            const ds = deliveriesOf(state, run);
            const name = `job ${run.job?.id}${run.scenario ? ` (scenario ${run.scenario})` : ''}`;
            if (ds.length === 0) {
              return fail(
                `${name} ended ${run.terminal} but no delivery reached ${url(state)}; check that the target can reach the receiver`,
                [run.submit.exchange],
              );
            }
            if (ds.length > 1) {
              return fail(
                `${name}: ${ds.length} accepted deliveries for one terminal state (${ds.map((d) => d.type).join(', ')}); a delivery the receiver accepted must not be repeated`,
                ds.map((d) => exchangeOf(d.delivery, url(state))),
              );
            }
            const [d] = ds as [Parsed];
            const expected = `video.generation.${run.terminal}`;
            if (d.type !== expected) {
              return fail(
                `${name} ended ${run.terminal} but its event is '${d.type}', not '${expected}'`,
                [exchangeOf(d.delivery, url(state))],
              );
            }
            statuses.add(run.terminal ?? '');
          }
          return pass(
            `${runs.length} job(s), one delivery each; terminal states covered: ${[...statuses].join(', ')}`,
          );
        }),
    },
    {
      id: `${op}: webhook idempotency key is per event`,
      operationId: op,
      check: 'webhook-idempotency',
      rule: `Every delivery carries ${WEBHOOK_HEADERS.idempotencyKey}: <job id>-<status>, the same on every retry of one event and never shared by two different events; ${source}.`,
      probes,
      judge: (state) =>
        judged(state, () => {
          const parsed = runs.flatMap((run) => deliveriesOf(state, run));
          const byKey = new Map<string, Parsed[]>();
          for (const p of parsed) {
            const key = p.delivery.headers[IDEMPOTENCY] ?? '';
            byKey.set(key, [...(byKey.get(key) ?? []), p]);
          }
          for (const [key, group] of byKey) {
            const events = new Set(group.map((p) => `${p.type} of ${p.jobId}`));
            if (events.size > 1) {
              return fail(
                `the idempotency key '${key}' was used for ${events.size} different events (${[...events].join('; ')}); a receiver that deduplicates by it drops all but the first`,
                group.map((p) => exchangeOf(p.delivery, url(state))),
              );
            }
          }
          for (const p of parsed) {
            const key = p.delivery.headers[IDEMPOTENCY];
            if (!key) {
              return fail(`a delivery has no ${WEBHOOK_HEADERS.idempotencyKey} header`, [
                exchangeOf(p.delivery, url(state)),
              ]);
            }
            const status = p.status as openrouterSpec.WebhookStatus | undefined;
            const expected = p.jobId && status ? idempotencyKey(p.jobId, status) : undefined;
            if (key !== expected) {
              return fail(
                `the idempotency key is '${key}'; expected '${expected ?? '<job id>-<status>'}'`,
                [exchangeOf(p.delivery, url(state))],
              );
            }
          }
          return pass(
            `${parsed.length} deliveries, ${byKey.size} distinct keys of the form <job id>-<status>`,
          );
        }),
    },
    {
      id: `${op}: webhook signature verifies`,
      operationId: op,
      check: 'webhook-signature',
      rule: `Every delivery carries ${WEBHOOK_HEADERS.signature}: t=<unix seconds>,v1=<hex>, where the hex is HMAC-SHA256, keyed by the signing secret, of "<t>,<raw body>" (a comma, not a dot); ${source}.`,
      probes,
      judge: (state) =>
        judged(state, () => {
          const secret = state.settings.webhook?.secret;
          if (secret === undefined) {
            return skip(
              'the mock already signs with a secret of its own (--webhook-secret), which the kit cannot read; pass it as webhook.secret (REELKIT_WEBHOOK_SECRET with --webhook-port) to check signatures',
            );
          }
          const parsed = runs.flatMap((run) => deliveriesOf(state, run));
          for (const p of parsed) {
            const exchange = exchangeOf(p.delivery, url(state));
            const header = p.delivery.headers[SIGNATURE];
            if (!header) {
              return fail(
                `a delivery has no ${WEBHOOK_HEADERS.signature} header; start the target with a signing secret equal to webhook.secret`,
                [exchange],
              );
            }
            const signature = parseSignatureHeader(header);
            if (!signature) {
              return fail(`the signature header '${header}' is not t=<unix seconds>,v1=<hex>`, [
                exchange,
              ]);
            }
            const expected = computeSignature({
              secret,
              timestamp: signature.timestamp,
              rawBody: p.delivery.rawBody,
            });
            if (!signature.signatures.some((s) => sameHex(s, expected))) {
              const dotted = dottedSignature(secret, signature.timestamp, p.delivery.rawBody);
              const hint = signature.signatures.some((s) => sameHex(s, dotted))
                ? `: it was computed over "<t>.<raw body>"; the separator must be a comma`
                : ': check that the target signs the raw body with the same secret as webhook.secret';
              return fail(`the signature of ${p.type ?? 'a delivery'} does not verify${hint}`, [
                exchange,
              ]);
            }
          }
          return pass(`${parsed.length} signatures verify`);
        }),
    },
    signatureTimeCheck(op, probes, source, (state) =>
      judged(state, () => {
        const parsed = runs.flatMap((run) => deliveriesOf(state, run));
        return signatureTimeVerdict(parsed, url(state));
      }),
    ),
    {
      id: `${op}: webhook payload matches a later poll`,
      operationId: op,
      check: 'webhook-payload',
      rule: `Every delivery body is a VideoWebhookEvent (JSON, content-type application/json) whose data (id, status, unsigned_urls, error, generation_id) a poll of the job after the delivery confirms; ${source}.`,
      probes,
      judge: (state) =>
        judged(state, () => {
          for (const run of runs) {
            for (const p of deliveriesOf(state, run)) {
              const exchange = exchangeOf(p.delivery, url(state));
              if (!(p.delivery.headers['content-type'] ?? '').startsWith('application/json')) {
                return fail(
                  `content-type ${p.delivery.headers['content-type'] ?? '(none)'}, not application/json`,
                  [exchange],
                );
              }
              const issues = validate(VideoWebhookEvent, p.body);
              if (issues.length)
                return fail(`the event body: ${describeIssues(issues)}`, [exchange]);
              const poll = run.job ? laterPolls.get(run.job.id) : undefined;
              if (!poll || poll.status !== 200) {
                return fail(
                  `a poll of job ${run.job?.id} after the delivery answered ${poll?.status ?? 'nothing'}`,
                  poll ? [exchange, poll.exchange] : [exchange],
                );
              }
              const mismatch = compare(p.body, poll.json, poll.request.url);
              if (mismatch) return fail(mismatch, [exchange, poll.exchange]);
            }
          }
          return pass(`${runs.length} payload(s) agree with a later poll`);
        }),
    },
  ];
  const unavailable = ctx.webhookUnavailable;
  return {
    probes: [probe],
    checks: unavailable ? checks.map((c) => ({ ...c, unavailable })) : checks,
  };
}

/**
 * How far ahead of the receiver's clock a signature may be: the sender's and the receiver's clocks
 * may differ by a few seconds, but a delivery cannot be signed after it arrived.
 */
export const SIGNATURE_FUTURE_TOLERANCE_SECONDS = 30;

/** `webhook signature timestamp is wall-clock time`, judged by {@link signatureTimeVerdict}. */
function signatureTimeCheck(
  op: string,
  probes: readonly string[],
  source: string,
  judge: (state: RunState) => Verdict,
): CheckDef {
  return {
    id: `${op}: webhook signature timestamp is wall-clock time`,
    operationId: op,
    check: 'webhook-signature',
    rule: `The t= of ${WEBHOOK_HEADERS.signature} is the real time of the delivery: at most ${SIGNATURE_FUTURE_TOLERANCE_SECONDS} s ahead of the receiver's clock when it arrives and at most ${SIGNATURE_TOLERANCE_SECONDS} s behind it (receivers reject timestamps more than ${SIGNATURE_TOLERANCE_SECONDS} s from their own clock, in either direction), whatever clock the target simulates; ${source}.`,
    probes,
    judge,
  };
}

/** Each signature's `t=` against the receiver's wall clock at receipt. */
function signatureTimeVerdict(parsed: readonly Parsed[], url: string): Verdict {
  let seen = 0;
  for (const p of parsed) {
    const signature = parseSignatureHeader(p.delivery.headers[SIGNATURE] ?? '');
    if (!signature) continue;
    seen++;
    const received = p.delivery.receivedAt / 1000;
    const ahead = signature.timestamp - received;
    const exchange = exchangeOf(p.delivery, url);
    if (ahead > SIGNATURE_FUTURE_TOLERANCE_SECONDS) {
      return fail(
        `the signature timestamp ${signature.timestamp} is ${Math.round(ahead)} s in the future of the receiver's clock at receipt (${Math.floor(received)}); sign with the wall clock, not a simulated one: receivers reject more than ${SIGNATURE_TOLERANCE_SECONDS} s`,
        [exchange],
      );
    }
    if (-ahead > SIGNATURE_TOLERANCE_SECONDS) {
      return fail(
        `the signature timestamp ${signature.timestamp} is ${Math.round(-ahead)} s older than the receiver's clock at receipt (${Math.floor(received)}); receivers reject more than ${SIGNATURE_TOLERANCE_SECONDS} s`,
        [exchange],
      );
    }
  }
  return seen === 0
    ? skip(`no delivery carried a ${WEBHOOK_HEADERS.signature} to check`)
    : pass(`${seen} signature timestamp(s) within the receivers' window of the wall clock`);
}

/** The signature over "<t>.<raw body>": the wrong separator, to say exactly what went wrong. */
function dottedSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

function compare(event: unknown, polled: unknown, pollUrl: string): string | undefined {
  const data = (event as { data: Record<string, unknown> }).data;
  const poll = (polled ?? {}) as Record<string, unknown>;
  if (poll.id !== data.id)
    return `the event is about job ${String(data.id)}, the poll about ${String(poll.id)}`;
  if (poll.status !== data.status) {
    return `the event says '${String(data.status)}' but a later poll says '${String(poll.status)}'`;
  }
  if (data.status === 'completed') {
    const norm = (v: unknown) =>
      Array.isArray(v) ? v.map((u) => new URL(String(u), pollUrl).href).sort() : [];
    const a = norm(data.unsigned_urls);
    const b = norm(poll.unsigned_urls);
    if (a.join(' ') !== b.join(' ')) {
      return `the event's unsigned_urls (${a.join(', ')}) differ from the poll's (${b.join(', ')})`;
    }
  } else if (typeof poll.error === 'string' && poll.error !== data.error) {
    return `the event's error '${String(data.error)}' differs from the poll's '${poll.error}'`;
  }
  if (data.generation_id && poll.generation_id && data.generation_id !== poll.generation_id) {
    return `the event's generation_id ${String(data.generation_id)} differs from the poll's ${String(poll.generation_id)}`;
  }
  return undefined;
}
