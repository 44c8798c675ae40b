import * as path from 'node:path';
import type * as ts from 'typescript';
import { analyzeProgram } from './analyze';
import { formatDiagnostic, toTsDiagnostic } from './diagnostics';
import { DEFAULT_MANIFEST_FILE, writeManifest } from './emit';

// The ts-patch entry: `compilerOptions.plugins: [{ "transform": "sparta/transformer" }]`.
// It changes no code; it analyses the program once per emit and writes the
// manifest, or reports errors so that `tspc` fails and nothing is written;
// warnings are printed either way and fail nothing.

export interface SpartaPluginConfig {
  /** Where to write the manifest, relative to the tsconfig's folder. Default `sparta.manifest.json`. */
  manifest?: string;
}

interface ProgramTransformerExtras {
  addDiagnostic?: (diagnostic: ts.Diagnostic) => number;
}

export default function spartaTransformer(
  program: ts.Program,
  config: SpartaPluginConfig = {},
  extras: ProgramTransformerExtras = {},
): ts.TransformerFactory<ts.SourceFile> {
  const { manifest, diagnostics, projectDir } = analyzeProgram(program);
  if (manifest) writeManifest(path.resolve(projectDir, config.manifest ?? DEFAULT_MANIFEST_FILE), manifest);
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'error') extras.addDiagnostic?.(toTsDiagnostic(diagnostic));
    // tsc exits non-zero on any diagnostic it holds, whatever its category, so
    // a warning goes to stderr beside tsc's output instead.
    else process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  }
  return () => (sourceFile) => sourceFile;
}

export { analyzeProgram, analyzeProject } from './analyze';
export type { AnalysisResult, ProjectAnalysis } from './analyze';
export { formatDiagnostic } from './diagnostics';
export type { Severity, SpartaDiagnostic } from './diagnostics';
export { serializeManifest } from './emit';
