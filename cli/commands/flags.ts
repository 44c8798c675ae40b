import { UsageError } from 'clipanion';

/** A flag with a value outside its allowed set: clipanion prints it with the command's usage. */
export function badFlag(flag: string, value: string, allowed: readonly string[]): UsageError {
  return new UsageError(`${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}
