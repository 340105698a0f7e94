/**
 * Writes packages/spec/openapi/<id>.json for every provider. Run with `npm run openapi`.
 * The drift test (test/openapi-drift.test.ts) fails when these files differ from the spec.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument, serializeOpenApiDocument } from '../src/openapi/generate.js';
import { providers } from '../src/index.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'openapi');
mkdirSync(outDir, { recursive: true });
for (const provider of Object.values(providers)) {
  const file = join(outDir, `${provider.id}.json`);
  writeFileSync(file, serializeOpenApiDocument(generateOpenApiDocument(provider)));
  console.log(`wrote ${file}`);
}
