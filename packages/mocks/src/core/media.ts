/**
 * Generated videos: each job output is registered as an asset (its size and duration), and its
 * MP4 bytes are made on first download and cached by (size, duration).
 * @module
 */
import type { Mp4Generator, VideoSpec } from './mp4.js';
import { createMp4Generator } from './mp4.js';

/** The path prefix under which assets are served on every mock origin. */
export const MEDIA_PATH = '/__reelkit/media/';

/** A registry of downloadable videos. */
export interface MediaStore {
  /** Registers a video and returns its id. */
  register(spec: VideoSpec): string;
  spec(assetId: string): VideoSpec | undefined;
  /** The MP4 bytes of an asset, or `undefined` if unknown. */
  bytes(assetId: string): Promise<Uint8Array | undefined>;
  /** The public URL of an asset on a mock origin. */
  url(origin: string, assetId: string): string;
  forget(assetId: string): void;
  clear(): void;
}

/**
 * Creates a media store whose ids come from `nextId`.
 *
 * @example
 * const media = createMediaStore({ nextId: () => crypto.randomUUID() });
 * const id = media.register({ width: 1280, height: 720, durationSeconds: 8 });
 * const mp4 = await media.bytes(id);
 */
export function createMediaStore(options: {
  nextId: () => string;
  generator?: Mp4Generator;
}): MediaStore {
  const generator = options.generator ?? createMp4Generator();
  const assets = new Map<string, VideoSpec>();
  // Outputs share a handful of sizes: keep one spec object per size, not one per asset.
  const specs = new Map<string, VideoSpec>();
  return {
    register(spec) {
      const key = `${spec.width}x${spec.height}/${spec.durationSeconds}`;
      let shared = specs.get(key);
      if (!shared) {
        if (specs.size >= 1000) specs.clear();
        specs.set(key, (shared = Object.freeze({ ...spec })));
      }
      const id = options.nextId();
      assets.set(id, shared);
      return id;
    },
    spec: (id) => assets.get(id),
    async bytes(id) {
      const spec = assets.get(id);
      return spec ? generator.generate(spec) : undefined;
    },
    url: (origin, id) => `${origin}${MEDIA_PATH}${id}.mp4`,
    forget: (id) => void assets.delete(id),
    clear: () => assets.clear(),
  };
}
