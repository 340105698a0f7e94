/**
 * `--via-prism`: run the checks through `prism proxy` with reelkit's generated OpenAPI document,
 * and turn every `sl-violations` finding in a response into a failing `prism-violation` check.
 *
 * The traffic goes: checks → a small recording relay → prism proxy → the target. The relay looks
 * like the target (same base path; `/__reelkit/` control-plane calls go straight to the target's
 * origin, since prism does not know them) and remembers each exchange with prism's verdict.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderId } from '@reelkit/spec';
import { compileRouteMatcher, fastrouterSpec, providers } from '@reelkit/spec';
import { INVALID_API_KEY, toCurl } from './http.js';
import type { CheckResult, Exchange } from './report.js';

/** Why `--via-prism` could not start, with a stable code. */
export class PrismProxyError extends Error {
  override readonly name = 'PrismProxyError';
  constructor(
    readonly code: 'openapi-not-found' | 'prism-not-installed' | 'prism-start-failed',
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link startPrismProxy}. */
export interface PrismProxyOptions {
  readonly provider: ProviderId;
  /** The target's base URL (origin and base path), e.g. `http://127.0.0.1:4010/api/v1`. */
  readonly upstream: string;
  /** OpenAPI document to validate against; default `@reelkit/spec`'s `openapi/<provider>.json`. */
  readonly openapiFile?: string;
  /**
   * Also fail on violations prism finds in requests (default false: negative checks send
   * invalid requests on purpose, and prism cannot tell them from mistakes).
   */
  readonly includeRequestViolations?: boolean;
  /** How long prism may take to start (default 60 s; it takes a few seconds). */
  readonly startTimeoutMs?: number;
  /** Bodies kept per exchange, in characters (default 16 384). */
  readonly maxBodyChars?: number;
  /** Prism's own log lines, for troubleshooting. */
  readonly log?: (line: string) => void;
}

/** One finding of prism, as sent in the `sl-violations` header. */
export interface PrismViolation {
  readonly location: readonly string[];
  readonly severity: string;
  readonly code?: string | number;
  readonly message: string;
}

/** One exchange that went through prism, and what prism said about it. */
export interface PrismObservation {
  readonly operationId: string;
  /**
   * The answer was binary: prism validated its status and headers, then the request was sent
   * again straight to the target for an uncorrupted body (prism re-encodes binary bodies).
   */
  readonly replayed: boolean;
  readonly exchange: Exchange;
  readonly violations: readonly PrismViolation[];
}

/** A running prism proxy with its recording relay. */
export interface PrismProxy {
  /** Give this to the target instead of the real base URL. */
  readonly baseUrl: string;
  /** Prism's own address (paths relative to the base path). */
  readonly prismUrl: string;
  /** The real target. */
  readonly upstream: string;
  /** The OpenAPI document prism validates against. */
  readonly openapiFile: string;
  /** Every exchange so far, in order. */
  observations(): readonly PrismObservation[];
  /** One `prism-violation` check per operation seen: failing if any response broke the document. */
  results(): CheckResult[];
  /** Stops the relay and prism. */
  close(): Promise<void>;
}

const BINARY = /^(video|audio|image)\/|octet-stream|multipart\//i;

/**
 * The OpenAPI document reelkit generated for a provider.
 *
 * @example
 * defaultOpenApiFile('openrouter'); // '/…/node_modules/@reelkit/spec/openapi/openrouter.json'
 */
export function defaultOpenApiFile(provider: ProviderId): string {
  const require = createRequire(import.meta.url);
  const candidates = [
    ...(require.resolve.paths('@reelkit/spec') ?? []).map((dir) =>
      join(dir, '@reelkit', 'spec', 'openapi', `${provider}.json`),
    ),
    // In the reelkit repository: packages/conformance/{src,dist}/prism.* → packages/spec/openapi.
    fileURLToPath(new URL(`../../spec/openapi/${provider}.json`, import.meta.url)),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new PrismProxyError(
      'openapi-not-found',
      `No OpenAPI document for ${provider}: looked for @reelkit/spec/openapi/${provider}.json. ` +
        'Run `npm run openapi` in the reelkit repository, or pass openapiFile.',
    );
  }
  return found;
}

/**
 * Where Prism's command is. `@stoplight/prism-cli` is an optional peer dependency (about 90 MB that
 * only `--via-prism` needs), so it is looked up when a proxy starts, from `from` (by default this
 * module, which finds it in the project that installed the kit).
 *
 * @example
 * spawn(process.execPath, [prismBin(), 'proxy', doc, upstream]);
 */
export function prismBin(from: string | URL = import.meta.url): string {
  let pkg: string;
  try {
    pkg = createRequire(from).resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new PrismProxyError(
      'prism-not-installed',
      '--via-prism needs Prism, an optional peer dependency that is not installed: ' +
        'npm install --save-dev @stoplight/prism-cli (on Node 20 and 22: @stoplight/prism-cli@~5.14.2)',
    );
  }
  return join(dirname(pkg), 'dist', 'index.js');
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function startPrism(
  args: readonly string[],
  timeoutMs: number,
  log?: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let started = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new PrismProxyError('prism-start-failed', `prism proxy ${why}:\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        log?.(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (!started && line.includes('Prism is listening')) {
          started = true;
          clearTimeout(timer);
          resolve(child);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`could not run: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (!started) fail(`exited (${signal ?? `code ${code}`}) before listening`);
    });
  });
}

/**
 * Parses an `sl-violations` header.
 *
 * @example
 * parseViolations('[{"location":["response","body"],"severity":"Error","message":"…"}]').length; // 1
 */
export function parseViolations(header: string | undefined): PrismViolation[] {
  if (!header) return [];
  try {
    const value: unknown = JSON.parse(header);
    if (!Array.isArray(value)) return [];
    return value.flatMap((v: unknown): PrismViolation[] => {
      if (typeof v !== 'object' || v === null) return [];
      const o = v as Record<string, unknown>;
      const location = Array.isArray(o.location) ? o.location.map(String) : [];
      const code = typeof o.code === 'string' || typeof o.code === 'number' ? o.code : undefined;
      return [
        {
          location,
          severity: String(o.severity ?? 'Error'),
          ...(code !== undefined ? { code } : {}),
          message: String(o.message ?? 'violation'),
        },
      ];
    });
  } catch {
    return [{ location: [], severity: 'Error', message: `unreadable sl-violations: ${header}` }];
  }
}

/** Headers fetch adds on its own; a replayed request does not need them. */
const FETCH_NOISE = new Set(['accept-language', 'sec-fetch-mode', 'user-agent']);

/** Request headers as reports show them: the API key masked as `$API_KEY`, fetch noise left out. */
function reportedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (FETCH_NOISE.has(name) || (name === 'accept' && value === '*/*')) continue;
    out[name] =
      name === 'authorization' && /^bearer\s/i.test(value) && value !== `Bearer ${INVALID_API_KEY}`
        ? 'Bearer $API_KEY'
        : value;
  }
  return out;
}

const SKIP_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
]);

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function headerRecord(headers: IncomingMessage['headers'], skip?: Set<string>) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || skip?.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function bodyText(raw: Buffer, size: number, contentType: string, max: number) {
  if (size === 0) return { text: undefined, truncated: false };
  if (BINARY.test(contentType))
    return { text: `(${contentType}, ${size} bytes)`, truncated: false };
  const text = raw.toString('utf8');
  if (text.length > max) return { text: text.slice(0, max), truncated: true };
  return { text, truncated: size > raw.length };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Sends a buffered request and resolves with the answer's head; the body is left to read. */
function forward(
  destination: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: Buffer,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = destination.protocol === 'https:' ? httpsRequest : httpRequest;
    const out = send(destination, { method, headers }, resolve);
    out.once('error', reject);
    out.end(body);
  });
}

/** Raw header pairs without the ones the relay recomputes, with URLs moved to the relay. */
function relayHeaders(raw: readonly string[], rewrite: (text: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection')
      continue;
    out.push(name, lower === 'location' ? rewrite(raw[i + 1] as string) : (raw[i + 1] as string));
  }
  return out;
}

/**
 * Operations answered with a body prism proxy would corrupt (it re-encodes binary bodies as
 * text), that can be asked again directly without side effects: downloads (GET) and read-only
 * polls a router documents as streaming the video.
 */
function replayable(provider: ProviderId, method: string, operationId: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return (
    provider === 'fastrouter' &&
    (fastrouterSpec.SORA_BINARY_ON_COMPLETION.routes as readonly string[]).includes(operationId)
  );
}

function operationMatcher(provider: ProviderId) {
  const matcher = compileRouteMatcher(providers[provider].routes);
  return (method: string, path: string): string =>
    matcher.match(method, path)?.route.operationId ?? `unknown (${method} ${path})`;
}

/**
 * Starts `prism proxy` in front of a target, plus a recording relay in front of prism. Point the
 * checks at `baseUrl`, then add `results()` to the report.
 *
 * @example
 * const prism = await startPrismProxy({ provider: 'openrouter', upstream: 'http://127.0.0.1:4010/api/v1' });
 * try {
 *   const target = httpTarget({ provider: 'openrouter', baseUrl: prism.baseUrl, apiKey: 'test' });
 *   const report = await runConformance({ provider: 'openrouter', target });
 *   console.log(withResults(report, prism.results()).summary);
 * } finally {
 *   await prism.close();
 * }
 */
export async function startPrismProxy(options: PrismProxyOptions): Promise<PrismProxy> {
  const upstream = new URL(options.upstream);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const upstreamBase = `${upstream.origin}${basePath}`;
  const openapiFile = options.openapiFile ?? defaultOpenApiFile(options.provider);
  const maxBody = options.maxBodyChars ?? 16_384;
  const operationOf = operationMatcher(options.provider);
  const prismPort = await freePort();
  const prism = await startPrism(
    [
      prismBin(),
      'proxy',
      openapiFile,
      upstreamBase,
      '-h',
      '127.0.0.1',
      '-p',
      String(prismPort),
      '--cors=false',
    ],
    options.startTimeoutMs ?? 60_000,
    options.log,
  );
  const prismUrl = `http://127.0.0.1:${prismPort}`;
  const observed: PrismObservation[] = [];

  let relayOrigin = '';
  const rewrite = (text: string) =>
    text.includes(upstream.origin) ? text.split(upstream.origin).join(relayOrigin) : text;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const body = await readAll(req);
    const headers: OutgoingHttpHeaders = { ...req.headers };
    for (const name of ['host', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding'])
      delete headers[name];
    if (body.length > 0 || req.headers['content-length'] !== undefined)
      headers['content-length'] = String(body.length);

    // The control plane is reelkit's, not the router's: straight to the target's origin.
    if (url.startsWith('/__reelkit/')) {
      const answer = await forward(new URL(url, upstream.origin), method, headers, body);
      res.writeHead(
        answer.statusCode ?? 502,
        relayHeaders(answer.rawHeaders, (t) => t),
      );
      answer.pipe(res);
      return;
    }

    const relative =
      url.startsWith(`${basePath}/`) || url === basePath ? url.slice(basePath.length) : url;
    const path = relative.split('?')[0] ?? relative;
    const operationId = operationOf(method, path);
    const direct = new URL(`${upstreamBase}${relative}`);
    const started = performance.now();
    let answer = await forward(new URL(`${prismUrl}${relative}`), method, headers, body);
    const violations = parseViolations(headerValue(answer.headers['sl-violations']));
    const contentType = headerValue(answer.headers['content-type']) ?? '';
    let replayed = false;
    if (BINARY.test(contentType)) {
      if (replayable(options.provider, method, operationId)) {
        answer.resume();
        answer = await forward(direct, method, headers, body);
        replayed = true;
      } else {
        violations.push({
          location: ['response', 'body'],
          severity: 'Error',
          message: `a ${contentType} answer to ${method} went through prism proxy, which re-encodes binary bodies as text, so the body the checks saw is corrupted; this operation cannot be validated --via-prism`,
        });
      }
    }

    const status = answer.statusCode ?? 502;
    const answerType = headerValue(answer.headers['content-type']) ?? '';
    let raw: Buffer;
    let size = 0;
    if (BINARY.test(answerType)) {
      // Stream binary bodies through untouched, keeping only their size.
      const streamed = answer;
      res.writeHead(status, streamed.rawHeaders);
      streamed.on('data', (chunk: Buffer) => (size += chunk.length));
      streamed.pipe(res);
      await new Promise<void>((resolve) => streamed.once('end', () => resolve()));
      raw = Buffer.alloc(0);
    } else {
      // Text answers are small: move absolute URLs on the target's origin to the relay, so the
      // checks keep talking through prism (prism validated the answer as the target sent it).
      raw = await readAll(answer);
      size = raw.length;
      const text = raw.toString('utf8');
      const out = text.includes(upstream.origin) ? Buffer.from(rewrite(text)) : raw;
      const outHeaders = relayHeaders(answer.rawHeaders, rewrite);
      outHeaders.push('content-length', String(out.length));
      res.writeHead(status, outHeaders);
      res.end(out);
    }

    const requestHeaders = headerRecord(req.headers, SKIP_REQUEST_HEADERS);
    const reqBody = bodyText(body, body.length, requestHeaders['content-type'] ?? '', maxBody);
    const resBody = bodyText(raw, size, answerType, maxBody);
    const shown = reportedHeaders(requestHeaders);
    const reqText = reqBody.text !== undefined ? { body: reqBody.text } : {};
    observed.push({
      operationId,
      violations,
      replayed,
      exchange: {
        request: {
          method,
          url: direct.href,
          headers: shown,
          ...reqText,
          curl: toCurl({ method, url: direct.href, headers: shown, ...reqText }),
        },
        response: {
          status,
          headers: headerRecord(answer.headers),
          ...(resBody.text !== undefined ? { body: resBody.text } : {}),
          ...(resBody.truncated ? { bodyTruncated: true } : {}),
          durationMs: Math.round(performance.now() - started),
        },
      },
    });
  };

  const relay = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`reelkit --via-prism relay: ${message}`);
    });
  });
  // Synchronous routers hold a request open for minutes; never time the relay out.
  relay.requestTimeout = 0;
  relay.headersTimeout = 0;
  relay.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', resolve);
  });
  const relayPort = (relay.address() as AddressInfo).port;
  relayOrigin = `http://127.0.0.1:${relayPort}`;

  const counted = (o: PrismObservation) =>
    o.violations.filter(
      (v) =>
        v.severity.toLowerCase() === 'error' &&
        (v.location[0] === 'response' || options.includeRequestViolations === true),
    );

  return {
    baseUrl: `${relayOrigin}${basePath}`,
    prismUrl,
    upstream: upstreamBase,
    openapiFile,
    observations: () => [...observed],
    results: () => prismResults(observed, counted, openapiFile),
    close: async () => {
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      if (prism.exitCode === null && prism.signalCode === null) {
        const exited = new Promise<void>((resolve) => prism.once('exit', () => resolve()));
        prism.kill('SIGTERM');
        const timer = setTimeout(() => prism.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function prismResults(
  observed: readonly PrismObservation[],
  counted: (o: PrismObservation) => PrismViolation[],
  openapiFile: string,
): CheckResult[] {
  const rule = (operationId: string) =>
    `Every ${operationId} response matches the OpenAPI document ${openapiFile.replace(/^.*\/(packages\/spec\/|@reelkit\/spec\/)/, '$1')} (validated by prism proxy; sl-violations must be empty)`;
  if (observed.length === 0) {
    return [
      {
        id: 'prism: prism-violation',
        operationId: 'prism',
        check: 'prism-violation',
        status: 'skip',
        rule: rule('API'),
        message: 'No request went through prism proxy, so nothing was validated.',
        exchanges: [],
        durationMs: 0,
      },
    ];
  }
  const byOperation = new Map<string, PrismObservation[]>();
  for (const o of observed) {
    const list = byOperation.get(o.operationId) ?? [];
    list.push(o);
    byOperation.set(o.operationId, list);
  }
  return [...byOperation].map(([operationId, list]): CheckResult => {
    const broken = list.filter((o) => counted(o).length > 0);
    const replayed = list.filter((o) => o.replayed).length;
    const durationMs = list.reduce((sum, o) => sum + (o.exchange.response?.durationMs ?? 0), 0);
    const base = {
      id: `${operationId}: prism-violation`,
      operationId,
      check: 'prism-violation',
      rule: rule(operationId),
      durationMs,
    };
    if (broken.length === 0) {
      return {
        ...base,
        status: 'pass',
        message:
          `${list.length} response${list.length === 1 ? '' : 's'} validated, no violations.` +
          (replayed > 0
            ? ` ${replayed} binary answer${replayed === 1 ? ' was' : 's were'} fetched again straight from the target, since prism proxy re-encodes binary bodies.`
            : ''),
        exchanges: list.slice(0, 1).map((o) => o.exchange),
      };
    }
    // The same findings on many answers (every poll of a job, say) are told once, with a count.
    const groups = new Map<string, { example: PrismObservation; messages: string[]; n: number }>();
    for (const o of broken) {
      const messages = counted(o).map((v) => v.message);
      const key = `${o.exchange.response?.status ?? '?'}\n${messages.join('\n')}`;
      const group = groups.get(key);
      if (group) group.n += 1;
      else groups.set(key, { example: o, messages, n: 1 });
    }
    const lines = [...groups.values()].slice(0, 5).map(({ example, messages, n }) => {
      const shown = messages.slice(0, 10);
      const more = messages.length - shown.length;
      const { method, url } = example.exchange.request;
      return (
        `${method} ${new URL(url).pathname} → ${example.exchange.response?.status ?? '?'}` +
        `${n > 1 ? ` (and ${n - 1} more like it)` : ''}: ` +
        `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
      );
    });
    const moreGroups = groups.size - lines.length;
    return {
      ...base,
      status: 'fail',
      message:
        `${broken.length} of ${list.length} responses broke the OpenAPI document. ${lines.join(' | ')}` +
        (moreGroups > 0 ? ` | and ${moreGroups} more kinds of violation` : ''),
      exchanges: broken.slice(0, 10).map((o) => o.exchange),
    };
  });
}
