/**
 * The control plane, served on every mock origin under `/__reelkit/` (a prefix no router uses):
 * health, reset, the clock, jobs with their status history, scenarios, diagnostics and media.
 * @module
 */
import { maxAdvanceFrom } from './clock.js';
import type { EngineControl } from './engine-control.js';
import type { Namespace } from './namespace.js';
import { MockError } from './errors.js';
import { MEDIA_PATH } from './media.js';
import { parseFaultRule } from './faults.js';
import { SCENARIOS, WIRE_SCENARIOS } from './scenarios.js';
import type { Job } from './store.js';
import type { IncomingRequest } from './request.js';
import type { Reply } from './types.js';
import type { RequestTarget } from './url.js';

/** The largest balance the control plane sets: micro-unit rounding stays exact below it. */
export const MAX_BALANCE = 1e9;

/** The largest control-plane body, in characters. */
const MAX_CONTROL_BODY = 64 * 1024;

/** Control calls anyone who reaches the port may make: health, and media the answers link to. */
const OPEN_PATHS = new Set(['/__reelkit/health']);

const iso = (ms: number) => new Date(ms).toISOString();

/** A control-plane answer: 200 with a JSON body. */
const json = (body: unknown): Reply => ({ status: 200, body });

function describeJob(ns: Namespace, job: Job, detailed: boolean) {
  const { jobs } = ns.services;
  const current = jobs.statusOf(job);
  const history = jobs.historyOf(job).map((e) => ({ status: e.status, at: e.at, time: iso(e.at) }));
  return {
    id: job.id,
    model: job.generation.model,
    status: current.status,
    canonicalStatus: job.lifecycle.canonical[current.status],
    scenario: job.scenario,
    createdAt: iso(job.createdAt),
    history,
    ...(detailed
      ? {
          lifecycle: job.lifecycle.name,
          plan: job.timeline.map((e) => ({ status: e.status, at: e.at, time: iso(e.at) })),
          generation: job.generation,
          error: job.error ?? null,
          assets: job.assets,
          expiresAt: iso(job.expiresAt),
          request: job.request,
        }
      : {}),
  };
}

async function readJson(request: IncomingRequest): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_CONTROL_BODY) {
    throw new MockError(
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      `The control-plane body has ${text.length} characters; at most ${MAX_CONTROL_BODY} are accepted.`,
    );
  }
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new MockError(
    'MOCK_ERR_BAD_CONTROL_REQUEST',
    'The control-plane body must be a JSON object.',
  );
}

/** A path segment, percent-decoded; a malformed escape is the caller's mistake (400). */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new MockError(
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      `The path segment '${raw.slice(0, 100)}' is not valid percent-encoding.`,
    );
  }
}

/**
 * A number field of a control body: finite and within [min, max], else a 400 naming the field
 * and the range.
 */
function numberField(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  unit: string,
): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const got = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? 'nothing');
    throw new MockError(
      'MOCK_ERR_BAD_CONTROL_REQUEST',
      `"${field}" must be a number from ${min} to ${max} ${unit}; got ${got.slice(0, 60)}.`,
    );
  }
  return value;
}

/**
 * An API key as control answers show it: never whole. At most a quarter of it, and at most four
 * characters, is kept at each end (`sk-or-v1-0123…cdef` → `sk-o…cdef`).
 *
 * @example
 * maskKey('sk-or-v1-0123456789abcdef'); // 'sk-o…cdef'
 * maskKey('test'); // 't…t'
 */
export function maskKey(key: string): string {
  const keep = Math.min(4, Math.floor(key.length / 4));
  return keep === 0 ? '…' : `${key.slice(0, keep)}…${key.slice(-keep)}`;
}

/** Compares two strings in time that depends only on their lengths. */
function sameSecret(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

/** The control token a request carries, from either header. */
function tokenOf(request: IncomingRequest): string | undefined {
  const own = request.headers.get('x-reelkit-control-token');
  if (own !== null) return own.trim();
  const auth = request.headers.get('authorization')?.trim();
  return auth && /^bearer\s/i.test(auth) ? auth.slice(7).trim() : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may call the control plane: the token holder (when a token is set), from this site, and,
 * for calls that change state, with a JSON body, which a browser cannot send cross-site without a
 * CORS preflight that the mock never grants.
 */
function checkCaller(
  engine: EngineControl,
  request: IncomingRequest,
  target: RequestTarget,
  path: string,
  method: string,
): void {
  const open = OPEN_PATHS.has(path) || path.startsWith(MEDIA_PATH);
  const token = engine.controlToken;
  if (token !== undefined && !open) {
    const given = tokenOf(request);
    if (given === undefined || !sameSecret(given, token)) {
      throw new MockError(
        'MOCK_ERR_CONTROL_UNAUTHORIZED',
        given === undefined
          ? 'This control plane needs its token: send "Authorization: Bearer <token>" or "X-Reelkit-Control-Token: <token>" (the value of --control-token or REELKIT_CONTROL_TOKEN).'
          : 'The control token is wrong; send the value of --control-token (or REELKIT_CONTROL_TOKEN).',
      );
    }
  }
  if (SAFE_METHODS.has(method)) return;
  const fetchSite = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  const origin = request.headers.get('origin')?.trim();
  if (
    fetchSite === 'cross-site' ||
    (origin !== undefined && origin !== target.origin && origin !== engine.publicOrigin)
  ) {
    throw new MockError(
      'MOCK_ERR_CROSS_SITE_REFUSED',
      `${method} ${path} changes the mock's state and is refused from another site (${fetchSite === 'cross-site' ? 'Sec-Fetch-Site: cross-site' : `Origin ${origin?.slice(0, 100)}`}): a web page must not drive the control plane. Call it from a script, curl or a test.`,
    );
  }
  const contentType = request.headers.get('content-type');
  const json = contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
  // DELETE carries no body and needs a CORS preflight from any page: it may omit the type.
  if (!json && (method !== 'DELETE' || contentType !== null)) {
    throw new MockError(
      'MOCK_ERR_UNSUPPORTED_MEDIA_TYPE',
      `${method} ${path} needs "Content-Type: application/json"${contentType === null ? '' : ` (got ${contentType.slice(0, 100)})`}, even with an empty body ({}).`,
    );
  }
}

const WEBHOOK_SETTINGS_PATH = '/__reelkit/webhooks/settings';
const WEBHOOK_SETTING_NAMES = ['secret', 'allowHttpCallbacks', 'defaultCallbackUrl'];
/** Longest signing secret the control plane takes, in characters. */
const MAX_SECRET_LENGTH = 256;

const isLoopbackHost = (hostname: string) =>
  ['127.0.0.1', '[::1]', 'localhost'].includes(hostname.toLowerCase());

/**
 * `GET`/`PUT /__reelkit/webhooks/settings`: the signing secret (never shown, only whether one is
 * set), loopback http callbacks, and the default callback. A tool that starts its own receiver (the
 * conformance kit) sets them instead of asking the operator to restart the mock.
 */
async function webhookSettings(
  engine: EngineControl,
  ns: Namespace,
  request: IncomingRequest,
  method: string,
): Promise<Reply> {
  if (!engine.provider.webhook) {
    throw new MockError(
      'MOCK_ERR_NOT_FOUND',
      `${engine.provider.spec.title} sends no webhooks, so it has no webhook settings.`,
    );
  }
  if (method === 'PUT') {
    const body = await readJson(request);
    const unknown = Object.keys(body).filter((k) => !WEBHOOK_SETTING_NAMES.includes(k));
    const bad = (message: string): never => {
      throw new MockError(
        'MOCK_ERR_BAD_CONTROL_REQUEST',
        `${message} Send any of {"secret": "<1–${MAX_SECRET_LENGTH} characters>" or null, "allowHttpCallbacks": true|false, "defaultCallbackUrl": "<https URL>" or null}.`,
      );
    };
    if (unknown.length > 0) bad(`Unknown webhook setting(s): ${unknown.join(', ')}.`);
    const { secret, allowHttpCallbacks, defaultCallbackUrl } = body;
    if (
      secret !== undefined &&
      secret !== null &&
      (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH)
    ) {
      bad('The secret must be a non-empty string of at most 256 characters, or null.');
    }
    if (allowHttpCallbacks !== undefined && typeof allowHttpCallbacks !== 'boolean') {
      bad('allowHttpCallbacks must be true or false.');
    }
    const current = ns.services.webhookSettings;
    const allowHttp = (allowHttpCallbacks as boolean | undefined) ?? current.allowHttpLoopback;
    if (defaultCallbackUrl !== undefined && defaultCallbackUrl !== null) {
      let url: URL | undefined;
      try {
        url = typeof defaultCallbackUrl === 'string' ? new URL(defaultCallbackUrl) : undefined;
      } catch {
        url = undefined;
      }
      const allowed =
        url?.protocol === 'https:' ||
        (url?.protocol === 'http:' && allowHttp === true && isLoopbackHost(url.hostname));
      if (!allowed) {
        bad(
          'defaultCallbackUrl must be an https URL (or http to 127.0.0.1/localhost with allowHttpCallbacks).',
        );
      }
    }
    const next = { ...current, allowHttpLoopback: allowHttp === true };
    if (secret === null) delete next.secret;
    else if (typeof secret === 'string') next.secret = secret;
    if (defaultCallbackUrl === null) delete next.defaultCallbackUrl;
    else if (typeof defaultCallbackUrl === 'string') next.defaultCallbackUrl = defaultCallbackUrl;
    await ns.setWebhookSettings(next);
  } else if (method !== 'GET') {
    throw new MockError('MOCK_ERR_NOT_FOUND', 'Webhook settings take GET or PUT.');
  }
  const settings = ns.services.webhookSettings;
  return json({
    signed: typeof settings.secret === 'string',
    allowHttpCallbacks: settings.allowHttpLoopback === true,
    defaultCallbackUrl: settings.defaultCallbackUrl ?? null,
  });
}

/**
 * Answers a `/__reelkit/*` request. See the README's "Control plane" section for every endpoint.
 *
 * @example
 * await engine.handle(new Request('http://127.0.0.1:4010/__reelkit/clock/advance', {
 *   method: 'POST', body: JSON.stringify({ seconds: 90 }),
 * }));
 */
export async function handleControl(
  engine: EngineControl,
  ns: Namespace,
  request: IncomingRequest,
  target: RequestTarget,
): Promise<Reply> {
  const path = target.pathname.replace(/\/+$/, '');
  const method = request.method.toUpperCase();
  checkCaller(engine, request, target, path, method);
  const { clock, jobs, ledger } = ns.services;
  const clockBody = () => ({ mode: clock.mode, now: clock.now(), time: iso(clock.now()) });

  if (path.startsWith(MEDIA_PATH) && method === 'GET') {
    const id = segment(path.slice(MEDIA_PATH.length).replace(/\.mp4$/, ''));
    const bytes = await engine.media.bytes(id);
    if (!bytes)
      throw new MockError('MOCK_ERR_NOT_FOUND', `No media '${id}'; it may have been reset.`);
    return { status: 200, bytes, contentType: 'video/mp4' };
  }

  switch (`${method} ${path}`) {
    case 'GET /__reelkit/health':
      return json({
        ok: true,
        provider: engine.provider.spec.id,
        namespace: ns.name,
        store: engine.store,
        ...(engine.replica !== undefined ? { replica: engine.replica } : {}),
        clock: clockBody(),
        jobs: await ns.jobCount(),
        diagnostics: engine.diagnostics.length,
      });
    case 'POST /__reelkit/reset':
      await ns.reset();
      return json({ ok: true, namespace: ns.name });
    case 'GET /__reelkit/clock':
      return json(clockBody());
    case 'POST /__reelkit/clock/advance': {
      const body = await readJson(request);
      if ('ms' in body === 'seconds' in body) {
        throw new MockError(
          'MOCK_ERR_BAD_CONTROL_REQUEST',
          'Send either {"ms": <number>} or {"seconds": <number>}.',
        );
      }
      // The clock stays within the range of a Date (up to +275760-09-13).
      const limit = maxAdvanceFrom(clock.now());
      const ms =
        'ms' in body
          ? numberField(body, 'ms', 0, limit, 'ms (the clock stays within the Date range)')
          : numberField(
              body,
              'seconds',
              0,
              Math.floor(limit / 1000),
              'seconds (the clock stays within the Date range)',
            ) * 1000;
      await ns.advanceClock(ms);
      return json(clockBody());
    }
    case 'GET /__reelkit/jobs': {
      const asked = new URLSearchParams(target.search).get('limit');
      const limit = asked === null ? 100 : Number(asked);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new MockError(
          'MOCK_ERR_BAD_CONTROL_REQUEST',
          `"limit" must be a whole number from 1 to 1000; got ${asked?.slice(0, 60)}.`,
        );
      }
      const all = await jobs.list();
      return json({
        total: all.length,
        jobs: all.slice(-limit).map((j) => describeJob(ns, j, false)),
      });
    }
    case 'GET /__reelkit/scenarios':
      return json({
        default: ns.defaultScenario,
        faultRates: engine.faultRates,
        header: 'X-Reelkit-Scenario',
        promptToken: '[reelkit:<name>]',
        scenarios: [
          ...engine.provider.scenarios.map((name) => ({
            name,
            description: SCENARIOS[name]?.description ?? '',
          })),
          ...Object.entries(WIRE_SCENARIOS).map(([name, { description }]) => ({
            name,
            description,
          })),
        ],
      });
    case 'PUT /__reelkit/scenarios/default': {
      const { name } = await readJson(request);
      if (typeof name !== 'string' || !engine.provider.scenarios.includes(name)) {
        throw new MockError(
          'MOCK_ERR_UNKNOWN_SCENARIO',
          `Send {"name": one of ${engine.provider.scenarios.join(', ')}}.`,
        );
      }
      await ns.setDefaultScenario(name);
      return json({ default: name });
    }
    case 'GET /__reelkit/diagnostics':
      return json({ diagnostics: engine.diagnostics });
    default:
      break;
  }
  if (path === '/__reelkit/faults') {
    if (method === 'GET') return json({ faults: await ns.faults.list() });
    if (method === 'POST') {
      let rule;
      try {
        rule = parseFaultRule(await readJson(request));
      } catch (error) {
        throw new MockError(
          'MOCK_ERR_BAD_CONTROL_REQUEST',
          (error as Error).message.replace('[reelkit] ', ''),
        );
      }
      return { status: 201, body: await ns.faults.add(rule) };
    }
    if (method === 'DELETE') {
      await ns.faults.clear();
      return json({ faults: [] });
    }
  }
  const faultMatch = /^\/__reelkit\/faults\/([^/]+)$/.exec(path);
  if (faultMatch && method === 'DELETE') {
    if (!(await ns.faults.remove(segment(faultMatch[1] as string)))) {
      throw new MockError('MOCK_ERR_NOT_FOUND', `No fault '${faultMatch[1]}'.`);
    }
    return json({ removed: faultMatch[1] });
  }
  if (method === 'GET' && path === '/__reelkit/balances') {
    const { config } = ledger;
    return json({
      unit: config.unit,
      defaultBalance: config.defaultBalance,
      resetsDaily: config.resetsDaily ?? false,
      // Keys masked, in a list: two keys may mask alike.
      balances: (await ledger.entries()).map(([key, balance]) => ({
        key: maskKey(key),
        balance,
      })),
    });
  }
  const balanceMatch = /^\/__reelkit\/balances\/([^/]+)$/.exec(path);
  if (balanceMatch) {
    const key = segment(balanceMatch[1] as string);
    if (method === 'PUT') {
      const body = await readJson(request);
      const balance = numberField(body, 'balance', 0, MAX_BALANCE, ledger.config.unit);
      await ledger.set(key, balance);
    } else if (method !== 'GET') {
      throw new MockError('MOCK_ERR_NOT_FOUND', 'Balances take GET or PUT.');
    }
    return json({
      key: maskKey(key),
      unit: ledger.config.unit,
      balance: await ledger.balanceOf(key),
    });
  }
  if (path === WEBHOOK_SETTINGS_PATH) return webhookSettings(engine, ns, request, method);
  if (method === 'GET' && path === '/__reelkit/webhooks') {
    return json({ policy: ns.webhooks.policy, deliveries: await ns.webhooks.list() });
  }
  const hookMatch = /^\/__reelkit\/webhooks\/([^/]+?)(\/resend)?$/.exec(path);
  if (hookMatch) {
    const id = segment(hookMatch[1] as string);
    const resend = Boolean(hookMatch[2]);
    if (resend && method === 'POST') {
      const delivery = await ns.webhooks.resend(id);
      if (!delivery) throw new MockError('MOCK_ERR_NOT_FOUND', `No webhook delivery '${id}'.`);
      return json(delivery);
    }
    if (!resend && method === 'GET') {
      const delivery = await ns.webhooks.get(id);
      if (!delivery) throw new MockError('MOCK_ERR_NOT_FOUND', `No webhook delivery '${id}'.`);
      return json(delivery);
    }
  }
  const jobMatch = /^\/__reelkit\/jobs\/([^/]+)$/.exec(path);
  if (jobMatch && method === 'GET') {
    const job = await jobs.get(segment(jobMatch[1] as string));
    if (!job) throw new MockError('MOCK_ERR_NOT_FOUND', `No job '${jobMatch[1]}'.`);
    return json(describeJob(ns, job, true));
  }
  throw new MockError(
    'MOCK_ERR_NOT_FOUND',
    `No control endpoint ${method} ${path}; see GET /__reelkit/health and the README.`,
  );
}
