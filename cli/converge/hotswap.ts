import { diffTemplates } from '../diff/compare';
import { hotswapFailed } from '../errors';
import type { Template } from '../template/types';
import type { AwsApis, LambdaApi } from './api';
import { uploadArtifacts, type UploadSummary } from './artifacts';
import { awsError } from './aws-errors';
import type { ConvergeIo } from './messages';
import type { DeploymentPlan } from './plan';
import type { DeployedStack } from './stack';
import { StackStatus } from './stack';
import { throwIfAborted, waitFor } from './wait';

// `provision --hotswap`: when the only difference from the deployed stack is
// functions' code (their S3Key) and plain environment values, put them into
// the functions with Lambda's own API (as Sparta's --inplace and CDK's
// --hotswap do): seconds instead of a change set. The stack's template still
// names the old code, so the stack has drifted until the next full provision.

export interface HotswapFunction {
  logicalId: string;
  /** The physical function name (the template's FunctionName). */
  name: string;
  s3Key?: string;
  environment?: { set: Record<string, string>; removed: string[] };
}

export type HotswapDecision = { kind: 'hotswap'; functions: HotswapFunction[] } | { kind: 'full'; reason: string };

const ENVIRONMENT = 'Properties.Environment.Variables.';

function full(reason: string): HotswapDecision {
  return { kind: 'full', reason };
}

/** Whether the change from `deployed` to `next` is code and plain environment only, and what to put where. Pure. */
export function hotswapDecision(stack: DeployedStack | undefined, deployed: Template | undefined, plan: Pick<DeploymentPlan, 'parameters' | 'tags'>, next: Template): HotswapDecision {
  if (!stack || !deployed) return full('the stack does not exist yet');
  if (!StackStatus.isDeploySuccess(stack.status)) return full(`the stack is ${stack.status}`);
  const changedParameter = Object.keys(plan.parameters).find((key) => stack.parameters[key] !== plan.parameters[key]);
  if (changedParameter) return full(`the ${changedParameter} parameter changes`);
  const tagKeys = new Set([...Object.keys(stack.tags), ...Object.keys(plan.tags)]);
  if ([...tagKeys].some((key) => stack.tags[key] !== plan.tags[key])) return full("the stack's tags change");
  const diff = diffTemplates(deployed, next);
  if (diff.outputs.length > 0) return full(`output ${diff.outputs[0].name} changes`);
  if (diff.resources.length === 0) return full('the template does not change');
  const functions: HotswapFunction[] = [];
  for (const change of diff.resources) {
    if (change.change !== 'modify') return full(`${change.type} ${change.logicalId} is ${change.change === 'add' ? 'added' : 'removed'}`);
    if (change.type !== 'AWS::Lambda::Function') return full(`${change.type} ${change.logicalId} changes`);
    const name = next.Resources[change.logicalId].Properties?.FunctionName;
    if (typeof name !== 'string') return full(`${change.logicalId} has no FunctionName`);
    const fn: HotswapFunction = { logicalId: change.logicalId, name };
    for (const property of change.properties) {
      if (property.path === 'Properties.Code.S3Key' && typeof property.after === 'string') fn.s3Key = property.after;
      else if (property.path.startsWith(ENVIRONMENT) && (property.after === undefined || typeof property.after === 'string')) {
        fn.environment ??= { set: {}, removed: [] };
        const key = property.path.slice(ENVIRONMENT.length);
        if (property.after === undefined) fn.environment.removed.push(key);
        else fn.environment.set[key] = property.after;
      } else if (property.path.startsWith(ENVIRONMENT)) {
        return full(`${change.logicalId}'s ${property.path.slice(ENVIRONMENT.length)} is computed by CloudFormation`);
      } else return full(`${change.logicalId} changes ${property.path}`);
    }
    functions.push(fn);
  }
  return { kind: 'hotswap', functions };
}

/** Lambda refuses a second update while one is in progress: wait for each to settle. */
function waitForUpdate(lambda: LambdaApi, name: string, options: HotswapOptions): Promise<void> {
  const hint = 'run provision again: it swaps what is left';
  return waitFor(
    async () => {
      const configuration = await lambda.getFunctionConfiguration({ FunctionName: name }).catch((error: unknown) => {
        throw awsError(error, `reading the state of function ${name}`);
      });
      if (configuration.LastUpdateStatus === 'Failed') throw hotswapFailed(name, configuration.LastUpdateStatusReason ?? 'no reason given');
      return configuration.LastUpdateStatus === 'InProgress' ? undefined : true;
    },
    { ...options, what: `function ${name} to finish its update`, hint },
  ).then(() => undefined);
}

export interface HotswapOptions {
  io: ConvergeIo;
  intervalMs: number;
  deadline: number;
  now: () => number;
  signal?: AbortSignal;
}

/** Uploads the new archives and puts code and environment into each function, in turn. */
export async function runHotswap(aws: AwsApis, plan: DeploymentPlan, functions: HotswapFunction[], options: HotswapOptions): Promise<UploadSummary> {
  const { io } = options;
  const keys = new Set(functions.map((fn) => fn.s3Key).filter((key): key is string => key !== undefined));
  const uploads = await uploadArtifacts(aws.s3, plan.bucket, plan.artifacts.filter((artifact) => keys.has(artifact.key)), { io, signal: options.signal });
  for (const fn of functions) {
    throwIfAborted(options.signal, `hotswapping ${fn.name}`, 'run provision again: it swaps what is left');
    if (fn.s3Key !== undefined) {
      await aws.lambda.updateFunctionCode({ FunctionName: fn.name, S3Bucket: plan.bucket, S3Key: fn.s3Key }).catch((error: unknown) => {
        throw awsError(error, `updating the code of function ${fn.name}`);
      });
      await waitForUpdate(aws.lambda, fn.name, options);
    }
    if (fn.environment) {
      const current = await aws.lambda.getFunctionConfiguration({ FunctionName: fn.name }).catch((error: unknown) => {
        throw awsError(error, `reading the environment of function ${fn.name}`);
      });
      // The whole map is replaced: start from what is deployed (the discovery document resolved by CloudFormation among it).
      const variables: Record<string, string> = { ...(current.Environment?.Variables ?? {}), ...fn.environment.set };
      for (const key of fn.environment.removed) delete variables[key];
      await aws.lambda.updateFunctionConfiguration({ FunctionName: fn.name, Environment: { Variables: variables } }).catch((error: unknown) => {
        throw awsError(error, `updating the environment of function ${fn.name}`);
      });
      await waitForUpdate(aws.lambda, fn.name, options);
    }
    io.emit({ type: 'function-hotswapped', logicalId: fn.logicalId, name: fn.name, code: fn.s3Key !== undefined, environment: Object.keys(fn.environment?.set ?? {}).concat(fn.environment?.removed ?? []).sort() });
  }
  return uploads;
}
