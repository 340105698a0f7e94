import { getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';
import type { z } from './zod.js';

/**
 * How sure we are of a fact, from most to least authoritative.
 *
 * - `official-spec`: the router's own OpenAPI document or SDK.
 * - `official-docs`: the router's documentation pages.
 * - `official-code`: the router's own server source (ImageRouter is open source).
 * - `third-party`: someone else's code or page; a hint only.
 * - `provisional`: no source found; our best reading, to be confirmed by a live conformance run.
 */
export type ProvenanceLevel =
  'official-spec' | 'official-docs' | 'official-code' | 'third-party' | 'provisional';

/** Where a fact comes from: its level and the source that states it. */
export interface Provenance {
  readonly level: ProvenanceLevel;
  /** The document, URL or file the fact comes from. */
  readonly source: string;
  /** What is uncertain, or how sources disagree. */
  readonly note?: string;
}

/** The OpenAPI extension key under which provenance travels into generated documents. */
export const PROVENANCE_EXTENSION = 'x-reelkit-provenance';

/**
 * Attaches provenance to a schema, so it shows up as `x-reelkit-provenance` in OpenAPI.
 *
 * @example
 * const Id = provenance(z.string(), { level: 'official-spec', source: 'openapi.yaml' });
 */
export function provenance<T extends z.ZodType>(schema: T, fact: Provenance): T {
  return schema.openapi({ [PROVENANCE_EXTENSION]: fact });
}

/**
 * Reads the provenance attached to a schema by {@link provenance}, if any.
 *
 * @example
 * provenanceOf(Id)?.level; // 'official-spec'
 */
export function provenanceOf(schema: z.ZodType): Provenance | undefined {
  const metadata = getOpenApiMetadata(schema) as Record<string, unknown>;
  return metadata[PROVENANCE_EXTENSION] as Provenance | undefined;
}
