import * as path from 'node:path';
import type { Plugin } from 'rollup';
import type * as TS from 'typescript';
import { ResolveGuard } from './resolve-guard';
import { readTsconfig } from './tsconfig';

/**
 * Imports the compiler resolves through the tsconfig (`paths`, `baseUrl`,
 * `rootDirs`) resolved the same way in the bundle, from the same parsed
 * options the analysis reads: what type-checks is what ships. Only the
 * project's own modules are asked about, and only answers that land outside
 * node_modules are taken (packages stay node-resolve's, with its export
 * conditions); a relative import is asked about only when rollup cannot find
 * it on its own (a `rootDirs` merge).
 */
export function compilerPathResolution(projectDir: string, tsconfigPath: string): Plugin {
  // Loaded lazily, as in typescript.ts: a peer dependency that takes a quarter of a second to load.
  const ts = require('typescript') as typeof TS;
  const options = readTsconfig(tsconfigPath).options;
  const root = path.resolve(projectDir) + path.sep;
  const dependency = `${path.sep}node_modules${path.sep}`;
  const aliases = options.paths !== undefined || options.baseUrl !== undefined;
  const merged = (options.rootDirs?.length ?? 0) > 0;
  const cache = ts.createModuleResolutionCache(projectDir, (name) => (ts.sys.useCaseSensitiveFileNames ? name : name.toLowerCase()), options);
  const guard = new ResolveGuard();

  const compilerAnswer = (source: string, importer: string): string | null => {
    const { resolvedModule } = ts.resolveModuleName(source, importer, options, ts.sys, cache);
    if (!resolvedModule || resolvedModule.isExternalLibraryImport) return null;
    const file = resolvedModule.resolvedFileName;
    // A declaration file types a module that some other resolution provides.
    if (/\.d\.[cm]?ts$/.test(file) || file.includes(dependency)) return null;
    return path.resolve(file);
  };

  return {
    name: 'sparta-compiler-paths',
    async resolveId(source, importer, resolveOptions) {
      if (!importer || !importer.startsWith(root) || importer.includes(dependency) || source.startsWith('\0')) return null;
      const relative = source.startsWith('.') || path.isAbsolute(source);
      if (relative ? !merged : !aliases) return null;
      if (relative) {
        const plain = await guard.once(importer, source, () => this.resolve(source, importer, { ...resolveOptions, skipSelf: true }));
        if (plain === undefined) return null;
        if (plain) return plain;
      }
      return compilerAnswer(source, importer);
    },
  };
}
