/**
 * What the engine reads of a request and what it hands a server to write: the shapes shared by
 * the engine, the control plane, the scenarios and the server adapters.
 * @module
 */
import type { RequestTarget } from './url.js';

/** The header lookups the engine makes: a Web `Headers` satisfies it. Names are case-insensitive. */
export interface HeaderReader {
  get(name: string): string | null;
  has(name: string): boolean;
}

/**
 * What the engine reads of a request: a `Request` satisfies it, and so does the fastify adapter's
 * lighter object, which reads Node's parsed headers in place: building a Web `Request` (or even a
 * `Headers`) costs more than the engine's own work on a poll.
 */
export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  /** The URL already split, when the server knows its parts (the engine parses `url` otherwise). */
  readonly target?: RequestTarget;
  readonly headers: HeaderReader;
  text(): Promise<string>;
  formData(): Promise<FormData>;
}

/**
 * A plain answer; `handle()` wraps it in a `Response`. A string body is JSON text, left for the
 * server to encode (Node writes strings to the socket without an intermediate copy); its
 * `content-length` header is set by the engine all the same.
 */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string | null;
}
