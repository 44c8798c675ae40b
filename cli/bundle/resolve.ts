import * as fs from 'node:fs';
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

/**
 * node-resolve's answers with symlinks resolved, as node resolves them (npm link, workspaces, pnpm), by the
 * system's realpath, once a path. node-resolve's own (rollup's `preserveSymlinks: false`) is node's
 * JavaScript realpath, one lstat a path segment for every import of a package: a tenth of a cold
 * build's time with the AWS SDK bundled (bench/build.ts profile). Rollup itself is then told to preserve
 * symlinks, so nothing resolves them twice.
 */
export function realPaths(resolver: Plugin): Plugin {
  const hook = resolver.resolveId;
  if (!hook) throw new Error(`${resolver.name} has no resolveId hook to wrap`);
  const [handler, order] = typeof hook === 'function' ? [hook, undefined] : [hook.handler, hook.order];
  const real = new Map<string, string>();
  const realPath = (id: string): string => {
    let answer = real.get(id);
    if (answer === undefined) {
      try {
        answer = fs.realpathSync.native(id);
      } catch {
        answer = id;
      }
      real.set(id, answer);
    }
    return answer;
  };
  return {
    ...resolver,
    resolveId: {
      order,
      async handler(source, importer, options) {
        const resolved = await handler.call(this, source, importer, options);
        if (typeof resolved === 'string') return path.isAbsolute(resolved) ? realPath(resolved) : resolved;
        if (resolved && typeof resolved === 'object' && !resolved.external && path.isAbsolute(resolved.id)) return { ...resolved, id: realPath(resolved.id) };
        return resolved;
      },
    },
  };
}
