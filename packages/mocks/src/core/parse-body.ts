/**
 * Request bodies: read, parsed (JSON or multipart) and checked against the route's accepted forms
 * and limits before a handler sees them.
 * @module
 */
import type { RouteDef } from '@reelkit/spec';
import {
  exceedsJsonDepth,
  INVALID_UTF8_MESSAGE,
  InvalidBodyEncodingError,
  readBodyText,
} from './json-body.js';
import type { ResolvedRouteLimits } from './limits.js';
import type { IncomingRequest } from './request.js';
import { promptOf } from './scenarios.js';
import type { MockProvider, Reply } from './types.js';

/** A body parsed and checked, or the router's refusal of it. */
export type ParsedBody =
  | { ok: true; body: Record<string, unknown>; files: ReadonlyMap<string, File[]> }
  | { ok: false; reply: Reply };

/** The parse of a route without a body (shared: handlers never mutate `ctx.body`). */
export const NO_BODY: ParsedBody = Object.freeze({
  ok: true,
  body: Object.freeze({}),
  files: new Map<string, File[]>(),
});

/**
 * Parses and validates a body against the route's accepted forms (`route.body`): its content type,
 * size, JSON depth, schema and prompt length, each refused in the router's own envelope.
 *
 * @example
 * const parsed = await parseBody(provider, route.body, request, limitsOf(route));
 * if (!parsed.ok) return respond(parsed.reply, route, 'if-declared');
 */
export async function parseBody(
  provider: MockProvider,
  bodies: NonNullable<RouteDef['body']>,
  request: IncomingRequest,
  limits: ResolvedRouteLimits,
): Promise<ParsedBody> {
  const contentType =
    (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = bodies.map((b) => b.contentType);
  const def = bodies.find((b) => b.contentType === contentType);
  if (!def) {
    const message = contentType
      ? `Content-Type ${contentType} is not accepted; send ${accepted.join(' or ')}.`
      : `A request body is required, sent as ${accepted.join(' or ')}.`;
    return { ok: false, reply: provider.error('validation', { message }) };
  }
  let raw: Record<string, unknown>;
  const files = new Map<string, File[]>();
  try {
    if (contentType === 'application/json') {
      const text = await readBodyText(request);
      // Servers stop reading at the limit already; this covers the engine used as `fetch`.
      if (text.length > limits.maxBodyBytes)
        return { ok: false, reply: tooLarge(provider, limits) };
      if (exceedsJsonDepth(text, limits.maxJsonDepth)) {
        return {
          ok: false,
          reply: provider.error('validation', {
            message: `The JSON body nests deeper than ${limits.maxJsonDepth} levels.`,
          }),
        };
      }
      const json: unknown = JSON.parse(text);
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        return {
          ok: false,
          reply: provider.error('validation', {
            message: 'The request body must be a JSON object.',
          }),
        };
      }
      raw = json as Record<string, unknown>;
    } else {
      const form = await request.formData();
      raw = {};
      for (const [name, value] of form) {
        if (typeof value === 'string') raw[name] = value;
        else files.set(name, [...(files.get(name) ?? []), value]);
      }
      for (const [name, list] of files) raw[name] = list;
    }
  } catch (error) {
    if (error instanceof InvalidBodyEncodingError) {
      return { ok: false, reply: provider.error('validation', { message: INVALID_UTF8_MESSAGE }) };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reply: provider.error('validation', {
        message: `The request body could not be parsed: ${detail}`,
      }),
    };
  }
  const result = def.schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, reply: provider.error('validation', { issues: result.error.issues }) };
  }
  const body = result.data as Record<string, unknown>;
  const prompt = promptOf(body);
  if (prompt !== undefined && prompt.length > limits.maxPromptChars) {
    return {
      ok: false,
      reply: provider.error('validation', {
        param: 'prompt',
        message: `prompt must be ${limits.maxPromptChars} characters or less (it has ${prompt.length}).`,
      }),
    };
  }
  return { ok: true, body, files };
}

/** The router's own answer to a body over the route's limit (413 or 400, as the router does). */
function tooLarge(provider: MockProvider, limits: ResolvedRouteLimits): Reply {
  return provider.error('payload_too_large', {
    message: `The request body is larger than this route's limit of ${limits.maxBodyBytes} bytes.`,
  });
}
