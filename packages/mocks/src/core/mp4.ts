/**
 * A tiny, dependency-free MP4 writer for mock video responses.
 *
 * The clip is real H.264 (Constrained Baseline, CAVLC) in an ISO BMFF container: one IDR frame
 * of flat mid-grey (every macroblock is Intra 16x16 DC-predicted with no residual) followed by
 * one P frame per second made only of skipped macroblocks. That bitstream is written by hand
 * here, so generation is a few bit writes per macroblock rather than a real encode. The stream
 * uses only Constrained Baseline tools, which every H.264 decoder must support.
 * @module
 */

/**
 * Pixel size and length of a generated clip.
 *
 * @example
 * const spec: VideoSpec = { width: 1280, height: 720, durationSeconds: 8 };
 */
export interface VideoSpec {
  width: number;
  height: number;
  durationSeconds: number;
}

/**
 * Produces MP4 files and keeps the most recently used ones.
 *
 * @example
 * const generator = createMp4Generator();
 * const bytes = await generator.generate({ width: 854, height: 480, durationSeconds: 4.5 });
 * generator.cacheSize; // 1
 */
export interface Mp4Generator {
  /**
   * Resolves to the MP4 bytes for `spec`. Calls with an equal spec share one promise and so
   * resolve to the same `Uint8Array`, which callers must not mutate. Rejects with a
   * `RangeError` when the spec is out of range.
   */
  generate(spec: VideoSpec): Promise<Uint8Array>;
  /** Number of cached (or in-flight) clips. */
  readonly cacheSize: number;
}

const MIN_SIDE = 16;
const MAX_SIDE = 4096;
const MAX_DURATION_SECONDS = 600;
const DEFAULT_CACHE_ENTRIES = 64;

const MOVIE_TIMESCALE = 1000;
const MEDIA_TIMESCALE = 90_000;
// One frame per second keeps files tiny while players still get regular samples to seek to.
const FRAME_INTERVAL = MEDIA_TIMESCALE;
const LOG2_MAX_FRAME_NUM = 4;

const PROFILE_BASELINE = 66;
// constraint_set0 + constraint_set1: Constrained Baseline, which every H.264 decoder accepts.
const PROFILE_CONSTRAINTS = 0xc0;

/**
 * Creates a generator whose cache, keyed by `${width}x${height}@${durationSeconds}`, drops the
 * least recently used clip once `maxCacheEntries` (default 64) is exceeded.
 *
 * @example
 * const generator = createMp4Generator({ maxCacheEntries: 8 });
 * const mp4 = await generator.generate({ width: 1920, height: 1080, durationSeconds: 8 });
 * new TextDecoder().decode(mp4.subarray(4, 8)); // 'ftyp'
 */
export function createMp4Generator(options: { maxCacheEntries?: number } = {}): Mp4Generator {
  const maxEntries = options.maxCacheEntries ?? DEFAULT_CACHE_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxCacheEntries must be a positive integer, got ${String(maxEntries)}`);
  }
  // Map iteration order is insertion order, so re-inserting on a hit makes this an LRU.
  const cache = new Map<string, Promise<Uint8Array>>();

  return {
    generate(spec: VideoSpec): Promise<Uint8Array> {
      const invalid = specError(spec);
      if (invalid) return Promise.reject(invalid);
      const key = `${spec.width}x${spec.height}@${spec.durationSeconds}`;
      const cached = cache.get(key);
      if (cached) {
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      const { width, height, durationSeconds } = spec;
      const pending = Promise.resolve().then(() => writeMp4(width, height, durationSeconds));
      cache.set(key, pending);
      // A failed clip must not stay cached, or every retry would get the same rejection.
      pending.catch(() => {
        if (cache.get(key) === pending) cache.delete(key);
      });
      for (const oldest of cache.keys()) {
        if (cache.size <= maxEntries) break;
        cache.delete(oldest);
      }
      return pending;
    },
    get cacheSize(): number {
      return cache.size;
    },
  };
}

function specError(spec: VideoSpec): RangeError | undefined {
  for (const side of ['width', 'height'] as const) {
    const value = spec[side];
    if (!Number.isInteger(value) || value < MIN_SIDE || value > MAX_SIDE || value % 2 !== 0) {
      return new RangeError(
        `${side} must be an even integer from ${MIN_SIDE} to ${MAX_SIDE} ` +
          `(H.264 4:2:0 needs even sizes), got ${String(value)}`,
      );
    }
  }
  const duration = spec.durationSeconds;
  if (!Number.isFinite(duration) || duration <= 0 || duration > MAX_DURATION_SECONDS) {
    return new RangeError(
      `durationSeconds must be a number greater than 0 and at most ${MAX_DURATION_SECONDS}, ` +
        `got ${String(duration)}`,
    );
  }
  return undefined;
}

function writeMp4(width: number, height: number, durationSeconds: number): Uint8Array {
  const mbWidth = Math.ceil(width / 16);
  const mbHeight = Math.ceil(height / 16);
  const mbCount = mbWidth * mbHeight;
  const level = levelFor(mbWidth, mbHeight);

  const sps = writeSps(width, height, level);
  const pps = writePps();
  const mediaDuration = Math.max(1, Math.round(durationSeconds * MEDIA_TIMESCALE));
  const movieDuration = Math.max(1, Math.round(durationSeconds * MOVIE_TIMESCALE));
  const frameCount = Math.ceil(mediaDuration / FRAME_INTERVAL);
  const lastFrameDuration = mediaDuration - (frameCount - 1) * FRAME_INTERVAL;

  // P frames differ only in frame_num, which wraps, so there are few distinct ones to write.
  const skipFrames = new Map<number, Uint8Array>();
  const samples: Uint8Array[] = [writeIdrSlice(mbCount)];
  for (let i = 1; i < frameCount; i++) {
    const frameNum = i % (1 << LOG2_MAX_FRAME_NUM);
    let frame = skipFrames.get(frameNum);
    if (!frame) {
      frame = writeSkipSlice(mbCount, frameNum);
      skipFrames.set(frameNum, frame);
    }
    samples.push(frame);
  }

  const timeToSample: [count: number, delta: number][] = [];
  if (frameCount > 1) timeToSample.push([frameCount - 1, FRAME_INTERVAL]);
  timeToSample.push([1, lastFrameDuration]);

  const out = new ByteWriter(samples.reduce((sum, s) => sum + s.length + 4, 1024));
  out.box('ftyp', () => {
    out.fourcc('isom');
    out.u32(0x200);
    for (const brand of ['isom', 'iso2', 'avc1', 'mp41']) out.fourcc(brand);
  });
  let chunkOffsetAt = 0;
  out.box('moov', () => {
    out.fullBox('mvhd', 0, 0, () => {
      out.u32(0); // creation_time
      out.u32(0); // modification_time
      out.u32(MOVIE_TIMESCALE);
      out.u32(movieDuration);
      out.u32(0x00010000); // rate 1.0
      out.u16(0x0100); // volume 1.0
      out.zeros(10);
      writeMatrix(out);
      out.zeros(24);
      out.u32(2); // next_track_ID
    });
    out.box('trak', () => {
      // flags: track enabled and used in the presentation
      out.fullBox('tkhd', 0, 3, () => {
        out.u32(0);
        out.u32(0);
        out.u32(1); // track_ID
        out.u32(0);
        out.u32(movieDuration);
        out.zeros(8);
        out.u16(0); // layer
        out.u16(0); // alternate_group
        out.u16(0); // volume: video tracks are silent
        out.u16(0);
        writeMatrix(out);
        out.u32(width * 0x10000);
        out.u32(height * 0x10000);
      });
      out.box('mdia', () => {
        out.fullBox('mdhd', 0, 0, () => {
          out.u32(0);
          out.u32(0);
          out.u32(MEDIA_TIMESCALE);
          out.u32(mediaDuration);
          out.u16(0x55c4); // 'und' packed as three 5-bit letters
          out.u16(0);
        });
        out.fullBox('hdlr', 0, 0, () => {
          out.u32(0);
          out.fourcc('vide');
          out.zeros(12);
          out.bytes(new TextEncoder().encode('VideoHandler\0'));
        });
        out.box('minf', () => {
          out.fullBox('vmhd', 0, 1, () => {
            out.zeros(8); // graphicsmode and opcolor
          });
          out.box('dinf', () => {
            out.fullBox('dref', 0, 0, () => {
              out.u32(1);
              // flag 1: media data is in this file
              out.fullBox('url ', 0, 1, () => undefined);
            });
          });
          out.box('stbl', () => {
            out.fullBox('stsd', 0, 0, () => {
              out.u32(1);
              writeAvc1(out, width, height, sps, pps);
            });
            out.fullBox('stts', 0, 0, () => {
              out.u32(timeToSample.length);
              for (const [count, delta] of timeToSample) {
                out.u32(count);
                out.u32(delta);
              }
            });
            // Only the first sample is a keyframe; the rest are P frames.
            out.fullBox('stss', 0, 0, () => {
              out.u32(1);
              out.u32(1);
            });
            out.fullBox('stsc', 0, 0, () => {
              out.u32(1);
              out.u32(1); // first_chunk
              out.u32(samples.length);
              out.u32(1); // sample_description_index
            });
            out.fullBox('stsz', 0, 0, () => {
              out.u32(0);
              out.u32(samples.length);
              for (const sample of samples) out.u32(sample.length + 4);
            });
            out.fullBox('stco', 0, 0, () => {
              out.u32(1);
              chunkOffsetAt = out.length;
              out.u32(0); // patched once mdat's position is known
            });
          });
        });
      });
    });
  });
  out.box('mdat', () => {
    out.patchU32(chunkOffsetAt, out.length);
    for (const sample of samples) {
      out.u32(sample.length);
      out.bytes(sample);
    }
  });
  return out.finish();
}

function writeMatrix(out: ByteWriter): void {
  for (const value of [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000]) out.u32(value);
}

function writeAvc1(
  out: ByteWriter,
  width: number,
  height: number,
  sps: Uint8Array,
  pps: Uint8Array,
): void {
  out.box('avc1', () => {
    out.zeros(6);
    out.u16(1); // data_reference_index
    out.zeros(16);
    out.u16(width);
    out.u16(height);
    out.u32(0x00480000); // 72 dpi
    out.u32(0x00480000);
    out.u32(0);
    out.u16(1); // frame_count
    out.zeros(32); // compressorname
    out.u16(0x18); // depth
    out.u16(0xffff); // pre_defined = -1
    out.box('avcC', () => {
      out.u8(1);
      out.u8(PROFILE_BASELINE);
      out.u8(PROFILE_CONSTRAINTS);
      out.u8(sps[3] ?? 0);
      out.u8(0xff); // 4-byte NAL lengths
      out.u8(0xe1); // one SPS
      out.u16(sps.length);
      out.bytes(sps);
      out.u8(1);
      out.u16(pps.length);
      out.bytes(pps);
    });
    // Square pixels, stated so players never guess otherwise.
    out.box('pasp', () => {
      out.u32(1);
      out.u32(1);
    });
  });
}

// [level_idc, MaxFS in macroblocks] from H.264 Table A-1; frame rate is 1 fps, so MaxMBPS and
// bitrate limits never bind.
const LEVELS: readonly (readonly [level: number, maxFs: number])[] = [
  [10, 99],
  [20, 396],
  [21, 792],
  [22, 1620],
  [31, 3600],
  [32, 5120],
  [40, 8192],
  [42, 8704],
  [50, 22080],
  [51, 36864],
  [60, 139264],
];

function levelFor(mbWidth: number, mbHeight: number): number {
  for (const [level, maxFs] of LEVELS) {
    // Annex A also caps each side at sqrt(8 * MaxFS) macroblocks.
    const maxSide = Math.sqrt(8 * maxFs);
    if (mbWidth * mbHeight <= maxFs && mbWidth <= maxSide && mbHeight <= maxSide) return level;
  }
  return 62;
}

function writeSps(width: number, height: number, level: number): Uint8Array {
  const mbWidth = Math.ceil(width / 16);
  const mbHeight = Math.ceil(height / 16);
  const bits = new BitWriter(32);
  bits.u(8, 0x67); // nal_ref_idc 3, nal_unit_type 7
  bits.u(8, PROFILE_BASELINE);
  bits.u(8, PROFILE_CONSTRAINTS);
  bits.u(8, level);
  bits.ue(0); // seq_parameter_set_id
  bits.ue(LOG2_MAX_FRAME_NUM - 4);
  // POC type 2: output order equals decoding order, so slices carry no POC fields.
  bits.ue(2);
  bits.ue(1); // max_num_ref_frames
  bits.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  bits.ue(mbWidth - 1);
  bits.ue(mbHeight - 1);
  bits.u(1, 1); // frame_mbs_only_flag
  bits.u(1, 1); // direct_8x8_inference_flag
  // Cropping is what makes e.g. 854x480 report exactly: units are 2 luma pixels in 4:2:0.
  const cropRight = (mbWidth * 16 - width) / 2;
  const cropBottom = (mbHeight * 16 - height) / 2;
  if (cropRight > 0 || cropBottom > 0) {
    bits.u(1, 1);
    bits.ue(0);
    bits.ue(cropRight);
    bits.ue(0);
    bits.ue(cropBottom);
  } else {
    bits.u(1, 0);
  }
  bits.u(1, 0); // vui_parameters_present_flag
  return bits.finishNal();
}

function writePps(): Uint8Array {
  const bits = new BitWriter(16);
  bits.u(8, 0x68); // nal_ref_idc 3, nal_unit_type 8
  bits.ue(0); // pic_parameter_set_id
  bits.ue(0); // seq_parameter_set_id
  bits.u(1, 0); // entropy_coding_mode_flag: CAVLC
  bits.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
  bits.ue(0); // num_slice_groups_minus1
  bits.ue(0); // num_ref_idx_l0_default_active_minus1
  bits.ue(0); // num_ref_idx_l1_default_active_minus1
  bits.u(1, 0); // weighted_pred_flag
  bits.u(2, 0); // weighted_bipred_idc
  bits.se(0); // pic_init_qp_minus26
  bits.se(0); // pic_init_qs_minus26
  bits.se(0); // chroma_qp_index_offset
  bits.u(1, 0); // deblocking_filter_control_present_flag
  bits.u(1, 0); // constrained_intra_pred_flag
  bits.u(1, 0); // redundant_pic_cnt_present_flag
  return bits.finishNal();
}

function writeIdrSlice(mbCount: number): Uint8Array {
  const bits = new BitWriter(mbCount + 16);
  bits.u(8, 0x65); // nal_ref_idc 3, nal_unit_type 5 (IDR)
  bits.ue(0); // first_mb_in_slice
  bits.ue(7); // slice_type: I, and all slices of the picture are I
  bits.ue(0); // pic_parameter_set_id
  bits.u(LOG2_MAX_FRAME_NUM, 0); // frame_num
  bits.ue(0); // idr_pic_id
  bits.u(1, 0); // no_output_of_prior_pics_flag
  bits.u(1, 0); // long_term_reference_flag
  bits.se(0); // slice_qp_delta
  // Each macroblock: mb_type 3 = I_16x16 DC prediction with no coded residual (ue '00100'),
  // chroma DC prediction (ue '1'), mb_qp_delta 0 (se '1'), and an empty luma DC block
  // (coeff_token '1', since all neighbours have zero coefficients). With no neighbours the DC
  // predictor is 128, so the whole picture is mid-grey.
  for (let i = 0; i < mbCount; i++) bits.u(8, 0b00100111);
  return bits.finishNal();
}

function writeSkipSlice(mbCount: number, frameNum: number): Uint8Array {
  const bits = new BitWriter(16);
  bits.u(8, 0x41); // nal_ref_idc 2, nal_unit_type 1 (non-IDR)
  bits.ue(0); // first_mb_in_slice
  bits.ue(5); // slice_type: P, and all slices of the picture are P
  bits.ue(0); // pic_parameter_set_id
  // Reference frames with consecutive frame_num, as POC type 2 requires.
  bits.u(LOG2_MAX_FRAME_NUM, frameNum);
  bits.u(1, 0); // num_ref_idx_active_override_flag
  bits.u(1, 0); // ref_pic_list_modification_flag_l0
  bits.u(1, 0); // adaptive_ref_pic_marking_mode_flag
  bits.se(0); // slice_qp_delta
  bits.ue(mbCount); // mb_skip_run: the whole picture repeats the previous one
  return bits.finishNal();
}

/** MSB-first bit writer producing an escaped NAL unit. */
class BitWriter {
  private bytes: Uint8Array;
  private bitLength = 0;

  constructor(initialBytes: number) {
    this.bytes = new Uint8Array(initialBytes);
  }

  u(count: number, value: number): void {
    for (let i = count - 1; i >= 0; i--) this.bit(Math.floor(value / 2 ** i) & 1);
  }

  ue(value: number): void {
    const code = value + 1;
    const length = Math.floor(Math.log2(code));
    this.u(length, 0);
    this.u(length + 1, code);
  }

  se(value: number): void {
    this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** Appends rbsp_trailing_bits and applies emulation prevention. */
  finishNal(): Uint8Array {
    this.bit(1);
    while (this.bitLength % 8 !== 0) this.bit(0);
    const rbsp = this.bytes.subarray(0, this.bitLength / 8);
    // Worst case one 0x03 per two bytes.
    const nal = new Uint8Array(rbsp.length + Math.ceil(rbsp.length / 2));
    let length = 0;
    let zeros = 0;
    for (const byte of rbsp) {
      if (zeros >= 2 && byte <= 3) {
        nal[length++] = 3;
        zeros = 0;
      }
      nal[length++] = byte;
      zeros = byte === 0 ? zeros + 1 : 0;
    }
    return nal.slice(0, length);
  }

  private bit(value: number): void {
    const index = this.bitLength >> 3;
    if (index >= this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    if (value) this.bytes[index] = (this.bytes[index] ?? 0) | (0x80 >> (this.bitLength & 7));
    this.bitLength++;
  }
}

/** Big-endian byte writer with ISO BMFF box helpers. */
class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialBytes: number) {
    this.buffer = new Uint8Array(initialBytes);
    this.view = new DataView(this.buffer.buffer);
  }

  box(type: string, body: () => void): void {
    const start = this.length;
    this.u32(0);
    this.fourcc(type);
    body();
    this.patchU32(start, this.length - start);
  }

  fullBox(type: string, version: number, flags: number, body: () => void): void {
    this.box(type, () => {
      this.u8(version);
      this.u8(flags >> 16);
      this.u16(flags & 0xffff);
      body();
    });
  }

  u8(value: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }

  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
  }

  patchU32(offset: number, value: number): void {
    this.view.setUint32(offset, value);
  }

  fourcc(code: string): void {
    for (let i = 0; i < 4; i++) this.u8(code.charCodeAt(i));
  }

  zeros(count: number): void {
    this.reserve(count);
    this.buffer.fill(0, this.length, this.length + count);
    this.length += count;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + count));
    grown.set(this.buffer);
    this.buffer = grown;
    this.view = new DataView(this.buffer.buffer);
  }
}
