import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { localDiscoveryDocument } from '../../cli/invoke/discovery';
import { functionName } from '../../cli/template/ids';
import { selectFunction } from '../../cli/invoke/select';
import { helloManifest } from '../template/services';

const service = () => helloManifest();
const fn = (id: string) => service().functions.find((candidate) => candidate.id === id)!;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  assert.unreachable('should throw');
}

test('a function is found by id, method name or deployed name', () => {
  assert.is(selectFunction(service(), 'Hello.tick').id, 'Hello.tick');
  assert.is(selectFunction(service(), 'onAlert').id, 'Hello.onAlert');
  assert.is(selectFunction(service(), 'hello-sparta-Hello-hello').id, 'Hello.hello');
});

test('a method name shared by two classes is ambiguous (SPARTA504)', () => {
  const svc = service();
  svc.functions.push({ ...fn('Hello.tick'), id: 'Other.tick', className: 'Other', exportName: 'Other' });
  assert.is(codeOf(() => selectFunction(svc, 'tick')), 'SPARTA504');
  assert.is(selectFunction(svc, 'Other.tick').className, 'Other');
});

test('an unknown function is SPARTA105', () => {
  assert.is(codeOf(() => selectFunction(service(), 'missing')), 'SPARTA105');
});

test('a deployed name too long for Lambda is cut and hashed to 64 characters', () => {
  const name = functionName('a-service-with-a-rather-long-name', 'AnEvenLongerClassNameForTesting', 'method');
  assert.is(name.length, 64);
  assert.match(name, /-[0-9a-f]{8}$/);
});

test("the local discovery document holds the function's dependencies with realistic placeholders", () => {
  const tick = localDiscoveryDocument(service(), fn('Hello.tick'), 'eu-west-1');
  assert.equal(Object.keys(tick.resources), ['AlertsTopic']);
  assert.equal(tick.resources.AlertsTopic, {
    type: 'AWS::SNS::Topic',
    ref: 'arn:aws:sns:eu-west-1:123456789012:hello-sparta-AlertsTopic',
    attributes: {},
  });
  assert.is(tick.region, 'eu-west-1');
  assert.match(tick.logicalId, /^HelloTick[0-9a-f]{8}$/);
});

test('attributes named through GetAtt and Sub appear, with the resource', () => {
  const onAlert = localDiscoveryDocument(service(), fn('Hello.onAlert'), 'us-east-1');
  assert.equal(Object.keys(onAlert.resources), ['AlertsTopic', 'ImagesBucket']);
  assert.equal(onAlert.resources.ImagesBucket.attributes, { Arn: 'arn:aws:s3:::hello-sparta-imagesbucket' });
});

test.run();
