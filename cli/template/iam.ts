import type { PrivilegeManifest } from '../../manifest/types';
import type { FunctionIds } from './ids';
import type { CfnResource, CfnValue } from './types';

// Least privilege: a role that only Lambda can assume, and a policy that
// grants exactly what the user wrote plus writing to the function's own log
// group. The policy is its own resource, not inline in the role, so a
// privilege on a resource that itself refers to the function (a topic that
// invokes it, say) does not make the function wait for that resource's
// policy and the resource wait for the function: no dependency cycle.

export const LAMBDA_PRINCIPAL = 'lambda.amazonaws.com';
export const POLICY_VERSION = '2012-10-17';

/** What a function needs to write its own logs; no managed policy, whose resource is `*`. */
export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

export function executionRole(): CfnResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [{ Effect: 'Allow', Principal: { Service: LAMBDA_PRINCIPAL }, Action: 'sts:AssumeRole' }],
      },
    },
  };
}

export function privilegeStatement(privilege: PrivilegeManifest): CfnValue {
  const statement: Record<string, CfnValue> = {
    Effect: 'Allow',
    Action: [...privilege.actions],
    Resource: privilege.resource as CfnValue,
  };
  if (privilege.condition) statement.Condition = privilege.condition as CfnValue;
  return statement;
}

/**
 * The statements in source order, then what the event sources need (a
 * poller's reads), then the log statement. Its resource is the
 * log group's `Arn` attribute, which CloudFormation gives as
 * `arn:...:log-group:<name>:*`: the group's own streams and no other.
 */
export function executionPolicy(ids: FunctionIds, policyName: string, privileges: PrivilegeManifest[], sourcePrivileges: CfnValue[] = []): CfnResource {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: policyName,
      Roles: [{ Ref: ids.role }],
      PolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [
          ...privileges.map(privilegeStatement),
          ...sourcePrivileges,
          { Effect: 'Allow', Action: [...LOG_ACTIONS], Resource: { 'Fn::GetAtt': [ids.logGroup, 'Arn'] } },
        ],
      },
    },
  };
}
