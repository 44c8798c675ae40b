import type * as TS from 'typescript';
import { readTsconfig } from './tsconfig';

// TypeScript to ES modules, one file at a time, without type-checking: only
// types are stripped. The analysis does not type-check either (it skips the
// standard library for speed); build and provision run the compiler's own
// check first (typecheck.ts), unless --no-typecheck.

export interface TranspileRequest {
  code: string;
  fileName: string;
}

export interface TranspileResult {
  outputText: string;
  sourceMapText?: string;
  /** The first error: message and, for a syntax error, 1-based line and 0-based column. */
  error?: { message: string; line?: number; column?: number };
}

/** The user's compiler options, adjusted so the output is ES modules that rollup can tree-shake. */
export function transpileOptions(ts: typeof TS, tsconfigPath: string, sourcemap: boolean): TS.CompilerOptions {
  const options: TS.CompilerOptions = { ...readTsconfig(tsconfigPath).options };
  // Meaningless for one-file-at-a-time output, or about where files go on disk.
  for (const key of ['declaration', 'declarationMap', 'emitDeclarationOnly', 'composite', 'incremental', 'tsBuildInfoFile',
    'outDir', 'outFile', 'rootDir', 'noEmit', 'inlineSourceMap', 'inlineSources', 'sourceRoot', 'mapRoot', 'plugins',
    'configFilePath'] as const) {
    delete options[key];
  }
  options.module = ts.ModuleKind.ESNext;
  options.moduleResolution = ts.ModuleResolutionKind.Bundler;
  options.sourceMap = sourcemap;
  options.importHelpers = false;
  options.noEmitHelpers = false;
  options.isolatedModules = true;
  // Comments only cost bytes in a Lambda archive; source maps point at the original sources.
  options.removeComments = true;
  return options;
}

export function transpile(ts: typeof TS, compilerOptions: TS.CompilerOptions, request: TranspileRequest): TranspileResult {
  const output = ts.transpileModule(request.code, { compilerOptions, fileName: request.fileName, reportDiagnostics: true });
  const result: TranspileResult = {
    outputText: output.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'),
    sourceMapText: output.sourceMapText,
  };
  const first = (output.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (first) {
    const position = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
    result.error = {
      message: ts.flattenDiagnosticMessageText(first.messageText, '\n'),
      line: position && position.line + 1,
      column: position?.character,
    };
  }
  return result;
}
