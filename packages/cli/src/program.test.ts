import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

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
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const out: string[] = [];
    const program = createProgram({
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      untilStopped: () => stopped,
    }).exitOverride();
    const running = program.parseAsync([
      'node',
      'reelkit',
      'mock',
      '--provider',
      'openrouter',
      '--port',
      '0',
      '--clock',
      'manual',
    ]);
    for (let i = 0; i < 200 && !out.some((l) => l.includes('/api/v1')); i++)
      await new Promise((r) => setTimeout(r, 10));
    const baseUrl = /(http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out.join('\n'))?.[1];
    expect(baseUrl).toBeDefined();
    const models = await fetch(`${baseUrl}/videos/models`);
    expect(models.status).toBe(200);
    stop();
    await running;
    expect(out.at(-1)).toBe('reelkit mocks stopped.');
    await expect(fetch(`${baseUrl}/videos/models`)).rejects.toThrow();
  });

  it('explains a bad option', async () => {
    const result = await run(['mock', '--clock', 'sideways']);
    expect(result.err).toMatch(/Allowed choices are real, manual, auto/);
  });
});

describe('reelkit webhook', () => {
  it('listen verifies what send signs, and rejects a wrong secret', async () => {
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const heard: string[] = [];
    const listener = createProgram({
      out: (l) => heard.push(l),
      err: (l) => heard.push(l),
      untilStopped: () => stopped,
    }).exitOverride();
    const listening = listener.parseAsync([
      'node',
      'reelkit',
      'webhook',
      'listen',
      '--port',
      '0',
      '--secret',
      'whsec_a',
    ]);
    for (let i = 0; i < 200 && !heard.some((l) => l.startsWith('listening')); i++)
      await new Promise((r) => setTimeout(r, 10));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(heard.join('\n'))?.[1] as string;

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
    stop();
    await listening;
    expect(heard.join('\n')).toMatch(/job_1-failed video\.generation\.failed signature ok/);
    expect(heard.join('\n')).toMatch(/job_test-completed REJECTED: webhook_signature_mismatch/);
    process.exitCode = 0;
  });
});

describe('reelkit mock --fault', () => {
  it('starts with a fault rule from the short form', async () => {
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const out: string[] = [];
    const program = createProgram({
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      untilStopped: () => stopped,
    }).exitOverride();
    const running = program.parseAsync([
      'node',
      'reelkit',
      'mock',
      '--provider',
      'openrouter',
      '--port',
      '0',
      '--fault',
      'server-error@listVideosModels*1',
    ]);
    for (let i = 0; i < 200 && !out.some((l) => l.includes('/api/v1')); i++)
      await new Promise((r) => setTimeout(r, 10));
    const baseUrl = /(http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out.join('\n'))?.[1];
    expect(baseUrl, out.join('\n')).toBeDefined();
    expect((await fetch(`${baseUrl}/videos/models`)).status).toBe(500);
    expect((await fetch(`${baseUrl}/videos/models`)).status).toBe(200);
    stop();
    await running;
  });

  it('explains a bad rule', async () => {
    const result = await run(['mock', '--fault', 'explode']);
    expect(result.err).toMatch(/kind must be one of latency/);
  });
});
