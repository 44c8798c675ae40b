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
 * What the last check read. If none of it changed and the check was clean, the program still
 * type-checks and is not even parsed again (parsing the standard library is most of a warm check's
 * cost). A change to a package.json the module resolution read also makes TypeScript's own
 * incremental information untrustworthy: it re-checks a file when its text changes, not when
 * a package's `type` or `exports` makes its imports resolve differently (TS1479 comes and goes).
 */
export const TYPECHECK_STAMP_FILE = '.typecheck.json';

/** A file's mtime and size; [-1, -1] for a file that was looked for and not found. */
type FileStat = [number, number];

interface Stamp {
  typescript: string;
  options: string;
  rootNames: string[];
  /** Packages under node_modules/@types that join the program unless `types` lists them. */
  automaticTypes: string[];
  /** Every file of the program with its mtime and size. */
  files: Array<[string, ...FileStat]>;
  /** Every package.json the compiler read or looked for (a package's, or the scope of a source file). */
  packageJsons: Array<[string, ...FileStat]>;
  /** Whether that check found no error. */
  clean: boolean;
}

type StampInputs = Pick<Stamp, 'typescript' | 'options' | 'rootNames' | 'automaticTypes'>;

/** The program's errors (empty when it type-checks); writes `<outDir>/.tsbuildinfo` and `<outDir>/.typecheck.json`. */
export function typecheckProject(tsconfigPath: string, outDir: string): TS.Diagnostic[] {
  // Loaded lazily: typescript is a peer dependency and slow to load.
  const ts = require('typescript') as typeof TS;
  const parsed = readTsconfig(tsconfigPath);
  const infoFile = path.join(outDir, TYPECHECK_INFO_FILE);
  // The user's options as `tsc --noEmit` reads them (none of them conflicts with noEmit); only where the information goes is ours.
  const options: TS.CompilerOptions = { ...parsed.options, noEmit: true, incremental: true, tsBuildInfoFile: infoFile };
  const stampFile = path.join(outDir, TYPECHECK_STAMP_FILE);
  const inputs: StampInputs = {
    typescript: ts.version,
    options: JSON.stringify(options),
    rootNames: [...parsed.fileNames].sort(),
    automaticTypes: ts.getAutomaticTypeDirectiveNames(options, ts.sys).sort(),
  };
  const last = readStamp(stampFile);
  const packagesSame = last !== undefined && unchanged(last.packageJsons);
  if (last?.clean && packagesSame && sameInputs(last, inputs) && unchanged(last.files)) return [];
  fs.rmSync(stampFile, { force: true });
  // Without a record of the package.json files its check read, the incremental information may hide what they changed.
  if (!packagesSame) fs.rmSync(infoFile, { force: true });

  const host = ts.createIncrementalCompilerHost(options, ts.sys);
  const packageJsons = new Set<string>();
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (file) => {
    if (path.basename(file) === 'package.json') packageJsons.add(file);
    return fileExists(file);
  };
  host.readFile = (file) => {
    if (path.basename(file) === 'package.json') packageJsons.add(file);
    return readFile(file);
  };
  const program = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options,
    host,
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
  const stamped = (file: string): [string, ...FileStat] => [file, ...statOf(file)];
  const stamp: Stamp = {
    ...inputs,
    files: program.getProgram().getSourceFiles().map((file) => stamped(file.fileName)),
    packageJsons: [...packageJsons].sort().map(stamped),
    clean: errors.length === 0,
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(stampFile, JSON.stringify(stamp));
  return errors;

  function isError(diagnostic: TS.Diagnostic): boolean {
    return diagnostic.category === ts.DiagnosticCategory.Error;
  }
}

function readStamp(stampFile: string): Stamp | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Stamp;
    // One an older sparta wrote, without the package.json files, counts as none.
    return Array.isArray(stamp.packageJsons) && Array.isArray(stamp.files) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

function sameInputs(stamp: Stamp, inputs: StampInputs): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  return stamp.typescript === inputs.typescript && stamp.options === inputs.options && same(stamp.rootNames, inputs.rootNames) && same(stamp.automaticTypes, inputs.automaticTypes);
}

function unchanged(files: Stamp['files']): boolean {
  return files.every(([file, mtime, size]) => {
    const now = statOf(file);
    return now[0] === mtime && now[1] === size;
  });
}

function statOf(file: string): FileStat {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? [stat.mtimeMs, stat.size] : [-1, -1];
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
