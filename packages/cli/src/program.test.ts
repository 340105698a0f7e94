import { describe, expect, it } from 'vitest';
import { openrouter } from '@reelkit/spec';
import { createProgram } from './program.js';

/** The OpenRouter model list, relative to the mock's base URL. */
const MODELS_PATH = openrouter.routes.listModels.path;

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = createProgram({
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  }).exitOverride();
  return program.parseAsync(['node', 'reelkit', ...args]).then(
    () => ({ out: out.join('\n'), err: err.join('\n') }),
    (error: unknown) => ({ out: out.join('\n'), err: err.join('\n'), error }),
  );
}

/** Starts a long-running command (mock, webhook listen) and resolves once its URL is printed. */
async function startBackground(args: string[], url: RegExp) {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const out: string[] = [];
  const program = createProgram({
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    untilStopped: () => stopped,
  }).exitOverride();
  const running = program.parseAsync(['node', 'reelkit', ...args]);
  for (let i = 0; i < 200 && !url.test(out.join('\n')); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const found = url.exec(out.join('\n'))?.[1];
  expect(found, out.join('\n')).toBeDefined();
  return {
    url: found as string,
    out,
    stop: async () => {
      stop();
      await running;
    },
  };
}

/** `reelkit mock` serving the OpenRouter mock alone on a free port, with more options. */
const startOpenRouterMock = (options: string[], url = MOCK_URL) =>
  startBackground(['mock', '--provider', 'openrouter', '--port', '0', ...options], url);

const MOCK_URL = /(http:\/\/127\.0\.0\.1:\d+\/api\/v1)/;

describe('reelkit routes', () => {
  it('lists the OpenRouter endpoints with their declared statuses', async () => {
    const { out } = await run(['routes', '--provider', 'openrouter']);
    expect(out).toContain('POST /api/v1/videos');
    expect(out).toMatch(
      /GET\s+\/api\/v1\/videos\/\{jobId\}\/content\s+listVideosContent\s+200 400 401 404 500 502/,
    );
  });
});

describe('reelkit mock', () => {
  it('serves one router on a free port, answers over HTTP, and stops cleanly', async () => {
    const mock = await startOpenRouterMock(['--clock', 'manual']);
    const models = await fetch(`${mock.url}${MODELS_PATH}`);
    expect(models.status).toBe(200);
    await mock.stop();
    expect(mock.out.at(-1)).toBe('reelkit mocks stopped.');
    await expect(fetch(`${mock.url}${MODELS_PATH}`)).rejects.toThrow();
  });

  it('explains a bad option', async () => {
    const result = await run(['mock', '--clock', 'sideways']);
    expect(result.err).toMatch(/Allowed choices are real, manual, auto/);
  });
});

describe('reelkit mock --store', () => {
  const mock = (...options: string[]) =>
    run(['mock', '--provider', 'openrouter', '--port', '0', ...options]);

  it('serves from a store in this process with memory://, and says so', async () => {
    const running = await startOpenRouterMock(['--store', 'memory://', '--replica', 'r1']);
    const health = (await (
      await fetch(`${new URL(running.url).origin}/__reelkit/health`)
    ).json()) as { store: string; replica: string };
    expect(health).toMatchObject({ store: 'memory', replica: 'r1' });
    expect(running.out.join('\n')).toMatch(/State in memory:\/\/ \(replica r1\)/);
    await running.stop();
  });

  it('refuses what a store cannot do, each with one line that says why', async () => {
    expect((await mock('--store', 'ftp://x')).err).toMatch(/a store is redis:\/\/host:port\/db/);
    expect((await mock('--store', 'memory://', '--clock', 'auto')).err).toMatch(
      /--clock auto runs inside one process/,
    );
    expect((await mock('--replica', 'r1')).err).toMatch(/need --store/);
    // Nothing listens on port 1: the store is named, and nothing starts.
    expect((await mock('--store', 'redis://127.0.0.1:1/0')).err).toMatch(
      /the state store does not answer: .*127\.0\.0\.1:1/,
    );
  }, 30_000);
});

describe('reelkit webhook', () => {
  it('listen verifies what send signs, and rejects a wrong secret', async () => {
    const listener = await startBackground(
      ['webhook', 'listen', '--port', '0', '--secret', 'whsec_a'],
      /(http:\/\/127\.0\.0\.1:\d+\/)/,
    );
    const { url } = listener;
    const heard = listener.out;

    const good = await run([
      'webhook',
      'send',
      '--url',
      url,
      '--secret',
      'whsec_a',
      '--event',
      'failed',
      '--job-id',
      'job_1',
    ]);
    expect(good.out).toContain('→ 204');
    const bad = await run(['webhook', 'send', '--url', url, '--secret', 'whsec_b']);
    expect(bad.out).toContain('→ 401');
    await listener.stop();
    expect(heard.join('\n')).toMatch(/job_1-failed video\.generation\.failed signature ok/);
    expect(heard.join('\n')).toMatch(/job_test-completed REJECTED: webhook_signature_mismatch/);
    process.exitCode = 0;
  });
});

describe('reelkit mock --fault', () => {
  it('starts with a fault rule from the short form', async () => {
    const mock = await startOpenRouterMock(['--fault', 'server-error@listVideosModels*1']);
    expect((await fetch(`${mock.url}${MODELS_PATH}`)).status).toBe(500);
    expect((await fetch(`${mock.url}${MODELS_PATH}`)).status).toBe(200);
    await mock.stop();
  });

  it('explains a bad rule', async () => {
    const result = await run(['mock', '--fault', 'explode']);
    expect(result.err).toMatch(/kind must be one of latency/);
  });
});

describe('reelkit mock: who may reach it', () => {
  it('refuses to listen beyond loopback without a control token, saying why', async () => {
    const result = await run([
      'mock',
      '--provider',
      'openrouter',
      '--port',
      '0',
      '--host',
      '0.0.0.0',
    ]);
    expect(result.err).toMatch(/Refusing to listen on 0\.0\.0\.0 without a control token/);
    expect(result.err).not.toMatch(/Usage:/);
  });

  it('guards the control plane with --control-token (or REELKIT_CONTROL_TOKEN)', async () => {
    process.env.REELKIT_CONTROL_TOKEN = 'ctl-from-env';
    try {
      const mock = await startOpenRouterMock(['--clock', 'manual']);
      const origin = new URL(mock.url).origin;
      expect((await fetch(`${origin}/__reelkit/jobs`)).status).toBe(401);
      const ok = await fetch(`${origin}/__reelkit/jobs`, {
        headers: { 'x-reelkit-control-token': 'ctl-from-env' },
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${origin}/__reelkit/health`)).status).toBe(200);
      await mock.stop();
    } finally {
      delete process.env.REELKIT_CONTROL_TOKEN;
    }
  });

  it('names --public-url in the URLs it prints and hands out', async () => {
    const mock = await startOpenRouterMock(
      ['--public-url', 'https://mocks.example.com'],
      /(https:\/\/mocks\.example\.com\/api\/v1)/,
    );
    expect(mock.out.join('\n')).toContain('control: https://mocks.example.com/__reelkit/health');
    await mock.stop();
  });

  it('explains a --public-url that is not an origin, or one for several routers', async () => {
    const withPath = await run([
      'mock',
      '--provider',
      'openrouter',
      '--port',
      '0',
      '--public-url',
      'https://mocks.example.com/openrouter',
    ]);
    expect(withPath.err).toMatch(/must be an origin only/);
    const all = await run(['mock', '--public-url', 'https://mocks.example.com']);
    expect(all.err).toMatch(/--public-url needs a single --provider/);
  });
});
