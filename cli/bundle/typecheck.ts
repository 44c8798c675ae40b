import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { typeErrors } from '../errors';
import { readTsconfig } from './tsconfig';

// The compiler's own type-check of the user's program, as `tsc --noEmit` does
// it, before anything is bundled. The analysis cannot stand in for it: it
// skips the standard library and global types for speed, and the bundle step
// only strips types. TypeScript's incremental build information is kept under
// the build output, so a build with no source change re-checks nothing.

/** Beside build.json: TypeScript's record of which files were checked and what they reported. */
export const TYPECHECK_INFO_FILE = '.tsbuildinfo';

/**
 * What the last clean check read: if none of it changed, the program still type-checks and is not
 * even parsed again (parsing the standard library is most of a warm check's cost).
 */
export const TYPECHECK_STAMP_FILE = '.typecheck.json';

interface CleanStamp {
  typescript: string;
  options: string;
  rootNames: string[];
  /** Packages under node_modules/@types that join the program unless `types` lists them. */
  automaticTypes: string[];
  /** Every file of the program with its mtime and size. */
  files: Array<[string, number, number]>;
}

/** The program's errors (empty when it type-checks); writes `<outDir>/.tsbuildinfo` and, when clean, `<outDir>/.typecheck.json`. */
export function typecheckProject(tsconfigPath: string, outDir: string): TS.Diagnostic[] {
  // Loaded lazily: typescript is a peer dependency and slow to load.
  const ts = require('typescript') as typeof TS;
  const parsed = readTsconfig(tsconfigPath);
  // The user's options as `tsc --noEmit` reads them (none of them conflicts with noEmit); only where the information goes is ours.
  const options: TS.CompilerOptions = { ...parsed.options, noEmit: true, incremental: true, tsBuildInfoFile: path.join(outDir, TYPECHECK_INFO_FILE) };
  const stampFile = path.join(outDir, TYPECHECK_STAMP_FILE);
  const inputs = {
    typescript: ts.version,
    options: JSON.stringify(options),
    rootNames: [...parsed.fileNames].sort(),
    automaticTypes: ts.getAutomaticTypeDirectiveNames(options, ts.sys).sort(),
  };
  if (unchangedSinceClean(stampFile, inputs)) return [];
  fs.rmSync(stampFile, { force: true });

  const program = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  // tsc's order: a program whose options or syntax are broken is not checked further.
  let diagnostics: readonly TS.Diagnostic[] = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
  ];
  if (!diagnostics.some(isError)) diagnostics = [...diagnostics, ...program.getSemanticDiagnostics()];
  // With noEmit this writes only the build information (errors included), so the next check redoes only what changed.
  program.emit();
  const errors = ts.sortAndDeduplicateDiagnostics(diagnostics).filter(isError);
  if (errors.length === 0) {
    const files = program.getProgram().getSourceFiles().map((file) => file.fileName);
    const stamp: CleanStamp = { ...inputs, files: files.flatMap((file) => { const s = statOf(file); return s ? [[file, ...s]] : []; }) };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(stampFile, JSON.stringify(stamp));
  }
  return errors;

  function isError(diagnostic: TS.Diagnostic): boolean {
    return diagnostic.category === ts.DiagnosticCategory.Error;
  }
}

function unchangedSinceClean(stampFile: string, inputs: Omit<CleanStamp, 'files'>): boolean {
  let stamp: CleanStamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as CleanStamp;
  } catch {
    return false;
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  if (stamp.typescript !== inputs.typescript || stamp.options !== inputs.options) return false;
  if (!same(stamp.rootNames, inputs.rootNames) || !same(stamp.automaticTypes, inputs.automaticTypes)) return false;
  return stamp.files.every(([file, mtime, size]) => {
    const now = statOf(file);
    return now !== undefined && now[0] === mtime && now[1] === size;
  });
}

function statOf(file: string): [number, number] | undefined {
  try {
    const stat = fs.statSync(file);
    return [stat.mtimeMs, stat.size];
  } catch {
    return undefined;
  }
}

/**
 * Fails with TYPE_ERRORS when the program has type errors. `report` prints them
 * (the commands write them to stderr as tsc would); without it they go into the error's message.
 */
export function checkTypes(tsconfigPath: string, outDir: string, report?: (diagnostics: readonly TS.Diagnostic[]) => void): void {
  const errors = typecheckProject(tsconfigPath, outDir);
  if (errors.length === 0) return;
  const count = `${errors.length} type error${errors.length === 1 ? '' : 's'}`;
  const files = new Set(errors.map((e) => e.file?.fileName).filter((f) => f !== undefined)).size;
  const where = files > 0 ? ` in ${files} file${files === 1 ? '' : 's'}` : '';
  if (report) report(errors);
  const listed = report ? '' : `:\n${formatTypeErrors(errors, false).trimEnd()}`;
  throw typeErrors(`${count}${where}`, listed);
}

/** As tsc prints them: with colour and source context on a terminal, else `file(line,col): error TSnnnn: ...`. */
export function formatTypeErrors(diagnostics: readonly TS.Diagnostic[], color: boolean): string {
  const ts = require('typescript') as typeof TS;
  const host: TS.FormatDiagnosticsHost = {
    getCurrentDirectory: () => process.cwd(),
    getCanonicalFileName: (fileName) => fileName,
    getNewLine: () => '\n',
  };
  return color ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host);
}
