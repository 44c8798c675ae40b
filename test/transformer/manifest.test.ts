import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeProject } from '../../transformer/analyze';
import { serializeManifest } from '../../transformer/emit';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';
import { EXAMPLES } from '../helpers/paths';

const test = suite('manifest');

const hello = analyzeProject(path.join(EXAMPLES, 'hello', 'tsconfig.json'));

test('examples/hello analyses without diagnostics', () => {
  assert.equal(hello.configErrors, []);
  assert.equal(diagnosticLines(hello), []);
  assert.ok(hello.manifest);
});

test('examples/hello: the service, its class and its resources', () => {
  const manifest = hello.manifest!;
  assert.is(manifest.manifestVersion, 1);
  assert.is(manifest.services.length, 1);
  const service = manifest.services[0];
  assert.is(service.name, 'hello-sparta');
  assert.is(service.description, 'Hello world service');
  assert.equal(service.tags, { team: 'examples' });
  assert.equal(service.classes, [{ className: 'Hello', exportName: 'Hello', source: { file: 'src/hello.ts', line: service.classes[0].source.line, column: 14 } }]);
  assert.equal(
    service.resources.map((r) => [r.logicalId, r.declaration]),
    [
      ['AlertsTopic', { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'Alerts' } }],
      ['ImagesBucket', { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }],
    ],
  );
  for (const resource of service.resources) assert.is(resource.source.file, 'src/hello.ts');
});

test('examples/hello: functions sorted by id, a method without @Lambda never appears', () => {
  const service = hello.manifest!.services[0];
  assert.equal(service.functions.map((fn) => fn.id), ['Hello.hello', 'Hello.onAlert', 'Hello.tick']);
  assert.not.ok(JSON.stringify(hello.manifest).includes('helper'));
});

test('examples/hello: Hello.hello carries its options as written', () => {
  const fn = hello.manifest!.services[0].functions[0];
  assert.is(fn.service, 'hello-sparta');
  assert.is(fn.className, 'Hello');
  assert.is(fn.methodName, 'hello');
  assert.is(fn.exportName, 'Hello');
  assert.is(fn.source.file, 'src/hello.ts');
  assert.ok(fn.source.line > 0);
  assert.equal(fn.options, { memorySize: 256, timeout: 10, description: 'Says hello', environment: { GREETING_NAME: 'World' } });
  assert.equal(fn.privileges, []);
  assert.equal(fn.events, []);
  assert.equal(fn.dependsOn, []);
});

test('examples/hello: Hello.tick has a schedule and a privilege on the topic', () => {
  const fn = hello.manifest!.services[0].functions[2];
  assert.is(fn.id, 'Hello.tick');
  assert.equal(fn.options, { logRetentionDays: 7 });
  assert.equal(fn.events.map(({ source, ...event }) => event), [{ kind: 'schedule', schedule: 'rate(5 minutes)', description: 'Heartbeat' }]);
  assert.equal(fn.privileges.map(({ source, ...privilege }) => privilege), [{ actions: ['sns:Publish'], resource: { Ref: 'AlertsTopic' } }]);
});

test('examples/hello: Hello.onAlert has an SNS subscription, two privileges in source order, and a DependsOn', () => {
  const fn = hello.manifest!.services[0].functions[1];
  assert.is(fn.id, 'Hello.onAlert');
  assert.equal(fn.options, { timeout: 30 });
  assert.equal(fn.events.map(({ source, ...event }) => event), [{ kind: 'sns', topic: { Ref: 'AlertsTopic' } }]);
  assert.equal(
    fn.privileges.map(({ source, ...privilege }) => privilege),
    [
      { actions: ['s3:PutObject', 's3:GetObject'], resource: { 'Fn::Sub': '${ImagesBucket.Arn}/*' } },
      { actions: ['s3:ListBucket'], resource: { 'Fn::GetAtt': ['ImagesBucket', 'Arn'] } },
    ],
  );
  assert.ok(fn.privileges[0].source.line < fn.privileges[1].source.line);
  assert.equal(fn.dependsOn, ['AlertsTopic']);
});

test('the analysis is deterministic', () => {
  const again = analyzeProject(path.join(EXAMPLES, 'hello', 'tsconfig.json'));
  assert.is(serializeManifest(again.manifest!), serializeManifest(hello.manifest!));
});

test('imported consts, enum members, as const and plain templates are static', () => {
  const result = analyzeSources({
    'src/settings.ts': "export const MEMORY = 512;\nexport enum Seconds { Short = 5, Long = 60 }\nexport const TAGS = { team: 'core' } as const;\n",
    'src/service.ts': `import { Service, Lambda } from 'sparta';
import { MEMORY, Seconds, TAGS } from './settings';
const LIMITS = { memory: MEMORY };
@Service({ name: \`svc\` })
export class A {
  @Lambda({ memorySize: LIMITS.memory, timeout: Seconds.Long, tags: TAGS, environment: { MODE: \`fast\` } })
  run() {}
}
`,
  });
  assert.equal(diagnosticLines(result), []);
  assert.equal(result.manifest!.services[0].functions[0].options, { memorySize: 512, timeout: 60, tags: { team: 'core' }, environment: { MODE: 'fast' } });
});

test('classes that share a service name form one service; others stay apart', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda, Resource } from 'sparta';\n@Service({ name: 'orders', description: 'Orders' })\n@Resource('Queue', { Type: 'AWS::SQS::Queue' })\nexport class Intake { @Lambda() accept() {} }\n",
    'src/b.ts': "import { Service, Lambda, DependsOn } from 'sparta';\n@Service({ name: 'orders' })\nexport default class Billing { @Lambda() @DependsOn('Queue') charge() {} }\n",
    'src/c.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'audit' })\nexport class Audit { @Lambda() record() {} }\n",
  });
  assert.equal(diagnosticLines(result), []);
  const services = result.manifest!.services;
  assert.equal(services.map((s) => s.name), ['audit', 'orders']);
  assert.equal(services[1].functions.map((fn) => [fn.id, fn.exportName, fn.source.file]), [
    ['Billing.charge', 'default', 'src/b.ts'],
    ['Intake.accept', 'Intake', 'src/a.ts'],
  ]);
  assert.is(services[1].description, 'Orders');
});

test('an aliased import and a namespace import are recognised', () => {
  const result = analyzeSources({
    'src/service.ts': `import * as sparta from 'sparta';
import { Lambda as Fn } from 'sparta';
@sparta.Service({ name: 'svc' })
export class A {
  @Fn({ memorySize: 1024 })
  one() {}
  @sparta.Lambda()
  two() {}
}
`,
  });
  assert.equal(diagnosticLines(result), []);
  assert.equal(result.manifest!.services[0].functions.map((fn) => [fn.id, fn.options]), [
    ['A.one', { memorySize: 1024 }],
    ['A.two', {}],
  ]);
});

test('a decorator of the same name from elsewhere is not sparta’s', () => {
  const result = analyzeSources({
    'src/other.ts': 'export function Lambda(): MethodDecorator { return () => {}; }\n',
    'src/service.ts': "import { Lambda } from './other';\nexport class A { @Lambda() run() {} }\n",
  });
  assert.equal(diagnosticLines(result), []);
  assert.equal(result.manifest!.services, []);
});

test.run();
