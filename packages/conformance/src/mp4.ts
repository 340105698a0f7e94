/**
 * Reads an MP4 with mp4box (the pure-JS port of GPAC's MP4Box) to learn its duration and size.
 * @module
 */
import { createFile, Log, MP4BoxBuffer } from 'mp4box';
import type { Movie } from 'mp4box';

/** What a downloaded video turned out to be. */
export type Mp4Inspection =
  | {
      readonly ok: true;
      readonly durationSeconds: number;
      readonly width: number;
      readonly height: number;
      readonly brands: readonly string[];
    }
  | { readonly ok: false; readonly problem: string };

let quiet = false;

/**
 * Parses MP4 bytes: the movie duration and the first video track's pixel size.
 *
 * @example
 * const info = inspectMp4(bytes);
 * if (info.ok) console.log(info.durationSeconds, `${info.width}x${info.height}`);
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
  return { ok: true, durationSeconds, width, height, brands: movie.brands };
}
