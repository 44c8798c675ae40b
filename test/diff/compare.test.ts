import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffTemplates, hasDifferences } from '../../cli/diff/compare';
import { renderDiff } from '../../cli/diff/render';
import type { CfnResource, CfnValue, Template } from '../../cli/template/types';

// Hand-written templates of the shape sparta deploys: one function, its role
// and policy, and what each test adds.

function template(resources: Record<string, CfnResource>, outputs: Template['Outputs'] = {}): Template {
  return { AWSTemplateFormatVersion: '2010-09-09', Parameters: { ArtifactBucket: { Type: 'String' } }, Resources: resources, Outputs: outputs };
}

const fn = (key = 'svc/Api.get-aaaa.zip', name = 'svc-Api-get'): CfnResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Code: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: key }, Handler: 'index.handler', Runtime: 'nodejs24.x', Role: { 'Fn::GetAtt': ['ApiGetRole', 'Arn'] } },
});
const policy = (...statements: CfnValue[]): CfnResource => ({
  Type: 'AWS::IAM::Policy',
  Properties: {
    PolicyName: 'svc-Api-get',
    Roles: [{ Ref: 'ApiGetRole' }],
    PolicyDocument: { Version: '2012-10-17', Statement: [...statements, { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['ApiGetLogGroup', 'Arn'] } }] },
  },
});
const base = () => ({ ApiGet: fn(), ApiGetPolicy: policy() });

test('no deployed stack: every resource is an addition', () => {
  const diff = diffTemplates(undefined, template(base()));
  assert.is(diff.stackExists, false);
  assert.equal(diff.resources.map((r) => [r.change, r.logicalId]), [['add', 'ApiGet'], ['add', 'ApiGetPolicy']]);
  assert.ok(hasDifferences(diff));
});

test('the same template with its keys in another order has no differences', () => {
  const deployed = template(base());
  const reordered = JSON.parse(JSON.stringify(template({ ApiGetPolicy: policy(), ApiGet: fn() })).replace('"Handler":"index.handler","Runtime":"nodejs24.x"', '"Runtime":"nodejs24.x","Handler":"index.handler"'));
  const diff = diffTemplates(deployed, reordered);
  assert.equal(diff.resources, []);
  assert.equal(diff.security, []);
  assert.not.ok(hasDifferences(diff));
});

test('new code is the S3Key of the function, updated in place', () => {
  const diff = diffTemplates(template(base()), template({ ...base(), ApiGet: fn('svc/Api.get-bbbb.zip') }));
  assert.equal(diff.resources, [
    { logicalId: 'ApiGet', type: 'AWS::Lambda::Function', change: 'modify', properties: [{ path: 'Properties.Code.S3Key', before: 'svc/Api.get-aaaa.zip', after: 'svc/Api.get-bbbb.zip', replaces: false }] },
  ]);
});

test('a new function name replaces the function', () => {
  const [change] = diffTemplates(template(base()), template({ ...base(), ApiGet: fn(undefined, 'svc-Api-fetch') })).resources;
  assert.is(change.replacement, true);
  assert.equal(change.properties, [{ path: 'Properties.FunctionName', before: 'svc-Api-get', after: 'svc-Api-fetch', replaces: true }]);
});

test('a property of a type diff does not know gets no verdict', () => {
  const widget = (size: number): CfnResource => ({ Type: 'AWS::Widget::Thing', Properties: { Size: size } });
  const [change] = diffTemplates(template({ W: widget(1) }), template({ W: widget(2) })).resources;
  assert.equal(change.properties, [{ path: 'Properties.Size', before: 1, after: 2 }]);
  assert.is(change.replacement, undefined);
});

test('a removed function is a removal', () => {
  const diff = diffTemplates(template({ ...base(), ApiPut: fn('k', 'svc-Api-put') }), template(base()));
  assert.equal(diff.resources.map((r) => [r.change, r.logicalId, r.type]), [['remove', 'ApiPut', 'AWS::Lambda::Function']]);
});

test('an added privilege is a widening grant; a wildcard is marked', () => {
  const read = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Sub': '${Uploads.Arn}/*' } };
  const all = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
  const diff = diffTemplates(template(base()), template({ ...base(), ApiGetPolicy: policy(read, all) }));
  assert.equal(diff.security, [
    { kind: 'grant', logicalId: 'ApiGetPolicy', text: 's3:GetObject on Sub(${Uploads.Arn}/*)', wildcard: false },
    { kind: 'grant', logicalId: 'ApiGetPolicy', text: 's3:* on *', wildcard: true },
  ]);
});

test('a removed privilege narrows: a change, but nothing in the security section', () => {
  const read = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/k' };
  const diff = diffTemplates(template({ ...base(), ApiGetPolicy: policy(read) }), template(base()));
  assert.is(diff.resources.length, 1);
  assert.equal(diff.security, []);
});

test('a new topic subscription is a new event source and a new caller', () => {
  const subscription: CfnResource = { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['ApiGet', 'Arn'] } } };
  const permission: CfnResource = {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['ApiGet', 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Alerts' } },
  };
  const diff = diffTemplates(template(base()), template({ ...base(), ApiGetSub: subscription, ApiGetSubPermission: permission }));
  assert.equal(diff.security, [
    { kind: 'trigger', logicalId: 'ApiGetSub', text: 'new AWS::SNS::Subscription', wildcard: false },
    { kind: 'invoke', logicalId: 'ApiGetSubPermission', text: 'sns.amazonaws.com may call GetAtt(ApiGet.Arn) from Ref(Alerts)', wildcard: false },
  ]);
});

test('outputs added, removed and changed are listed', () => {
  const diff = diffTemplates(template(base(), { A: { Value: 'a' }, B: { Value: 'b' } }), template(base(), { B: { Value: 'c' }, C: { Value: 'c' } }));
  assert.equal(diff.outputs, [
    { name: 'A', change: 'remove' },
    { name: 'B', change: 'modify' },
    { name: 'C', change: 'add' },
  ]);
});

test('the text lists each change, its properties with their verdict, then the security section', () => {
  const read = { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['Jobs', 'Arn'] } };
  const text = renderDiff('svc', diffTemplates(template(base()), template({ ApiGet: fn('new', 'svc-Api-fetch'), ApiGetPolicy: policy(read) })));
  assert.is(
    text,
    [
      'Resources (2)',
      '  [~] AWS::Lambda::Function ApiGet  REPLACEMENT',
      '      Properties.Code.S3Key: svc/Api.get-aaaa.zip -> new',
      '      Properties.FunctionName: svc-Api-get -> svc-Api-fetch (replaces)',
      '  [~] AWS::IAM::Policy ApiGetPolicy',
      '      Properties.PolicyDocument.Statement: [{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":{"Fn::GetAtt":["ApiGetLogGroup","Arn"]}}] -> [{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":{"Fn::GetAtt":["Jobs","Arn"]}},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":{"Fn::GetAtt":["ApiGetLogGroup","Arn"]}}]',
      '',
      'Security: what widens (1)',
      '  [+] grant ApiGetPolicy: sqs:SendMessage on GetAtt(Jobs.Arn)',
      '',
    ].join('\n'),
  );
});

test('no differences is one line', () => {
  assert.is(renderDiff('svc', diffTemplates(template(base()), template(base()))), 'Stack svc: no differences.\n');
});

test.run();
