import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { typeErrors } from '../errors';
import { readTsconfig } from './tsconfig';
import { affectedCheck, reachesOthers } from './typecheck-affected';

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
  /** The root files whose declarations reach modules that do not import them (typecheck-affected.ts). */
  reaching: string[];
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
  const changed = last?.files.filter(([file, ...stat]) => !sameStat(statOf(file), stat)).map(([file]) => file) ?? [];
  if (last?.clean && packagesSame && sameInputs(last, inputs)) {
    if (changed.length === 0) return [];
    const narrowed = affectedCheck(ts, parsed.fileNames, changed, last.reaching, options);
    if (narrowed) return checkAffected(ts, narrowed.roots, options, parsed, last, stampFile);
  }
  fs.rmSync(stampFile, { force: true });
  // Without a record of the package.json files its check read, the incremental information may hide what they
  // changed. It also misses a global that a module stops declaring (tsc --incremental does, TypeScript 5.9): the
  // modules that used it are not checked again.
  if (!packagesSame || changed.some((file) => last!.reaching.includes(file))) fs.rmSync(infoFile, { force: true });

  const host = ts.createIncrementalCompilerHost(options, ts.sys);
  const packageJsons = recordPackageJsons(host);
  const program = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options,
    host,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const errors = programErrors(ts, program, program.getConfigFileParsingDiagnostics());
  // With noEmit this writes only the build information (errors included), so the next check redoes only what changed.
  program.emit();
  const stamped = (file: string): [string, ...FileStat] => [file, ...statOf(file)];
  const stamp: Stamp = {
    ...inputs,
    files: program.getProgram().getSourceFiles().map((file) => stamped(file.fileName)),
    packageJsons: [...packageJsons].sort().map(stamped),
    clean: errors.length === 0,
    reaching: parsed.fileNames.filter((root) => {
      const file = program.getSourceFile(root);
      return file === undefined || reachesOthers(ts, file);
    }),
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(stampFile, JSON.stringify(stamp));
  return errors;
}

/** Every package.json the compiler reads or looks for through `host`. */
function recordPackageJsons(host: TS.CompilerHost): Set<string> {
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
  return packageJsons;
}

/** What a program and an incremental builder of one both answer. */
interface CheckedProgram {
  getOptionsDiagnostics(): readonly TS.Diagnostic[];
  getGlobalDiagnostics(): readonly TS.Diagnostic[];
  getSyntacticDiagnostics(): readonly TS.Diagnostic[];
  getSemanticDiagnostics(): readonly TS.Diagnostic[];
}

/** A program's errors in tsc's order: a program whose options or syntax are broken is not checked further. */
function programErrors(ts: typeof TS, program: CheckedProgram, configDiagnostics: readonly TS.Diagnostic[]): TS.Diagnostic[] {
  const isError = (diagnostic: TS.Diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error;
  let diagnostics: readonly TS.Diagnostic[] = [
    ...configDiagnostics,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
  ];
  if (!diagnostics.some(isError)) diagnostics = [...diagnostics, ...program.getSemanticDiagnostics()];
  return ts.sortAndDeduplicateDiagnostics(diagnostics).filter(isError);
}

/**
 * After a clean check and a change to modules whose declarations reach no further than their importers: a program
 * of the changed modules, their importers and what they import (typecheck-affected.ts), not the whole program.
 * TypeScript's incremental information is left as the last whole check wrote it: it compares file texts, so a
 * later whole check re-checks whatever changed since.
 */
function checkAffected(ts: typeof TS, roots: string[], options: TS.CompilerOptions, parsed: TS.ParsedCommandLine, last: Stamp, stampFile: string): TS.Diagnostic[] {
  const { incremental: _incremental, tsBuildInfoFile: _info, ...plain } = options;
  const host = ts.createCompilerHost(plain);
  const packageJsons = recordPackageJsons(host);
  const program = ts.createProgram({ rootNames: roots, options: plain, host, projectReferences: parsed.projectReferences });
  const errors = programErrors(ts, program, ts.getConfigFileParsingDiagnostics(parsed));
  const files = new Map(last.files.map(([file, ...stat]) => [file, stat]));
  for (const file of program.getSourceFiles()) files.set(file.fileName, statOf(file.fileName));
  const read = new Map(last.packageJsons.map(([file, ...stat]) => [file, stat]));
  for (const file of packageJsons) read.set(file, statOf(file));
  const stamp: Stamp = {
    ...last,
    files: [...files].map(([file, stat]) => [file, ...stat]),
    packageJsons: [...read].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, stat]) => [file, ...stat]),
    clean: errors.length === 0,
  };
  fs.writeFileSync(stampFile, JSON.stringify(stamp));
  return errors;
}

function readStamp(stampFile: string): Stamp | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Stamp;
    // One an older sparta wrote, without the package.json files or the reaching roots, counts as none.
    return Array.isArray(stamp.packageJsons) && Array.isArray(stamp.files) && Array.isArray(stamp.reaching) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

function sameInputs(stamp: Stamp, inputs: StampInputs): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  return stamp.typescript === inputs.typescript && stamp.options === inputs.options && same(stamp.rootNames, inputs.rootNames) && same(stamp.automaticTypes, inputs.automaticTypes);
}

function unchanged(files: Stamp['files']): boolean {
  return files.every(([file, ...stat]) => sameStat(statOf(file), stat));
}

function sameStat(a: FileStat, b: FileStat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function statOf(file: string): FileStat {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? [stat.mtimeMs, stat.size] : [-1, -1];
}

/** A check's type errors as tsc prints them: plain, and with colour and source context for a terminal. */
export interface TypeErrorReport {
  count: number;
  /** How many files they are in. */
  files: number;
  plain: string;
  colored: string;
}

/** The program's type errors, or undefined when it type-checks. */
export function typeErrorReport(tsconfigPath: string, outDir: string): TypeErrorReport | undefined {
  const errors = typecheckProject(tsconfigPath, outDir);
  if (errors.length === 0) return undefined;
  const files = new Set(errors.map((e) => e.file?.fileName).filter((f) => f !== undefined)).size;
  return { count: errors.length, files, plain: formatTypeErrors(errors, false), colored: formatTypeErrors(errors, true) };
}

/**
 * Fails with TYPE_ERRORS when there are type errors. `print` shows them (the commands write them to stderr as
 * tsc would); without it they go into the error's message.
 */
export function failOnTypeErrors(report: TypeErrorReport | undefined, print?: (report: TypeErrorReport) => void): void {
  if (!report) return;
  const count = `${report.count} type error${report.count === 1 ? '' : 's'}`;
  const where = report.files > 0 ? ` in ${report.files} file${report.files === 1 ? '' : 's'}` : '';
  if (print) print(report);
  throw typeErrors(`${count}${where}`, print ? '' : `:\n${report.plain.trimEnd()}`);
}

export function checkTypes(tsconfigPath: string, outDir: string, print?: (report: TypeErrorReport) => void): void {
  failOnTypeErrors(typeErrorReport(tsconfigPath, outDir), print);
}

/**
 * The same check on a thread of its own, so that it runs while the functions are bundled: after a change, most
 * of a check is parsing the declarations the program reaches again (the AWS SDK's are 600 files), as long as
 * the bundle itself. A failure of the thread (a tsconfig that cannot be read, say) runs the check here, for its
 * error to be the one the check throws.
 */
export function typeErrorReportInBackground(tsconfigPath: string, outDir: string, signal?: AbortSignal): Promise<TypeErrorReport | undefined> {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new Promise((resolve, reject) => {
    let settled = false;
    const here = () => {
      if (settled) return;
      settled = true;
      try {
        resolve(typeErrorReport(tsconfigPath, outDir));
      } catch (error) {
        reject(error);
      }
    };
    const worker = new Worker(path.join(__dirname, 'typecheck-worker.js'), { workerData: { tsconfigPath, outDir } });
    // A build that failed before it needed the check: stop it rather than wait for it (its record is written last).
    const stop = () => {
      if (settled) return;
      settled = true;
      reject(signal!.reason);
      void worker.terminate();
    };
    signal?.addEventListener('abort', stop, { once: true });
    worker.once('message', (message: { report?: TypeErrorReport; failed?: boolean }) => {
      signal?.removeEventListener('abort', stop);
      if (message.failed) return here();
      settled = true;
      resolve(message.report);
    });
    worker.once('error', here);
    worker.once('exit', here);
  });
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
