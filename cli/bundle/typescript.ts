import * as path from 'node:path';
import type { Plugin } from 'rollup';
import type * as TS from 'typescript';
import { ResolveGuard } from './resolve-guard';
import { transpile, transpileOptions } from './transpile';

// Transpile-only TypeScript for rollup (see transpile.ts). On the bench's
// 50-function service, @rollup/plugin-typescript (which builds and type-checks
// the whole program again) takes several times longer; bench/build.ts measures
// both, and esbuild's transform (bench/esbuild-transpiler.ts) as a third option.

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** What `import './x.js'` may name in a TypeScript project (node16 style). */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export type TransformResult = { code: string; map: string | undefined; error?: { message: string; line?: number; column?: number } };

/** Makes the transform for one build; the bench passes esbuild's this way (esbuild is only a dev dependency). */
export type TranspilerFactory = (tsconfigPath: string, sourcemap: boolean) => (code: string, id: string) => Promise<TransformResult>;

export type Transpiler = 'typescript' | 'plugin-typescript' | TranspilerFactory;

export interface TypeScriptPluginOptions {
  tsconfigPath: string;
  sourcemap: boolean;
  /**
   * `typescript` (default): `ts.transpileModule`, exactly tsc's output, emitDecoratorMetadata included.
   * a factory: another transform for measuring (bench/esbuild-transpiler.ts: esbuild's, which ignores emitDecoratorMetadata).
   * `plugin-typescript`: @rollup/plugin-typescript, which type-checks the whole program again: for measuring.
   */
  transpiler?: Transpiler;
}

const typescriptTransformer: TranspilerFactory = (tsconfigPath, sourcemap) => {
  // Loaded lazily: typescript is a peer dependency and takes a quarter of a second to load.
  const ts = require('typescript') as typeof TS;
  const compilerOptions = transpileOptions(ts, tsconfigPath, sourcemap);
  return async (code, id) => {
    const result = transpile(ts, compilerOptions, { code, fileName: id });
    return { code: result.outputText, map: result.sourceMapText, error: result.error };
  };
};

export function typescriptTranspile(options: TypeScriptPluginOptions): Plugin {
  if (options.transpiler === 'plugin-typescript') {
    const typescript = (require('@rollup/plugin-typescript') as typeof import('@rollup/plugin-typescript')).default;
    return typescript({
      tsconfig: options.tsconfigPath,
      filterRoot: path.dirname(options.tsconfigPath),
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', sourceMap: options.sourcemap, declaration: false, outDir: undefined, rootDir: undefined },
      outputToFilesystem: false,
      noEmitOnError: false,
    });
  }
  const factory = typeof options.transpiler === 'function' ? options.transpiler : typescriptTransformer;
  const transform = factory(options.tsconfigPath, options.sourcemap);
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
      if (!TS_FILE.test(id) || DECLARATION_FILE.test(id)) return null;
      const result = await transform(code, id);
      if (result.error) {
        const { message, line, column } = result.error;
        this.error({ message, id, loc: line === undefined ? undefined : { file: id, line, column: column ?? 0 } });
      }
      return { code: result.code, map: result.map ? JSON.parse(result.map) : null };
    },
  };
}
