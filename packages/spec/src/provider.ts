import type { RouteDef } from './define.js';
import type { LifecycleDef } from './lifecycle.js';
import type { Provenance } from './provenance.js';
import type { z } from './zod.js';

/** The routers reelkit knows. */
export const PROVIDER_IDS = ['openrouter', 'imagerouter', 'fastrouter', 'routmy'] as const;

/** One of {@link PROVIDER_IDS}. */
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** How a router delivers a video: submit then poll, or one long request. */
export type FlowStyle = 'async' | 'sync';

/**
 * A model's capabilities in one shape across routers, derived from each router's own catalog.
 * `undefined` lists mean the router publishes no constraint.
 */
export interface ModelCapabilities {
  readonly id: string;
  readonly name: string;
  readonly durations?: readonly number[];
  readonly defaultDuration: number;
  readonly resolutions?: readonly string[];
  readonly aspectRatios?: readonly string[];
  readonly sizes?: readonly string[];
  /** `WIDTHxHEIGHT` used when the request names no size. */
  readonly defaultSize: string;
  readonly frameImages?: readonly string[];
  readonly imageInput: boolean;
  readonly audio: boolean | null;
  readonly seed: boolean | null;
  /** Cost in USD of one second of video, without and with audio, when the router publishes it. */
  readonly pricePerSecond?: { readonly base: number; readonly withAudio?: number };
  readonly provenance: Provenance;
}

/** What a router would actually generate for an accepted request. */
export interface ResolvedGeneration {
  readonly model: string;
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  /** Number of videos. */
  readonly count: number;
  readonly audio: boolean;
  /** Changes the router made silently (fallbacks, clamping), in words. */
  readonly adjustments: readonly string[];
}

/** A router's verdict on a request: what it will generate, or the error it answers. */
export type Judgement =
  | { readonly ok: true; readonly generation: ResolvedGeneration }
  | {
      readonly ok: false;
      readonly status: number;
      readonly message: string;
      readonly param?: string;
      readonly type?: string;
      readonly code?: string;
    };

/**
 * Everything reelkit knows about one router, declared once.
 */
export interface ProviderSpec<Routes extends Record<string, RouteDef> = Record<string, RouteDef>> {
  /**
   * The router's id: one of {@link PROVIDER_IDS} for the built-in four, any other word (such as
   * `acme-video`) for a router a vendor declares with `defineRouter`.
   */
  readonly id: ProviderId | (string & {});
  readonly title: string;
  readonly description: string;
  /** The real API's origin, e.g. `https://openrouter.ai`. */
  readonly origin: string;
  /** Prefix shared by the OpenAPI paths, e.g. `/api/v1`; route paths are relative to it. */
  readonly basePath: string;
  /** Port `npm start` serves this router's mock on. */
  readonly defaultPort: number;
  readonly flow: FlowStyle;
  readonly docs: readonly string[];
  readonly routes: Routes;
  readonly lifecycles: Readonly<Record<string, LifecycleDef>>;
  /** The router's error body. */
  readonly errorSchema: z.ZodType;
  /** Capabilities of every model in the catalog. */
  readonly models: readonly ModelCapabilities[];
  /** Judges a parsed generation request against the model's capabilities as the router does. */
  readonly judge: (request: Record<string, unknown>) => Judgement;
}

/**
 * Identity helper that keeps a provider's literal route keys: a spec without facts, which mocks,
 * client and kit cannot drive on their own.
 *
 * @deprecated Declare routers with `defineRouter` (routes, schemas and facts), as the four
 * built-in routers and `examples/custom-router` do.
 * @example
 * export const partial = defineProvider({ id: 'acme', routes, ... });
 */
export function defineProvider<const Routes extends Record<string, RouteDef>>(
  spec: ProviderSpec<Routes>,
): ProviderSpec<Routes> {
  return spec;
}

/**
 * The full path of a route on the router's origin (base path + route path).
 *
 * @example
 * fullPath(openrouter, openrouter.routes.getVideo); // '/api/v1/videos/{jobId}'
 */
export function fullPath(provider: Pick<ProviderSpec, 'basePath'>, route: RouteDef): string {
  return `${provider.basePath}${route.path}`;
}

/**
 * Looks up a model's capabilities.
 *
 * @example
 * findModel(openrouter, 'google/veo-3.1')?.durations; // [4, 6, 8]
 */
export function findModel(provider: ProviderSpec, id: string): ModelCapabilities | undefined {
  return provider.models.find((m) => m.id === id);
}
