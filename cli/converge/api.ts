// The narrow AWS surface converge depends on: one method per API call it
// makes, nothing else. Reading this file tells you every call sparta can make;
// tests substitute scripted SDK clients (aws-sdk-client-mock) or fakes.
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
  type CreateChangeSetCommandInput,
  type CreateChangeSetCommandOutput,
  type DeleteChangeSetCommandInput,
  type DeleteStackCommandInput,
  type DescribeChangeSetCommandInput,
  type DescribeChangeSetCommandOutput,
  type DescribeStackEventsCommandInput,
  type DescribeStackEventsCommandOutput,
  type DescribeStacksCommandInput,
  type DescribeStacksCommandOutput,
  type ExecuteChangeSetCommandInput,
  type GetTemplateCommandInput,
  type GetTemplateCommandOutput,
  type ListStackResourcesCommandInput,
  type ListStackResourcesCommandOutput,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type CreateBucketCommandInput,
  type GetBucketEncryptionCommandInput,
  type GetBucketEncryptionCommandOutput,
  type GetBucketLifecycleConfigurationCommandInput,
  type GetBucketLifecycleConfigurationCommandOutput,
  type GetBucketPolicyCommandInput,
  type GetBucketPolicyCommandOutput,
  type GetBucketVersioningCommandInput,
  type GetBucketVersioningCommandOutput,
  type GetPublicAccessBlockCommandInput,
  type GetPublicAccessBlockCommandOutput,
  type PutBucketEncryptionCommandInput,
  type PutBucketLifecycleConfigurationCommandInput,
  type PutBucketPolicyCommandInput,
  type PutBucketVersioningCommandInput,
  type PutPublicAccessBlockCommandInput,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type DeleteObjectsCommandInput,
  type DeleteObjectsCommandOutput,
  type GetBucketLocationCommandInput,
  type GetBucketLocationCommandOutput,
  type HeadBucketCommandInput,
  type HeadObjectCommandInput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { GetRoleCommand, IAMClient, type GetRoleCommandInput, type GetRoleCommandOutput } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  type GetFunctionConfigurationCommandOutput,
  type UpdateFunctionCodeCommandInput,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandInput, type FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { translateTransportError } from './aws-errors';

export interface CloudFormationApi {
  describeStacks(input: DescribeStacksCommandInput): Promise<DescribeStacksCommandOutput>;
  getTemplate(input: GetTemplateCommandInput): Promise<GetTemplateCommandOutput>;
  createChangeSet(input: CreateChangeSetCommandInput): Promise<CreateChangeSetCommandOutput>;
  describeChangeSet(input: DescribeChangeSetCommandInput): Promise<DescribeChangeSetCommandOutput>;
  executeChangeSet(input: ExecuteChangeSetCommandInput): Promise<unknown>;
  deleteChangeSet(input: DeleteChangeSetCommandInput): Promise<unknown>;
  describeStackEvents(input: DescribeStackEventsCommandInput): Promise<DescribeStackEventsCommandOutput>;
  listStackResources(input: ListStackResourcesCommandInput): Promise<ListStackResourcesCommandOutput>;
  deleteStack(input: DeleteStackCommandInput): Promise<unknown>;
}

export interface S3Api {
  headBucket(input: HeadBucketCommandInput): Promise<unknown>;
  getBucketLocation(input: GetBucketLocationCommandInput): Promise<GetBucketLocationCommandOutput>;
  headObject(input: HeadObjectCommandInput): Promise<HeadObjectCommandOutput>;
  putObject(input: PutObjectCommandInput): Promise<unknown>;
  listObjectsV2(input: ListObjectsV2CommandInput): Promise<ListObjectsV2CommandOutput>;
  deleteObjects(input: DeleteObjectsCommandInput): Promise<DeleteObjectsCommandOutput>;
  // `sparta bootstrap`: the default bucket and its settings.
  createBucket(input: CreateBucketCommandInput): Promise<unknown>;
  getBucketEncryption(input: GetBucketEncryptionCommandInput): Promise<GetBucketEncryptionCommandOutput>;
  putBucketEncryption(input: PutBucketEncryptionCommandInput): Promise<unknown>;
  getPublicAccessBlock(input: GetPublicAccessBlockCommandInput): Promise<GetPublicAccessBlockCommandOutput>;
  putPublicAccessBlock(input: PutPublicAccessBlockCommandInput): Promise<unknown>;
  getBucketVersioning(input: GetBucketVersioningCommandInput): Promise<GetBucketVersioningCommandOutput>;
  putBucketVersioning(input: PutBucketVersioningCommandInput): Promise<unknown>;
  getBucketLifecycleConfiguration(input: GetBucketLifecycleConfigurationCommandInput): Promise<GetBucketLifecycleConfigurationCommandOutput>;
  putBucketLifecycleConfiguration(input: PutBucketLifecycleConfigurationCommandInput): Promise<unknown>;
  getBucketPolicy(input: GetBucketPolicyCommandInput): Promise<GetBucketPolicyCommandOutput>;
  putBucketPolicy(input: PutBucketPolicyCommandInput): Promise<unknown>;
}

/** `provision --hotswap`: new code or environment straight into a function, no change set. */
export interface LambdaApi {
  getFunctionConfiguration(input: GetFunctionConfigurationCommandInput): Promise<GetFunctionConfigurationCommandOutput>;
  updateFunctionCode(input: UpdateFunctionCodeCommandInput): Promise<unknown>;
  updateFunctionConfiguration(input: UpdateFunctionConfigurationCommandInput): Promise<unknown>;
}

export interface StsApi {
  getCallerIdentity(): Promise<GetCallerIdentityCommandOutput>;
}

export interface IamApi {
  getRole(input: GetRoleCommandInput): Promise<GetRoleCommandOutput>;
}

export interface LogsApi {
  filterLogEvents(input: FilterLogEventsCommandInput): Promise<FilterLogEventsCommandOutput>;
}

export interface AwsApis {
  cloudFormation: CloudFormationApi;
  s3: S3Api;
  iam: IamApi;
  logs: LogsApi;
  sts: StsApi;
  lambda: LambdaApi;
}

/** The SDK clients behind `AwsApis`; tests add middleware to them (e.g. to count commands). */
export interface SdkClients {
  cloudFormation: CloudFormationClient;
  s3: S3Client;
  iam: IAMClient;
  logs: CloudWatchLogsClient;
  sts: STSClient;
  lambda: LambdaClient;
  /** The endpoint the clients were pointed at, if not AWS's own; named in connection errors. */
  endpoint?: string;
}

/** Wraps the SDK clients; transport failures (no connection, unreadable bodies) become SpartaErrors here, once. */
export function createAwsApis(clients: SdkClients): AwsApis {
  // Through a promise even if `call` throws synchronously, so every failure is translated.
  const guard = <T>(service: string, operation: string, call: () => Promise<T>): Promise<T> =>
    Promise.resolve()
      .then(call)
      .catch((error: unknown) => {
        throw translateTransportError(error, { service, operation, endpoint: clients.endpoint });
      });
  const cf = clients.cloudFormation;
  const s3 = clients.s3;
  const iam = clients.iam;
  const logs = clients.logs;
  const sts = clients.sts;
  const lambda = clients.lambda;
  return {
    cloudFormation: {
      describeStacks: (input) => guard('CloudFormation', 'DescribeStacks', () => cf.send(new DescribeStacksCommand(input))),
      getTemplate: (input) => guard('CloudFormation', 'GetTemplate', () => cf.send(new GetTemplateCommand(input))),
      createChangeSet: (input) => guard('CloudFormation', 'CreateChangeSet', () => cf.send(new CreateChangeSetCommand(input))),
      describeChangeSet: (input) => guard('CloudFormation', 'DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand(input))),
      executeChangeSet: (input) => guard('CloudFormation', 'ExecuteChangeSet', () => cf.send(new ExecuteChangeSetCommand(input))),
      deleteChangeSet: (input) => guard('CloudFormation', 'DeleteChangeSet', () => cf.send(new DeleteChangeSetCommand(input))),
      describeStackEvents: (input) => guard('CloudFormation', 'DescribeStackEvents', () => cf.send(new DescribeStackEventsCommand(input))),
      listStackResources: (input) => guard('CloudFormation', 'ListStackResources', () => cf.send(new ListStackResourcesCommand(input))),
      deleteStack: (input) => guard('CloudFormation', 'DeleteStack', () => cf.send(new DeleteStackCommand(input))),
    },
    s3: {
      headBucket: (input) => guard('S3', 'HeadBucket', () => s3.send(new HeadBucketCommand(input))),
      getBucketLocation: (input) => guard('S3', 'GetBucketLocation', () => s3.send(new GetBucketLocationCommand(input))),
      headObject: (input) => guard('S3', 'HeadObject', () => s3.send(new HeadObjectCommand(input))),
      putObject: (input) => guard('S3', 'PutObject', () => s3.send(new PutObjectCommand(input))),
      listObjectsV2: (input) => guard('S3', 'ListObjectsV2', () => s3.send(new ListObjectsV2Command(input))),
      deleteObjects: (input) => guard('S3', 'DeleteObjects', () => s3.send(new DeleteObjectsCommand(input))),
      createBucket: (input) => guard('S3', 'CreateBucket', () => s3.send(new CreateBucketCommand(input))),
      getBucketEncryption: (input) => guard('S3', 'GetBucketEncryption', () => s3.send(new GetBucketEncryptionCommand(input))),
      putBucketEncryption: (input) => guard('S3', 'PutBucketEncryption', () => s3.send(new PutBucketEncryptionCommand(input))),
      getPublicAccessBlock: (input) => guard('S3', 'GetPublicAccessBlock', () => s3.send(new GetPublicAccessBlockCommand(input))),
      putPublicAccessBlock: (input) => guard('S3', 'PutPublicAccessBlock', () => s3.send(new PutPublicAccessBlockCommand(input))),
      getBucketVersioning: (input) => guard('S3', 'GetBucketVersioning', () => s3.send(new GetBucketVersioningCommand(input))),
      putBucketVersioning: (input) => guard('S3', 'PutBucketVersioning', () => s3.send(new PutBucketVersioningCommand(input))),
      getBucketLifecycleConfiguration: (input) => guard('S3', 'GetBucketLifecycleConfiguration', () => s3.send(new GetBucketLifecycleConfigurationCommand(input))),
      putBucketLifecycleConfiguration: (input) => guard('S3', 'PutBucketLifecycleConfiguration', () => s3.send(new PutBucketLifecycleConfigurationCommand(input))),
      getBucketPolicy: (input) => guard('S3', 'GetBucketPolicy', () => s3.send(new GetBucketPolicyCommand(input))),
      putBucketPolicy: (input) => guard('S3', 'PutBucketPolicy', () => s3.send(new PutBucketPolicyCommand(input))),
    },
    iam: {
      getRole: (input) => guard('IAM', 'GetRole', () => iam.send(new GetRoleCommand(input))),
    },
    lambda: {
      getFunctionConfiguration: (input) => guard('Lambda', 'GetFunctionConfiguration', () => lambda.send(new GetFunctionConfigurationCommand(input))),
      updateFunctionCode: (input) => guard('Lambda', 'UpdateFunctionCode', () => lambda.send(new UpdateFunctionCodeCommand(input))),
      updateFunctionConfiguration: (input) => guard('Lambda', 'UpdateFunctionConfiguration', () => lambda.send(new UpdateFunctionConfigurationCommand(input))),
    },
    sts: {
      getCallerIdentity: () => guard('STS', 'GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({}))),
    },
    logs: {
      filterLogEvents: (input) => guard('CloudWatch Logs', 'FilterLogEvents', () => logs.send(new FilterLogEventsCommand(input))),
    },
  };
}
