import * as path from 'node:path';
import * as ts from 'typescript';

// The one reader of a tsconfig: the analysis, the type-check and the
// transpiler all see the same options and the same problems.

export interface ReadTsconfig {
  /** Undefined when the file cannot be read at all. */
  parsed?: ts.ParsedCommandLine;
  /** Problems reading the tsconfig itself (missing file, syntax errors, unknown options), with file:line where known. */
  errors: string[];
}

export function readTsconfig(tsconfigPath: string): ReadTsconfig {
  const errors: string[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => errors.push(configError(diagnostic)),
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(tsconfigPath), undefined, host);
  if (!parsed) return { errors };
  // Syntax errors are not among `parsed.errors`: the parser recovers and the
  // rest of the file would be read as if it were valid, so they count too.
  for (const error of [...ts.getConfigFileParsingDiagnostics(parsed), ...parsed.errors]) {
    if (error.category === ts.DiagnosticCategory.Error) errors.push(configError(error));
  }
  return { parsed, errors };
}

/** `tsconfig.json:3:5 - message` when the problem has a place in a file, else the message. */
function configError(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1} - ${message}`;
}
