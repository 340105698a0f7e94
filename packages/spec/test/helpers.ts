import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/spec */
export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** OpenRouter's published OpenAPI (its `/videos` paths), kept in the repository as a fact. */
export const OFFICIAL_OPENROUTER = join(SPEC_DIR, 'reference', 'openrouter-openapi-videos.json');
