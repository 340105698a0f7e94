import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/spec */
export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared reference folder CI places beside the repository (../shared). */
export const SHARED_DIR = join(SPEC_DIR, '..', '..', '..', 'shared');

export const OFFICIAL_OPENROUTER = join(SHARED_DIR, 'reference', 'openrouter-openapi-videos.json');

export const hasShared = existsSync(OFFICIAL_OPENROUTER);
