import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { functionLogicalId, functionName, marshalTemplate } from '../../cli/template';
import { sourceLogicalId } from '../../cli/template/ids';
import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import { sha8 } from './expect';
import { artifactsFor } from './services';

const test = suite('template: logical IDs and names');

const LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]{0,254}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const where = { file: 'src/long.ts', line: 1, column: 1 };

function service(name: string, functions: Array<[string, string]>): ServiceManifest {
  return {
    name,
    classes: [],
    resources: [{ logicalId: 'Topic', declaration: { Type: 'AWS::SNS::Topic' }, source: where }],
    functions: functions.map(
      ([className, methodName]): FunctionManifest => ({
        id: `${className}.${methodName}`,
        service: name,
        className,
        methodName,
        exportName: className,
        source: where,
        options: {},
        privileges: [{ actions: ['sns:Publish'], resource: { Ref: 'Topic' }, source: where }],
        events: [
          { kind: 'sns', topic: { Ref: 'Topic' }, source: where },
          { kind: 'schedule', schedule: 'rate(1 hour)', source: where },
        ],
        dependsOn: [],
      }),
    ),
  };
}

test('a function ID is its class and method, then 8 hex of sha256("<service>/<Class>.<method>")', () => {
  assert.is(functionLogicalId('hello-sparta', 'Hello', 'onAlert'), `HelloOnAlert${sha8('hello-sparta/Hello.onAlert')}`);
});

test('a function ID drops characters CloudFormation refuses and still tells similar names apart', () => {
  const a = functionLogicalId('svc', 'My_Class', 'run$');
  const b = functionLogicalId('svc', 'MyClass', 'run');
  assert.match(a, LOGICAL_ID);
  assert.ok(a.startsWith('MyClassRun'));
  assert.is.not(a, b);
});

test('a function ID starts with a letter even when the names do not give one', () => {
  assert.match(functionLogicalId('svc', '_', '$1'), /^Fn1[0-9a-f]{8}$/);
});

test('a function ID is the same for the same service, class and method, and differs by service', () => {
  assert.is(functionLogicalId('svc', 'A', 'b'), functionLogicalId('svc', 'A', 'b'));
  assert.is.not(functionLogicalId('svc', 'A', 'b'), functionLogicalId('other', 'A', 'b'));
});

test('a short, clean function name is <service>-<Class>-<method>', () => {
  assert.is(functionName('hello-sparta', 'Hello', 'tick'), 'hello-sparta-Hello-tick');
});

test('a function name of exactly 64 characters is kept', () => {
  const className = 'C'.repeat(40);
  assert.is(functionName('orders', className, 'handleEverything'), `orders-${className}-handleEverything`);
});

test('a long function name is cut to 64 characters with the hash of the full name', () => {
  const className = 'C'.repeat(41); // one over: 6 + 1 + 41 + 1 + 16 = 65
  const full = `orders-${className}-handleEverything`;
  const name = functionName('orders', className, 'handleEverything');
  assert.is(name.length, 64);
  assert.is(name, `${full.slice(0, 55)}-${sha8(full)}`);
});

test('a function name with characters Lambda refuses gets them replaced and a hash', () => {
  const name = functionName('svc', 'Ünïcode$Class', 'run');
  assert.match(name, FUNCTION_NAME);
  assert.is(name, `svc-_n_code_Class-run-${sha8('svc-Ünïcode$Class-run')}`);
  assert.is.not(name, functionName('svc', '_n_code_Class', 'run'));
});

test('long class and method names stay within CloudFormation and Lambda limits', () => {
  const longClass = `Very${'Long'.repeat(80)}ServiceClassName`;
  const longMethod = `handle${'Incoming'.repeat(60)}Event`;
  const manifest = service('a-rather-long-service-name-for-an-enterprise-stack', [
    [longClass, longMethod],
    [longClass, `${longMethod}2`],
    [`${longClass}2`, longMethod],
  ]);
  const template = marshalTemplate(manifest, artifactsFor(manifest));
  const ids = [...Object.keys(template.Resources), ...Object.keys(template.Outputs), ...Object.keys(template.Parameters)];
  for (const id of ids) assert.match(id, LOGICAL_ID, id);
  assert.is(Object.keys(template.Resources).length, 1 + 3 * 8);
  const names = Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => resource.Properties!.FunctionName as string);
  assert.is(new Set(names).size, 3);
  for (const name of names) assert.match(name, FUNCTION_NAME);
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === 'AWS::Events::Rule') {
      for (const target of resource.Properties!.Targets as Array<{ Id: string }>) assert.match(target.Id, /^[A-Za-z0-9_.-]{1,64}$/);
    }
  }
});

test('a rule ID follows its schedule, pattern, input and name, not its description', () => {
  const schedule = { kind: 'schedule' as const, schedule: 'rate(1 hour)', source: where };
  const id = sourceLogicalId('Fn', schedule);
  assert.is(id, `FnRule${sha8('{"schedule":"rate(1 hour)"}')}`);
  assert.is(sourceLogicalId('Fn', { ...schedule, description: 'hourly' }), id);
  assert.is.not(sourceLogicalId('Fn', { ...schedule, schedule: 'rate(2 hours)' }), id);
  assert.is.not(sourceLogicalId('Fn', { ...schedule, input: { a: 1 } }), id);
  assert.is.not(sourceLogicalId('Fn', { ...schedule, name: 'hourly' }), id);
  const pattern = { kind: 'pattern' as const, pattern: { source: ['aws.s3'], 'detail-type': ['x'] }, source: where };
  assert.is(sourceLogicalId('Fn', pattern), sourceLogicalId('Fn', { ...pattern, pattern: { 'detail-type': ['x'], source: ['aws.s3'] } }));
});

test('a subscription ID follows its topic', () => {
  assert.is(sourceLogicalId('Fn', { kind: 'sns', topic: { Ref: 'A' }, source: where }), `FnSubscription${sha8('{"Ref":"A"}')}`);
  assert.is.not(sourceLogicalId('Fn', { kind: 'sns', topic: { Ref: 'A' }, source: where }), sourceLogicalId('Fn', { kind: 'sns', topic: { Ref: 'B' }, source: where }));
});

test.run();
