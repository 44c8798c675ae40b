import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotswapDecision } from '../../cli/converge/hotswap';
import type { DeployedStack } from '../../cli/converge/stack';
import type { CfnResource, CfnValue, Template } from '../../cli/template/types';

// Which changes --hotswap may put into functions directly, on hand-written
// templates of sparta's shape; everything else must fall back to a change set.

const stack: DeployedStack = { stackId: 'id', stackName: 'svc', status: 'UPDATE_COMPLETE', parameters: { ArtifactBucket: 'b' }, outputs: {}, tags: { team: 'a' } };
const plan = { parameters: { ArtifactBucket: 'b' }, tags: { team: 'a' } };

function fn(key: string, variables: Record<string, CfnValue> = { GREETING: 'hi' }): CfnResource {
  return { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'svc-Api-get', Code: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: key }, Environment: { Variables: { ...variables, SPARTA_DISCOVERY: { 'Fn::Sub': '{"stackName":"${AWS::StackName}"}' } } } } };
}
function template(resources: Record<string, CfnResource>): Template {
  return { AWSTemplateFormatVersion: '2010-09-09', Parameters: {}, Resources: resources, Outputs: {} };
}
const policy: CfnResource = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement: [] } } };

test('new code in one function is swapped in: its name and new key', () => {
  const decision = hotswapDecision(stack, template({ ApiGet: fn('old.zip'), ApiGetPolicy: policy }), plan, template({ ApiGet: fn('new.zip'), ApiGetPolicy: policy }));
  assert.equal(decision, { kind: 'hotswap', functions: [{ logicalId: 'ApiGet', name: 'svc-Api-get', s3Key: 'new.zip' }] });
});

test('a plain environment value set or removed is swapped in too', () => {
  const decision = hotswapDecision(stack, template({ ApiGet: fn('k.zip', { GREETING: 'hi', OLD: 'x' }) }), plan, template({ ApiGet: fn('k.zip', { GREETING: 'hello' }) }));
  assert.equal(decision, { kind: 'hotswap', functions: [{ logicalId: 'ApiGet', name: 'svc-Api-get', environment: { set: { GREETING: 'hello' }, removed: ['OLD'] } }] });
});

test('an environment value CloudFormation computes (an intrinsic) falls back', () => {
  const decision = hotswapDecision(stack, template({ ApiGet: fn('k.zip') }), plan, template({ ApiGet: fn('k.zip', { GREETING: { Ref: 'Topic' } }) }));
  assert.equal(decision, { kind: 'full', reason: "ApiGet's GREETING is computed by CloudFormation" });
});

test('a changed policy (a new privilege) falls back and says which resource', () => {
  const wider: CfnResource = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } };
  const decision = hotswapDecision(stack, template({ ApiGet: fn('old.zip'), ApiGetPolicy: policy }), plan, template({ ApiGet: fn('new.zip'), ApiGetPolicy: wider }));
  assert.equal(decision, { kind: 'full', reason: 'AWS::IAM::Policy ApiGetPolicy changes' });
});

test('another function property (memory) falls back', () => {
  const bigger = fn('k.zip');
  bigger.Properties!.MemorySize = 512;
  assert.equal(hotswapDecision(stack, template({ ApiGet: fn('k.zip') }), plan, template({ ApiGet: bigger })), { kind: 'full', reason: 'ApiGet changes Properties.MemorySize' });
});

test('an added resource, new tags, another bucket, or no stack fall back', () => {
  const deployed = template({ ApiGet: fn('k.zip') });
  assert.equal(hotswapDecision(stack, deployed, plan, template({ ApiGet: fn('k.zip'), ApiGetPolicy: policy })), { kind: 'full', reason: 'AWS::IAM::Policy ApiGetPolicy is added' });
  assert.equal(hotswapDecision(stack, deployed, { ...plan, tags: { team: 'b' } }, template({ ApiGet: fn('n.zip') })), { kind: 'full', reason: "the stack's tags change" });
  assert.equal(hotswapDecision(stack, deployed, { ...plan, parameters: { ArtifactBucket: 'other' } }, template({ ApiGet: fn('n.zip') })), { kind: 'full', reason: 'the ArtifactBucket parameter changes' });
  assert.equal(hotswapDecision(undefined, undefined, plan, deployed), { kind: 'full', reason: 'the stack does not exist yet' });
});

test('a stack that is not in a deployed state falls back', () => {
  const decision = hotswapDecision({ ...stack, status: 'UPDATE_ROLLBACK_COMPLETE' }, template({ ApiGet: fn('k.zip') }), plan, template({ ApiGet: fn('n.zip') }));
  assert.equal(decision, { kind: 'full', reason: 'the stack is UPDATE_ROLLBACK_COMPLETE' });
});

test.run();
