// The harness check for moto's silent skips (test/helpers/moto-skips.ts), on
// a real moto_server: a stack of an SNS topic (moto creates it) and a
// subscription (moto skips it, the stack still CREATE_COMPLETE).
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { motoAws, withMoto, type MotoContext, type MotoServer } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';

const test = suite<MotoContext>('moto skips, detected');
withMoto(test);

const STACK = 'skips';
const TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Alerts: { Type: 'AWS::SNS::Topic' },
    AlertsByMail: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'email', Endpoint: 'ops@example.com' } },
  },
};

async function provision(moto: MotoServer) {
  const aws = motoAws(moto);
  await aws.sdk.cloudFormation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(TEMPLATE) }));
  return aws;
}

/** SNS's query API, read straight from moto (no SNS client in the project): the names inside `<member>` of the answer. */
async function snsList(moto: MotoServer, action: 'ListTopics' | 'ListSubscriptions'): Promise<string[]> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the signing scope's service; it checks no signature.
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: `Action=${action}&Version=2010-03-31`,
  });
  const text = await response.text();
  assert.is(response.status, 200, text);
  return [...text.matchAll(/<(?:TopicArn|SubscriptionArn)>([^<]*)</g)].map((match) => match[1]);
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  assert.unreachable('should fail');
  return '';
}

test('moto reports the stack complete, creates the topic and silently skips the subscription', async ({ moto }) => {
  const aws = await provision(moto);
  const { Stacks = [] } = await aws.sdk.cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
  assert.is(Stacks[0]?.StackStatus, 'CREATE_COMPLETE');
  const topics = await snsList(moto, 'ListTopics');
  assert.is(topics.length, 1);
  assert.match(topics[0], /^arn:aws:sns:us-east-1:123456789012:skips-Alerts-/);
  assert.equal(await snsList(moto, 'ListSubscriptions'), []);
});

test('the declared skip passes and names the skipped resource', async ({ moto }) => {
  const aws = await provision(moto);
  const skipped = await expectMotoSkipped(aws.apis, STACK, TEMPLATE, ['AWS::SNS::Subscription']);
  assert.equal(skipped, [{ logicalId: 'AlertsByMail', type: 'AWS::SNS::Subscription' }]);
});

test('an SDK client and a template text work as well', async ({ moto }) => {
  const aws = await provision(moto);
  const skipped = await expectMotoSkipped(aws.sdk.cloudFormation, STACK, JSON.stringify(TEMPLATE), ['AWS::SNS::Subscription']);
  assert.equal(skipped.map((resource) => resource.logicalId), ['AlertsByMail']);
});

test('a skipped type not declared fails, naming the resource and its type', async ({ moto }) => {
  const aws = await provision(moto);
  const message = await failure(() => expectMotoSkipped(aws.apis, STACK, TEMPLATE, []));
  assert.match(message, "moto did not create AlertsByMail (AWS::SNS::Subscription), yet the stack is complete: assert it on the template and declare 'AWS::SNS::Subscription' expected-skipped");
});

test('a declared type moto in fact created fails: the test learns moto models it now', async ({ moto }) => {
  const aws = await provision(moto);
  const message = await failure(() => expectMotoSkipped(aws.apis, STACK, TEMPLATE, ['AWS::SNS::Subscription', 'AWS::SNS::Topic']));
  assert.match(message, "'AWS::SNS::Topic' is declared expected-skipped, but moto created Alerts");
  assert.not.match(message, 'AlertsByMail');
});

test('a declared type the template does not hold fails (a stale list)', async ({ moto }) => {
  const aws = await provision(moto);
  const message = await failure(() => expectMotoSkipped(aws.apis, STACK, TEMPLATE, ['AWS::SNS::Subscription', 'AWS::Logs::SubscriptionFilter']));
  assert.match(message, "'AWS::Logs::SubscriptionFilter' is declared expected-skipped, but the template has no resource of that type");
});

test.run();
