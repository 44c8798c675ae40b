import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { estimateEnvironmentBytes, functionLogicalId, marshalTemplate } from '../../cli/template';
import type { DiscoveryDocument } from '../../manifest/discovery';
import { DISCOVERY_ENV, LOG_LEVEL_ENV } from '../../manifest/environment';
import type { Template } from '../../cli/template';
import { artifactsFor, helloManifest, ordersManifest } from './services';

const test = suite('template: discovery document');

const where = { file: 'src/hello.ts', line: 1, column: 1 };

/** What CloudFormation's Fn::Sub does with the document at deploy time, with made-up values. */
function deploy(template: Template, functionId: string, values: Record<string, string>): DiscoveryDocument {
  const variables = (template.Resources[functionId].Properties!.Environment as { Variables: Record<string, { 'Fn::Sub': string }> }).Variables;
  const text = variables[DISCOVERY_ENV]['Fn::Sub'].replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    assert.ok(name in values, `no value for \${${name}}`);
    return values[name];
  });
  return JSON.parse(text) as DiscoveryDocument;
}

const STACK = {
  'AWS::StackName': 'hello-sparta',
  'AWS::StackId': 'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-sparta/0f7b4c20-0000-11ef-8e2b-0a1b2c3d4e5f',
  'AWS::Region': 'eu-west-1',
};

test('once deployed, the document gives the stack, the function and its dependencies', () => {
  const template = marshalTemplate(helloManifest(), artifactsFor(helloManifest()));
  const onAlert = functionLogicalId('hello-sparta', 'Hello', 'onAlert');
  const document = deploy(template, onAlert, {
    ...STACK,
    AlertsTopic: 'arn:aws:sns:eu-west-1:123456789012:hello-sparta-AlertsTopic-1',
    ImagesBucket: 'hello-sparta-imagesbucket-1',
    'ImagesBucket.Arn': 'arn:aws:s3:::hello-sparta-imagesbucket-1',
  });
  assert.equal(document, {
    stackName: 'hello-sparta',
    stackId: STACK['AWS::StackId'],
    region: 'eu-west-1',
    logicalId: onAlert,
    resources: {
      AlertsTopic: { type: 'AWS::SNS::Topic', ref: 'arn:aws:sns:eu-west-1:123456789012:hello-sparta-AlertsTopic-1', attributes: {} },
      ImagesBucket: { type: 'AWS::S3::Bucket', ref: 'hello-sparta-imagesbucket-1', attributes: { Arn: 'arn:aws:s3:::hello-sparta-imagesbucket-1' } },
    },
  });
});

test('a function without dependencies still learns its stack', () => {
  const template = marshalTemplate(helloManifest(), artifactsFor(helloManifest()));
  const hello = functionLogicalId('hello-sparta', 'Hello', 'hello');
  assert.equal(deploy(template, hello, STACK), { stackName: 'hello-sparta', stackId: STACK['AWS::StackId'], region: 'eu-west-1', logicalId: hello, resources: {} });
});

test('dependencies come from @DependsOn, privileges (resources and conditions) and SNS topics, each once with every attribute named', () => {
  const service = helloManifest();
  service.resources.push({ logicalId: 'Key', declaration: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } }, source: where });
  const hello = service.functions[0];
  hello.dependsOn = ['ImagesBucket'];
  hello.privileges = [
    { actions: ['s3:GetObject'], resource: [{ 'Fn::Sub': '${ImagesBucket.Arn}/*' }, { 'Fn::GetAtt': ['ImagesBucket', 'DomainName'] }], source: where },
    { actions: ['kms:Decrypt'], resource: '*', condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' } }, ArnEquals: { 'kms:ResourceAliases': { 'Fn::GetAtt': ['Key', 'Arn'] } } }, source: where },
  ];
  hello.events = [{ kind: 'sns', topic: { Ref: 'AlertsTopic' }, source: where }];
  const template = marshalTemplate(service, artifactsFor(service));
  const document = deploy(template, functionLogicalId('hello-sparta', 'Hello', 'hello'), {
    ...STACK,
    AlertsTopic: 'topic',
    ImagesBucket: 'bucket',
    'ImagesBucket.Arn': 'bucket-arn',
    'ImagesBucket.DomainName': 'bucket-domain',
    Key: 'key',
    'Key.Arn': 'key-arn',
  });
  assert.equal(document.resources, {
    AlertsTopic: { type: 'AWS::SNS::Topic', ref: 'topic', attributes: {} },
    ImagesBucket: { type: 'AWS::S3::Bucket', ref: 'bucket', attributes: { Arn: 'bucket-arn', DomainName: 'bucket-domain' } },
    Key: { type: 'AWS::KMS::Key', ref: 'key', attributes: { Arn: 'key-arn' } },
  });
});

test('parameters, pseudo parameters and literal ARNs are not dependencies', () => {
  const service = helloManifest();
  service.functions[0].privileges = [
    { actions: ['s3:GetObject'], resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ArtifactBucket}/*' }, 'arn:aws:s3:::elsewhere/*'], source: where },
  ];
  const template = marshalTemplate(service, artifactsFor(service));
  assert.equal(deploy(template, functionLogicalId('hello-sparta', 'Hello', 'hello'), STACK).resources, {});
});

test('another function named in a privilege is a dependency, with its type', () => {
  const service = helloManifest();
  const tick = functionLogicalId('hello-sparta', 'Hello', 'tick');
  service.functions[0].privileges = [{ actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [tick, 'Arn'] }, source: where }];
  const template = marshalTemplate(service, artifactsFor(service));
  const document = deploy(template, functionLogicalId('hello-sparta', 'Hello', 'hello'), { ...STACK, [tick]: 'hello-sparta-Hello-tick', [`${tick}.Arn`]: 'tick-arn' });
  assert.equal(document.resources, { [tick]: { type: 'AWS::Lambda::Function', ref: 'hello-sparta-Hello-tick', attributes: { Arn: 'tick-arn' } } });
});

test('the log level variable is set only when @Lambda names a level', () => {
  const template = marshalTemplate(ordersManifest(), artifactsFor(ordersManifest()));
  const levels = Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => [resource.Properties!.FunctionName, (resource.Properties!.Environment as { Variables: Record<string, unknown> }).Variables[LOG_LEVEL_ENV]]);
  assert.equal(Object.fromEntries(levels), {
    'orders-Billing-charge': undefined,
    'orders-Billing-reconcile': 'warn',
    'orders-Orders-audit': undefined,
    // @Lambda({ logLevel: 'debug' }), but the user's own SPARTA_LOG_LEVEL wins.
    'orders-Orders-create': 'error',
  });
});

test('the size estimate counts the JSON of the variables, placeholders at their largest', () => {
  assert.is(estimateEnvironmentBytes({ A: 'xyz' }), '{"A":"xyz"}'.length);
  assert.is(estimateEnvironmentBytes({ A: 'é' }), '{"A":"é"}'.length + 1);
  assert.is(estimateEnvironmentBytes({ A: { 'Fn::Sub': '${AWS::StackName}' } }), '{"A":""}'.length + 128);
  assert.is(estimateEnvironmentBytes({ A: { 'Fn::Sub': '${Topic}-${Topic.Arn}' } }), '{"A":"-"}'.length + 2 * 256);
  assert.is(estimateEnvironmentBytes({ A: { 'Fn::Sub': '${!Literal}' } }), '{"A":"${Literal}"}'.length);
});

test.run();
