import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTemplate, checkTemplate, functionLogicalId, marshalTemplate, serializeTemplate } from '../../cli/template';
import { checkCounts } from '../../cli/template/checks';
import { ErrorCode, SpartaError } from '../../cli/errors';
import type { FunctionManifest, ResourceManifest, ServiceManifest } from '../../manifest/types';
import { artifactsFor, generatedService, helloManifest, ordersManifest } from './services';

const test = suite('template: checks');

const where = { file: 'src/check.ts', line: 3, column: 3 };

function marshalCode(service: ServiceManifest): string {
  try {
    marshalTemplate(service, artifactsFor(service));
  } catch (error) {
    assert.ok(SpartaError.is(error), `not a SpartaError: ${String(error)}`);
    return (error as SpartaError).code;
  }
  assert.unreachable('marshalTemplate did not throw');
  return '';
}

function resource(logicalId: string, declaration: ResourceManifest['declaration']): ResourceManifest {
  return { logicalId, declaration, source: where };
}

function fn(service: string, methodName: string, extra: Partial<FunctionManifest> = {}): FunctionManifest {
  return {
    id: `Check.${methodName}`,
    service,
    className: 'Check',
    methodName,
    exportName: 'Check',
    source: where,
    options: {},
    privileges: [],
    events: [],
    dependsOn: [],
    ...extra,
  };
}

function small(functions: FunctionManifest[], resources: ResourceManifest[] = []): ServiceManifest {
  return { name: 'check', classes: [], resources, functions };
}

test('the example and the larger service pass every check', () => {
  for (const service of [helloManifest(), ordersManifest()]) {
    const template = marshalTemplate(service, artifactsFor(service));
    assert.equal(checkTemplate(template), []);
  }
});

test('SPARTA301: a template over 1 MB', () => {
  const service = helloManifest();
  service.resources.push(resource('Big', { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x'.repeat(1024 * 1024) } }));
  assert.is(marshalCode(service), ErrorCode.TEMPLATE_TOO_LARGE);
});

test('a template just under 1 MB passes', () => {
  const service = helloManifest();
  const base = Buffer.byteLength(serializeTemplate(marshalTemplate(service, artifactsFor(service))));
  const overhead = '    "Big": {\n      "Type": "AWS::SSM::Parameter",\n      "Properties": {\n        "Type": "String",\n        "Value": ""\n      }\n    },\n'.length;
  service.resources.push(resource('Big', { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x'.repeat(1024 * 1024 - base - overhead) } }));
  const text = serializeTemplate(marshalTemplate(service, artifactsFor(service)));
  assert.is(Buffer.byteLength(text), 1024 * 1024);
});

test('SPARTA302: over 500 resources; 500 pass', () => {
  // 8 resources a function (function, log group, role, policy, rule, subscription, 2 permissions) + 2 declared.
  assert.is(marshalCode(generatedService(63)), ErrorCode.TOO_MANY_RESOURCES);
  const template = marshalTemplate(generatedService(62), artifactsFor(generatedService(62)));
  assert.is(Object.keys(template.Resources).length, 498);
});

test('a function adds no output: 120 functions, one output (the service name)', () => {
  const functions = Array.from({ length: 120 }, (_, index) => fn('check', `f${index}`, { options: { role: 'arn:aws:iam::123456789012:role/shared' } }));
  const template = marshalTemplate(small(functions), artifactsFor(small(functions)));
  assert.equal(Object.keys(template.Outputs), ['ServiceName']);
});

test('SPARTA305: a template over 200 outputs; 200 pass', () => {
  const template = marshalTemplate(helloManifest(), artifactsFor(helloManifest()));
  for (let index = 1; index < 200; index++) template.Outputs[`Extra${index}`] = { Value: 'x' };
  assert.equal(checkCounts(template), []);
  template.Outputs.Extra200 = { Value: 'x' };
  assert.equal(checkCounts(template).map((problem) => problem.code), [ErrorCode.TOO_MANY_OUTPUTS]);
});

test('SPARTA303: a privilege that names a resource nobody declared', () => {
  const service = helloManifest();
  service.functions[2].privileges.push({ actions: ['s3:GetObject'], resource: { 'Fn::Sub': '${ImagesBuckt.Arn}/*' }, source: where });
  assert.is(marshalCode(service), ErrorCode.DANGLING_REFERENCE);
});

test('SPARTA303: a @DependsOn on nothing', () => {
  const service = helloManifest();
  service.functions[0].dependsOn.push('Missing');
  assert.is(marshalCode(service), ErrorCode.DANGLING_REFERENCE);
});

test('SPARTA303: an SNS topic, a declared resource and a pattern that point at nothing', () => {
  const topic = helloManifest();
  topic.functions[1].events = [{ kind: 'sns', topic: { Ref: 'Nope' }, source: where }];
  assert.is(marshalCode(topic), ErrorCode.DANGLING_REFERENCE);
  const declared = helloManifest();
  declared.resources.push(resource('Policy', { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Nope' }], PolicyDocument: {} } }));
  assert.is(marshalCode(declared), ErrorCode.DANGLING_REFERENCE);
  const pattern = helloManifest();
  pattern.functions[2].events = [{ kind: 'pattern', pattern: { detail: { bucket: [{ Ref: 'Nope' }] } }, source: where }];
  assert.is(marshalCode(pattern), ErrorCode.DANGLING_REFERENCE);
});

test('SPARTA303: GetAtt on a parameter', () => {
  const parameter = helloManifest();
  parameter.functions[0].privileges.push({ actions: ['s3:GetObject'], resource: { 'Fn::GetAtt': ['ArtifactBucket', 'Arn'] }, source: where });
  assert.is(marshalCode(parameter), ErrorCode.DANGLING_REFERENCE);
});

test('references that resolve are not dangling: parameters, pseudo parameters, Sub escapes and Sub variables', () => {
  const service = helloManifest();
  service.functions[0].privileges.push(
    { actions: ['s3:GetObject'], resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ArtifactBucket}/${!NotAResource}' }, source: where },
    { actions: ['sns:Publish'], resource: { Ref: 'AWS::NoValue' }, source: where },
  );
  service.resources.push(resource('Named', { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': ['${Prefix}-named', { Prefix: { Ref: 'AWS::StackName' } }] } } }));
  const template = marshalTemplate(service, artifactsFor(service));
  assert.ok('Named' in template.Resources);
});

test('SPARTA304: a discovery document that could exceed 4 KB names the function and its dependencies', () => {
  const service = helloManifest();
  for (let index = 0; index < 14; index++) service.resources.push(resource(`Queue${index}`, { Type: 'AWS::SQS::Queue' }));
  service.functions[0].dependsOn = service.resources.map((declared) => declared.logicalId);
  try {
    marshalTemplate(service, artifactsFor(service));
    assert.unreachable('marshalTemplate did not throw');
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.DISCOVERY_TOO_LARGE);
    // The message is the user's only clue: it must say which function and which dependencies.
    assert.match((error as Error).message, 'Hello.hello');
    assert.match((error as Error).message, 'Queue13');
  }
});

test('ten dependencies fit in the environment', () => {
  const service = helloManifest();
  for (let index = 0; index < 8; index++) service.resources.push(resource(`Queue${index}`, { Type: 'AWS::SQS::Queue' }));
  service.functions[0].dependsOn = service.resources.map((declared) => declared.logicalId);
  marshalTemplate(service, artifactsFor(service));
});

test('SPARTA304: large user variables count against the same 4 KB', () => {
  const service = helloManifest();
  service.functions[0].options.environment = { BLOB: 'x'.repeat(3800) };
  assert.is(marshalCode(service), ErrorCode.DISCOVERY_TOO_LARGE);
});

test('SPARTA306: the same schedule twice on one function', () => {
  const service = helloManifest();
  service.functions[2].events.push({ ...service.functions[2].events[0], description: 'again' } as FunctionManifest['events'][number]);
  assert.is(marshalCode(service), ErrorCode.LOGICAL_ID_COLLISION);
});

test('SPARTA306: the same topic twice on one function', () => {
  const service = helloManifest();
  service.functions[1].events.push({ kind: 'sns', topic: { Ref: 'AlertsTopic' }, filterPolicy: { a: ['b'] }, source: where });
  assert.is(marshalCode(service), ErrorCode.LOGICAL_ID_COLLISION);
});

test('SPARTA306: a @Resource named like a generated resource', () => {
  const service = helloManifest();
  service.resources.push(resource(`${functionLogicalId('hello-sparta', 'Hello', 'tick')}LogGroup`, { Type: 'AWS::Logs::LogGroup' }));
  assert.is(marshalCode(service), ErrorCode.LOGICAL_ID_COLLISION);
});

test('SPARTA306: a @Resource named like an output', () => {
  // The analysis stops `ServiceName` itself (SPARTA022); a hand-made manifest reaches the template stage.
  const service = helloManifest();
  service.resources.push(resource('ServiceName', { Type: 'AWS::SNS::Topic' }));
  assert.is(marshalCode(service), ErrorCode.LOGICAL_ID_COLLISION);
});

test('SPARTA307: a function the build report has no archive for', () => {
  const service = helloManifest();
  try {
    marshalTemplate(service, artifactsFor(service).slice(1));
    assert.unreachable('marshalTemplate did not throw');
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.ARTIFACT_NOT_FOUND);
  }
});

test('SPARTA308: a function and a resource that wait for each other', () => {
  const service = small([fn('check', 'watched', { dependsOn: ['Alarm'] })], [
    resource('Alarm', {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId('check', 'Check', 'watched') } }],
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        Period: 60,
        Statistic: 'Sum',
        Threshold: 0,
      },
    }),
  ]);
  assert.is(marshalCode(service), ErrorCode.DEPENDENCY_CYCLE);
});

test('SPARTA308: two functions that may invoke each other', () => {
  const a = functionLogicalId('check', 'Check', 'a');
  const b = functionLogicalId('check', 'Check', 'b');
  const invoke = (target: string) => [{ actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [target, 'Arn'] as [string, string] }, source: where }];
  assert.is(marshalCode(small([fn('check', 'a', { privileges: invoke(b) }), fn('check', 'b', { privileges: invoke(a) })])), ErrorCode.DEPENDENCY_CYCLE);
  // One way is fine.
  const oneWay = small([fn('check', 'a', { privileges: invoke(b) }), fn('check', 'b')]);
  marshalTemplate(oneWay, artifactsFor(oneWay));
});

test('SPARTA308: a function that may invoke itself by GetAtt (it waits for its own policy)', () => {
  const self = functionLogicalId('check', 'Check', 'again');
  const service = small([fn('check', 'again', { privileges: [{ actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [self, 'Arn'] }, source: where }] })]);
  assert.is(marshalCode(service), ErrorCode.DEPENDENCY_CYCLE);
});

test('checkTemplate lists every problem, in order, without throwing', () => {
  const service = generatedService(110);
  service.functions[0].dependsOn.push('Missing');
  const { template, origins, problems } = buildTemplate(service, artifactsFor(service));
  assert.equal(problems, []);
  assert.equal(
    checkTemplate(template, origins).map((problem) => problem.code),
    [ErrorCode.DANGLING_REFERENCE, ErrorCode.TOO_MANY_RESOURCES],
  );
});

test.run();
