// One `sparta provision` of a project through the real CLI against moto, checked the way every
// end-to-end API test needs it: the stack created, moto's silent skips exactly the ones expected,
// and the stack's physical names by logical ID for the tests to read AWS with.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { runCli } from './cli';
import { MOTO_CREDENTIALS, motoAws, type MotoServer } from './moto';
import { expectMotoSkipped, type SkippedResource } from './moto-skips';

export interface ProvisionedProject {
  /** The template as provisioned (`<out>/<service>/template.json`). */
  templateBody: string;
  skipped: SkippedResource[];
  /** Physical resource IDs by logical ID. */
  physical: Record<string, string>;
}

export const MOTO_CLI_ENV = {
  AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  AWS_PROFILE: undefined,
  AWS_REGION: 'us-east-1',
};

export async function provisionOnMoto(
  moto: MotoServer,
  { root, service, bucket, skippedTypes }: { root: string; service: string; bucket: string; skippedTypes: readonly string[] },
): Promise<ProvisionedProject> {
  const aws = motoAws(moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const out = path.join(root, '.sparta');
  const run = await runCli(['provision', '--s3-bucket', bucket, '--project', path.join(root, 'tsconfig.json'), '--out', out, '--endpoint-url', moto.endpoint], MOTO_CLI_ENV);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`stack ${service}: CREATE_COMPLETE`));
  const templateBody = readFileSync(path.join(out, service, 'template.json'), 'utf8');
  const skipped = await expectMotoSkipped(aws.apis, service, templateBody, skippedTypes);
  const resources = await listStackResources(aws.apis.cloudFormation, service);
  const physical = Object.fromEntries(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId])) as Record<string, string>;
  return { templateBody, skipped, physical };
}
