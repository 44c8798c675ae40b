// Set-ups of the bundle stage that bench/build.ts measures against sparta's
// own and that sparta does not ship: other TypeScript transforms, a pass that
// strips comments, one rollup build a function. They live here because they
// need dev dependencies (esbuild) or would be dead weight in the CLI; they
// reach into the bundle only through its exported rollup options.
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { OutputChunk, Plugin, RollupCache } from 'rollup';
import * as ts from 'typescript';
import {
  archiveFiles,
  BundleWarnings,
  bundleFunctions,
  outputPlugins,
  rollupInputOptions,
  rollupOutputOptions,
  toSpartaError,
  type BundleOptions,
  type FunctionBundle,
  type RollupAdjustments,
} from '../cli/bundle';
import { entryId } from '../cli/bundle/entry';
import { transpileOptions } from '../cli/bundle/transpile';
import { isTypeScriptSource } from '../cli/bundle/typescript';

export type Transpiler = 'esbuild' | 'plugin-typescript';

export interface VariantOptions {
  transpiler?: Transpiler;
  /**
   * Drop all but licence comments without minifying (terser, reprinted). Dependencies' comments are a third of
   * reflect-metadata zipped, but the pass costs more than the whole build once the AWS SDK is bundled.
   */
  stripComments?: boolean;
  /** One rollup build a function, each given the modules the earlier ones transformed (rollup's cache). */
  perFunction?: boolean;
}

const SPARTA_TRANSPILER = 'sparta-typescript';
const LEGAL_COMMENT = /^!|@license|@preserve|@cc_on/i;

/** Bundles as bundleFunctions does, with the variant's changes. */
export async function bundleVariant(options: BundleOptions, variant: VariantOptions): Promise<FunctionBundle[]> {
  const adjust: RollupAdjustments = {
    input: (input) => {
      if (!variant.transpiler) return input;
      const plugins = (input.plugins as Plugin[]).map((plugin) => (plugin.name === SPARTA_TRANSPILER ? transpilerPlugin(variant.transpiler!, plugin, options) : plugin));
      return { ...input, plugins };
    },
    outputPlugins: variant.stripComments
      ? [terser()({ maxWorkers: 1, compress: false, mangle: false, format: { beautify: true, comments: LEGAL_COMMENT } })]
      : outputPlugins(options),
  };
  return variant.perFunction ? bundleSeparately(options, adjust) : bundleFunctions(options, adjust);
}

function terser(): typeof import('@rollup/plugin-terser').default {
  return (require('@rollup/plugin-terser') as typeof import('@rollup/plugin-terser')).default;
}

function transpilerPlugin(transpiler: Transpiler, sparta: Plugin, options: BundleOptions): Plugin {
  if (transpiler === 'plugin-typescript') {
    const typescript = (require('@rollup/plugin-typescript') as typeof import('@rollup/plugin-typescript')).default;
    return typescript({
      tsconfig: options.tsconfigPath,
      filterRoot: path.dirname(options.tsconfigPath),
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', sourceMap: options.sourcemap ?? false, declaration: false, outDir: undefined, rootDir: undefined },
      outputToFilesystem: false,
      noEmitOnError: false,
    });
  }
  // esbuild's transform: faster than ts.transpileModule but blind to emitDecoratorMetadata. Sparta's resolution of
  // `./x.js` to `./x.ts` is kept.
  const compilerOptions = transpileOptions(ts, options.tsconfigPath, options.sourcemap ?? false);
  const tsconfigRaw = {
    compilerOptions: {
      experimentalDecorators: compilerOptions.experimentalDecorators,
      useDefineForClassFields: compilerOptions.useDefineForClassFields,
      verbatimModuleSyntax: compilerOptions.verbatimModuleSyntax,
    },
  };
  const target = compilerOptions.target === undefined || compilerOptions.target >= ts.ScriptTarget.ESNext ? 'esnext' : ts.ScriptTarget[compilerOptions.target]!.toLowerCase();
  return {
    ...sparta,
    name: 'bench-esbuild-transform',
    async transform(code, id) {
      if (!isTypeScriptSource(id)) return null;
      const loader = id.endsWith('x') ? 'tsx' : 'ts';
      const result = await esbuild.transform(code, { loader, format: 'esm', target, sourcefile: id, sourcemap: options.sourcemap ?? false, tsconfigRaw });
      return { code: result.code, map: result.map ? JSON.parse(result.map) : null };
    },
  };
}

/** One build a function, as CDK's one esbuild a function but with rollup: each build reuses the modules before it. */
async function bundleSeparately(options: BundleOptions, adjust: RollupAdjustments): Promise<FunctionBundle[]> {
  const { rollup } = require('rollup') as typeof import('rollup');
  const warnings = new BundleWarnings(options);
  const modules = new Map<string, NonNullable<RollupCache['modules']>[number]>();
  const out: FunctionBundle[] = [];
  try {
    for (const fn of options.functions) {
      const input = rollupInputOptions(options, { index: entryId(fn) }, { modules: [...modules.values()] }, warnings);
      const build = await rollup(adjust.input ? adjust.input(input) : input);
      try {
        for (const m of build.cache?.modules ?? []) modules.set(m.id, m);
        const { output } = await build.generate({ ...rollupOutputOptions(options, adjust.outputPlugins ?? []), inlineDynamicImports: true });
        const chunks = new Map(output.filter((o): o is OutputChunk => o.type === 'chunk').map((c) => [c.fileName, c]));
        out.push({ functionId: fn.id, files: archiveFiles(chunks.get('index.js')!, chunks, options.projectDir) });
      } finally {
        await build.close();
      }
    }
  } catch (error) {
    throw toSpartaError(error, options.projectDir);
  } finally {
    warnings.flush();
  }
  return out;
}
