import { defaultBucketMissing } from '../errors';
import type { AwsApis, S3Api } from './api';
import { awsError, awsErrorCode, httpStatusOf } from './aws-errors';

// `sparta bootstrap`: the artifact bucket sparta uses when `--s3-bucket` is
// not given, named from the account and region as CDK names its staging
// bucket. Each setting is read first and written only when it differs, so a
// second run changes nothing and a bucket someone loosened is put right.

export const DEFAULT_BUCKET_PREFIX = 'sparta-artifacts';
/** Old versions of archives and templates: kept long enough to roll back by hand, then gone. */
export const NONCURRENT_DAYS = 30;
const LIFECYCLE_RULE_ID = 'sparta-expire-noncurrent';
const TLS_STATEMENT_ID = 'sparta-deny-insecure-transport';

export type SettingState = 'created' | 'updated' | 'unchanged';

export interface BootstrapResult {
  bucket: string;
  region: string;
  /** In the order they were applied. */
  settings: { name: string; state: SettingState }[];
}

export function defaultBucketName(account: string, region: string): string {
  return `${DEFAULT_BUCKET_PREFIX}-${account}-${region}`;
}

export async function defaultBucket(apis: AwsApis, region: string): Promise<string> {
  const identity = await apis.sts.getCallerIdentity().catch((error: unknown) => {
    throw awsError(error, 'asking STS which account the credentials belong to');
  });
  return defaultBucketName(identity.Account ?? 'unknown', region);
}

/** A Get* that answers "none configured" with an error code: undefined instead. */
async function absentAs<T>(read: () => Promise<T>, absentCodes: string[], what: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (absentCodes.includes(awsErrorCode(error) ?? '')) return undefined;
    throw awsError(error, what);
  }
}

async function bucketExists(s3: S3Api, bucket: string): Promise<boolean> {
  try {
    await s3.headBucket({ Bucket: bucket });
    return true;
  } catch (error) {
    if (httpStatusOf(error) === 404 || awsErrorCode(error) === 'NotFound' || awsErrorCode(error) === 'NoSuchBucket') return false;
    throw awsError(error, `checking the bucket ${bucket}`);
  }
}

/** The default bucket's name once it is known to exist; missing is an error that says to bootstrap. */
export async function existingDefaultBucket(apis: AwsApis, region: string): Promise<string> {
  const bucket = await defaultBucket(apis, region);
  if (!(await bucketExists(apis.s3, bucket))) throw defaultBucketMissing(bucket, region);
  return bucket;
}

function tlsOnlyStatement(bucket: string) {
  return {
    Sid: TLS_STATEMENT_ID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export async function bootstrapBucket(apis: AwsApis, region: string, bucket: string): Promise<BootstrapResult> {
  const { s3 } = apis;
  const Bucket = bucket;
  const settings: BootstrapResult['settings'] = [];
  const fail = (what: string) => (error: unknown) => {
    throw awsError(error, `${what} of bucket ${bucket}`);
  };
  const created = !(await bucketExists(s3, bucket));
  if (created) {
    // us-east-1 takes no LocationConstraint (and refuses its own name as one).
    await s3.createBucket({ Bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }).catch(fail('creating'));
  }
  settings.push({ name: 'bucket', state: created ? 'created' : 'unchanged' });
  const state = (changed: boolean, existed: boolean): SettingState => (!changed ? 'unchanged' : existed && !created ? 'updated' : 'created');

  const encryption = await absentAs(() => s3.getBucketEncryption({ Bucket }), ['ServerSideEncryptionConfigurationNotFoundError'], `reading the encryption of bucket ${bucket}`);
  const encrypted = (encryption?.ServerSideEncryptionConfiguration?.Rules ?? []).some((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm !== undefined);
  if (!encrypted) await s3.putBucketEncryption({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }).catch(fail('setting the encryption'));
  settings.push({ name: 'encryption', state: state(!encrypted, encryption !== undefined) });

  const block = await absentAs(() => s3.getPublicAccessBlock({ Bucket }), ['NoSuchPublicAccessBlockConfiguration'], `reading the public access block of bucket ${bucket}`);
  const config = block?.PublicAccessBlockConfiguration;
  const blocked = config?.BlockPublicAcls === true && config.IgnorePublicAcls === true && config.BlockPublicPolicy === true && config.RestrictPublicBuckets === true;
  if (!blocked) {
    await s3
      .putPublicAccessBlock({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } })
      .catch(fail('blocking public access'));
  }
  settings.push({ name: 'public access block', state: state(!blocked, block !== undefined) });

  const versioning = await s3.getBucketVersioning({ Bucket }).catch(fail('reading the versioning'));
  const versioned = versioning.Status === 'Enabled';
  if (!versioned) await s3.putBucketVersioning({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }).catch(fail('turning on versioning'));
  settings.push({ name: 'versioning', state: state(!versioned, versioning.Status !== undefined) });

  const lifecycle = await absentAs(() => s3.getBucketLifecycleConfiguration({ Bucket }), ['NoSuchLifecycleConfiguration'], `reading the lifecycle of bucket ${bucket}`);
  const rules = lifecycle?.Rules ?? [];
  const ours = rules.find((rule) => rule.ID === LIFECYCLE_RULE_ID);
  const expires = ours?.Status === 'Enabled' && ours.NoncurrentVersionExpiration?.NoncurrentDays === NONCURRENT_DAYS;
  if (!expires) {
    const rule = { ID: LIFECYCLE_RULE_ID, Status: 'Enabled' as const, Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_DAYS }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } };
    // The user's own rules stay.
    await s3
      .putBucketLifecycleConfiguration({ Bucket, LifecycleConfiguration: { Rules: [...rules.filter((other) => other.ID !== LIFECYCLE_RULE_ID), rule] } })
      .catch(fail('setting the lifecycle'));
  }
  settings.push({ name: `lifecycle (noncurrent versions expire after ${NONCURRENT_DAYS} days)`, state: state(!expires, ours !== undefined) });

  const policy = await absentAs(() => s3.getBucketPolicy({ Bucket }), ['NoSuchBucketPolicy'], `reading the policy of bucket ${bucket}`);
  const document = policy?.Policy ? (JSON.parse(policy.Policy) as { Version?: string; Statement?: Array<{ Sid?: string }> }) : { Version: '2012-10-17', Statement: [] };
  const statements = document.Statement ?? [];
  const existing = statements.find((statement) => statement.Sid === TLS_STATEMENT_ID);
  const tlsOnly = existing !== undefined && JSON.stringify(existing) === JSON.stringify(tlsOnlyStatement(bucket));
  if (!tlsOnly) {
    const next = { Version: document.Version ?? '2012-10-17', Statement: [...statements.filter((statement) => statement.Sid !== TLS_STATEMENT_ID), tlsOnlyStatement(bucket)] };
    await s3.putBucketPolicy({ Bucket, Policy: JSON.stringify(next) }).catch(fail('setting the TLS-only policy'));
  }
  settings.push({ name: 'policy (TLS only)', state: state(!tlsOnly, existing !== undefined) });
  return { bucket, region, settings };
}
