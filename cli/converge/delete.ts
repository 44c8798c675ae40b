// Deletes a service's stack. The artifact bucket and its objects stay unless
// purging is asked for, and then only keys under the service's own prefix go.
import { artifactBucketUnknown } from '../errors';
import type { AwsApis } from './api';
import { ensureBucket, purgeArtifacts } from './artifacts';
import type { ConvergeIo } from './messages';
import { runStackOperation, waitForStackToSettle, type WatchOptions } from './operation';
import { servicePrefix } from './plan';
import type { DeleteResult } from './result';
import { lookupStack, StackStatus } from './stack';
import { followHint } from './terminal';

export interface DeleteRequest {
  stackName: string;
  /** Also delete `s3://<bucket>/<stackName>/*`. */
  purgeArtifacts: boolean;
  /** Defaults to the stack's `ArtifactBucket` parameter. */
  bucket?: string;
}

export interface DeleteDeps {
  aws: AwsApis;
  io: ConvergeIo;
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

export async function deleteService(request: DeleteRequest, deps: DeleteDeps): Promise<DeleteResult> {
  const { cloudFormation: cf, s3 } = deps.aws;
  const now = deps.now ?? Date.now;
  const watch: WatchOptions = { io: deps.io, intervalMs: deps.pollIntervalMs, deadline: now() + deps.timeoutMs, signal: deps.signal, now };

  let stack = await lookupStack(cf, request.stackName);
  const bucket = request.bucket ?? stack?.parameters.ArtifactBucket;
  if (request.purgeArtifacts) {
    if (!bucket) throw artifactBucketUnknown(request.stackName);
    // Fail before deleting anything if the purge could not happen.
    await ensureBucket(s3, bucket);
  }

  if (stack && StackStatus.isInProgress(stack.status)) {
    deps.io.emit({ type: 'waiting-for-stack', stackName: stack.stackName, status: stack.status });
    stack = await waitForStackToSettle(cf, stack, { ...watch, what: `the running ${stack.status} of stack ${stack.stackName}`, hint: followHint(stack.stackName) });
  }

  let result: DeleteResult;
  if (!stack || StackStatus.isDeleted(stack.status)) {
    result = { type: 'missing', stackName: request.stackName };
  } else {
    deps.io.emit({ type: 'deleting', stackName: stack.stackName });
    const target = stack;
    await runStackOperation(cf, target, 'delete', () => cf.deleteStack({ StackName: target.stackId }), watch);
    result = { type: 'deleted', stackName: stack.stackName, stackId: stack.stackId };
  }

  if (request.purgeArtifacts && bucket) {
    const count = await purgeArtifacts(s3, bucket, request.stackName);
    deps.io.emit({ type: 'artifacts-purged', bucket, prefix: servicePrefix(request.stackName), count });
    result.purged = count;
  }
  return result;
}
