/**
 * Media for replicas that share a store: an asset's id carries its size and duration, so any
 * replica serves a video another one registered, with nothing stored and nothing to forget.
 * @module
 */
import type { MediaStore } from '../media.js';
import { MEDIA_PATH } from '../media.js';
import type { Mp4Generator, VideoSpec } from '../mp4.js';
import { createMp4Generator } from '../mp4.js';

/** `<width>x<height>x<duration in ms>-<random part>`, each number without leading zeros. */
const ASSET_ID = /^([1-9]\d{0,3})x([1-9]\d{0,3})x([1-9]\d{0,6})-([a-z0-9]{12,40})$/;

/** The largest side and duration an id may name: the MP4 generator's own limits. */
const MAX_SIDE = 4096;
const MAX_DURATION_MS = 600_000;

/**
 * The video an asset id names, or undefined for anything that is not such an id (or names a
 * video past the generator's limits).
 *
 * @example
 * specOfAssetId('1280x720x8000-abc123def456'); // { width: 1280, height: 720, durationSeconds: 8 }
 */
export function specOfAssetId(id: string): VideoSpec | undefined {
  const match = ASSET_ID.exec(id);
  if (!match) return undefined;
  const [width, height, ms] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (width > MAX_SIDE || height > MAX_SIDE || ms > MAX_DURATION_MS) return undefined;
  return { width, height, durationSeconds: ms / 1000 };
}

/**
 * Creates the media store of replicas on a shared store: ids from `nextId` (a random part)
 * prefixed with the video's size and duration.
 *
 * @example
 * const media = createSharedMediaStore({ nextId: () => 'k3j5h6g7f8d9' });
 * const id = media.register({ width: 1280, height: 720, durationSeconds: 8 }); // '1280x720x8000-k3j5h6g7f8d9'
 */
export function createSharedMediaStore(options: {
  nextId: () => string;
  generator?: Mp4Generator;
}): MediaStore {
  const generator = options.generator ?? createMp4Generator();
  return {
    register(spec) {
      const ms = Math.max(1, Math.round(spec.durationSeconds * 1000));
      return `${spec.width}x${spec.height}x${ms}-${options.nextId()}`;
    },
    spec: specOfAssetId,
    async bytes(id) {
      const spec = specOfAssetId(id);
      return spec ? generator.generate(spec) : undefined;
    },
    url: (origin, id) => `${origin}${MEDIA_PATH}${id}.mp4`,
    // Nothing is stored per asset: nothing to forget.
    forget: () => undefined,
    clear: () => undefined,
  };
}
