// @SQS, @DynamoDBStream and @Kinesis end to end: `sparta provision` of one
// service with a queue, a table with a stream and a Kinesis stream declared
// as @Resources (the real analysis, build, template and converge) against a
// real moto_server, then each mapping read back through the Lambda API and
// each function's policy through IAM. moto 5.2.1's CloudFormation creates
// event source mappings with their settings (/work/shared/REFERENCE.md).
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient, ListEventSourceMappingsCommand, type EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { functionIds } from '../../cli/template/ids';
import { runCli } from '../helpers/cli';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';
import { writeProject } from '../helpers/handmade';

const test = suite<MotoContext>('pollers provisioned end to end on moto');
withMoto(test);

const BUCKET = 'shop-artifacts';
const SERVICE = 'shop-pollers';
const source = (sqsBatch: number) => `import { Service, Resource, Lambda, SQS, DynamoDBStream, Kinesis, Ref } from 'sparta';

@Service({ name: '${SERVICE}' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } })
@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
} })
@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })
export class Worker {
  @Lambda({ timeout: 30 })
  @SQS({ queue: Ref('Jobs'), batchSize: ${sqsBatch}, maximumBatchingWindow: 5, reportBatchItemFailures: true, maxConcurrency: 5, filterCriteria: [{ body: { kind: ['resize'] } }] })
  resize() {
    return { batchItemFailures: [] };
  }

  @Lambda()
  @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST', batchSize: 100, retryAttempts: 2, bisectBatchOnFunctionError: true, reportBatchItemFailures: true })
  sync() {
    return { batchItemFailures: [] };
  }

  @Lambda()
  @Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON', batchSize: 100, parallelizationFactor: 2 })
  track() {}
}
`;

const root = writeProject({ 'src/worker.ts': source(10) });
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };
const ids = (methodName: string) => functionIds({ service: SERVICE, className: 'Worker', methodName });

interface Deployed {
  physical: Record<string, string>;
  mappings: EventSourceMappingConfiguration[];
  lambda: LambdaClient;
}

async function provision(context: MotoContext, sqsBatch = 10): Promise<Deployed> {
  const aws = motoAws(context.moto);
  writeFileSync(path.join(root, 'src', 'worker.ts'), source(sqsBatch));
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`stack ${SERVICE}: (CREATE|UPDATE)_COMPLETE`));
  await expectMotoSkipped(aws.apis, SERVICE, readFileSync(path.join(root, '.sparta', SERVICE, 'template.json'), 'utf8'), []);
  const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, SERVICE)).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const mappings = (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? [];
  return { physical: physical as Record<string, string>, mappings, lambda };
}

/** The one mapping of `methodName`'s function. */
async function mappingOf(deployed: Deployed, methodName: string): Promise<EventSourceMappingConfiguration> {
  const fn = await deployed.lambda.send(new GetFunctionCommand({ FunctionName: deployed.physical[ids(methodName).function] }));
  const found = deployed.mappings.filter((mapping) => mapping.FunctionArn === fn.Configuration?.FunctionArn);
  assert.is(found.length, 1, `one mapping for ${methodName}: ${JSON.stringify(deployed.mappings)}`);
  return found[0];
}

async function policyOf(context: MotoContext, physical: Record<string, string>, methodName: string): Promise<{ Action: string[]; Resource: string }[]> {
  const iam = motoAws(context.moto).sdk.iam;
  const role = physical[ids(methodName).role];
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
  assert.is(PolicyNames.length, 1, "one inline policy: the function's own");
  const policy = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: PolicyNames[0] }));
  return JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '{}')).Statement;
}

test('the @SQS mapping reads the queue with its batch size, window, ReportBatchItemFailures, concurrency and filter; the policy grants the four queue actions on it', async (context) => {
  const deployed = await provision(context);
  const mapping = await mappingOf(deployed, 'resize');
  const queueArn = `arn:aws:sqs:us-east-1:123456789012:${deployed.physical.Jobs.split('/').pop()}`;
  assert.is(mapping.EventSourceArn, queueArn);
  assert.is(mapping.BatchSize, 10);
  assert.is(mapping.MaximumBatchingWindowInSeconds, 5);
  assert.equal(mapping.FunctionResponseTypes, ['ReportBatchItemFailures']);
  assert.equal(mapping.ScalingConfig, { MaximumConcurrency: 5 });
  assert.equal(mapping.FilterCriteria, { Filters: [{ Pattern: '{"body":{"kind":["resize"]}}' }] });
  const statements = await policyOf(context, deployed.physical, 'resize');
  assert.equal(statements[0], { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], Resource: queueArn });
});

test('the @DynamoDBStream mapping reads the table\'s stream from LATEST with its batch size, retries, bisect and ReportBatchItemFailures; the policy grants the stream reads', async (context) => {
  const deployed = await provision(context);
  const mapping = await mappingOf(deployed, 'sync');
  assert.match(mapping.EventSourceArn ?? '', new RegExp(`^arn:aws:dynamodb:us-east-1:123456789012:table/${deployed.physical.Orders}/stream/`));
  assert.is(mapping.StartingPosition, 'LATEST');
  assert.is(mapping.BatchSize, 100);
  assert.is(mapping.MaximumRetryAttempts, 2);
  assert.is(mapping.BisectBatchOnFunctionError, true);
  assert.equal(mapping.FunctionResponseTypes, ['ReportBatchItemFailures']);
  const statements = await policyOf(context, deployed.physical, 'sync');
  assert.equal(statements.slice(0, 2), [
    { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: mapping.EventSourceArn },
    { Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' },
  ]);
});

test('the @Kinesis mapping reads the stream from TRIM_HORIZON with its batch size and parallelization; the policy grants the six stream reads on it', async (context) => {
  const deployed = await provision(context);
  const mapping = await mappingOf(deployed, 'track');
  const streamArn = `arn:aws:kinesis:us-east-1:123456789012:stream/${deployed.physical.Clicks}`;
  assert.is(mapping.EventSourceArn, streamArn);
  assert.is(mapping.StartingPosition, 'TRIM_HORIZON');
  assert.is(mapping.BatchSize, 100);
  assert.is(mapping.ParallelizationFactor, 2);
  const statements = await policyOf(context, deployed.physical, 'track');
  assert.equal(statements[0], {
    Effect: 'Allow',
    Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'],
    Resource: streamArn,
  });
});

test('a new batch size updates the @SQS mapping in place: the same mapping (UUID) reads the queue with the new size', async (context) => {
  const before = await mappingOf(await provision(context), 'resize');
  const after = await mappingOf(await provision(context, 5), 'resize');
  assert.is(after.UUID, before.UUID);
  assert.is(after.BatchSize, 5);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
