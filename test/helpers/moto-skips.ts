// moto's CloudFormation silently skips the resource types it does not model:
// the stack says CREATE_COMPLETE, nothing exists, and ListStackResources
// returns an entry with an empty logical ID, type and physical ID (moto's log:
// "No Moto CloudFormation support for X"). A test that provisions on moto
// calls expectMotoSkipped after the provision: it names the template's
// resources moto did not create and fails unless the test declared exactly
// their types as expected-skipped, so no test takes moto's silence for
// success, and a test learns when moto starts modelling a type (the declared
// type then fails as created). What moto skips is asserted on the template
// instead (cfn-lint clean).
//
// Resource level only: a resource moto creates without some of its
// properties (a bucket's NotificationConfiguration) is not detected here.
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { AwsApis, CloudFormationApi } from '../../cli/converge/api';
import { listStackResources } from '../../cli/converge/stack';

export interface SkippedResource {
  logicalId: string;
  type: string;
}

type StackReader = Pick<AwsApis, 'cloudFormation'> | Pick<CloudFormationApi, 'listStackResources'> | CloudFormationClient;

function listing(reader: StackReader): Pick<CloudFormationApi, 'listStackResources'> {
  if (reader instanceof CloudFormationClient) return { listStackResources: (input) => reader.send(new ListStackResourcesCommand(input)) };
  return 'cloudFormation' in reader ? reader.cloudFormation : reader;
}

function resourcesOf(template: string | { Resources?: Record<string, { Type: string }> }): Record<string, { Type: string }> {
  const parsed = typeof template === 'string' ? (JSON.parse(template) as { Resources?: Record<string, { Type: string }> }) : template;
  return parsed.Resources ?? {};
}

/**
 * The template's resources the stack does not list by their logical ID, in
 * template order. A skipped type's entry has no logical ID at all; a created
 * one may still lack a physical ID (moto gives a permission with a
 * SourceAccount none, though GetPolicy shows its statement).
 */
export async function motoSkipped(reader: StackReader, stackName: string, template: string | { Resources?: Record<string, { Type: string }> }): Promise<SkippedResource[]> {
  const created = new Set(
    (await listStackResources(listing(reader) as CloudFormationApi, stackName))
      .filter((resource) => resource.LogicalResourceId)
      .map((resource) => resource.LogicalResourceId!),
  );
  return Object.entries(resourcesOf(template))
    .filter(([logicalId]) => !created.has(logicalId))
    .map(([logicalId, resource]) => ({ logicalId, type: resource.Type }));
}

/**
 * Fails unless the resources moto did not create are exactly those of the
 * `expected` types: every resource of an expected type skipped, every other
 * one created, and each expected type in the template. Returns the skipped
 * resources, for assertions on the template.
 */
export async function expectMotoSkipped(
  reader: StackReader,
  stackName: string,
  template: string | { Resources?: Record<string, { Type: string }> },
  expected: readonly string[],
): Promise<SkippedResource[]> {
  const resources = resourcesOf(template);
  const skipped = await motoSkipped(reader, stackName, template);
  const skippedIds = new Set(skipped.map((resource) => resource.logicalId));
  const problems: string[] = [];
  for (const resource of skipped) {
    if (!expected.includes(resource.type)) {
      problems.push(
        `moto did not create ${resource.logicalId} (${resource.type}), yet the stack is complete: assert it on the template and declare '${resource.type}' expected-skipped`,
      );
    }
  }
  for (const type of new Set(expected)) {
    const ofType = Object.entries(resources).filter(([, resource]) => resource.Type === type);
    if (ofType.length === 0) problems.push(`'${type}' is declared expected-skipped, but the template has no resource of that type`);
    for (const [logicalId] of ofType.filter(([id]) => !skippedIds.has(id))) {
      problems.push(`'${type}' is declared expected-skipped, but moto created ${logicalId}: it models the type now, so assert it on AWS and drop it from the list`);
    }
  }
  if (problems.length > 0) throw new Error(`stack ${stackName} on moto:\n  ${problems.join('\n  ')}`);
  return skipped;
}
