import type * as TS from 'typescript';
import { readTsconfig as readConfig } from '../../transformer/tsconfig';
import { tsconfigInvalid } from '../errors';

/** Your tsconfig as the compiler reads it (the analysis's one reader); fails with TSCONFIG_INVALID when it cannot be read. */
export function readTsconfig(tsconfigPath: string): TS.ParsedCommandLine {
  const { parsed, errors } = readConfig(tsconfigPath);
  if (!parsed || errors.length > 0) throw tsconfigInvalid(tsconfigPath, errors);
  return parsed;
}
