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
export function typeErrorReportInBackground(tsconfigPath: string, outDir: string): Promise<TypeErrorReport | undefined> {
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
    worker.once('message', (message: { report?: TypeErrorReport; failed?: boolean }) => {
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
