import * as path from 'node:path';
import type { Plugin } from 'rollup';
import type * as TS from 'typescript';
import { ResolveGuard } from './resolve-guard';
import { transpile, transpileOptions } from './transpile';

// Transpile-only TypeScript for rollup (see transpile.ts): exactly tsc's output,
// emitDecoratorMetadata included. bench/build.ts measures it against
// @rollup/plugin-typescript (which type-checks the whole program again, several
// times slower) and esbuild's transform (blind to emitDecoratorMetadata), both
// wired in from bench/rollup-variants.ts.

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** A module this plugin transpiles: TypeScript source, not a declaration file. */
export function isTypeScriptSource(id: string): boolean {
  return TS_FILE.test(id) && !DECLARATION_FILE.test(id);
}

/** What `import './x.js'` may name in a TypeScript project (node16 style). */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export interface TypeScriptPluginOptions {
  tsconfigPath: string;
  sourcemap: boolean;
}

export function typescriptTranspile(options: TypeScriptPluginOptions): Plugin {
  // Loaded lazily: typescript is a peer dependency and takes a quarter of a second to load.
  const ts = require('typescript') as typeof TS;
  const compilerOptions = transpileOptions(ts, options.tsconfigPath, options.sourcemap);
  const guard = new ResolveGuard();
  return {
    name: 'sparta-typescript',

    async resolveId(source, importer, resolveOptions) {
      if (!importer || !TS_FILE.test(importer) || !source.startsWith('.')) return null;
      const extension = path.extname(source);
      const candidates = JS_TO_TS[extension];
      if (!candidates) return null;
      const answer = await guard.once(importer, source, async () => {
        const plain = await this.resolve(source, importer, { ...resolveOptions, skipSelf: true });
        if (plain) return plain;
        const stem = source.slice(0, -extension.length);
        for (const candidate of candidates) {
          const resolved = await this.resolve(stem + candidate, importer, { ...resolveOptions, skipSelf: true });
          if (resolved) return resolved;
        }
        return null;
      });
      return answer ?? null;
    },

    async transform(code, id) {
      if (!isTypeScriptSource(id)) return null;
      const result = transpile(ts, compilerOptions, { code, fileName: id });
      if (result.error) {
        const { message, line, column } = result.error;
        this.error({ message, id, loc: line === undefined ? undefined : { file: id, line, column: column ?? 0 } });
      }
      return { code: result.outputText, map: result.sourceMapText ? JSON.parse(result.sourceMapText) : null };
    },
  };
}
