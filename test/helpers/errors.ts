import * as assert from 'uvu/assert';
import { SpartaError } from '../../cli/errors';

/** The SpartaError that `run` throws (uvu's assert.throws is synchronous only); fails the test if it throws none. */
export async function spartaFailure(run: () => unknown): Promise<SpartaError> {
  try {
    await run();
  } catch (error) {
    if (SpartaError.is(error)) return error;
    throw error;
  }
  assert.unreachable('expected a SpartaError');
  throw new Error('unreachable');
}
