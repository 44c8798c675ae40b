// @CloudWatchEvent on a custom bus, and named rules: the physical name comes
// from the service, and a named rule's logical ID from its name, so an edit
// never asks CloudFormation for a second rule of the same name. Templates are
// written out by hand and cfn-lint checks them; test/e2e/named-rule.test.ts
// deploys them on moto.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, type Template } from '../../cli/template';
import { sourceLogicalId } from '../../cli/template/ids';
import { sourceOf } from '../../sources';
import { ruleName } from '../../sources/events-rule';
import { expectLintClean } from '../helpers/cfn-lint';
import { diagnosticLines } from '../helpers/inline-project';
import { expectedPermission, fnId, getAtt, ref, sha8 } from '../template/expect';
import { artifactsFor } from '../template/services';
import { analyze, expectOne, lineOf, serviceOf, templateOf } from './support';

const test = suite('sources: @CloudWatchEvent buses and named rules');

const IMPORTS = "import { Service, Resource, Lambda, CloudWatchEvent, Ref, GetAtt, Sub } from 'sparta';\n";

const shop = (decorator: string) => `@Service({ name: 'shop' })
@Resource('Bus', { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-orders' } })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Orders {
  @Lambda()
  ${decorator}
  placed() {}
}`;

const FN = fnId('shop', 'OrdersPlaced', 'Orders', 'placed');
const PATTERN = { source: ['shop.orders'] };
const TARGET = { Id: 'shop-Orders-placed', Arn: getAtt(FN) };
const where = { file: 'src/a.ts', line: 1, column: 1 };

const linted: Record<string, Template> = {};

test("the issue's decorator: the rule listens on the bus its Ref names; the permission's source is the rule", () => {
  const template = templateOf(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: Ref('Bus') })"));
  linted.busRef = template;
  const rule = `${FN}Rule${sha8('{"eventBus":{"Ref":"Bus"},"pattern":{"source":["shop.orders"]}}')}`;
  assert.equal(template.Resources[rule], {
    Type: 'AWS::Events::Rule',
    Properties: { EventBusName: ref('Bus'), EventPattern: PATTERN, State: 'ENABLED', Targets: [TARGET] },
  });
  assert.equal(template.Resources[`${rule}Permission`], expectedPermission(FN, 'events.amazonaws.com', getAtt(rule)));
});

test('a bus name or a bus ARN is written as given', () => {
  for (const bus of ['shop-orders', 'arn:aws:events:eu-west-1:111122223333:event-bus/shop-orders']) {
    const template = templateOf(shop(`@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: '${bus}' })`));
    linted[bus.startsWith('arn:') ? 'busArn' : 'busName'] = template;
    const rule = `${FN}Rule${sha8(JSON.stringify({ eventBus: bus, pattern: PATTERN }))}`;
    assert.is(template.Resources[rule].Properties!.EventBusName, bus);
  }
});

test('a pattern rule without a bus keeps the ID it had before buses (no EventBusName)', () => {
  const template = templateOf(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] } })"));
  const rule = `${FN}Rule${sha8('{"pattern":{"source":["shop.orders"]}}')}`;
  assert.equal(template.Resources[rule].Properties, { EventPattern: PATTERN, State: 'ENABLED', Targets: [TARGET] });
});

test('moving a rule to another bus gives it a new logical ID (EventBridge cannot move a rule)', () => {
  const event = { kind: 'pattern' as const, pattern: PATTERN, source: where };
  assert.is.not(sourceLogicalId('Fn', { ...event, eventBus: 'a' }), sourceLogicalId('Fn', { ...event, eventBus: 'b' }));
  assert.is.not(sourceLogicalId('Fn', { ...event, name: 'n', eventBus: 'a' }), sourceLogicalId('Fn', { ...event, name: 'n' }));
});

test('discover() is told about the bus; explain shows it in the row, under it and as the edge', () => {
  const service = serviceOf(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: Ref('Bus') })"));
  const [event] = service.functions[0].events;
  const source = sourceOf(event);
  assert.equal(source.references(event), [{ Ref: 'Bus' }]);
  assert.is(source.describe(event), 'pattern {"source":["shop.orders"]} on Ref(Bus)');
  assert.equal(source.details(event), ['event bus Ref(Bus)']);
  assert.equal(source.edge(event), { from: { Ref: 'Bus' }, label: 'pattern' });
});

// ---- named rules (issue 14)

const SWEEP = (schedule: string, extra = '') => `@Service({ name: 'shop' })
export class Orders {
  @Lambda()
  @CloudWatchEvent({ schedule: '${schedule}', name: 'NightlySweep'${extra} })
  placed() {}
}`;
const NAMED = `${FN}Rule${sha8('{"name":"NightlySweep"}')}`;

test("a named rule's physical name is <service>-<name>, so two stacks in one account cannot collide", () => {
  const template = templateOf(SWEEP('cron(0 3 * * ? *)'));
  linted.named = template;
  assert.equal(template.Resources[NAMED], {
    Type: 'AWS::Events::Rule',
    Properties: { Name: 'shop-NightlySweep', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED', Targets: [TARGET] },
  });
  assert.equal(template.Resources[`${NAMED}Permission`], expectedPermission(FN, 'events.amazonaws.com', getAtt(NAMED)));
});

test("a named rule's logical ID is its name alone: a new schedule, input or description updates it in place", () => {
  const ids = [
    SWEEP('cron(0 3 * * ? *)'),
    SWEEP('cron(0 4 * * ? *)'),
    SWEEP('cron(0 4 * * ? *)', ", input: { full: true }, description: 'sweeps'"),
  ].map((body) => Object.keys(templateOf(body).Resources).filter((id) => id.includes('Rule')).sort());
  for (const found of ids) assert.equal(found, [NAMED, `${NAMED}Permission`]);
});

test("a named pattern rule's logical ID is its name too, and a new name is a new rule under a new name", () => {
  const pattern = { kind: 'pattern' as const, pattern: PATTERN, name: 'Placed', source: where };
  assert.is(sourceLogicalId('Fn', pattern), `FnRule${sha8('{"name":"Placed"}')}`);
  assert.is(sourceLogicalId('Fn', { ...pattern, pattern: { source: ['shop.returns'] }, input: 1 }), sourceLogicalId('Fn', pattern));
  assert.is(sourceLogicalId('Fn', { ...pattern, eventBus: { Ref: 'Bus' } }), `FnRule${sha8('{"eventBus":{"Ref":"Bus"},"name":"Placed"}')}`);
  const renamed = templateOf(SWEEP('cron(0 3 * * ? *)').replace('NightlySweep', 'DailySweep'));
  const rule = `${FN}Rule${sha8('{"name":"DailySweep"}')}`;
  assert.is(renamed.Resources[rule].Properties!.Name, 'shop-DailySweep');
});

test('unnamed rules keep their logical IDs: the hash of {schedule | pattern, input}', () => {
  const schedule = { kind: 'schedule' as const, schedule: 'rate(1 hour)', source: where };
  assert.is(sourceLogicalId('Fn', schedule), `FnRule${sha8('{"schedule":"rate(1 hour)"}')}`);
  assert.is(sourceLogicalId('Fn', { ...schedule, input: { a: 1 } }), `FnRule${sha8('{"input":{"a":1},"schedule":"rate(1 hour)"}')}`);
  assert.is(sourceLogicalId('Fn', { ...schedule, description: 'hourly' }), sourceLogicalId('Fn', schedule));
});

test('a rule name over 64 characters with its service is cut to 64, with the hash of the whole', () => {
  const name = 'N'.repeat(60);
  const full = `shop-${name}`;
  assert.is(ruleName('shop', name), `${full.slice(0, 55)}-${sha8(full)}`);
  assert.is(ruleName('shop', 'N'.repeat(59)), `shop-${'N'.repeat(59)}`);
});

test('the templates are cfn-lint clean', async () => {
  assert.is(Object.keys(linted).length, 4, 'the tests above ran first');
  await expectLintClean(linted);
});

// ---- diagnostics

test('a schedule with eventBus is SPARTA013 at eventBus: EventBridge runs schedules on the default bus only', () => {
  const body = `@Service({ name: 'shop' })
@Resource('Bus', { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-orders' } })
export class Orders {
  @Lambda()
  @CloudWatchEvent({
    schedule: 'rate(1 hour)',
    eventBus: Ref('Bus'),
  })
  placed() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA013', "eventBus: Ref('Bus')");
  assert.match(diagnostic.message, 'default bus only');
});

test('an eventBus that names a resource of another type is SPARTA032', () => {
  const diagnostic = expectOne(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: Ref('Jobs') })"), 'SPARTA032', '@CloudWatchEvent');
  assert.match(diagnostic.message, 'names Jobs, a AWS::SQS::Queue');
});

test('a malformed bus ARN is SPARTA025', () => {
  expectOne(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: 'arn:aws:sqs:eu-west-1:111122223333:jobs' })"), 'SPARTA025', '@CloudWatchEvent');
});

test('a bus name EventBridge refuses is SPARTA013', () => {
  const diagnostic = expectOne(shop("@CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: 'shop orders' })"), 'SPARTA013', '@CloudWatchEvent');
  assert.match(diagnostic.message, 'event bus name "shop orders" is not valid');
});

test('two rules of one name in a service are SPARTA037 at the second, naming the first', () => {
  const body = `@Service({ name: 'shop' })
export class Orders {
  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 day)', name: 'NightlySweep' })
  placed() {}
}

@Service({ name: 'shop' })
export class Returns {
  @Lambda()
  @CloudWatchEvent({ pattern: { source: ['shop.returns'] }, name: 'NightlySweep' })
  sweep() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA037', "source: ['shop.returns']");
  assert.match(diagnostic.message, `as Orders.placed does at src/service.ts:${lineOf(body, "'rate(1 day)'")}`);
  assert.match(diagnostic.hint ?? '', 'shop-NightlySweep');
});

test('one name in two services is no conflict: each rule starts with its own service', () => {
  const result = analyze(`@Service({ name: 'shop-dev' })
export class A {
  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 day)', name: 'NightlySweep' })
  run() {}
}

@Service({ name: 'shop-prod' })
export class B {
  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 day)', name: 'NightlySweep' })
  run() {}
}`);
  assert.equal(diagnosticLines(result), []);
  const names = result.manifest!.services.map((service) => {
    const template = marshalTemplate(service, artifactsFor(service));
    return Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Events::Rule')!.Properties!.Name;
  });
  assert.equal(names, ['shop-dev-NightlySweep', 'shop-prod-NightlySweep']);
});

test.run();
