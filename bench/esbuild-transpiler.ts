// esbuild's transform as a transpiler variant for bench/build.ts: faster than
// ts.transpileModule but blind to emitDecoratorMetadata. It lives here because
// esbuild is a dev dependency: shipped code must not load it.
import * as esbuild from 'esbuild';
import * as ts from 'typescript';
import type { TranspilerFactory } from '../cli/bundle/typescript';
import { transpileOptions } from '../cli/bundle/transpile';

export const esbuildTranspiler: TranspilerFactory = (tsconfigPath, sourcemap) => {
  const options = transpileOptions(ts, tsconfigPath, sourcemap);
  const tsconfigRaw = {
    compilerOptions: {
      experimentalDecorators: options.experimentalDecorators,
      useDefineForClassFields: options.useDefineForClassFields,
      verbatimModuleSyntax: options.verbatimModuleSyntax,
    },
  };
  const target = options.target === undefined || options.target >= ts.ScriptTarget.ESNext ? 'esnext' : ts.ScriptTarget[options.target]!.toLowerCase();
  return async (code, id) => {
    const loader = id.endsWith('x') ? 'tsx' : 'ts';
    const result = await esbuild.transform(code, { loader, format: 'esm', target, sourcefile: id, sourcemap, tsconfigRaw });
    return { code: result.code, map: result.map || undefined };
  };
};
