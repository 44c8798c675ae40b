// What converge needs to bring a stack in line: everything is decided before
// the first AWS call (build, template, keys), so converge only compares,
// uploads and applies.
import type { ProjectIdentity } from './identity';

export interface ArtifactUpload {
  /** S3 key, `<service>/<fileName>`; the file name carries the content hash. */
  key: string;
  /** Path of the archive on disk. */
  file: string;
  /** Hex SHA-256 of the file. */
  sha256: string;
}

export interface DeploymentPlan {
  /** The CloudFormation stack name (the service name); also the S3 key prefix `<stackName>/`. */
  stackName: string;
  /** The artifact bucket; it must exist already. */
  bucket: string;
  artifacts: ArtifactUpload[];
  /** The template as JSON text, exactly as it will be uploaded. */
  templateBody: string;
  /** Template parameters; the template stage passes `ArtifactBucket`. */
  parameters: Record<string, string>;
  /** Plain role ARNs from `@Lambda({ role })`, verified with IAM before anything is uploaded. */
  roleArns: string[];
  /** Stop after printing the change set (a preview). */
  noop: boolean;
  /** Put code-only (and plain environment) changes into the functions directly, without a change set. */
  hotswap?: boolean;
  /** Delete and recreate a stack left in ROLLBACK_COMPLETE by a failed first creation. */
  replaceFailed: boolean;
  /** Take over a same-named stack of another project, or one sparta did not create (`--force`). */
  force: boolean;
  /** Whose stack this is; it is also in `tags`. */
  identity: ProjectIdentity;
  /**
   * Every stack tag: the `@Service` tags and the identity tags. Always sent in
   * full, so a tag removed from the service is removed from the stack too
   * (CloudFormation keeps a stack's tags when an update names none).
   */
  tags: Record<string, string>;
}

/** Every key sparta writes for a service lives under this prefix (purge touches nothing else). */
export function servicePrefix(stackName: string): string {
  return `${stackName}/`;
}
