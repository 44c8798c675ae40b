import type * as TS from 'typescript';

/** The user's tsconfig as the compiler reads it; throws with the compiler's message when it cannot be read. */
export function readTsconfig(ts: typeof TS, tsconfigPath: string): TS.ParsedCommandLine {
  let problem: string | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      problem = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfigPath}: ${problem ?? 'unknown error'}`);
  return parsed;
}
