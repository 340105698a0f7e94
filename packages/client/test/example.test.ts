/**
 * The example program end to end against the fastify mounts, on the mounts' virtual clock.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, progressLine } from '../examples/generate.js';
import { expectMp4, mount } from './harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelkit-example-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      tty: false,
    },
  };
}

const RUNS = [
  ['openrouter', ['--model', 'google/veo-3.1', '--duration', '4', '--resolution', '720p']],
  ['imagerouter', ['--model', 'ir/test-video']],
  ['fastrouter', ['--model', 'openai/sora-2', '--duration', '4']],
  ['routmy', ['--model', 'google/veo-3.1', '--duration', '5']],
] as const;

describe.each(RUNS)('example on %s', (provider, args) => {
  it('generates, draws progress and saves a valid MP4', async () => {
    const m = await mount('fastify', provider);
    try {
      const out = join(dir, `${provider}.mp4`);
      const { io, out: stdout, err } = capture();
      const code = await main(
        [
          '--provider',
          provider,
          ...args,
          '--prompt',
          'a cat',
          '--base-url',
          m.baseUrl,
          '--api-key',
          'k',
          '--out',
          out,
        ],
        { ...io, clock: m.clock },
      );
      expect(err.join('')).toMatch(/100%/);
      expect(code).toBe(0);
      expect(stdout.join('')).toMatch(/completed .*saved \d+ bytes/);
      expectMp4(new Uint8Array(await readFile(out)));
    } finally {
      await m.close();
    }
  });
});

it('reports a failed job with its code and exits 1', async () => {
  const m = await mount('fastify', 'openrouter');
  try {
    const { io, err } = capture();
    const code = await main(
      [
        '--provider',
        'openrouter',
        '--model',
        'google/veo-3.1',
        '--prompt',
        'x',
        '--base-url',
        m.baseUrl,
        '--api-key',
        'k',
        '--scenario',
        'moderation',
        '--out',
        join(dir, 'no.mp4'),
      ],
      { ...io, clock: m.clock },
    );
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/error \[content_moderated\].*Content policy violation/);
  } finally {
    await m.close();
  }
});

it('refuses bad usage with exit code 2', async () => {
  const { io, err } = capture();
  expect(await main(['--provider', 'nope'], io)).toBe(2);
  expect(err.join('')).toMatch(/--provider/);
});

it('draws a bar with progress, and a bouncing block without', () => {
  const base = { provider: 'fastrouter', jobId: 'j', changed: true, source: 'poll' } as const;
  expect(
    progressLine(
      {
        ...base,
        status: 'in_progress',
        canonicalStatus: 'in_progress',
        progress: 50,
        elapsedMs: 62_000,
      },
      10,
    ),
  ).toBe('[#####-----]  50% in_progress 1m02s');
  expect(
    progressLine({ ...base, status: 'waiting', canonicalStatus: 'queued', elapsedMs: 3000 }, 10),
  ).toBe('[   <=>    ]      queued (waiting) 3s');
});
