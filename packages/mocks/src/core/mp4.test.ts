import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFile, MP4BoxBuffer } from 'mp4box';
import type { Movie } from 'mp4box';
import { describe, expect, it } from 'vitest';
import { createMp4Generator } from './mp4.js';
import type { VideoSpec } from './mp4.js';

const run = promisify(execFile);
const hasTool = (name: string): boolean => spawnSync(name, ['-version']).status === 0;
const hasFfprobe = hasTool('ffprobe');
const hasFfmpeg = hasTool('ffmpeg');

const SPECS: VideoSpec[] = [
  { width: 1280, height: 720, durationSeconds: 8 },
  { width: 854, height: 480, durationSeconds: 4.5 },
  { width: 720, height: 1280, durationSeconds: 1 },
  { width: 1920, height: 1080, durationSeconds: 60 },
  { width: 1080, height: 1920, durationSeconds: 2.25 },
  { width: 1024, height: 1792, durationSeconds: 5 },
  { width: 1792, height: 1024, durationSeconds: 0.5 },
  { width: 720, height: 720, durationSeconds: 10 },
  { width: 3840, height: 2160, durationSeconds: 8 },
  { width: 16, height: 16, durationSeconds: 600 },
];

const label = ({ width, height, durationSeconds }: VideoSpec): string =>
  `${width}x${height} ${durationSeconds}s`;

function parseWithMp4box(bytes: Uint8Array): Movie {
  const file = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (module, message) => {
    failure = `${module}: ${message}`;
  };
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0));
  file.flush();
  if (failure !== undefined) throw new Error(`mp4box failed: ${failure}`);
  if (!movie) throw new Error('mp4box never reported the movie as ready');
  return movie;
}

async function withTempFile<T>(bytes: Uint8Array, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'reelkit-mp4-'));
  try {
    const path = join(dir, 'clip.mp4');
    await writeFile(path, bytes);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface FfprobeOutput {
  streams: { codec_name?: string; width?: number; height?: number }[];
  format: { duration?: string };
}

describe('createMp4Generator', () => {
  const generator = createMp4Generator();

  it.each(SPECS)('writes an H.264 MP4 that mp4box reads as $width x $height', async (spec) => {
    const movie = parseWithMp4box(await generator.generate(spec));

    expect(movie.brands).toContain('isom');
    expect(movie.duration / movie.timescale).toBeCloseTo(spec.durationSeconds, 1);
    expect(movie.tracks).toHaveLength(1);
    const [track] = movie.videoTracks;
    expect(track?.codec).toMatch(/^avc1\.42c0/);
    expect(track?.video).toEqual({ width: spec.width, height: spec.height });
    expect(track?.track_width).toBe(spec.width);
    expect(track?.track_height).toBe(spec.height);
    expect((track?.duration ?? 0) / (track?.timescale ?? 1)).toBeCloseTo(spec.durationSeconds, 1);
  });

  it.skipIf(!hasFfprobe)(
    'is read by ffprobe with the exact size and duration (needs ffprobe on PATH)',
    async () => {
      for (const spec of SPECS) {
        const output = await withTempFile(await generator.generate(spec), async (path) => {
          const { stdout } = await run('ffprobe', [
            '-v',
            'error',
            '-show_entries',
            'stream=width,height,codec_name:format=duration',
            '-of',
            'json',
            path,
          ]);
          return JSON.parse(stdout) as FfprobeOutput;
        });
        expect(output.streams, label(spec)).toEqual([
          { codec_name: 'h264', width: spec.width, height: spec.height },
        ]);
        expect(Number(output.format.duration), label(spec)).toBeCloseTo(spec.durationSeconds, 1);
      }
    },
    // ffprobe runs once per clip: slow when the machine is busy (the fleet tests run beside it).
    30_000,
  );

  it.skipIf(!hasFfmpeg)(
    'decodes every frame without errors to flat grey (needs ffmpeg on PATH)',
    async () => {
      const spec: VideoSpec = { width: 854, height: 480, durationSeconds: 4.5 };
      const pixels = await withTempFile(await generator.generate(spec), async (path) => {
        const input = ['-v', 'error', '-xerror', '-err_detect', 'explode', '-i', path];
        const output = ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'];
        const options = { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 } as const;
        const { stdout } = await run('ffmpeg', [...input, ...output], options);
        return stdout;
      });
      // One frame per started second (0, 1, 2, 3 and 4 s), each Y, U and V plane all 128.
      expect(pixels.length).toBe(spec.width * spec.height * 1.5 * 5);
      expect(pixels.every((value) => value === 128)).toBe(true);
    },
  );

  it('returns the same bytes for a repeated spec and shares in-flight work', async () => {
    const cached = createMp4Generator();
    const spec: VideoSpec = { width: 1280, height: 720, durationSeconds: 8 };

    const [first, concurrent] = await Promise.all([cached.generate(spec), cached.generate(spec)]);
    const later = await cached.generate({ ...spec });

    expect(concurrent).toBe(first);
    expect(later).toBe(first);
    expect(cached.cacheSize).toBe(1);

    const other = await cached.generate({ ...spec, durationSeconds: 4 });
    expect(other).not.toBe(first);
    expect(cached.cacheSize).toBe(2);
  });

  it('evicts the least recently used clip beyond maxCacheEntries', async () => {
    const cached = createMp4Generator({ maxCacheEntries: 2 });
    const a = { width: 64, height: 64, durationSeconds: 1 };
    const b = { width: 64, height: 64, durationSeconds: 2 };
    const c = { width: 64, height: 64, durationSeconds: 3 };

    const firstA = await cached.generate(a);
    await cached.generate(b);
    await cached.generate(a); // a is now the most recently used
    await cached.generate(c); // evicts b
    expect(cached.cacheSize).toBe(2);
    expect(await cached.generate(a)).toBe(firstA);
  });

  it.each([
    [{ width: 1281, height: 720, durationSeconds: 8 }, /width must be an even integer/],
    [{ width: 1280, height: 7, durationSeconds: 8 }, /height must be an even integer from 16/],
    [{ width: 4098, height: 720, durationSeconds: 8 }, /to 4096/],
    [{ width: 640.5, height: 360, durationSeconds: 8 }, /width/],
    [{ width: 640, height: 360, durationSeconds: 0 }, /greater than 0 and at most 600/],
    [{ width: 640, height: 360, durationSeconds: 601 }, /durationSeconds/],
    [{ width: 640, height: 360, durationSeconds: Number.NaN }, /durationSeconds/],
  ])('rejects %j with a RangeError', async (spec, message) => {
    const validated = createMp4Generator();
    await expect(validated.generate(spec)).rejects.toThrow(RangeError);
    await expect(validated.generate(spec)).rejects.toThrow(message);
    expect(validated.cacheSize).toBe(0);
  });

  it('rejects a maxCacheEntries that is not a positive integer', () => {
    expect(() => createMp4Generator({ maxCacheEntries: 0 })).toThrow(RangeError);
  });
});
