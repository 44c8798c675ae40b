import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, SpartaError } from '../../cli/errors';
import { buildTemplate, functionLogicalId, serializeTemplate } from '../../cli/template';
import { checkStackLimits, marshalStacks, predictStackLimits } from '../../cli/template/limits';
import { CHILD_SLOTS, childLogicalId, childSlot, nestTemplate } from '../../cli/template/nested';
import type { Template } from '../../cli/template/types';
import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import { expectLintClean } from '../helpers/cfn-lint';
import { artifactsFor, generatedService } from './services';

const test = suite('template: stack limits from the manifest, and nested stacks');

const where = { file: 'src/wide.ts', line: 3, column: 3 };

function plain(methodName: string, extra: Partial<FunctionManifest> = {}): FunctionManifest {
  return { id: `Wide.${methodName}`, service: 'wide', className: 'Wide', methodName, exportName: 'Wide', source: where, options: {}, privileges: [], events: [], dependsOn: [], ...extra };
}

function wide(count: number): ServiceManifest {
  return { name: 'wide', classes: [], resources: [], functions: Array.from({ length: count }, (_, index) => plain(`f${index}`)) };
}

/** Which stack holds each function's logical ID: the child's logical ID, or `parent`. */
function homes(stacks: { template: Template; children: { logicalId: string; template: Template }[] }): Map<string, string> {
  const found = new Map<string, string>();
  for (const [id, resource] of Object.entries(stacks.template.Resources)) if (resource.Type === 'AWS::Lambda::Function') found.set(id, 'parent');
  for (const child of stacks.children) {
    for (const [id, resource] of Object.entries(child.template.Resources)) if (resource.Type === 'AWS::Lambda::Function') found.set(id, child.logicalId);
  }
  return found;
}

test('one stack holds 124 functions of four resources each (function, log group, role, policy) and no outputs', () => {
  const stacks = marshalStacks(wide(124), artifactsFor(wide(124)));
  assert.equal(stacks.children, []);
  assert.is(Object.keys(stacks.template.Resources).length, 496);
  assert.equal(Object.keys(stacks.template.Outputs), ['ServiceName']);
});

test('125 functions (500 resources... and the ServiceName) still fit; 126 nest', () => {
  assert.is(marshalStacks(wide(125), artifactsFor(wide(125))).children.length, 0);
  const nested = marshalStacks(wide(126), artifactsFor(wide(126)));
  assert.ok(nested.children.length > 1);
  assert.ok(Object.values(nested.template.Resources).every((resource) => resource.Type === 'AWS::CloudFormation::Stack'));
});

test('the counts predicted from the manifest are the built template\'s, flat and nested', () => {
  for (const service of [generatedService(40), generatedService(300), wide(600)]) {
    const { report, problems } = predictStackLimits(service);
    assert.equal(problems, []);
    const built = marshalStacks(service, artifactsFor(service));
    const count = (template: Template) => [Object.keys(template.Resources).length, Object.keys(template.Outputs).length, Object.keys(template.Parameters).length];
    assert.equal([report.top.resources, report.top.outputs, report.top.parameters], count(built.template));
    assert.equal(report.children.map((child) => [child.resources, child.outputs, child.parameters]), built.children.map((child) => count(child.template)));
    assert.equal(report.children.map((child) => child.logicalId), built.children.map((child) => child.logicalId));
    // The size differs only by the archive names' lengths.
    const bytes = Buffer.byteLength(serializeTemplate(built.template));
    assert.ok(Math.abs(report.top.bytes - bytes) / bytes < 0.02, `${report.top.bytes} vs ${bytes}`);
  }
});

test('a 600-function manifest nests into at most 16 stacks, each within the limits', () => {
  const report = checkStackLimits(wide(600));
  assert.is(report.flat.resources, 2400);
  assert.ok(report.children.length <= CHILD_SLOTS);
  assert.is(report.children.reduce((sum, child) => sum + child.functions, 0), 600);
  for (const child of report.children) assert.ok(child.resources <= 500 && child.outputs <= 200 && child.parameters <= 200, child.logicalId);
  assert.is(report.top.resources, report.children.length);
});

test('adding functions moves none of the others between stacks', () => {
  const before = homes(marshalStacks(wide(300), artifactsFor(wide(300))));
  const after = homes(marshalStacks(wide(450), artifactsFor(wide(450))));
  assert.is(before.size, 300);
  for (const [id, home] of before) assert.is(after.get(id), home, id);
  // The slot is the function's alone: a hash of its logical ID.
  for (const [id, home] of after) assert.is(home, childLogicalId(childSlot(id)));
});

test('a child reads parent resources through parameters; a DependsOn on one becomes the child stack\'s', () => {
  const stacks = marshalStacks(generatedService(300), artifactsFor(generatedService(300)));
  const child = stacks.children[0];
  // Events: the privilege and the subscription; Table: the @DependsOn, which the discovery document names.
  assert.equal(Object.keys(child.template.Parameters).sort(), ['ArtifactBucket', 'Events', 'Table']);
  const stack = stacks.template.Resources[child.logicalId];
  assert.is(stack.DependsOn, undefined, 'the parameters already make it wait for Table');
  assert.equal((stack.Properties as { Parameters: unknown }).Parameters, { ArtifactBucket: { Ref: 'ArtifactBucket' }, Events: { Ref: 'Events' }, Table: { Ref: 'Table' } });
  const fn = Object.values(child.template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
  assert.ok((fn.DependsOn as string[]).every((id) => id.endsWith('Policy') && id in child.template.Resources), 'no DependsOn on the parent\'s Table inside the child');
  assert.equal((stack.Properties as { TemplateURL: unknown }).TemplateURL, { 'Fn::Sub': `https://\${ArtifactBucket}.s3.\${AWS::Region}.\${AWS::URLSuffix}/${child.key}` });
  assert.match(child.key, /^generated\/nested-[0-9a-f]{16}\.json$/);
  assert.ok(stacks.template.Resources.Events && stacks.template.Resources.Table, '@Resource declarations stay in the parent');
});

test('a function in one child that may invoke a function in another reads its ARN through the other\'s output', () => {
  // Two functions that land in different slots.
  const names = Array.from({ length: 40 }, (_, index) => `g${index}`);
  const slot = (name: string) => childSlot(functionLogicalId('wide', 'Wide', name));
  const first = names[0];
  const other = names.find((name) => slot(name) !== slot(first))!;
  const target = functionLogicalId('wide', 'Wide', other);
  const service: ServiceManifest = {
    name: 'wide',
    classes: [],
    resources: [],
    functions: [plain(first, { privileges: [{ actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [target, 'Arn'] }, source: where }] }), plain(other)],
  };
  const { template, owners } = buildTemplate(service, artifactsFor(service));
  const { parent, children } = nestTemplate(template, owners, 'wide');
  const caller = children.find((child) => child.logicalId === childLogicalId(slot(first)))!;
  const callee = children.find((child) => child.logicalId === childLogicalId(slot(other)))!;
  // The ARN for the privilege, the name (Ref) for the discovery document.
  assert.equal(callee.template.Outputs, { [`${target}Arn`]: { Value: { 'Fn::GetAtt': [target, 'Arn'] } }, [target]: { Value: { Ref: target } } });
  assert.equal(caller.template.Parameters[`${target}Arn`], { Type: 'String' });
  assert.equal((parent.Resources[caller.logicalId].Properties as { Parameters: Record<string, unknown> }).Parameters[`${target}Arn`], { 'Fn::GetAtt': [callee.logicalId, `Outputs.${target}Arn`] });
});

test('SPARTA312: a nested stack over 500 resources, from the manifest alone', () => {
  // Every function in one slot: 126 of them give 504 resources in one child.
  const names: string[] = [];
  for (let index = 0; names.length < 126; index++) if (childSlot(functionLogicalId('wide', 'Wide', `h${index}`)) === 3) names.push(`h${index}`);
  const service: ServiceManifest = { name: 'wide', classes: [], resources: [], functions: names.map((name) => plain(name)) };
  try {
    checkStackLimits(service);
    assert.unreachable('checkStackLimits did not throw');
  } catch (error) {
    assert.ok(SpartaError.is(error), String(error));
    assert.is((error as SpartaError).code, ErrorCode.NESTED_STACK_OVER_LIMIT);
    assert.match((error as SpartaError).message, 'Functions03 would hold 504 resources');
  }
});

test('SPARTA308: a parent resource that reads a child and is read by it', () => {
  // A topic that names one function in its Subscription, published to by another function of the same child, past one stack.
  const names: string[] = [];
  for (let index = 0; names.length < 130; index++) if (childSlot(functionLogicalId('wide', 'Wide', `k${index}`)) === 5) names.push(`k${index}`);
  const service: ServiceManifest = {
    name: 'wide',
    classes: [],
    resources: [{ logicalId: 'Alerts', declaration: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [functionLogicalId('wide', 'Wide', names[0]), 'Arn'] } }] } }, source: where }],
    functions: names.slice(0, 40).map((name, index) => plain(name, index === 1 ? { privileges: [{ actions: ['sns:Publish'], resource: { Ref: 'Alerts' }, source: where }] } : {})),
  };
  service.functions.push(...wide(100).functions);
  try {
    marshalStacks(service, artifactsFor(service));
    assert.unreachable('marshalStacks did not throw');
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.DEPENDENCY_CYCLE);
    assert.match((error as SpartaError).message, 'Functions05');
  }
});

test('nested templates, parent and children, are cfn-lint clean', async () => {
  // Just past one stack (8 resources a function): every kind of crossing, in small children cfn-lint reads fast.
  const stacks = marshalStacks(generatedService(70), artifactsFor(generatedService(70)));
  assert.ok(stacks.children.length > 1);
  const templates: Record<string, Template> = { parent: stacks.template };
  for (const child of stacks.children) templates[child.logicalId] = child.template;
  await expectLintClean(templates);
});

test.run();
