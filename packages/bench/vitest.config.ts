import { defineConfig } from 'vitest/config';

// Resolve sibling workspace packages to their TypeScript sources, so tests need no build.
const conditions = ['@reelkit/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
