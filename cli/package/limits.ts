import { LAMBDA_LIMITS } from '../../manifest/defaults';
import { archiveTooLarge } from '../errors';
import { formatBytes } from './format';

/** The sizes Lambda accepts for a function's code; tests inject small ones. */
export interface ArchiveLimits {
  zippedBytes: number;
  unzippedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  zippedBytes: LAMBDA_LIMITS.zippedBytes,
  unzippedBytes: LAMBDA_LIMITS.unzippedBytes,
};

/** Throws SPARTA202 when the function's code is over Lambda's limit for that measure. */
export function checkArchiveSize(functionId: string, measure: 'zipped' | 'unzipped', bytes: number, limits: ArchiveLimits): void {
  const limit = measure === 'zipped' ? limits.zippedBytes : limits.unzippedBytes;
  if (bytes <= limit) return;
  throw archiveTooLarge(functionId, measure, formatBytes(bytes), `${formatBytes(limit)} (${limit} bytes)`);
}
