// A scripted CloudFormation for the branches moto never reaches (rollbacks,
// *_FAILED states, resource-level events). Built on aws-sdk-client-mock over
// real SDK clients, so the code under test runs through createAwsApis as in
// production.
//
// The script: the stack starts in `initial` (or missing). Each operation
// started (ExecuteChangeSet or DeleteStack) plays the next list of steps: every
// DescribeStacks advances one step, appending the step's events to the stack's
// event history and reporting its status; the last step repeats. DescribeStackEvents
// returns the history newest first, `pageSize` events a page. An event whose
// ClientRequestToken is OWN_TOKEN gets the token the operation was started
// with, as CloudFormation stamps each operation's events.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { STSClient } from '@aws-sdk/client-sts';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type Change,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { GetBucketLocationCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { identityTags, type ProjectIdentity } from '../../cli/converge/identity';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsApis, type AwsApis } from '../../cli/converge/api';
import type { DeploymentPlan } from '../../cli/converge/plan';

// The SDK warns about Node 20 on every first client; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const STACK = 'scripted-svc';
export const STACK_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/0000`;
export const BUCKET = 'scripted-bucket';

export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status } });
}

export const stackMissing = () => awsError('ValidationError', `Stack with id ${STACK} does not exist`);

/** Stands for the token the operation under test passes; replaced when the operation starts. */
export const OWN_TOKEN = '<own-token>';

let eventCounter = 0;
export function event(logicalId: string, status: string, reason?: string, resourceType = 'AWS::Lambda::Function', token?: string): StackEvent {
  eventCounter += 1;
  return {
    EventId: `event-${eventCounter}`,
    StackId: STACK_ID,
    StackName: STACK,
    LogicalResourceId: logicalId,
    ResourceType: logicalId === STACK ? 'AWS::CloudFormation::Stack' : resourceType,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    Timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, eventCounter)),
    ...(token ? { ClientRequestToken: token } : {}),
  };
}

export interface Step {
  status: string;
  events?: StackEvent[];
  reason?: string;
}

export interface Script {
  /** Status before the operation; `undefined` = no such stack. */
  initial?: string;
  steps: Step[];
  /** Steps of the operations after the first (e.g. delete, then create). */
  later?: Step[][];
  /** Events that happened before this run (the poller must not print them). */
  history?: StackEvent[];
  changes?: Change[];
  /** DescribeChangeSet answer; default CREATE_COMPLETE. */
  changeSetStatus?: { Status: string; StatusReason?: string };
  deployedTemplate?: string;
  pageSize?: number;
}

export function scriptedAws(script: Script) {
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
  const cfClient = new CloudFormationClient(config);
  const s3Client = new S3Client(config);
  const iamClient = new IAMClient(config);
  const cf = mockClient(cfClient);
  const s3 = mockClient(s3Client);
  const iam = mockClient(iamClient);

  const history: StackEvent[] = [...(script.history ?? [])]; // newest first
  const operations = [script.steps, ...(script.later ?? [])];
  let operation = -1;
  let step = -1;
  let token: string | undefined;
  const start = (input: { ClientRequestToken?: string }) => {
    token = input.ClientRequestToken;
    operation = Math.min(operation + 1, operations.length - 1);
    step = -1;
    return {};
  };
  const stackOf = (status: string, reason?: string) => ({
    StackName: STACK,
    StackId: STACK_ID,
    StackStatus: status as never,
    StackStatusReason: reason,
    CreationTime: new Date(Date.UTC(2026, 0, 1)),
    Parameters: [{ ParameterKey: 'ArtifactBucket', ParameterValue: BUCKET }],
    Tags: SCRIPTED_TAGS,
  });

  cf.on(DescribeStacksCommand).callsFake(async () => {
    const steps = operations[operation];
    if (operation < 0 || steps.length === 0) {
      if (script.initial === undefined) throw stackMissing();
      return { Stacks: [stackOf(script.initial)] };
    }
    if (step < steps.length - 1) {
      step += 1;
      const stamped = (steps[step].events ?? []).map((e) => (e.ClientRequestToken === OWN_TOKEN ? { ...e, ClientRequestToken: token } : e));
      history.unshift(...stamped.reverse());
    }
    const current = steps[Math.max(step, 0)];
    return { Stacks: [stackOf(current.status, current.reason)] };
  });
  cf.on(DescribeStackEventsCommand).callsFake(async (input: { NextToken?: string }) => {
    const size = script.pageSize ?? 100;
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const page = history.slice(from, from + size);
    return { StackEvents: page, NextToken: from + size < history.length ? String(from + size) : undefined };
  });
  cf.on(GetTemplateCommand).resolves({ TemplateBody: script.deployedTemplate ?? '{"Resources":{}}' });
  cf.on(CreateChangeSetCommand).resolves({ Id: 'arn:changeSet/cs-1', StackId: STACK_ID });
  cf.on(DescribeChangeSetCommand).resolves({
    Status: (script.changeSetStatus?.Status ?? 'CREATE_COMPLETE') as never,
    StatusReason: script.changeSetStatus?.StatusReason,
    ExecutionStatus: 'AVAILABLE',
    CreationTime: new Date(),
    Changes: script.changes ?? [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'Fn', ResourceType: 'AWS::Lambda::Function', Replacement: 'False' } }],
  });
  cf.on(ExecuteChangeSetCommand).callsFake(async (input) => start(input));
  cf.on(DeleteStackCommand).callsFake(async (input) => start(input));
  cf.on(DeleteChangeSetCommand).resolves({});
  cf.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [{ LogicalResourceId: 'Fn', ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: `${STACK}-Fn-1`, ResourceStatus: 'UPDATE_COMPLETE', LastUpdatedTimestamp: new Date() }],
  });
  s3.on(HeadBucketCommand).resolves({});
  s3.on(GetBucketLocationCommand).resolves({});
  // The scripted archive is already there, with the plan's checksum.
  s3.on(HeadObjectCommand).resolves({ ChecksumSHA256: Buffer.from(SCRIPTED_SHA256, 'hex').toString('base64') });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(PutObjectCommand).resolves({});

  const apis: AwsApis = createAwsApis({ cloudFormation: cfClient, s3: s3Client, iam: iamClient, logs: new CloudWatchLogsClient({ region: 'us-east-1' }), sts: new STSClient({ region: 'us-east-1' }), lambda: new LambdaClient({ region: 'us-east-1' }) });
  return { cf, s3, iam, apis };
}

/** The scripted stack carries this identity, so it is the plan's own. */
export const SCRIPTED_IDENTITY: ProjectIdentity = { project: 'scripted', tsconfig: 'tsconfig.json' };
export const SCRIPTED_TAGS = Object.entries(identityTags(SCRIPTED_IDENTITY)).map(([Key, Value]) => ({ Key, Value }));
const SCRIPTED_SHA256 = '0123456789abcdef'.repeat(4);

export function scriptedPlan(overrides: Partial<DeploymentPlan> = {}): DeploymentPlan {
  return {
    stackName: STACK,
    bucket: BUCKET,
    artifacts: [{ key: `${STACK}/Fn-0123456789abcdef.zip`, file: '/nonexistent/Fn.zip', sha256: SCRIPTED_SHA256 }],
    templateBody: '{"Resources":{"Fn":{"Type":"AWS::Lambda::Function"}}}',
    parameters: { ArtifactBucket: BUCKET },
    roleArns: [],
    noop: false,
    replaceFailed: false,
    force: false,
    identity: SCRIPTED_IDENTITY,
    tags: identityTags(SCRIPTED_IDENTITY),
    ...overrides,
  };
}
