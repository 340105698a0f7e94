/**
 * What the control plane (`/__reelkit/*`) needs of an engine beyond the namespace a request names
 * (see `namespace.ts`): the router, the engine-wide settings and the media it serves. A
 * `MockEngine` is one; the control plane knows nothing else of the engine.
 * @module
 */
import type { MediaStore } from './media.js';
import type { Diagnostic, MockProvider } from './types.js';

/**
 * The engine as the control plane sees it.
 *
 * @example
 * function describe(engine: EngineControl) {
 *   return { provider: engine.provider.spec.id, store: engine.store };
 * }
 */
export interface EngineControl {
  readonly provider: Pick<MockProvider, 'spec' | 'scenarios' | 'webhook'>;
  /** Generated videos, served at `/__reelkit/media/<id>.mp4` to any namespace. */
  readonly media: MediaStore;
  readonly faultRates: Readonly<Record<string, number>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the engine keeps its state: `memory` (this process only) or a store's kind (`redis`). */
  readonly store: string;
  /** This replica's name, when several share a store. */
  readonly replica: string | undefined;
  /** The control token, if the control plane needs one. */
  readonly controlToken: string | undefined;
  /** The origin of `publicUrl`, if one was given: answers name it instead of the request's. */
  readonly publicOrigin: string | undefined;
}
