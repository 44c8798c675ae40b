import { bucketNameInvalid } from '../errors';

// S3's naming rules for general purpose buckets, checked before any call: S3
// answers a malformed name with a bare 400, which reads as "no such bucket".
// (Buckets created in us-east-1 before March 2018 could break these rules;
// S3 no longer allows such names for new buckets.)

const PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why `name` cannot be an S3 bucket name, or undefined when it can. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} character${name.length === 1 ? '' : 's'}; a bucket name has 3 to 63`;
  const bad = /[^a-z0-9.-]/.exec(name);
  if (bad) return `it contains "${bad[0]}"; a bucket name has only lowercase letters, digits, dots and hyphens`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'it must start and end with a lowercase letter or a digit';
  if (name.includes('..')) return 'it contains two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'it is formatted as an IP address';
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `it starts with "${prefix}", which S3 reserves`;
  const suffix = SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `it ends with "${suffix}", which S3 reserves`;
  return undefined;
}

/** Throws BUCKET_NAME_INVALID naming the flag when `name` breaks S3's bucket naming rules. */
export function checkBucketName(name: string, flag = '--s3-bucket'): void {
  const problem = bucketNameProblem(name);
  if (problem === undefined) return;
  throw bucketNameInvalid(name, problem, flag);
}
