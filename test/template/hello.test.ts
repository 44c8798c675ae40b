import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate } from '../../cli/template';
import {
  discoverySub,
  expectedLogGroup,
  expectedPermission,
  expectedPolicy,
  expectedRole,
  fnId,
  getAtt,
  logStatement,
  ref,
  sha8,
} from './expect';
import { artifactsFor, helloManifest } from './services';

// examples/hello, resource by resource and property by property.

const test = suite('template: examples/hello');

const manifest = helloManifest();
const artifacts = artifactsFor(manifest);
const template = marshalTemplate(manifest, artifacts);

const HELLO = fnId('hello-sparta', 'HelloHello', 'Hello', 'hello');
const TICK = fnId('hello-sparta', 'HelloTick', 'Hello', 'tick');
const ON_ALERT = fnId('hello-sparta', 'HelloOnAlert', 'Hello', 'onAlert');
const TICK_RULE = `${TICK}Rule${sha8('{"schedule":"rate(5 minutes)"}')}`;
const ALERT_SUBSCRIPTION = `${ON_ALERT}Subscription${sha8('{"Ref":"AlertsTopic"}')}`;

function key(functionId: string): string {
  return `hello-sparta/${artifacts.find((artifact) => artifact.functionId === functionId)!.fileName}`;
}

function code(functionId: string) {
  return { S3Bucket: ref('ArtifactBucket'), S3Key: key(functionId) };
}

const TAGS = [{ Key: 'team', Value: 'examples' }];

test('the template holds exactly the expected resources', () => {
  assert.equal(Object.keys(template.Resources).sort(), [
    'AlertsTopic',
    HELLO,
    `${HELLO}LogGroup`,
    `${HELLO}Policy`,
    `${HELLO}Role`,
    ON_ALERT,
    `${ON_ALERT}LogGroup`,
    `${ON_ALERT}Policy`,
    `${ON_ALERT}Role`,
    ALERT_SUBSCRIPTION,
    `${ALERT_SUBSCRIPTION}Permission`,
    TICK,
    `${TICK}LogGroup`,
    `${TICK}Policy`,
    `${TICK}Role`,
    TICK_RULE,
    `${TICK_RULE}Permission`,
    'ImagesBucket',
  ].sort());
});

test('header: format version, description, the ArtifactBucket parameter', () => {
  assert.is(template.AWSTemplateFormatVersion, '2010-09-09');
  assert.is(template.Description, 'Hello world service');
  assert.equal(template.Parameters, { ArtifactBucket: { Type: 'String', Description: 'S3 bucket that holds the function archives' } });
  assert.is(template.Conditions, undefined);
});

test('@Resource declarations are copied as written', () => {
  assert.equal(template.Resources.AlertsTopic, { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'Alerts' } });
  assert.equal(template.Resources.ImagesBucket, { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
});

test('Hello.hello: the function', () => {
  assert.equal(template.Resources[HELLO], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${HELLO}Policy`],
    Properties: {
      FunctionName: 'hello-sparta-Hello-hello',
      Description: 'Says hello',
      Code: code('Hello.hello'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 256,
      Timeout: 10,
      Role: getAtt(`${HELLO}Role`),
      Environment: { Variables: { GREETING_NAME: 'World', SPARTA_DISCOVERY: discoverySub(HELLO, {}) } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${HELLO}LogGroup`) },
      Tags: TAGS,
    },
  });
});

test('Hello.hello: log group with the default retention, role, a policy with only its log statement', () => {
  assert.equal(template.Resources[`${HELLO}LogGroup`], expectedLogGroup('hello-sparta-Hello-hello', 14));
  assert.equal(template.Resources[`${HELLO}Role`], expectedRole());
  assert.equal(template.Resources[`${HELLO}Policy`], expectedPolicy(HELLO, 'hello-sparta-Hello-hello', []));
});

test('Hello.tick: the function', () => {
  assert.equal(template.Resources[TICK], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${TICK}Policy`],
    Properties: {
      FunctionName: 'hello-sparta-Hello-tick',
      Code: code('Hello.tick'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 128,
      Timeout: 3,
      Role: getAtt(`${TICK}Role`),
      Environment: { Variables: { SPARTA_DISCOVERY: discoverySub(TICK, { AlertsTopic: { type: 'AWS::SNS::Topic' } }) } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${TICK}LogGroup`) },
      Tags: TAGS,
    },
  });
});

test('Hello.tick: log group keeps logs 7 days; role; policy statement by statement', () => {
  assert.equal(template.Resources[`${TICK}LogGroup`], expectedLogGroup('hello-sparta-Hello-tick', 7));
  assert.equal(template.Resources[`${TICK}Role`], expectedRole());
  const statements = (template.Resources[`${TICK}Policy`].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
  assert.is(statements.length, 2);
  assert.equal(statements[0], { Effect: 'Allow', Action: ['sns:Publish'], Resource: ref('AlertsTopic') });
  assert.equal(statements[1], logStatement(TICK));
  assert.equal(template.Resources[`${TICK}Policy`], expectedPolicy(TICK, 'hello-sparta-Hello-tick', [statements[0]]));
});

test('Hello.tick: a schedule rule targeting the function, and the permission for it', () => {
  assert.equal(template.Resources[TICK_RULE], {
    Type: 'AWS::Events::Rule',
    Properties: {
      Description: 'Heartbeat',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [{ Id: 'hello-sparta-Hello-tick', Arn: getAtt(TICK) }],
    },
  });
  assert.equal(template.Resources[`${TICK_RULE}Permission`], expectedPermission(TICK, 'events.amazonaws.com', getAtt(TICK_RULE)));
});

test('Hello.onAlert: the function depends on its log group, role, policy and AlertsTopic', () => {
  assert.equal(template.Resources[ON_ALERT], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${ON_ALERT}Policy`],
    Properties: {
      FunctionName: 'hello-sparta-Hello-onAlert',
      Code: code('Hello.onAlert'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 128,
      Timeout: 30,
      Role: getAtt(`${ON_ALERT}Role`),
      Environment: {
        Variables: {
          SPARTA_DISCOVERY: discoverySub(ON_ALERT, {
            AlertsTopic: { type: 'AWS::SNS::Topic' },
            ImagesBucket: { type: 'AWS::S3::Bucket', attributes: ['Arn'] },
          }),
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${ON_ALERT}LogGroup`) },
      Tags: TAGS,
    },
  });
});

test('Hello.onAlert: policy statement by statement, in source order, then the log statement', () => {
  const policy = template.Resources[`${ON_ALERT}Policy`];
  const statements = (policy.Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
  assert.is(statements.length, 3);
  assert.equal(statements[0], { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: { 'Fn::Sub': '${ImagesBucket.Arn}/*' } });
  assert.equal(statements[1], { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: getAtt('ImagesBucket') });
  assert.equal(statements[2], logStatement(ON_ALERT));
  assert.equal(policy, expectedPolicy(ON_ALERT, 'hello-sparta-Hello-onAlert', statements.slice(0, 2)));
  assert.equal(template.Resources[`${ON_ALERT}LogGroup`], expectedLogGroup('hello-sparta-Hello-onAlert', 14));
  assert.equal(template.Resources[`${ON_ALERT}Role`], expectedRole());
});

test('Hello.onAlert: an SNS subscription and the permission for the topic', () => {
  assert.equal(template.Resources[ALERT_SUBSCRIPTION], {
    Type: 'AWS::SNS::Subscription',
    Properties: { TopicArn: ref('AlertsTopic'), Protocol: 'lambda', Endpoint: getAtt(ON_ALERT) },
  });
  assert.equal(template.Resources[`${ALERT_SUBSCRIPTION}Permission`], expectedPermission(ON_ALERT, 'sns.amazonaws.com', ref('AlertsTopic')));
});

test('outputs: the service name alone (functions are listed from the stack resources)', () => {
  assert.equal(template.Outputs, {
    ServiceName: { Description: 'The sparta service deployed by this stack', Value: 'hello-sparta' },
  });
});

test('every role is trusted by lambda.amazonaws.com and nothing else', () => {
  const roles = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Role');
  assert.is(roles.length, 3);
  for (const role of roles) {
    assert.equal(Object.keys(role.Properties!), ['AssumeRolePolicyDocument']);
    const statements = (role.Properties!.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement;
    assert.equal(statements, [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  }
});

test.run();
