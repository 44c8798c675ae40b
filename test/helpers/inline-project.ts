import * as path from 'node:path';
import * as ts from 'typescript';
import { SOURCE_DECORATORS } from '../../sources';
import { analyzeProgram, AnalysisResult } from '../../transformer/analyze';
import { formatDiagnostic } from '../../transformer/diagnostics';
import { FIXTURES } from './paths';

// Builds a TypeScript program from source strings held in memory, so each
// diagnostic test states its input inline. The files sit (virtually) inside
// the repo, so `import ... from 'sparta'` resolves as in a user's project.
// Library files are parsed once and shared between programs.

export const INLINE_ROOT = path.join(FIXTURES, 'inline');

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  experimentalDecorators: true,
  strict: true,
  skipLibCheck: true,
  types: [],
  noEmit: true,
};

const shared = new Map<string, ts.SourceFile>();

/** `overrides` replace compiler options, e.g. `{ experimentalDecorators: false }`. */
export function analyzeSources(files: Record<string, string>, overrides: ts.CompilerOptions = {}): AnalysisResult {
  const options = { ...OPTIONS, ...overrides };
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(INLINE_ROOT, name), text]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion) => {
    const text = virtual.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    let cached = shared.get(fileName);
    if (!cached) {
      cached = getSourceFile(fileName, languageVersion);
      if (cached) shared.set(fileName, cached);
    }
    return cached;
  };
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => [...virtual.keys()].some((file) => file.startsWith(dir + path.sep)) || (directoryExists?.(dir) ?? true);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  return analyzeProgram(program, INLINE_ROOT);
}

/** Diagnostics as the lines a user sees, for readable assertion failures. */
export function diagnosticLines(result: AnalysisResult): string[] {
  return result.diagnostics.map(formatDiagnostic);
}

/** One file `src/service.ts` with the usual imports in front of `body`. */
export function analyzeService(body: string): AnalysisResult {
  // Every source's decorator, as the table lists them: a service may use any.
  const imports = `import { Service, Resource, Lambda, Privilege, ${SOURCE_DECORATORS.join(', ')}, DependsOn, Ref, GetAtt, Sub } from 'sparta';\n`;
  return analyzeSources({ 'src/service.ts': imports + body });
}
