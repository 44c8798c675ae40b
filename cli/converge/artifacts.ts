// Uploads are content-addressed: every key carries a hash of its bytes. A key
// that exists is still not trusted on its name alone: it counts as uploaded
// only when S3's SHA-256 checksum of the object (or its size and the hash
// recorded when sparta uploaded it) matches the local bytes; anything else is
// uploaded again. An unchanged service therefore uploads nothing at all, and a
// tampered or truncated object never reaches a function.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { archiveMissing, awsFailure, bucketAccessDenied, bucketNameInvalid, bucketNotFound, bucketWrongRegion } from '../errors';
import type { S3Api } from './api';
import { awsError, awsErrorCode, httpStatusOf } from './aws-errors';
import type { ConvergeIo } from './messages';
import type { ArtifactUpload } from './plan';
import { servicePrefix } from './plan';
import { throwIfAborted } from './wait';

/** The user metadata key (`x-amz-meta-sha256`) that records the hex SHA-256 of what sparta uploaded. */
export const SHA256_METADATA = 'sha256';

/** The region a GetBucketLocation answer names: none means us-east-1, and the legacy `EU` means eu-west-1. */
export function bucketRegion(locationConstraint: string | null | undefined): string {
  if (!locationConstraint) return 'us-east-1';
  return locationConstraint === 'EU' ? 'eu-west-1' : locationConstraint;
}

function redirectRegion(error: unknown): string | undefined {
  const headers = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers ?? {};
  return headers['x-amz-bucket-region'] ?? (error as { BucketRegion?: string }).BucketRegion;
}

/**
 * Fails with BUCKET_NOT_FOUND before anything else touches S3 (a HeadObject on
 * a missing bucket looks like a missing key), and, given the stack's region,
 * with BUCKET_WRONG_REGION when the bucket is elsewhere: Lambda cannot read
 * code from another region, and AWS would only say so late, mid-deployment.
 */
export async function ensureBucket(s3: S3Api, bucket: string, stackRegion?: string): Promise<void> {
  try {
    await s3.headBucket({ Bucket: bucket });
  } catch (error) {
    const status = httpStatusOf(error);
    const code = awsErrorCode(error);
    if (status === 404 || code === 'NotFound' || code === 'NoSuchBucket') {
      throw bucketNotFound(bucket);
    }
    if (status === 301 && stackRegion) {
      throw bucketWrongRegion(bucket, redirectRegion(error) ?? 'another region', stackRegion);
    }
    if (status === 403) {
      throw bucketAccessDenied(bucket);
    }
    if (status === 400 || code === 'InvalidBucketName') {
      throw bucketNameInvalid(bucket, 'S3 refused the name');
    }
    throw awsError(error, `checking S3 bucket ${bucket}`);
  }
  if (stackRegion === undefined) return;
  let location;
  try {
    location = await s3.getBucketLocation({ Bucket: bucket });
  } catch (error) {
    if (httpStatusOf(error) === 403) {
      throw awsFailure(
        `reading the region of S3 bucket "${bucket}"`,
        'access denied',
        `allow s3:GetBucketLocation on the bucket: provision checks that it is in ${stackRegion}, the stack's region`,
      );
    }
    throw awsError(error, `reading the region of S3 bucket ${bucket}`);
  }
  const bucketIn = bucketRegion(location.LocationConstraint);
  if (bucketIn !== stackRegion) throw bucketWrongRegion(bucket, bucketIn, stackRegion);
}

/** What sits at a content key: nothing, exactly the local bytes, or something else. */
export type StoredObject = 'missing' | 'matches' | 'differs';

/** The local bytes as far as the comparison needs them: the hash, and the size only when S3 has no checksum. */
interface LocalBytes {
  sha256: string;
  size: () => Promise<number>;
}

export async function storedObject(s3: S3Api, bucket: string, key: string, local: LocalBytes): Promise<StoredObject> {
  let head;
  try {
    head = await s3.headObject({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' });
  } catch (error) {
    // Without s3:ListBucket, a missing key answers 403 instead of 404: upload either way.
    const status = httpStatusOf(error);
    if (status === 404 || status === 403) return 'missing';
    throw awsError(error, `checking s3://${bucket}/${key}`);
  }
  if (head.ChecksumSHA256 !== undefined) return head.ChecksumSHA256 === base64Sha256(local.sha256) ? 'matches' : 'differs';
  const recorded = head.Metadata?.[SHA256_METADATA];
  return recorded === local.sha256 && head.ContentLength === (await local.size()) ? 'matches' : 'differs';
}

function base64Sha256(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Uploads with S3's SHA-256 checksum: S3 rejects bytes that arrive altered, and HeadObject reads the checksum back. */
async function put(s3: S3Api, bucket: string, key: string, body: Buffer, sha256: string, contentType: string): Promise<void> {
  try {
    await s3.putObject({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: base64Sha256(sha256),
      Metadata: { [SHA256_METADATA]: sha256 },
    });
  } catch (error) {
    throw awsError(error, `uploading s3://${bucket}/${key}`);
  }
}

/** Uploads the bytes unless the key already holds exactly them; reads them only when it must. */
async function putVerified(
  s3: S3Api,
  bucket: string,
  key: string,
  local: LocalBytes & { read: () => Promise<Buffer> },
  contentType: string,
): Promise<{ action: UploadAction; bytes?: number }> {
  const stored = await storedObject(s3, bucket, key, local);
  if (stored === 'matches') return { action: 'present' };
  const body = await local.read();
  await put(s3, bucket, key, body, local.sha256, contentType);
  return { action: stored === 'missing' ? 'uploaded' : 'replaced', bytes: body.length };
}

export async function readArtifact(file: string): Promise<Buffer> {
  return fs.readFile(file).catch(() => {
    throw archiveMissing(`archive ${file} is missing`);
  });
}

export async function artifactSize(file: string): Promise<number> {
  return (await fs.stat(file).catch(() => {
    throw archiveMissing(`archive ${file} is missing`);
  })).size;
}

/** Runs `task` over `items`, at most `limit` at a time, preserving nothing but completion. */
async function eachLimit<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  });
  await Promise.all(workers);
}

/** `present`: the key held the same bytes; `replaced`: it held other bytes, uploaded over. */
export type UploadAction = 'uploaded' | 'present' | 'replaced';

export interface UploadSummary {
  uploaded: number;
  present: number;
  replaced: number;
}

export async function uploadArtifacts(
  s3: S3Api,
  bucket: string,
  artifacts: ArtifactUpload[],
  options: { io: ConvergeIo; concurrency?: number; signal?: AbortSignal },
): Promise<UploadSummary> {
  const summary: UploadSummary = { uploaded: 0, present: 0, replaced: 0 };
  await eachLimit(artifacts, options.concurrency ?? 8, async (artifact) => {
    throwIfAborted(options.signal, 'uploading artifacts', 'nothing was deployed; run provision again');
    const local = { sha256: artifact.sha256, size: () => artifactSize(artifact.file), read: () => readArtifact(artifact.file) };
    const { action, bytes } = await putVerified(s3, bucket, artifact.key, local, 'application/zip');
    summary[action] += 1;
    options.io.emit({ type: 'artifact', bucket, key: artifact.key, bytes, action });
  });
  return summary;
}

export class ListingDenied extends Error {}

/** Every key under `prefix` with its size, across all pages. Throws ListingDenied without s3:ListBucket. */
export async function listObjects(s3: S3Api, bucket: string, prefix: string): Promise<Map<string, number>> {
  const objects = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.listObjectsV2({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }).catch((error: unknown) => {
      if (httpStatusOf(error) === 403) throw new ListingDenied(`listing s3://${bucket}/${prefix} is denied`);
      throw awsError(error, `listing s3://${bucket}/${prefix}`);
    });
    for (const object of page.Contents ?? []) {
      if (object.Key && object.Key.startsWith(prefix)) objects.set(object.Key, object.Size ?? 0);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
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

export async function uploadTemplate(s3: S3Api, bucket: string, key: string, templateBody: string): Promise<UploadAction> {
  const body = Buffer.from(templateBody);
  const sha256 = createHash('sha256').update(body).digest('hex');
  return (await putVerified(s3, bucket, key, { sha256, size: async () => body.length, read: async () => body }, 'application/json')).action;
}

/** Deletes every object under the service's prefix (and nothing else); returns how many. */
export async function purgeArtifacts(s3: S3Api, bucket: string, stackName: string): Promise<number> {
  const prefix = servicePrefix(stackName);
  const keys = [
    ...(
      await listObjects(s3, bucket, prefix).catch((error: unknown) => {
        if (!(error instanceof ListingDenied)) throw error;
        throw awsFailure(`listing the objects to purge (${error.message})`, 'access denied', 'use credentials that may list the bucket (s3:ListBucket) and delete its objects');
      })
    ).keys(),
  ];
  // DeleteObjects takes at most 1000 keys a call.
  for (let at = 0; at < keys.length; at += 1000) {
    const batch = keys.slice(at, at + 1000);
    const result = await s3.deleteObjects({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }).catch((error: unknown) => {
      throw awsError(error, `deleting objects under s3://${bucket}/${prefix}`);
    });
    if (result.Errors && result.Errors.length > 0) {
      const first = result.Errors[0];
      throw awsFailure(`deleting s3://${bucket}/${first.Key}`, `${first.Code} ${first.Message ?? ''}`.trim(), 'check that your credentials may delete objects in the bucket (s3:DeleteObject) and run delete again');
    }
  }
  return keys.length;
}
