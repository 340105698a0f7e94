import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { providers } from '../src/index.js';
import { generateOpenApiDocument, serializeOpenApiDocument } from '../src/openapi/generate.js';
import { SPEC_DIR } from './helpers.js';

const all = Object.values(providers);
const committedPath = (id: string) => join(SPEC_DIR, 'openapi', `${id}.json`);

describe.each(all.map((p) => [p.id, p] as const))('%s OpenAPI document', (id, provider) => {
  const generated = serializeOpenApiDocument(generateOpenApiDocument(provider));

  it('matches the committed file (run `npm run openapi` after changing the spec)', () => {
    const committed = readFileSync(committedPath(id), 'utf8');
    expect(committed).toBe(generated);
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    const api = await SwaggerParser.validate(JSON.parse(generated) as never);
    expect((api as { openapi?: string }).openapi).toBe('3.1.0');
  });

  it('declares every route once, with unique operationIds and provenance', () => {
    const doc = JSON.parse(generated) as {
      paths: Record<
        string,
        Record<string, { operationId: string; 'x-reelkit-provenance'?: unknown }>
      >;
    };
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(Object.keys(provider.routes).length);
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) expect(op['x-reelkit-provenance'], op.operationId).toBeDefined();
  });
});

/** Starts `prism mock` on a document and resolves with everything it printed once it listens. */
function prismLoads(file: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const prism = spawn(
      process.execPath,
      [
        join(SPEC_DIR, '..', '..', 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js'),
        'mock',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        file,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`prism did not start in 30 s:\n${output}`)),
      30_000,
    );
    const finish = (error?: Error) => {
      clearTimeout(timer);
      prism.kill('SIGTERM');
      if (error) reject(error);
      else resolve(output);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) finish();
    };
    prism.stdout.on('data', onData);
    prism.stderr.on('data', onData);
    prism.on('exit', (code) => finish(new Error(`prism exited with ${code}:\n${output}`)));
  });
}

describe('prism mock', () => {
  it.each(all.map((p, i) => [p.id, i] as const))(
    'loads %s.json without errors',
    async (id, i) => {
      const output = await prismLoads(committedPath(id), 4610 + i);
      // Prism marks errors with ✖ and warnings with ⚠ (its log also prints random example paths,
      // such as /videos/error, so the word itself proves nothing).
      expect(output).not.toMatch(/[✖⚠]/);
      expect(output).toContain('Prism is listening');
    },
    40_000,
  );
});
