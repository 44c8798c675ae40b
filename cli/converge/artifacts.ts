// Uploads are content-addressed: every key carries a hash of its bytes, so a
// key that exists already holds exactly those bytes and is never sent again.
// An unchanged service therefore uploads nothing at all.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { archiveMissing, awsFailure, bucketAccessDenied, bucketNameInvalid, bucketNotFound } from '../errors';
import type { S3Api } from './api';
import { awsError, awsErrorCode, httpStatusOf } from './aws-errors';
import type { ConvergeIo } from './messages';
import type { ArtifactUpload } from './plan';
import { servicePrefix } from './plan';
import { throwIfAborted } from './wait';

/** Fails with BUCKET_NOT_FOUND before anything else touches S3: a HeadObject on a missing bucket looks like a missing key. */
export async function ensureBucket(s3: S3Api, bucket: string): Promise<void> {
  try {
    await s3.headBucket({ Bucket: bucket });
  } catch (error) {
    const status = httpStatusOf(error);
    const code = awsErrorCode(error);
    if (status === 404 || code === 'NotFound' || code === 'NoSuchBucket') {
      throw bucketNotFound(bucket);
    }
    if (status === 403) {
      throw bucketAccessDenied(bucket);
    }
    if (status === 400 || code === 'InvalidBucketName') {
      throw bucketNameInvalid(bucket, 'S3 refused the name');
    }
    throw awsError(error, `checking S3 bucket ${bucket}`);
  }
}

async function exists(s3: S3Api, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.headObject({ Bucket: bucket, Key: key });
    return true;
  } catch (error) {
    // Without s3:ListBucket, a missing key answers 403 instead of 404: upload either way.
    const status = httpStatusOf(error);
    if (status === 404 || status === 403) return false;
    throw awsError(error, `checking s3://${bucket}/${key}`);
  }
}

async function put(s3: S3Api, bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
  try {
    await s3.putObject({ Bucket: bucket, Key: key, Body: body, ContentType: contentType });
  } catch (error) {
    throw awsError(error, `uploading s3://${bucket}/${key}`);
  }
}

async function readArtifact(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch {
    throw archiveMissing(`archive ${file} is missing`);
  }
}

/** Runs `task` over `items`, at most `limit` at a time, preserving nothing but completion. */
async function eachLimit<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  });
  await Promise.all(workers);
}

export interface UploadSummary {
  uploaded: number;
  present: number;
}

export async function uploadArtifacts(
  s3: S3Api,
  bucket: string,
  artifacts: ArtifactUpload[],
  options: { io: ConvergeIo; concurrency?: number; signal?: AbortSignal },
): Promise<UploadSummary> {
  const summary: UploadSummary = { uploaded: 0, present: 0 };
  await eachLimit(artifacts, options.concurrency ?? 8, async (artifact) => {
    throwIfAborted(options.signal, 'uploading artifacts', 'nothing was deployed; run provision again');
    if (await exists(s3, bucket, artifact.key)) {
      summary.present += 1;
      options.io.emit({ type: 'artifact', key: artifact.key, action: 'present' });
      return;
    }
    const body = await readArtifact(artifact.file);
    await put(s3, bucket, artifact.key, body, 'application/zip');
    summary.uploaded += 1;
    options.io.emit({ type: 'artifact', key: artifact.key, bytes: body.length, action: 'uploaded' });
  });
  return summary;
}

export function templateKey(stackName: string, templateBody: string): string {
  const hash = createHash('sha256').update(templateBody).digest('hex').slice(0, 16);
  return `${servicePrefix(stackName)}template-${hash}.json`;
}

/**
 * The URL CloudFormation reads the template from. It is always AWS's S3 URL,
 * also with a custom endpoint: CloudFormation (and moto) resolve it from
 * their own S3, never from the caller's endpoint.
 */
export function templateUrl(bucket: string, key: string, region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const host = region === 'us-east-1' ? `s3.${suffix}` : `s3.${region}.${suffix}`;
  return `https://${host}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export async function uploadTemplate(s3: S3Api, bucket: string, key: string, templateBody: string): Promise<'uploaded' | 'present'> {
  if (await exists(s3, bucket, key)) return 'present';
  await put(s3, bucket, key, Buffer.from(templateBody), 'application/json');
  return 'uploaded';
}

/** Deletes every object under the service's prefix (and nothing else); returns how many. */
export async function purgeArtifacts(s3: S3Api, bucket: string, stackName: string): Promise<number> {
  const prefix = servicePrefix(stackName);
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.listObjectsV2({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }).catch((error: unknown) => {
      throw awsError(error, `listing s3://${bucket}/${prefix}`);
    });
    const keys = (page.Contents ?? []).map((object) => object.Key).filter((key): key is string => !!key && key.startsWith(prefix));
    if (keys.length > 0) {
      const result = await s3.deleteObjects({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }).catch((error: unknown) => {
        throw awsError(error, `deleting objects under s3://${bucket}/${prefix}`);
      });
      if (result.Errors && result.Errors.length > 0) {
        const first = result.Errors[0];
        throw awsFailure(`deleting s3://${bucket}/${first.Key}`, `${first.Code} ${first.Message ?? ''}`.trim(), 'check that your credentials may delete objects there (s3:DeleteObject), then run the command again');
      }
      count += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}
