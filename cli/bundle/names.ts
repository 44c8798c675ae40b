import { boundedName } from '../template/ids';

/**
 * Longest name derived for a file: file systems allow 255 bytes, and the archive name adds
 * `-<16 hex>.zip` (and a temporary suffix while it is written).
 */
export const FILE_NAME_LENGTH = 100;

/**
 * File-safe form of a function id, used for rollup's entry names and the archive names: bounded
 * (and made unique) by the rule that bounds function names (boundedName).
 */
export function fileSafe(id: string): string {
  return boundedName(id, FILE_NAME_LENGTH, /[^A-Za-z0-9._-]/);
}
