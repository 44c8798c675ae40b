import { LAMBDA_LIMITS } from '../../manifest/defaults';
import { ErrorCode, SpartaError } from '../errors';
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

const HINT =
  'ship less code: add --minify, leave @aws-sdk to the Lambda runtime (--external-aws-sdk), ' +
  'or move large data out of the bundle (S3, a layer)';

/** Throws SPARTA202 when the function's code is over Lambda's limit for that measure. */
export function checkArchiveSize(functionId: string, measure: 'zipped' | 'unzipped', bytes: number, limits: ArchiveLimits): void {
  const limit = measure === 'zipped' ? limits.zippedBytes : limits.unzippedBytes;
  if (bytes <= limit) return;
  const what = measure === 'zipped' ? 'the archive' : 'the code';
  throw new SpartaError(
    ErrorCode.ARCHIVE_TOO_LARGE,
    `${functionId}: ${what} is ${formatBytes(bytes)} ${measure}; Lambda's limit is ${formatBytes(limit)} (${limit} bytes) ${measure}`,
    HINT,
  );
}
