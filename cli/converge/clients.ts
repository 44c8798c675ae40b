// Builds the SDK clients from the command line's AWS options. Credentials and
// region follow the SDK's standard chain (env, profile, SSO, instance role);
// an endpoint (from --endpoint-url or the SDK's own AWS_ENDPOINT_URL) points
// every client at an AWS-compatible server such as moto or LocalStack.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';
import * as path from 'node:path';
import { endpointInvalid, profileNotFound, regionMissing } from '../errors';
import { createAwsApis, type AwsApis, type SdkClients } from './api';

export interface AwsConnectionOptions {
  region?: string;
  profile?: string;
  /** Overrides AWS_ENDPOINT_URL. */
  endpointUrl?: string;
  /** SDK attempts per call (default: the SDK's, 3). */
  maxAttempts?: number;
  /** Per-request limit: a server that accepts and never answers must not hang the command. Default 2 minutes. */
  requestTimeoutMs?: number;
  /** Explicit credentials (tests, moto); otherwise the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** `--endpoint-url`, else the SDK's standard AWS_ENDPOINT_URL; undefined means AWS itself. */
export function resolveEndpoint(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = endpointUrl ?? (env.AWS_ENDPOINT_URL || undefined);
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw endpointInvalid(endpoint, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw endpointInvalid(endpoint, 'not http or https');
  }
  return endpoint.replace(/\/+$/, '');
}

export function createSdkClients(options: AwsConnectionOptions = {}): SdkClients {
  const endpoint = resolveEndpoint(options.endpointUrl);
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: { connectionTimeout: 10_000, requestTimeout: options.requestTimeoutMs ?? 120_000, throwOnRequestTimeout: true },
  };
  return {
    cloudFormation: new CloudFormationClient(config),
    // Virtual-host addressing needs DNS for <bucket>.<host>: impossible on 127.0.0.1.
    s3: new S3Client({ ...config, ...(endpoint ? { forcePathStyle: true } : {}) }),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    sts: new STSClient(config),
    lambda: new LambdaClient(config),
    endpoint,
  };
}

export function createAws(options: AwsConnectionOptions = {}): { sdk: SdkClients; apis: AwsApis } {
  const sdk = createSdkClients(options);
  return { sdk, apis: createAwsApis(sdk) };
}

/** Config-file sections that are not profiles (`[sso-session name]`, `[services name]`), as the SDK's loader keys them. */
const NOT_PROFILE = /^(?:sso-session|services)\./;

/**
 * A named profile (`--profile`, else AWS_PROFILE) must be in the shared config or credentials
 * file; otherwise the SDK fails later with a message that never names it. Read with the SDK's own loader.
 */
export async function checkProfile(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const fromEnv = profile === undefined;
  const name = profile ?? (env.AWS_PROFILE || undefined);
  if (name === undefined) return;
  const configFile = env.AWS_CONFIG_FILE || path.join(getHomeDir(), '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(getHomeDir(), '.aws', 'credentials');
  const files = await loadSharedConfigFiles({ configFilepath: configFile, filepath: credentialsFile, ignoreCache: true });
  const found = [...new Set([...Object.keys(files.configFile).filter((key) => !NOT_PROFILE.test(key)), ...Object.keys(files.credentialsFile)])].sort();
  if (found.includes(name)) return;
  const source = fromEnv ? `AWS_PROFILE=${name}` : `--profile ${name}`;
  throw profileNotFound(source, name, [configFile, credentialsFile], found);
}

/** The region the clients resolved (flag, env or profile), for URLs and messages. */
export async function resolvedRegion(sdk: SdkClients): Promise<string> {
  try {
    return await sdk.cloudFormation.config.region();
  } catch {
    throw regionMissing();
  }
}
