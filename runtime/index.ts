// What `import ... from 'sparta'` gives a user, and what ships in every Lambda.
// Never import from cli/ or transformer/ here.
export { Service, Resource, Lambda, Privilege, CloudWatchEvent, SNS, SES, S3, CloudWatchLogs, SQS, DynamoDBStream, Kinesis, WebSocket, DependsOn, Api, Http, METADATA } from './decorators';
export { sendToConnection, ConnectionGoneError } from './websocket';
export { HttpError, createHttpHandler } from './http';
export type { HttpErrorOptions } from './http';
export { Ref, GetAtt, Sub } from './intrinsics';
export { getOwnMetadata } from './metadata';
export { assetPath } from './assets';
export type {
  ApiOptions,
  ApiType,
  CorsOptions,
  HttpAuth,
  HttpMethod,
  HttpOptions,
  Architecture,
  CloudWatchEventOptions,
  DynamoDBStreamOptions,
  FilterPattern,
  KinesisOptions,
  Expression,
  Intrinsic,
  LambdaOptions,
  LogLevel,
  ModuleFormat,
  PrivilegeOptions,
  ResourceDeclaration,
  Runtime,
  ServiceOptions,
  SESOptions,
  SNSOptions,
  S3Options,
  CloudWatchLogsOptions,
  SQSOptions,
  StaticValue,
} from '../manifest/types';
export type { DiscoveryDocument, DiscoveredResource } from '../manifest/discovery';
export { createHandler } from './handler';
export type { LambdaHandler } from './handler';
export { logger } from './logger';
export type { Logger, LogFields } from './logger';
export { processBatch } from './batch';
export type { BatchItemFailure, BatchResponse, ProcessBatchOptions } from './batch';
export { discover, DiscoveryError } from './discover';
export type { DiscoveryErrorCode } from './discover';
