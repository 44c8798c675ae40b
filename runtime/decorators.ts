import type {
  ApiOptions,
  CloudWatchEventOptions,
  HttpOptions,
  DynamoDBStreamOptions,
  KinesisOptions,
  LambdaOptions,
  PrivilegeOptions,
  ResourceDeclaration,
  ServiceOptions,
  SESOptions,
  SNSOptions,
  S3Options,
  CloudWatchLogsOptions,
  SQSOptions,
} from '../manifest/types';
import { defineMetadata, getOwnMetadata } from './metadata';

// The decorators do no validation and build no infrastructure: the
// transformer reads them statically at compile time. At run time they only
// record their options (runtime/metadata.ts), so code and tests can see the
// same view: `getOwnMetadata(METADATA.lambda, Class.prototype, 'method')`.

export const METADATA = {
  service: 'sparta:service',
  resources: 'sparta:resources',
  lambda: 'sparta:lambda',
  privileges: 'sparta:privileges',
  events: 'sparta:events',
  dependsOn: 'sparta:dependsOn',
  api: 'sparta:api',
} as const;

/** Decorators run bottom-up; prepending keeps the lists in source order. */
function prepend(key: string, value: unknown, target: object, property?: string | symbol): void {
  const list = getOwnMetadata<unknown[]>(key, target, property) ?? [];
  defineMetadata(key, [value, ...list], target, property);
}

/** Marks a class as part of a service: its `@Lambda` methods deploy with the stack `options.name`. */
export function Service(options: ServiceOptions): ClassDecorator {
  return (target) => {
    defineMetadata(METADATA.service, options, target);
  };
}

/** Declares an extra CloudFormation resource in the service's stack. Repeatable. */
export function Resource(logicalId: string, declaration: ResourceDeclaration): ClassDecorator {
  return (target) => prepend(METADATA.resources, { logicalId, declaration }, target);
}

/** Makes an instance method its own Lambda function. */
export function Lambda(options: LambdaOptions = {}): MethodDecorator {
  return (target, property) => {
    defineMetadata(METADATA.lambda, options, target, property);
  };
}

/** Grants the function an IAM statement. Repeatable. */
export function Privilege(privilege: PrivilegeOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.privileges, privilege, target, property);
}

/** Invokes the function on a schedule (`rate(...)`, `cron(...)`) or an event pattern. Repeatable. */
export function CloudWatchEvent(options: CloudWatchEventOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'cloudwatch', ...options }, target, property);
}

/** Subscribes the function to an SNS topic. Repeatable. */
export function SNS(options: SNSOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'sns', ...options }, target, property);
}

/** Invokes the function for mail SES receives, through a receipt rule in a rule set (storing it in S3 first with `bucket`). Repeatable. */
export function SES(options: SESOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'ses', ...options }, target, property);
}

/** Invokes the function on a bucket's events (the bucket is a `@Resource` of the stack). Repeatable. */
export function S3(options: S3Options): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 's3', ...options }, target, property);
}

/** Sends a log group's matching events to the function (a subscription filter). Repeatable. */
export function CloudWatchLogs(options: CloudWatchLogsOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'logs', ...options }, target, property);
}

/** Lambda polls an SQS queue and invokes the function with batches of messages. Repeatable. */
export function SQS(options: SQSOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'sqs', ...options }, target, property);
}

/** Lambda reads a DynamoDB table's stream and invokes the function with batches of changes. Repeatable. */
export function DynamoDBStream(options: DynamoDBStreamOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'dynamodb', ...options }, target, property);
}

/** Lambda reads a Kinesis data stream and invokes the function with batches of records. Repeatable. */
export function Kinesis(options: KinesisOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'kinesis', ...options }, target, property);
}

/** The API the service's `@Http` routes share: an HTTP API (the default) or a REST API, its stage and CORS. On one class of the service. */
export function Api(options: ApiOptions = {}): ClassDecorator {
  return (target) => {
    defineMetadata(METADATA.api, options, target);
  };
}

/** A route of the service's API, `'METHOD /path'` (`'GET /orders/{id}'`), that invokes the function. Repeatable. */
export function Http(route: string, options?: HttpOptions): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'http', route, ...options }, target, property);
}

/** Orders the function after resources declared with `@Resource`. */
export function DependsOn(...logicalIds: string[]): MethodDecorator {
  return (target, property) => {
    const existing = getOwnMetadata<string[]>(METADATA.dependsOn, target, property) ?? [];
    defineMetadata(METADATA.dependsOn, [...logicalIds, ...existing], target, property);
  };
}

/** Calls the function for a route of the service's WebSocket API: `$connect`, `$disconnect`, `$default` or a route name (the message's `action`). Repeatable. */
export function WebSocket(routeKey: string): MethodDecorator {
  return (target, property) => prepend(METADATA.events, { kind: 'websocket', route: routeKey }, target, property);
}
