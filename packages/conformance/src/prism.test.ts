import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PrismProxyError, prismBin } from './prism.js';

describe('prismBin', () => {
  const outside = mkdtempSync(join(tmpdir(), 'reelkit-no-prism-'));
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('finds the Prism the project installed (a dev dependency here)', () => {
    const bin = prismBin();
    expect(bin).toMatch(/@stoplight[\\/]prism-cli[\\/]dist[\\/]index\.js$/);
    expect(existsSync(bin)).toBe(true);
  });

  it('names the package to install when Prism is absent', () => {
    // A module in a project without node_modules: what an install without the optional peer sees.
    const from = pathToFileURL(join(outside, 'index.js'));
    let thrown: unknown;
    try {
      prismBin(from);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrismProxyError);
    expect(thrown).toMatchObject({ code: 'prism-not-installed' });
    expect((thrown as Error).message).toContain('npm install --save-dev @stoplight/prism-cli');
  });
});
