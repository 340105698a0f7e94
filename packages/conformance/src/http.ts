/**
 * Every request the kit makes goes through a {@link Session}: it adds the key (only for the
 * target's own origin), records the exchange for the report (the request as a curl command with the
 * key masked as `$API_KEY`, the response truncated to about 4 KB) and tells which route it hit.
 * @module
 */
import type { Exchange, RecordedRequest, RecordedResponse } from './report.js';
import type { RouteRef, RouteTable } from './routes.js';
import type { Target } from './target.js';

/**
 * How much of a body a report keeps.
 *
 * @example
 * exchange.response?.body?.length <= REPORT_BODY_LIMIT; // true
 */
export const REPORT_BODY_LIMIT = 4096;

/**
 * The key sent by negative checks that need a key nobody issued.
 *
 * @example
 * await session.call('getVideo', { params, auth: 'invalid' }); // sends Bearer INVALID_API_KEY
 */
export const INVALID_API_KEY = 'reelkit-invalid-key-0000000000';

/** A request to send. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body; sent with `content-type: application/json`. */
  readonly json?: unknown;
  /**
   * Which key to send: the target's (`key`, the default; only to the target's own origin), none, or
   * an invalid one.
   */
  readonly auth?: 'key' | 'none' | 'invalid';
  /** Real-time limit in ms. Default: the session's. */
  readonly timeoutMs?: number;
  /** Aborts the request early (a held request the kit gives up on). */
  readonly signal?: AbortSignal;
}

/** A response as the checks read it, with its recorded exchange. */
export interface Reply {
  readonly request: OutgoingRequest;
  /** 0 when no response came. */
  readonly status: number;
  readonly headers: Headers;
  /** Media type, lowercased, without parameters (`application/json`). */
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly text: string;
  /** The parsed body when it is JSON, else `undefined`. */
  readonly json: unknown;
  readonly isJson: boolean;
  /** Why no response came (refused, reset, timed out). */
  readonly error?: string;
  readonly exchange: Exchange;
  /** The route the request addressed, when it is one of the table's. */
  readonly route?: RouteRef;
}

/** Options of a {@link Session}. */
export interface SessionOptions {
  readonly target: Target;
  readonly table: RouteTable;
  /** The key to send; the target's by default. */
  readonly apiKey?: string;
  /** Real-time limit of one request in ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Called with every exchange, with the operation it addressed (for proxies and recorders). */
  readonly onExchange?: (exchange: Exchange, operationId: string | undefined) => void;
}

const BINARY = /^(video|audio|image)\/|^application\/(octet-stream|zip|pdf)/;

/** Quotes a string for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that replays a request. The API key appears as `$API_KEY`, so the command is safe
 * to share and runs once the variable is set.
 *
 * @example
 * toCurl({ method: 'GET', url: 'http://127.0.0.1:4010/api/v1/videos/abc', headers: { authorization: 'Bearer $API_KEY' } });
 * // curl -sS -X GET 'http://127.0.0.1:4010/api/v1/videos/abc' \
 * //   -H "Authorization: Bearer $API_KEY"
 */
export function toCurl(request: {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}): string {
  const parts = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === 'authorization' && value === 'Bearer $API_KEY') {
      parts.push('-H "Authorization: Bearer $API_KEY"');
    } else {
      parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
    }
  }
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' \\\n  ');
}

function truncate(text: string): { body: string; truncated: boolean } {
  return text.length > REPORT_BODY_LIMIT
    ? { body: text.slice(0, REPORT_BODY_LIMIT), truncated: true }
    : { body: text, truncated: false };
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const trimmed = text.trim();
  if (!trimmed || !/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Sends and records requests against one target.
 *
 * @example
 * const session = new Session({ target, table: compileRouteTable(openrouter, target.baseUrl) });
 * const reply = await session.call('listModels');
 * reply.exchange.request.curl; // curl -sS -X GET 'http://127.0.0.1:4010/api/v1/videos/models' …
 */
export class Session {
  /** Every reply, in order. */
  readonly replies: Reply[] = [];
  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  /** The route table of the target. */
  get table(): RouteTable {
    return this.#options.table;
  }

  /** The key this session sends, if any. */
  get apiKey(): string | undefined {
    return this.#options.apiKey ?? this.#options.target.apiKey;
  }

  /**
   * Sends a request to a route of the table.
   *
   * @example
   * await session.call('getVideo', { params: { jobId: 'abc' } });
   */
  call(
    key: string,
    options: Omit<OutgoingRequest, 'method' | 'url'> & {
      readonly params?: Readonly<Record<string, string>>;
      readonly query?: Readonly<Record<string, string>>;
    } = {},
  ): Promise<Reply> {
    const { params, query, ...rest } = options;
    const route = this.table.get(key);
    return this.send({ ...rest, method: route.method, url: this.table.url(key, params, query) });
  }

  /**
   * Sends a request and records the exchange. Never rejects: a failed connection is a reply with
   * status 0 and an `error`.
   *
   * @example
   * const reply = await session.send({ method: 'GET', url: `${target.baseUrl}/videos/models` });
   */
  async send(request: OutgoingRequest): Promise<Reply> {
    const { target } = this.#options;
    const headers: Record<string, string> = { ...request.headers };
    const masked: Record<string, string> = { ...request.headers };
    const sameOrigin = (() => {
      try {
        return new URL(request.url).origin === target.origin;
      } catch {
        return false;
      }
    })();
    const auth = request.auth ?? 'key';
    if (auth === 'key' && sameOrigin && this.apiKey) {
      headers.authorization = `Bearer ${this.apiKey}`;
      masked.authorization = 'Bearer $API_KEY';
    } else if (auth === 'invalid') {
      headers.authorization = `Bearer ${INVALID_API_KEY}`;
      masked.authorization = `Bearer ${INVALID_API_KEY}`;
    }
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] ??= 'application/json';
      masked['content-type'] ??= 'application/json';
    }
    const requestBody = body === undefined ? undefined : truncate(body).body;
    const recordedRequest: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: masked,
      ...(requestBody !== undefined ? { body: requestBody } : {}),
      curl: toCurl({
        method: request.method,
        url: request.url,
        headers: masked,
        ...(body !== undefined ? { body } : {}),
      }),
    };
    const match = this.table.match(request.method, request.url);
    const route = match ? { key: match.key, route: match.route } : undefined;
    const started = performance.now();
    let reply: Reply;
    try {
      const response = await target.fetch(request.url, {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.any([
          AbortSignal.timeout(request.timeoutMs ?? this.#options.timeoutMs ?? 30_000),
          ...(request.signal ? [request.signal] : []),
        ]),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const contentType = (response.headers.get('content-type') ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const binary = BINARY.test(contentType);
      const text = binary ? '' : new TextDecoder().decode(bytes);
      const parsed = binary ? ({ ok: false } as const) : parseJson(text);
      const shown = binary
        ? { body: `<${bytes.byteLength} bytes of ${contentType}>`, truncated: false }
        : truncate(text);
      const recordedResponse: RecordedResponse = {
        status: response.status,
        headers: headerRecord(response.headers),
        ...(bytes.byteLength > 0 ? { body: shown.body } : {}),
        ...(shown.truncated ? { bodyTruncated: true } : {}),
        durationMs: Math.round(performance.now() - started),
      };
      reply = {
        request,
        status: response.status,
        headers: response.headers,
        contentType,
        bytes,
        text,
        json: parsed.ok ? parsed.value : undefined,
        isJson: parsed.ok,
        exchange: { request: recordedRequest, response: recordedResponse },
        ...(route ? { route } : {}),
      };
    } catch (cause) {
      const error =
        cause instanceof Error
          ? `${cause.name}: ${cause.message}`
          : `request failed: ${String(cause)}`;
      reply = {
        request,
        status: 0,
        headers: new Headers(),
        contentType: '',
        bytes: new Uint8Array(),
        text: '',
        json: undefined,
        isJson: false,
        error,
        exchange: { request: recordedRequest, error },
        ...(route ? { route } : {}),
      };
    }
    this.replies.push(reply);
    this.#options.onExchange?.(reply.exchange, route?.route.operationId);
    return reply;
  }
}
