/**
 * Reads an MP4 as a player would. mp4box (the pure-JS port of GPAC's MP4Box) reads the header
 * boxes (duration, size) and the sample index, and the kit checks that every sample the index
 * references lies inside the file; where `ffprobe` is installed it also decodes every frame.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, Log, MP4BoxBuffer } from 'mp4box';
import type { ISOFile, Movie } from 'mp4box';

/** Sample data the index references beyond the end of the file, per track. */
export interface MissingSamples {
  readonly trackId: number;
  /** `video`, `audio`, … as the handler says. */
  readonly kind: string;
  /** Samples of the track in the index. */
  readonly total: number;
  /** 1-based numbers of the first and last sample that do not fit in the file. */
  readonly first: number;
  readonly last: number;
  /** How many samples do not fit (wholly or partly). */
  readonly count: number;
  /** Bytes of sample data the index references past the end of the file. */
  readonly missingBytes: number;
}

/** What a downloaded video turned out to be. */
export type Mp4Inspection =
  | {
      readonly ok: true;
      readonly durationSeconds: number;
      readonly width: number;
      readonly height: number;
      readonly brands: readonly string[];
      /** Bytes in the file. */
      readonly byteLength: number;
      /** Samples the index references, over every track. */
      readonly samples: number;
      /** Tracks whose indexed samples do not all lie inside the file (empty when all do). */
      readonly missing: readonly MissingSamples[];
    }
  | { readonly ok: false; readonly problem: string };

let quiet = false;

function missingSamplesOf(file: ISOFile, movie: Movie, byteLength: number): MissingSamples[] {
  const missing: MissingSamples[] = [];
  for (const track of movie.tracks) {
    const samples = file.getTrackSamplesInfo(track.id) ?? [];
    let first = 0;
    let last = 0;
    let count = 0;
    let missingBytes = 0;
    for (const sample of samples) {
      const end = sample.offset + sample.size;
      if (end <= byteLength) continue;
      count++;
      first ||= sample.number + 1;
      last = sample.number + 1;
      missingBytes += end - Math.max(sample.offset, byteLength);
    }
    if (count > 0) {
      missing.push({
        trackId: track.id,
        kind: track.type ?? 'unknown',
        total: samples.length,
        first,
        last,
        count,
        missingBytes,
      });
    }
  }
  return missing;
}

/**
 * Parses MP4 bytes: the movie duration, the first video track's pixel size, and which samples of
 * the index lie (wholly or partly) past the end of the file.
 *
 * @example
 * const info = inspectMp4(bytes);
 * if (info.ok) console.log(info.durationSeconds, `${info.width}x${info.height}`, info.missing);
 */
export function inspectMp4(bytes: Uint8Array): Mp4Inspection {
  if (!quiet) {
    // mp4box logs parse problems to the console; they are reported as the check's message instead.
    Log.setLogLevel(() => undefined);
    quiet = true;
  }
  if (bytes.byteLength < 8) {
    return { ok: false, problem: `the body has ${bytes.byteLength} bytes, too few for an MP4` };
  }
  const head = new TextDecoder().decode(bytes.subarray(4, 8));
  if (head !== 'ftyp') {
    const start = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
    return {
      ok: false,
      problem: `not an MP4: the first box is '${head.replace(/[^\x20-\x7e]/g, '.')}', not 'ftyp' (starts "${start}")`,
    };
  }
  const file = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (module, message) => {
    failure = `${module}: ${message}`;
  };
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0));
    file.flush();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined) return { ok: false, problem: `mp4box could not read it: ${failure}` };
  if (!movie) return { ok: false, problem: 'mp4box found no movie box (moov) in the file' };
  const track = movie.videoTracks[0];
  if (!track) return { ok: false, problem: 'the MP4 has no video track' };
  const width = track.video?.width ?? track.track_width;
  const height = track.video?.height ?? track.track_height;
  const durationSeconds =
    movie.timescale > 0 ? movie.duration / movie.timescale : track.duration / track.timescale;
  const samples = movie.tracks.reduce(
    (sum, t) => sum + (file.getTrackSamplesInfo(t.id)?.length ?? 0),
    0,
  );
  return {
    ok: true,
    durationSeconds,
    width,
    height,
    brands: movie.brands,
    byteLength: bytes.byteLength,
    samples,
    missing: missingSamplesOf(file, movie, bytes.byteLength),
  };
}

/**
 * Says in words which sample data an inspection found missing, or `undefined` when none is.
 *
 * @example
 * describeMissingSamples(info); // 'track 1 (video): samples 4–4 of 4 end past the file's 1458 bytes (200 bytes missing)'
 */
export function describeMissingSamples(info: Mp4Inspection): string | undefined {
  if (!info.ok || info.missing.length === 0) return undefined;
  return info.missing
    .map(
      (m) =>
        `track ${m.trackId} (${m.kind}): ${m.count === 1 ? `sample ${m.first}` : `samples ${m.first}–${m.last}`} of ${m.total} end past the file's ${info.byteLength} bytes (${m.missingBytes} bytes of sample data missing)`,
    )
    .join('; ');
}

/** What decoding a video end to end showed. */
export type Mp4Decoding =
  | {
      readonly decoder: string;
      /** Frames the container declares for the first video stream, if it says. */
      readonly declaredFrames?: number;
      /** Frames the decoder produced. */
      readonly decodedFrames: number;
      /** What the decoder complained about (first lines), empty when nothing. */
      readonly errors: readonly string[];
    }
  | { readonly unavailable: string };

/** Options of {@link decodeMp4}. */
export interface DecodeOptions {
  /** The ffprobe program; `false` skips decoding. Default `ffprobe` (on PATH). */
  readonly ffprobe?: string | false;
  /** Real ms the decoder may take. Default 60 000. */
  readonly timeoutMs?: number;
}

/** Longest decoder output read, in bytes: an error per frame must not grow without bound. */
const DECODER_OUTPUT_LIMIT = 256 * 1024;

function run(
  program: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; spawnError?: string }> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { timeout: timeoutMs, maxBuffer: DECODER_OUTPUT_LIMIT, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code ?? null) : 0;
        resolve({
          code: typeof code === 'number' ? code : null,
          stdout,
          stderr,
          ...(typeof code === 'string' ? { spawnError: code } : {}),
          ...(error && (error as { killed?: boolean }).killed
            ? { spawnError: `timed out after ${timeoutMs} ms or wrote too much` }
            : {}),
        });
      },
    );
  });
}

/**
 * Decodes every frame of the first video stream with `ffprobe -count_frames` (Debian's `ffmpeg`
 * package) and says how many frames came out and what the decoder complained about. Resolves to
 * `{ unavailable }` when ffprobe is not installed.
 *
 * @example
 * const decoding = await decodeMp4(bytes);
 * if ('decodedFrames' in decoding) console.log(decoding.decodedFrames, decoding.errors);
 */
export async function decodeMp4(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Promise<Mp4Decoding> {
  const program = options.ffprobe ?? 'ffprobe';
  if (program === false) return { unavailable: 'decoding is turned off (ffprobe: false)' };
  const dir = await mkdtemp(join(tmpdir(), 'reelkit-mp4-'));
  try {
    // A file, not a pipe: an MP4 whose index comes after the data needs seeking.
    const path = join(dir, 'video.mp4');
    await writeFile(path, bytes);
    const result = await run(
      program,
      [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=nb_frames,nb_read_frames',
        '-of',
        'json',
        path,
      ],
      options.timeoutMs ?? 60_000,
    );
    if (result.spawnError === 'ENOENT') {
      return { unavailable: `${program} is not installed (Debian: apt-get install ffmpeg)` };
    }
    const errors = result.stderr
      .split('\n')
      .map((line) => line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim())
      .map((line) => line.replaceAll(path, '<file>'))
      .filter((line) => line.length > 0);
    if (result.spawnError) errors.push(`${program}: ${result.spawnError}`);
    else if (result.code !== 0 && errors.length === 0) {
      errors.push(`${program} exited with status ${result.code ?? 'unknown'}`);
    }
    let stream: { nb_frames?: unknown; nb_read_frames?: unknown } = {};
    try {
      const parsed = JSON.parse(result.stdout || '{}') as { streams?: (typeof stream)[] };
      stream = parsed.streams?.[0] ?? {};
    } catch {
      errors.push(`${program} printed no readable result`);
    }
    const declared = Number(stream.nb_frames);
    return {
      decoder: program,
      ...(Number.isFinite(declared) ? { declaredFrames: declared } : {}),
      decodedFrames: Number(stream.nb_read_frames ?? 0) || 0,
      errors: [...new Set(errors)].slice(0, 8),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
