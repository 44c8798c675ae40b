import * as path from 'node:path';
import type { Plugin } from 'rollup';
import type { FunctionManifest } from '../../manifest/types';
import { ENTRY_PREFIX, entrySource } from './entry';

/** Serves the generated entry modules (see entry.ts) from memory. */
export function spartaEntries(projectDir: string, functions: readonly FunctionManifest[]): Plugin {
  const byId = new Map(functions.map((fn) => [ENTRY_PREFIX + fn.id, fn]));
  const sourceFile = (fn: FunctionManifest) => path.resolve(projectDir, fn.source.file);
  return {
    name: 'sparta-entries',
    async resolveId(source, importer, options) {
      if (byId.has(source)) return source;
      const fn = importer === undefined ? undefined : byId.get(importer);
      if (!fn) return null;
      // A generated entry lives nowhere on disk: resolve its imports ('sparta') as the class's own module would.
      return this.resolve(source, sourceFile(fn), { ...options, skipSelf: true });
    },
    load(id) {
      const fn = byId.get(id);
      if (!fn) return null;
      // The class's module, not the method's: the transformer records the class's file in `source.file`.
      return { code: entrySource(fn, sourceFile(fn)), map: { mappings: '' } };
    },
  };
}

/**
 * Rollup drops statements it finds free of side effects, and an endless loop
 * counts as free: `spin() { while (true) {} }` shipped with an empty body, and
 * no `treeshake` option keeps it. So the project's own modules are bundled as
 * written (rollup's per-module `no-treeshake`); dependencies, the sparta runtime
 * and the AWS SDK among them, are still tree-shaken.
 */
export function projectCodeAsWritten(projectDir: string): Plugin {
  const root = path.resolve(projectDir) + path.sep;
  const dependency = `${path.sep}node_modules${path.sep}`;
  return {
    name: 'sparta-project-as-written',
    transform(code, id) {
      if (!id.startsWith(root) || id.includes(dependency)) return null;
      return { code, map: null, moduleSideEffects: 'no-treeshake' };
    },
  };
}

/**
 * JSON modules as a default export. Dependencies import their package.json
 * (the AWS SDK does, for its user agent); this is all they need.
 */
export function jsonModules(): Plugin {
  return {
    name: 'sparta-json',
    transform(code, id) {
      if (!id.endsWith('.json')) return null;
      return { code: `export default ${JSON.stringify(JSON.parse(code))};\n`, map: { mappings: '' } };
    },
  };
}
