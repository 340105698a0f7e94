/**
 * Request limits per router: how long a prompt may be, how large and how deeply nested a body may
 * be, and which route creates jobs. A limit the router documents is taken from its docs (with its
 * provenance); where a router states none, reelkit uses a documented limit generous enough for any
 * real request, so that no request from the network can fill a mock.
 * @module
 */
import type { Provenance } from './provenance.js';
import type { ProviderId } from './provider.js';

/** Limits of one route, by its operationId. */
export interface RouteLimits {
  /** Largest accepted body in bytes, whatever its encoding. */
  readonly maxBodyBytes: number;
  /** The route creates a job: it is refused (the router's 429) while the job store is full. */
  readonly createsJob?: boolean;
}

/** The request limits of one router. */
export interface RequestLimits {
  /** Longest accepted prompt, in characters (UTF-16 code units, as JavaScript counts). */
  readonly maxPromptChars: number;
  /** Where {@link RequestLimits.maxPromptChars} comes from. */
  readonly promptProvenance: Provenance;
  /** Deepest accepted nesting of objects and arrays in a JSON body. */
  readonly maxJsonDepth: number;
  /** Body limit of routes {@link RequestLimits.routes} does not list. */
  readonly maxBodyBytes: number;
  /** Per-route limits, by operationId. */
  readonly routes: Readonly<Record<string, RouteLimits>>;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The prompt limit of routers that publish none: ten times OpenAI's published Sora limit
 * (32,000 characters), far beyond what any video model reads.
 */
export const DEFAULT_MAX_PROMPT_CHARS = 100_000;

/** JSON nesting no router's request needs more than a handful of: objects in arrays in objects. */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** Bodies of routes that carry ids and options only (polls, model lists, the control plane). */
export const SMALL_BODY_BYTES = 64 * KiB;

/**
 * JSON creates that may carry images inline as data URLs: room for several large images.
 * No router documents a JSON body limit; this one is reelkit's.
 */
const INLINE_IMAGES_BODY_BYTES = 32 * MiB;

const undocumentedPrompt: Provenance = {
  level: 'provisional',
  source: 'reelkit default (the router documents no prompt limit)',
  note: `${DEFAULT_MAX_PROMPT_CHARS} characters; a longer prompt is answered as the router answers a validation error.`,
};

/**
 * Every router's request limits, by id.
 *
 * @example
 * REQUEST_LIMITS.imagerouter.maxPromptChars; // 10000 (ImageRouter's validateVideoParams.js)
 * REQUEST_LIMITS.openrouter.routes.createVideos?.createsJob; // true
 */
export const REQUEST_LIMITS: Readonly<Record<ProviderId, RequestLimits>> = {
  openrouter: {
    maxPromptChars: DEFAULT_MAX_PROMPT_CHARS,
    promptProvenance: undocumentedPrompt,
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
    maxBodyBytes: SMALL_BODY_BYTES,
    routes: { createVideos: { maxBodyBytes: INLINE_IMAGES_BODY_BYTES, createsJob: true } },
  },
  imagerouter: {
    maxPromptChars: 10_000,
    promptProvenance: {
      level: 'official-code',
      source: 'DaWe35/image-router src/services/validateVideoParams.js',
      note: "'prompt' must be 10,000 characters or less.",
    },
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
    maxBodyBytes: SMALL_BODY_BYTES,
    // Multer takes up to 6 images of 25 MB each (videoRoutes.js); the form encoding adds a little.
    routes: { createVideoGeneration: { maxBodyBytes: 160 * MiB, createsJob: true } },
  },
  fastrouter: {
    maxPromptChars: DEFAULT_MAX_PROMPT_CHARS,
    promptProvenance: undocumentedPrompt,
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
    maxBodyBytes: SMALL_BODY_BYTES,
    // Images are URLs only (the docs: "URL only, no base64"), so a create is small.
    routes: { createVideo: { maxBodyBytes: 1 * MiB, createsJob: true } },
  },
  routmy: {
    maxPromptChars: DEFAULT_MAX_PROMPT_CHARS,
    promptProvenance: undocumentedPrompt,
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
    maxBodyBytes: SMALL_BODY_BYTES,
    routes: {
      createVideoGeneration: { maxBodyBytes: INLINE_IMAGES_BODY_BYTES, createsJob: true },
    },
  },
};
