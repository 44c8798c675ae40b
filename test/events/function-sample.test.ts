import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deliveredSampleTypes, functionSample, localResolver, sampleContext } from '../../cli/events';
import { localDiscoveryDocument } from '../../cli/invoke/discovery';
import { marshalTemplate } from '../../cli/template/marshal';
import type { ServiceManifest } from '../../manifest/types';
import { analyzeService } from '../helpers/inline-project';
import { artifactsFor } from '../template/services';

// `sparta event TYPE --function F`: the sample F's own source delivers, its
// names resolved as `sparta invoke` resolves them for discover().

const analysed = new Map<string, ServiceManifest>();

/** The service `body` declares (analysed once: a test gets its own copy). */
function service(body: string): ServiceManifest {
  let svc = analysed.get(body);
  if (!svc) {
    const analysis = analyzeService(body);
    assert.equal(analysis.diagnostics, [], 'the inline service analyses cleanly');
    svc = analysis.manifest!.services[0];
    analysed.set(body, svc);
  }
  return structuredClone(svc);
}

const SHOP = `
@Service({ name: 'shop' })
@Resource('OrdersTopic', { Type: 'AWS::SNS::Topic' })
@Resource('RefundsTopic', { Type: 'AWS::SNS::Topic' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Shop {
  @Lambda()
  @SNS({ topic: Ref('OrdersTopic') })
  onOrder() {}

  @Lambda()
  @SNS({ topic: 'arn:aws:sns:eu-central-1:210987654321:partner-orders' })
  onPartner() {}

  @Lambda()
  @SNS({ topic: Sub('arn:aws:sns:\${AWS::Region}:\${AWS::AccountId}:audit') })
  onAudit() {}

  @Lambda()
  @SNS({ topic: Ref('RefundsTopic') })
  @SNS({ topic: Ref('OrdersTopic') })
  onMoney() {}

  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 hour)', name: 'shop-hourly' })
  hourly() {}

  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 day)' })
  daily() {}

  @Lambda()
  @CloudWatchEvent({ pattern: { source: ['shop.orders'] } })
  onPattern() {}

  @Lambda()
  plain() {}
}
`;

function codeOf(run: () => unknown): { code?: string; message: string; hint?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  assert.unreachable('should throw');
  throw new Error('unreachable');
}

test("sns: Ref of a @Resource topic is the topic ARN invoke's discovery gives, in the service's name and the region", () => {
  const sample = functionSample(service(SHOP), 'Shop.onOrder', 'sns', 'eu-west-1');
  assert.equal(sample.values, { topic: 'arn:aws:sns:eu-west-1:123456789012:shop-OrdersTopic' });
});

test("sns: the topic is the very value the function's discover() gets under sparta invoke", () => {
  const svc = service(SHOP);
  const fn = svc.functions.find((candidate) => candidate.id === 'Shop.onOrder')!;
  assert.is(functionSample(svc, fn.id, 'sns', 'eu-west-1').values.topic, localDiscoveryDocument(svc, fn, 'eu-west-1').resources.OrdersTopic.ref);
});

test('sns: a topic ARN written out is taken as written', () => {
  const sample = functionSample(service(SHOP), 'onPartner', 'sns', 'us-east-1');
  assert.equal(sample.values, { topic: 'arn:aws:sns:eu-central-1:210987654321:partner-orders' });
});

test('sns: a Sub resolves its pseudo parameters to the region and the sample account', () => {
  const sample = functionSample(service(SHOP), 'onAudit', 'sns', 'ap-southeast-2');
  assert.equal(sample.values, { topic: 'arn:aws:sns:ap-southeast-2:123456789012:audit' });
});

test('a function with two topics gets the first one written, and both events are reported', () => {
  const sample = functionSample(service(SHOP), 'onMoney', 'sns', 'us-east-1');
  assert.equal(sample.values, { topic: 'arn:aws:sns:us-east-1:123456789012:shop-RefundsTopic' });
  assert.is(sample.events.length, 2);
});

test("schedule: a named rule is the rule's physical name in the template (<service>-<name>)", () => {
  const svc = service(SHOP);
  const template = marshalTemplate(svc, artifactsFor(svc));
  const named = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Events::Rule' && resource.Properties?.Name);
  assert.equal(named.map((resource) => resource.Properties!.Name), ['shop-shop-hourly']);
  assert.equal(functionSample(svc, 'hourly', 'schedule', 'us-east-1').values, { rule: 'shop-shop-hourly' });
});

test("schedule: an unnamed rule is <service>-<the rule's logical ID in the template>", () => {
  const svc = service(SHOP);
  const template = marshalTemplate(svc, artifactsFor(svc));
  const rules = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::Events::Rule' && !resource.Properties?.Name);
  const daily = rules.find(([, resource]) => resource.Properties?.ScheduleExpression === 'rate(1 day)')!;
  const sample = functionSample(svc, 'daily', 'schedule', 'us-east-1');
  assert.equal(sample.values, { rule: `shop-${daily[0]}` });
});

test('a pattern rule delivers no schedule event: SPARTA508, naming the functions that have one', () => {
  const error = codeOf(() => functionSample(service(SHOP), 'onPattern', 'schedule', 'us-east-1'));
  assert.is(error.code, 'SPARTA508');
  assert.match(error.message, 'Shop.onPattern has no source that delivers schedule events (@CloudWatchEvent({ schedule }))');
  assert.is(error.hint, 'functions with one: Shop.daily, Shop.hourly; or drop --function for a generic sample');
});

test('a function without such a source is SPARTA508, saying what its sources deliver', () => {
  const error = codeOf(() => functionSample(service(SHOP), 'hourly', 'sns', 'us-east-1'));
  assert.is(error.code, 'SPARTA508');
  assert.match(error.message, 'its sources deliver schedule');
});

test('a function without any source is SPARTA508 too', () => {
  const error = codeOf(() => functionSample(service(SHOP), 'plain', 'sns', 'us-east-1'));
  assert.is(error.code, 'SPARTA508');
  assert.match(error.message, 'it has no event source');
});

test('a service where no function has such a source: the hint says which decorator to add', () => {
  const svc = service(`
@Service({ name: 'quiet' })
export class Quiet {
  @Lambda()
  run() {}
}
`);
  const error = codeOf(() => functionSample(svc, 'run', 'sns', 'us-east-1'));
  assert.match(error.hint!, 'add @SNS({ topic }) to Quiet.run');
});

test('an unknown function is SPARTA105, as sparta invoke reports it', () => {
  assert.is(codeOf(() => functionSample(service(SHOP), 'missing', 'sns', 'us-east-1')).code, 'SPARTA105');
});

test("a function's sources deliver the samples named after them, once each, none without a source", () => {
  const svc = service(SHOP);
  const types = (id: string) => deliveredSampleTypes(svc, svc.functions.find((fn) => fn.id === id)!);
  assert.equal([types('Shop.onMoney'), types('Shop.daily'), types('Shop.plain')], [['sns'], ['schedule'], []]);
});

test("the context names the source's logical ID in the template, and the function as invoke's context does", () => {
  const svc = service(SHOP);
  const fn = svc.functions.find((candidate) => candidate.id === 'Shop.daily')!;
  const template = marshalTemplate(svc, artifactsFor(svc));
  const [ruleId] = Object.entries(template.Resources).find(([, resource]) => resource.Properties?.ScheduleExpression === 'rate(1 day)')!;
  const [functionId, lambda] = Object.entries(template.Resources).find(([, resource]) => resource.Type === 'AWS::Lambda::Function' && (resource.Properties?.FunctionName as string).endsWith('-daily'))!;
  const context = sampleContext(svc, fn, fn.events[0], 'eu-west-1');
  assert.is(context.id, ruleId);
  assert.ok(ruleId.startsWith(functionId));
  assert.is(context.functionName, lambda.Properties?.FunctionName);
  assert.is(context.functionArn, `arn:aws:lambda:eu-west-1:123456789012:function:${lambda.Properties?.FunctionName}`);
  assert.equal([context.region, context.account], ['eu-west-1', '123456789012']);
});

// The resolver every source's sampleValues gets: the other types of @Resource.
test('resolve: a queue is its URL by Ref and its ARN by GetAtt, as invoke discovers them', () => {
  const svc = service(SHOP);
  const resolve = localResolver(svc, svc.functions[0], 'eu-west-1');
  assert.is(resolve({ Ref: 'Jobs' }), 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-Jobs');
  assert.is(resolve({ 'Fn::GetAtt': ['Jobs', 'Arn'] }), 'arn:aws:sqs:eu-west-1:123456789012:shop-Jobs');
  assert.is(resolve({ 'Fn::Sub': '${Jobs.QueueName}/${AWS::StackName}/${!Literal}' }), 'shop-Jobs/shop/${Literal}');
});

test.run();
