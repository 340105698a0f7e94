/**
 * What each published package contains, read from `npm pack --dry-run --json` as the registry
 * would receive it: exactly the built modules with their sources (no tests, no fixtures), a
 * LICENSE, the OpenAPI documents for the spec, and for the CLI only its bin and bundle. Also that
 * each package depends on exactly what its built code imports, and on sibling packages at the
 * workspace's own version. Needs a build (turbo runs this after `build`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const packagesDir = join(repoRoot, 'packages');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, Record<string, string>>;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const workspaces = readdirSync(packagesDir).map((dir) => {
  const path = join(packagesDir, dir);
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest;
  return { dir, path, manifest };
});
const published = workspaces.filter((w) => !w.manifest.private);
const built = published.every((w) => existsSync(join(w.path, 'dist')));

/** Every file under `dir`, relative to `root`, with forward slashes. */
function filesUnder(root: string, dir: string): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** The files `npm pack` would put in the tarball of the package at `path`. */
async function packedFiles(path: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
    cwd: path,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return packed.files.map((file) => file.path).sort();
}

/**
 * Bare module specifiers that the built JavaScript imports, statically or dynamically. (Not
 * `require`: the bundle holds generated code in strings that mention `require("…")`, and the
 * CommonJS it inlines needs nothing outside it, or esbuild would have failed.)
 */
function importedPackages(jsFiles: string[]): Set<string> {
  const builtins = new Set(builtinModules);
  const found = new Set<string>();
  // `from 'x'`, `import('x')`, or a side-effect `import 'x'` at the start of a line.
  const specifier =
    /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)["'](@?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/gm;
  for (const file of jsFiles) {
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const name = match[1]!;
      if (name.startsWith('node:') || builtins.has(name.split('/')[0]!)) continue;
      const parts = name.split('/');
      found.add(name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return found;
}

describe.skipIf(!built)('published tarballs (run npm run build first)', () => {
  const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');

  it.each(published.map((w) => [w.manifest.name, w] as const))(
    '%s holds exactly its modules, sources, LICENSE and package.json',
    async (_name, { path, manifest }) => {
      const files = await packedFiles(path);
      let expected: string[];
      if (manifest.bin && !manifest.exports) {
        // The CLI: the committed bin entry and the one-file bundle it runs (no source map).
        expected = [...Object.values(manifest.bin).map((bin) => bin.replace(/^\.\//, ''))];
        expected.push('dist/reelkit.js');
      } else {
        const sources = filesUnder(path, 'src').filter((file) => !/\.test\.ts$/.test(file));
        const modules = sources
          .filter((file) => file.endsWith('.ts'))
          .flatMap((file) => {
            const base = file.replace(/^src\//, 'dist/').replace(/\.ts$/, '');
            return [`${base}.js`, `${base}.js.map`, `${base}.d.ts`];
          });
        // Data folders the manifest lists besides dist and src (the spec's openapi/) ship whole.
        const data = (manifest.files ?? [])
          .filter((entry) => !['dist', 'src'].includes(entry) && !entry.startsWith('!'))
          .flatMap((dir) => filesUnder(path, dir));
        expected = [...sources, ...modules, ...data];
      }
      expected.push('LICENSE', 'package.json');
      expect(files).toEqual([...new Set(expected)].sort());
      expect(files.filter((file) => /\.test\.|(^|\/)(test|fixtures)\//.test(file))).toEqual([]);
      expect(readFileSync(join(path, 'LICENSE'), 'utf8')).toBe(license);
      // attw reports a package without types as fine, so ask for them here: one per entry point.
      for (const [entry, conditions] of Object.entries(manifest.exports ?? {})) {
        expect(conditions.types, `types of ${entry}`).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      }
      for (const target of Object.values(manifest.exports ?? {}).flatMap((conditions) =>
        Object.values(conditions),
      )) {
        expect(files, `exports target ${target}`).toContain(target.replace(/^\.\//, ''));
      }
    },
    // npm pack takes a few seconds on a loaded machine: this caps a hang, it measures nothing.
    60_000,
  );

  it.each(published.map((w) => [w.manifest.name, w] as const))(
    '%s depends on exactly the packages its built code imports',
    (_name, { path, manifest }) => {
      const jsFiles =
        manifest.bin && !manifest.exports
          ? [
              join(path, 'dist', 'reelkit.js'),
              ...Object.values(manifest.bin).map((b) => join(path, b)),
            ]
          : filesUnder(path, 'dist')
              .filter((file) => file.endsWith('.js'))
              .map((file) => join(path, file));
      const imported = importedPackages(jsFiles);
      imported.delete(manifest.name); // a package may import its own exports by name
      const declared = Object.keys(manifest.dependencies ?? {});
      const peers = Object.keys(manifest.peerDependencies ?? {});
      // Every import is declared; every dependency is imported. Peers may be looked up another
      // way (Prism is resolved as a file to spawn, not imported).
      expect(
        [...imported].filter((name) => !declared.includes(name) && !peers.includes(name)),
      ).toEqual([]);
      expect(declared.filter((name) => !imported.has(name))).toEqual([]);
    },
  );

  it('pins every sibling package to the version in the workspace', () => {
    const versions = new Map(workspaces.map((w) => [w.manifest.name, w.manifest.version]));
    const internal = workspaces.flatMap(({ manifest }) =>
      [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].flatMap((deps) =>
        Object.entries(deps ?? {})
          .filter(([name]) => versions.has(name))
          .map(([name, range]) => ({ from: manifest.name, name, range })),
      ),
    );
    expect(internal.length).toBeGreaterThan(0);
    expect(internal.filter(({ name, range }) => range !== versions.get(name))).toEqual([]);
  });
});
