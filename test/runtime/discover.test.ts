import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DISCOVERY_ENV } from '../../manifest/environment';
import { discover, DiscoveryError } from '../../runtime/discover';
import { marshalTemplate } from '../../cli/template';
import { functionIds } from '../../cli/template/ids';
import { artifactsFor, helloManifest } from '../template/services';
import { withEnv } from './support';

// What the template stage writes for Hello.onAlert (an Fn::Sub of a JSON
// text with ${...} placeholders), resolved the way CloudFormation would.
const onAlert = helloManifest().functions.find((fn) => fn.id === 'Hello.onAlert')!;
const ON_ALERT_ID = functionIds(onAlert).function;
const template = marshalTemplate(helloManifest(), artifactsFor(helloManifest()));
const TEMPLATE_SUB = (template.Resources[ON_ALERT_ID].Properties as { Environment: { Variables: Record<string, { 'Fn::Sub': string }> } }).Environment.Variables[DISCOVERY_ENV]['Fn::Sub'];
const RESOLVED: Record<string, string> = {
  'AWS::StackName': 'hello-sparta',
  'AWS::StackId': 'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-sparta/5f0c8a70-5f7e-11ef-9a2b-0a1b2c3d4e5f',
  'AWS::Region': 'eu-west-1',
  AlertsTopic: 'arn:aws:sns:eu-west-1:123456789012:hello-sparta-AlertsTopic-Xr3kLm9QpT2v',
  ImagesBucket: 'hello-sparta-imagesbucket-1q2w3e4r5t6y',
  'ImagesBucket.Arn': 'arn:aws:s3:::hello-sparta-imagesbucket-1q2w3e4r5t6y',
};
const resolvedDocument = () =>
  TEMPLATE_SUB.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in RESOLVED)) throw new Error(`the template asks for \${${name}}, which this test does not resolve`);
    return RESOLVED[name];
  });

const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'hello-sparta-Hello-onAlert' };

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    fn();
  } catch (error) {
    assert.instance(error, DiscoveryError);
    return (error as DiscoveryError).code;
  }
  assert.unreachable('discover() should throw');
}

test('returns the resolved document, typed', async () => {
  await withEnv({ ...lambda, [DISCOVERY_ENV]: resolvedDocument() }, () => {
    const document = discover();
    assert.is(document.stackName, 'hello-sparta');
    assert.is(document.region, 'eu-west-1');
    assert.is(document.logicalId, ON_ALERT_ID);
    assert.is(document.resources.AlertsTopic.ref, RESOLVED.AlertsTopic);
    assert.is(document.resources.ImagesBucket.attributes.Arn, RESOLVED['ImagesBucket.Arn']);
    assert.ok(document.stackId.startsWith('arn:aws:cloudformation:eu-west-1:'));
  });
});

test('is parsed once: later calls return the same frozen object', async () => {
  await withEnv({ ...lambda, [DISCOVERY_ENV]: resolvedDocument() }, () => {
    const first = discover();
    assert.is(discover(), first);
    assert.ok(Object.isFrozen(first));
    assert.ok(Object.isFrozen(first.resources.ImagesBucket.attributes));
  });
});

test('outside Lambda, with no document, says so (SPARTA601)', async () => {
  const code = await withEnv({ AWS_LAMBDA_FUNCTION_NAME: undefined, [DISCOVERY_ENV]: undefined }, () => codeOf(discover));
  assert.is(code, 'SPARTA601');
});

test('inside Lambda, a missing variable is its own error (SPARTA602)', async () => {
  const code = await withEnv({ ...lambda, [DISCOVERY_ENV]: undefined }, () => codeOf(discover));
  assert.is(code, 'SPARTA602');
});

test('a value that is not JSON is invalid (SPARTA603)', async () => {
  const code = await withEnv({ ...lambda, [DISCOVERY_ENV]: '{"stackName":' }, () => codeOf(discover));
  assert.is(code, 'SPARTA603');
});

test('JSON that is not a discovery document is invalid (SPARTA603)', async () => {
  const unresolved = JSON.stringify({ stackName: 'x', stackId: 'y', region: 'z', logicalId: 'F', resources: { T: { type: 'AWS::SNS::Topic' } } });
  const code = await withEnv({ ...lambda, [DISCOVERY_ENV]: unresolved }, () => codeOf(discover));
  assert.is(code, 'SPARTA603');
});

test('a document set outside Lambda is still read (tests of user code can set one)', async () => {
  await withEnv({ AWS_LAMBDA_FUNCTION_NAME: undefined, [DISCOVERY_ENV]: resolvedDocument() }, () => {
    assert.is(discover().stackName, 'hello-sparta');
  });
});

test.run();
