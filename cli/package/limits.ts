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

export function checkUnzippedSize(functionId: string, bytes: number, limits: ArchiveLimits): void {
  if (bytes <= limits.unzippedBytes) return;
  throw new SpartaError(
    ErrorCode.ARCHIVE_TOO_LARGE,
    `${functionId}: the code is ${formatBytes(bytes)} unzipped; Lambda's limit is ${formatBytes(limits.unzippedBytes)} (${limits.unzippedBytes} bytes) unzipped`,
    HINT,
  );
}

export function checkZippedSize(functionId: string, bytes: number, limits: ArchiveLimits): void {
  if (bytes <= limits.zippedBytes) return;
  throw new SpartaError(
    ErrorCode.ARCHIVE_TOO_LARGE,
    `${functionId}: the archive is ${formatBytes(bytes)} zipped; Lambda's limit is ${formatBytes(limits.zippedBytes)} (${limits.zippedBytes} bytes) zipped`,
    HINT,
  );
}
