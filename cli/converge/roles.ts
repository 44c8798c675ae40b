// Roles named by `@Lambda({ role })` as plain ARNs are not in the template, so
// CloudFormation would only notice a typo halfway through the update. Sparta's
// own workflow checks them first, before anything is uploaded.
import { roleArnInvalid, roleNotFound } from '../errors';
import type { IamApi } from './api';
import { awsError, awsErrorCode, httpStatusOf } from './aws-errors';

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

/** `arn:aws:iam::123456789012:role/path/name` -> `name` (GetRole takes the name, not the path). */
export function roleNameFromArn(arn: string): string {
  const match = ROLE_ARN.exec(arn);
  if (!match) {
    throw roleArnInvalid(arn);
  }
  return match[1];
}

export async function verifyRoles(iam: IamApi, roleArns: string[]): Promise<void> {
  for (const arn of [...new Set(roleArns)].sort()) {
    const roleName = roleNameFromArn(arn);
    try {
      const { Role } = await iam.getRole({ RoleName: roleName });
      if (Role?.Arn && Role.Arn !== arn) {
        throw roleNotFound(arn, Role.Arn);
      }
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'NoSuchEntity' || code === 'NoSuchEntityException' || httpStatusOf(error) === 404) {
        throw roleNotFound(arn);
      }
      throw awsError(error, `verifying role ${arn}`);
    }
  }
}
