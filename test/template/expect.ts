import { createHash } from 'node:crypto';

// Expected template pieces, written from the documented scheme
// (docs/logical-ids.md) rather than from the code under test: hashes are
// recomputed here with node:crypto from the documented inputs.

export function sha8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `<Class><Method><h>` with h = sha8(`<service>/<Class>.<method>`). */
export function fnId(service: string, readable: string, className: string, methodName: string): string {
  return `${readable}${sha8(`${service}/${className}.${methodName}`)}`;
}

export const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
export const ref = (id: string) => ({ Ref: id });

export function expectedRole() {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
    },
  };
}

export function logStatement(fn: string) {
  return { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAtt(`${fn}LogGroup`) };
}

export function expectedPolicy(fn: string, name: string, statements: unknown[]) {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: name,
      Roles: [ref(`${fn}Role`)],
      PolicyDocument: { Version: '2012-10-17', Statement: [...statements, logStatement(fn)] },
    },
  };
}

export function expectedLogGroup(name: string, days: number) {
  return { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/${name}`, RetentionInDays: days } };
}

export function expectedPermission(fn: string, principal: string, sourceArn: unknown) {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(fn), Principal: principal, SourceArn: sourceArn },
  };
}

export function discoverySub(fn: string, resources: Record<string, { type: string; attributes?: string[] }>) {
  const document = {
    stackName: '${AWS::StackName}',
    stackId: '${AWS::StackId}',
    region: '${AWS::Region}',
    logicalId: fn,
    resources: Object.fromEntries(
      Object.keys(resources)
        .sort()
        .map((id) => [
          id,
          {
            type: resources[id].type,
            ref: `\${${id}}`,
            attributes: Object.fromEntries((resources[id].attributes ?? []).map((attribute) => [attribute, `\${${id}.${attribute}}`])),
          },
        ]),
    ),
  };
  return { 'Fn::Sub': JSON.stringify(document) };
}

/** Every string anywhere inside a value. */
export function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}
