/**
 * Helpers the per-router mappings share: refusing what a model cannot do (with the accepted
 * values), and turning input images into URLs, data URIs or files.
 * @internal
 * @module
 */
import type { ModelCapabilities } from '@reelkit/spec';
import { dimensionsFor, formatSize, parseSize } from '@reelkit/spec';
import { CapabilityError } from '../core/errors.js';
import type { ImageRole, VideoImage } from './types.js';

type Accepted = readonly (string | number | boolean)[];

/**
 * Refuses parameters for one router and model. Every method throws a `CapabilityError`.
 *
 * @example
 * const check: Checker = new Checker('openrouter', 'google/veo-3.1');
 * check.oneOf('duration', 5, [4, 6, 8]); // throws: Use one of: 4, 6, 8.
 */
export class Checker {
  constructor(
    readonly provider: string,
    readonly model: string,
  ) {}

  /** Throws for `param`. */
  fail(param: string, value: unknown, accepted?: Accepted, reason?: string): never {
    throw new CapabilityError({
      provider: this.provider,
      model: this.model,
      param,
      value,
      ...(accepted ? { accepted } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  /** Refuses `value` unless it is in `accepted` (no list: anything goes). */
  oneOf<T extends string | number>(
    param: string,
    value: T | undefined,
    accepted?: readonly T[],
  ): void {
    if (value === undefined || accepted === undefined) return;
    if (!accepted.includes(value)) this.fail(param, value, accepted);
  }

  /** Refuses any value: the router has no such parameter. */
  absent(param: string, value: unknown, reason?: string): void {
    if (value === undefined) return;
    this.fail(param, value, undefined, reason ?? `${this.provider} has no ${param} parameter`);
  }

  /** Refuses more than one video (only rout.my makes several per request). */
  single(count: number | undefined): void {
    if (count !== undefined && count !== 1) this.fail('count', count, [1]);
  }

  /** Refuses sound the model cannot make, and silence it cannot keep. */
  audio(
    value: boolean | undefined,
    caps: ModelCapabilities | undefined,
    canTurnOff: boolean,
  ): void {
    if (value === undefined || !caps || caps.audio === null) return;
    if (value && caps.audio === false) this.fail('audio', value, [false]);
    if (!value && caps.audio === true && !canTurnOff) {
      this.fail('audio', value, [true], `${this.model} always generates sound on ${this.provider}`);
    }
  }

  /** Refuses a seed the model ignores. */
  seed(value: number | undefined, caps: ModelCapabilities | undefined): void {
    if (value !== undefined && caps?.seed === false) {
      this.fail('seed', value, undefined, `${this.model} does not take a seed`);
    }
  }

  /** Refuses images for a model without image input, and more images than `max`. */
  images(
    images: readonly VideoImage[] | undefined,
    caps: ModelCapabilities | undefined,
    options: { readonly max: number; readonly roles: readonly ImageRole[] },
  ): void {
    if (!images || images.length === 0) return;
    if (caps && !caps.imageInput) {
      this.fail(
        'images',
        `${images.length} image(s)`,
        undefined,
        `${this.model} takes no input image`,
      );
    }
    if (images.length > options.max) {
      this.fail(
        'images',
        `${images.length} images`,
        [options.max],
        `at most ${options.max} image(s)`,
      );
    }
    for (const image of images) {
      if (image.role && !options.roles.includes(image.role))
        this.fail('images.role', image.role, options.roles);
    }
  }
}

/**
 * The exact `WIDTHxHEIGHT` a request asks for: its `size`, or its resolution and aspect ratio
 * (`16:9` when only a resolution is given, the model's default resolution when only an aspect
 * ratio is). `undefined` when it names none.
 *
 * @example
 * requestedSize({ resolution: '720p', aspectRatio: '9:16' }, undefined); // '720x1280'
 */
export function requestedSize(
  request: { readonly size?: string; readonly resolution?: string; readonly aspectRatio?: string },
  caps: ModelCapabilities | undefined,
  checker: Checker,
): string | undefined {
  if (request.size !== undefined) {
    const parsed = parseSize(request.size);
    if (!parsed) checker.fail('size', request.size, undefined, `size must be WIDTHxHEIGHT`);
    return formatSize(parsed);
  }
  if (request.resolution === undefined && request.aspectRatio === undefined) return undefined;
  const fallback = caps ? parseSize(caps.defaultSize) : undefined;
  const resolution =
    request.resolution ?? (fallback ? `${Math.min(fallback.width, fallback.height)}p` : '720p');
  const dims = dimensionsFor(resolution, request.aspectRatio ?? '16:9');
  if (!dims) {
    checker.fail(
      request.resolution === undefined ? 'aspectRatio' : 'resolution',
      request.resolution ?? request.aspectRatio,
      undefined,
      `cannot turn resolution ${resolution} and aspect ratio ${request.aspectRatio ?? '16:9'} into a size`,
    );
  }
  return formatSize(dims);
}

/**
 * The aspect ratio of a size, reduced (`1280x720` → `16:9`).
 *
 * @example
 * aspectOf({ width: 1080, height: 1920 }); // '9:16'
 */
export function aspectOf({ width, height }: { width: number; height: number }): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(width, height) || 1;
  return `${width / d}:${height / d}`;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const bytesOf = async (data: Uint8Array | Blob): Promise<Uint8Array> =>
  data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());

/**
 * The image as a URL a JSON body can carry: its URL, or a `data:` URI of its bytes.
 *
 * @example
 * await imageUrl({ data: pngBytes, mimeType: 'image/png' }); // 'data:image/png;base64,iVBOR…'
 */
export async function imageUrl(image: VideoImage): Promise<string> {
  if ('url' in image) return image.url;
  const type = image.mimeType ?? (image.data instanceof Blob ? image.data.type : '') ?? '';
  return `data:${type || 'application/octet-stream'};base64,${toBase64(await bytesOf(image.data))}`;
}

/**
 * Decodes a `data:` URI (or bare base64).
 *
 * @example
 * decodeDataUri('data:image/png;base64,AAAA'); // { bytes: Uint8Array(3), mimeType: 'image/png' }
 */
export function decodeDataUri(uri: string): { bytes: Uint8Array; mimeType: string | undefined } {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(uri);
  if (!match) return { bytes: new Uint8Array(Buffer.from(uri, 'base64')), mimeType: undefined };
  const payload = match[3] ?? '';
  const bytes = match[2]
    ? new Uint8Array(Buffer.from(payload, 'base64'))
    : new TextEncoder().encode(decodeURIComponent(payload));
  return { bytes, mimeType: match[1] || undefined };
}

/**
 * The image as a `File` for a multipart body; URLs other than `data:` URIs cannot become one.
 *
 * @example
 * await imageFile({ data: pngBytes, filename: 'cat.png', mimeType: 'image/png' }, 0);
 */
export async function imageFile(image: VideoImage, index: number): Promise<File | undefined> {
  if ('url' in image) {
    if (!image.url.startsWith('data:')) return undefined;
    const { bytes, mimeType } = decodeDataUri(image.url);
    return new File([bytes as Uint8Array<ArrayBuffer>], `image-${index}`, {
      ...(mimeType ? { type: mimeType } : {}),
    });
  }
  if (image.data instanceof File && !image.filename && !image.mimeType) return image.data;
  const bytes = await bytesOf(image.data);
  const type = image.mimeType ?? (image.data instanceof Blob ? image.data.type : undefined);
  return new File([bytes as Uint8Array<ArrayBuffer>], image.filename ?? `image-${index}`, {
    ...(type ? { type } : {}),
  });
}
