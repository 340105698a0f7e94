import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import type {
  CheckResult,
  ConformanceReport,
  ConformanceRunner,
  PrismProxy,
  RunnerContractOptions,
} from '@reelkit/conformance';
import { parseJsonReport } from '@reelkit/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConformanceCommandDeps } from './conformance-command.js';
import { createProgram } from './program.js';

const result = (
  id: string,
  status: CheckResult['status'],
  extra: Partial<CheckResult> = {},
): CheckResult => ({
  id,
  operationId: id.split(':')[0] ?? id,
  check: 'schema',
  status,
  rule: `rule of ${id}`,
  exchanges: [],
  durationMs: 3,
  ...extra,
});

function reportOf(results: CheckResult[], baseUrl: string): ConformanceReport {
  return {
    tool: { name: 'reelkit-conformance', version: '0.1.0' },
    provider: 'openrouter',
    target: { baseUrl, controllable: true, live: false },
    startedAt: '2026-11-21T01:00:00.000Z',
    durationMs: 42,
    results,
    summary: {
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      skipped: results.filter((r) => r.status === 'skip').length,
    },
  };
}

const failing = result('getVideos: lifecycle legal', 'fail', {
  check: 'lifecycle',
  message: "'pending' cannot follow 'in_progress'",
  exchanges: [
    {
      request: {
        method: 'GET',
        url: 'http://127.0.0.1:4010/api/v1/videos/j1',
        headers: {},
        curl: "curl -sS 'http://127.0.0.1:4010/api/v1/videos/j1'",
      },
      response: { status: 200, headers: {}, body: '{"status":"pending"}', durationMs: 2 },
    },
  ],
});

/** A runner that records what it was asked and answers a fixed set of results. */
function fakeRunner(results: CheckResult[]) {
  const calls: {
    target?: Parameters<ConformanceRunner['httpTarget']>[0];
    run?: RunnerContractOptions;
  } = {};
  const runner: ConformanceRunner = {
    httpTarget: async (options) => {
      calls.target = options;
      return {
        provider: options.provider,
        baseUrl: options.baseUrl,
        origin: new URL(options.baseUrl).origin,
        fetch,
        controllable: true,
        live: false,
        controlOrigin: options.controlUrl ?? new URL(options.baseUrl).origin,
      } satisfies Awaited<ReturnType<ConformanceRunner['httpTarget']>>;
    },
    runConformance: async (options) => {
      calls.run = options;
      for (const r of results) {
        options.onProgress?.({
          type: 'start',
          id: r.id,
          operationId: r.operationId,
          check: r.check,
        });
        options.onProgress?.({ type: 'end', result: r });
      }
      return reportOf(results, options.target.baseUrl);
    },
  };
  return { runner, calls };
}

async function run(args: string[], deps: ConformanceCommandDeps) {
  const out: string[] = [];
  const err: string[] = [];
  const program = createProgram(
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { conformance: { color: false, ...deps } },
  );
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'reelkit', 'conformance', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
}

let server: Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  // Any HTTP answer counts as reachable; the fake runner does the rest.
  server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  dir = await mkdtemp(join(tmpdir(), 'reelkit-cli-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('reelkit conformance', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('explains every option in --help', async () => {
    const { out, exitCode } = await run(['--help'], {});
    expect(exitCode).toBe(0);
    for (const option of [
      '--provider <id>',
      '--base-url <url>',
      '--api-key <key>',
      '--junit <file>',
      '--json <file>',
      '--html <file>',
      '--only <check>',
      '--skip <check>',
      '--webhook-port <port>',
      '--control-token <token>',
      '--via-prism',
      '--max-cost <usd>',
    ]) {
      expect(out).toContain(option);
    }
    expect(out).toContain('Exit status: 0 when no check failed, 1 when any check failed, 2');
    expect(out).toContain('openrouter   http://127.0.0.1:4010/api/v1');
  });

  it('says clearly when the target is unreachable, and exits 2', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { runner, calls } = fakeRunner([]);
    const { err, exitCode } = await run(
      ['--provider', 'openrouter', '--base-url', `http://127.0.0.1:${port}/api/v1`],
      { loadRunner: async () => runner },
    );
    expect(exitCode).toBe(2);
    expect(err).toContain(
      `error: cannot reach http://127.0.0.1:${port}/api/v1 (connect ECONNREFUSED 127.0.0.1:${port}).`,
    );
    expect(err).toContain('`reelkit mock --provider openrouter`');
    expect(err).not.toContain('Usage:');
    expect(calls.run).toBeUndefined();
  });

  it('rejects a bad provider or URL before doing anything', async () => {
    const bad = await run(['--provider', 'acme', '--base-url', baseUrl], {});
    expect(bad.exitCode).toBe(1);
    expect(bad.err).toContain("argument 'acme' is invalid. Allowed choices are openrouter");
    const url = await run(['--provider', 'openrouter', '--base-url', 'localhost:4010'], {});
    expect(url.err).toContain('must be an http:// or https:// URL');
    const missing = await run(['--provider', 'openrouter'], {});
    expect(missing.err).toContain("required option '--base-url <url>' not specified");
  });

  it('runs, prints progress and a summary, writes the reports and exits 1 on a failure', async () => {
    vi.stubEnv('REELKIT_WEBHOOK_SECRET', 'whsec_test');
    const { runner, calls } = fakeRunner([
      result('createVideos: response schema', 'pass'),
      failing,
      result('webhooks: signature', 'skip', { message: 'skipped on the command line' }),
    ]);
    const files = {
      json: join(dir, 'out', 'report.json'),
      junit: join(dir, 'out', 'junit.xml'),
      html: join(dir, 'report.html'),
    };
    const { out, err, exitCode } = await run(
      [
        '--provider',
        'openrouter',
        '--base-url',
        `${baseUrl}/`,
        '--api-key',
        'k-123',
        '--json',
        files.json,
        '--junit',
        files.junit,
        '--html',
        files.html,
        '--only',
        'createVideos',
        '--only',
        'lifecycle',
        '--skip',
        'webhooks',
        '--max-cost',
        '0.25',
        '--webhook-port',
        '4999',
      ],
      { loadRunner: async () => runner },
    );
    expect(exitCode).toBe(1);
    expect(calls.target).toEqual({ provider: 'openrouter', baseUrl, apiKey: 'k-123' });
    expect(calls.run).toMatchObject({
      provider: 'openrouter',
      only: ['createVideos', 'lifecycle'],
      skip: [{ tests: ['webhooks'], reason: 'skipped on the command line (--skip webhooks)' }],
      maxCostUsd: 0.25,
      webhook: { port: 4999, secret: 'whsec_test' },
    });
    expect(err).toContain('  ✓ createVideos: response schema (3 ms)');
    expect(err).toContain("  ✗ getVideos: lifecycle legal (3 ms) — 'pending' cannot follow");
    expect(err).toContain('error: 1 conformance check(s) failed.');
    expect(err).not.toContain('Usage:');
    expect(out).toMatch(/getVideos\s+0\s+1\s+0/);
    expect(out).toContain('FAILED: 1 of 3 checks failed (1 passed, 1 skipped).');
    expect(out).toContain(`wrote html report: ${files.html}`);
    const json = parseJsonReport(await readFile(files.json, 'utf8'));
    expect(json.summary).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(await readFile(files.junit, 'utf8')).toContain('failures="1"');
    expect(await readFile(files.html, 'utf8')).toContain('Conformance report: OpenRouter');
  });

  it('asks for the webhook signing secret with --webhook-port', async () => {
    vi.stubEnv('REELKIT_WEBHOOK_SECRET', '');
    const { runner, calls } = fakeRunner([]);
    const { err, exitCode } = await run(
      ['--provider', 'openrouter', '--base-url', baseUrl, '--webhook-port', '0'],
      { loadRunner: async () => runner },
    );
    expect(exitCode).toBe(2);
    expect(err).toContain('set REELKIT_WEBHOOK_SECRET');
    expect(calls.run).toBeUndefined();
  });

  it('sends the control token from --control-token or REELKIT_CONTROL_TOKEN to the target', async () => {
    const { runner, calls } = fakeRunner([]);
    await run(['--provider', 'openrouter', '--base-url', baseUrl, '--control-token', 'ct-1'], {
      loadRunner: async () => runner,
    });
    expect(calls.target).toEqual({ provider: 'openrouter', baseUrl, controlToken: 'ct-1' });
    vi.stubEnv('REELKIT_CONTROL_TOKEN', 'ct-env');
    await run(['--provider', 'openrouter', '--base-url', baseUrl], {
      loadRunner: async () => runner,
    });
    expect(calls.target).toEqual({ provider: 'openrouter', baseUrl, controlToken: 'ct-env' });
    // No webhook options: the kit decides (against a mock it sets up its own receiver).
    expect(calls.run?.webhook).toBeUndefined();
  });

  it('exits 0 when nothing failed', async () => {
    const { runner } = fakeRunner([result('createVideos: response schema', 'pass')]);
    const { out, exitCode } = await run(['--provider', 'openrouter', '--base-url', baseUrl], {
      loadRunner: async () => runner,
    });
    expect(exitCode).toBe(0);
    expect(out).toContain('PASSED: 1 of 1 checks passed (0 skipped).');
  });

  it('exits 2 when the target is not the router asked for', async () => {
    const { runner } = fakeRunner([]);
    const wrong: ConformanceRunner = {
      ...runner,
      httpTarget: async () => {
        throw new TypeError("it is the reelkit mock of 'openrouter', not 'fastrouter'");
      },
    };
    const { err, exitCode } = await run(['--provider', 'fastrouter', '--base-url', baseUrl], {
      loadRunner: async () => wrong,
    });
    expect(exitCode).toBe(2);
    expect(err).toContain(`error: cannot use ${baseUrl} as the target: it is the reelkit mock of`);
  });

  it('exits 2 with the reason when the run itself breaks', async () => {
    const { runner } = fakeRunner([]);
    const broken: ConformanceRunner = {
      ...runner,
      runConformance: async () => {
        throw new Error('socket hang up');
      },
    };
    const { err, exitCode } = await run(['--provider', 'openrouter', '--base-url', baseUrl], {
      loadRunner: async () => broken,
    });
    expect(exitCode).toBe(2);
    expect(err).toContain('error: the run stopped: socket hang up');
  });

  it('--via-prism sends the traffic through prism and adds its findings', async () => {
    const { runner, calls } = fakeRunner([result('createVideos: response schema', 'pass')]);
    let closed = false;
    const prismFinding = result('listVideosModels: prism-violation', 'fail', {
      check: 'prism-violation',
      message: "Response body property data.0 must have required property 'name'",
    });
    const prism: PrismProxy = {
      baseUrl: 'http://127.0.0.1:59999/api/v1',
      prismUrl: 'http://127.0.0.1:59998',
      upstream: baseUrl,
      openapiFile: '/x/openapi/openrouter.json',
      observations: () => [],
      results: () => [prismFinding],
      close: async () => {
        closed = true;
      },
    };
    const { out, err, exitCode } = await run(
      ['--provider', 'openrouter', '--base-url', baseUrl, '--via-prism'],
      { loadRunner: async () => runner, startPrismProxy: async () => prism },
    );
    expect(exitCode).toBe(1);
    expect(closed).toBe(true);
    expect(calls.target).toEqual({
      provider: 'openrouter',
      baseUrl: prism.baseUrl,
      controlUrl: new URL(baseUrl).origin,
    });
    expect(err).toContain('prism proxy validating against /x/openapi/openrouter.json');
    expect(err).toContain('✗ listVideosModels: prism-violation');
    // The report names the real target, not the relay.
    expect(out).toContain(`(openrouter) · ${baseUrl}`);
    expect(out).toMatch(/listVideosModels\s+0\s+1\s+0/);
  });
});
