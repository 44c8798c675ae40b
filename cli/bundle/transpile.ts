import type * as TS from 'typescript';

// TypeScript to ES modules, one file at a time, without type-checking: the
// analyzer has already type-checked the project (`analyzeProject` fails on
// diagnostics), so the bundle step only strips types.

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
  let problem: string | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      problem = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfigPath}: ${problem ?? 'unknown error'}`);
  const options: TS.CompilerOptions = { ...parsed.options };
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
