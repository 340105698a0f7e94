/**
 * The two mounts the client suite runs against: msw in-process (the router's real origin) and
 * fastify over loopback, both on a virtual clock. Nothing here reaches the internet: msw errors
 * on any request it does not handle, and the fastify mount only ever sees 127.0.0.1.
 */
import type { ProviderId } from '@reelkit/spec';
import { providers } from '@reelkit/spec';
import type { ControllableClock, MockEngine, MockEngineOptions } from '@reelkit/mocks';
import { createAutoClock, createMockEngine, mockProviders } from '@reelkit/mocks';
import { listenMockServer } from '@reelkit/mocks/fastify';
import { createMswHandlers } from '@reelkit/mocks/msw';
import { setupServer } from 'msw/node';
import { expect } from 'vitest';
import type { Reelkit, ReelkitOptions } from '../src/index.js';
import { createReelkit } from '../src/index.js';

export const API_KEY = 'sk-reelkit-test';

/** Which mount a suite runs on. */
export type MountName = 'msw' | 'fastify';

export const MOUNT_NAMES: readonly MountName[] = ['msw', 'fastify'];

/** A mock engine served one way, with the base URL a client uses to reach it. */
export interface Mount {
  readonly name: MountName;
  readonly provider: ProviderId;
  readonly engine: MockEngine;
  readonly clock: ControllableClock;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a mock of `provider` on `name`, on an auto clock (virtual time that never waits) unless
 * a clock is given.
 */
export async function mount(
  name: MountName,
  provider: ProviderId,
  options: Partial<MockEngineOptions> & { clock?: ControllableClock } = {},
): Promise<Mount> {
  const clock = options.clock ?? createAutoClock();
  const mock = options.provider ?? mockProviders[provider];
  const engine = createMockEngine({ ...options, provider: mock, clock });
  const spec = providers[provider];
  if (name === 'msw') {
    const server = setupServer(...createMswHandlers(engine));
    server.listen({ onUnhandledRequest: 'error' });
    return {
      name,
      provider,
      engine,
      clock,
      baseUrl: `${spec.origin}${spec.basePath}`,
      close: async () => server.close(),
    };
  }
  const server = await listenMockServer({ engine, port: 0 });
  const close = async () => {
    // An aborted request can leave a connection that never sends a request (undici reconnects
    // eagerly); it would hold close() until the server's request timeout.
    server.app.server.closeAllConnections();
    await server.close();
  };
  return { name, provider, engine, clock, baseUrl: server.baseUrl, close };
}

/** A deterministic random source (mulberry32), for poll jitter and backoff. */
export function seeded(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A unified client pointed at a mount, on the mount's clock. */
export function reelkitFor(
  target: Mount,
  options: ReelkitOptions & { readonly fetch?: typeof fetch } = {},
): Reelkit {
  return createReelkit({
    clock: target.clock,
    random: seeded(),
    ...options,
    retry: options.retry === false ? false : { random: seeded(7), ...options.retry },
    providers: {
      [target.provider]: {
        apiKey: API_KEY,
        baseUrl: target.baseUrl,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      },
    },
  });
}

/** Resolves when `condition` holds, yielding to the event loop (and to I/O) in between. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
    if (i > 50) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Checks an MP4 by its first box. */
export function expectMp4(bytes: Uint8Array): void {
  expect(bytes.byteLength).toBeGreaterThan(100);
  expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
}

/** A `WritableStream` that collects what it is given. */
export function collector(): { stream: WritableStream<Uint8Array>; bytes: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    stream: new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) }),
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return out;
    },
  };
}

/** Runs `fn` and returns what it throws (failing the test when it does not). */
export async function caught(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-error: ${String(error)}`);
  }
  throw new Error('expected an error, got none');
}
