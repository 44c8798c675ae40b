import type { EventSourceManifest, FunctionArtifact, FunctionManifest, ResourceDeclaration, ServiceManifest, SourceLocation } from '../../manifest/types';
import { artifactNotFound, logicalIdCollision, type SpartaError } from '../errors';
import { checkTemplate } from './checks';
import { discoveryDocument, functionDependencies } from './discovery';
import { functionEnvironment } from './environment';
import { lambdaFunction, logGroup } from './function';
import { executionPolicy, executionRole } from './iam';
import {
  ARTIFACT_BUCKET_PARAMETER,
  functionIds,
  functionName,
  logGroupName,
  SERVICE_NAME_OUTPUT,
  type FunctionIds,
} from './ids';
import { serviceOutput } from './outputs';
import { collectReferences } from './references';
import { STAGE_PARAMETER } from '../../manifest/template-names';
import { functionSources, serviceDiscovery, sharedSources } from './sources';
import type { SourceUse } from '../../sources/types';
import type { CfnParameter, CfnResource, CfnValue, Origins, Template } from './types';

// The stage: manifest + build report in, template out. Pure: no AWS, no file
// system, no clock; the same input gives the same template.

export interface TemplateBuild {
  template: Template;
  /** Logical ID -> the declaration that produced it, for messages. */
  origins: Origins;
  /** What went wrong while assembling (missing artifacts, ID collisions); the checks come on top. */
  problems: SpartaError[];
  /** Logical ID -> the logical ID of the function that brought it (its log group, role, policy, sources); what nesting moves. */
  owners: Map<string, string>;
}

function at(source: SourceLocation): string {
  return `${source.file}:${source.line}:${source.column}`;
}

function copyDeclaration(declaration: ResourceDeclaration): CfnResource {
  const resource: CfnResource = { Type: declaration.Type };
  if (declaration.DependsOn !== undefined) resource.DependsOn = structuredClone(declaration.DependsOn);
  if (declaration.DeletionPolicy !== undefined) resource.DeletionPolicy = declaration.DeletionPolicy;
  if (declaration.UpdateReplacePolicy !== undefined) resource.UpdateReplacePolicy = declaration.UpdateReplacePolicy;
  if (declaration.Properties !== undefined) resource.Properties = structuredClone(declaration.Properties) as Record<string, CfnValue>;
  return resource;
}

interface Planned {
  fn: FunctionManifest;
  ids: FunctionIds;
  name: string;
  artifact: FunctionArtifact;
  generatedRole: boolean;
}

/** The template and what went wrong assembling it, without the checks. Never throws for bad input. */
export function buildTemplate(service: ServiceManifest, artifacts: FunctionArtifact[]): TemplateBuild {
  const template: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: {
      [ARTIFACT_BUCKET_PARAMETER]: { Type: 'String', Description: 'S3 bucket that holds the function archives' },
    },
    Resources: {},
    Outputs: { [SERVICE_NAME_OUTPUT]: serviceOutput(service.name) },
  };
  if (service.description !== undefined) template.Description = service.description;
  const origins: Origins = new Map();
  const problems: SpartaError[] = [];
  const owners = new Map<string, string>();

  const add = (id: string, resource: CfnResource, origin: string, owner?: string): boolean => {
    if (id in template.Resources) {
      problems.push(
        logicalIdCollision(origin, origins.get(id) ?? id, id),
      );
      return false;
    }
    template.Resources[id] = resource;
    origins.set(id, origin);
    if (owner !== undefined) owners.set(id, owner);
    return true;
  };

  for (const resource of service.resources) {
    add(resource.logicalId, copyDeclaration(resource.declaration), `@Resource('${resource.logicalId}') at ${at(resource.source)}`);
  }

  const byId = new Map<string, FunctionArtifact>();
  for (const artifact of artifacts) if (artifact.service === service.name) byId.set(artifact.functionId, artifact);

  const planned: Planned[] = [];
  const uses: SourceUse<EventSourceManifest>[] = [];
  const functions = [...service.functions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const fn of functions) {
    const origin = `${fn.id} at ${at(fn.source)}`;
    const artifact = byId.get(fn.id);
    if (!artifact) {
      problems.push(
        artifactNotFound(origin, service.name),
      );
      continue;
    }
    const ids = functionIds(fn);
    const name = functionName(fn.service, fn.className, fn.methodName);
    const generatedRole = fn.options.role === undefined;
    // A stand-in until every resource is known: the discovery document needs their types.
    if (!add(ids.function, { Type: 'AWS::Lambda::Function' }, origin, ids.function)) continue;
    planned.push({ fn, ids, name, artifact, generatedRole });
    add(ids.logGroup, logGroup(logGroupName(name), fn), origin, ids.function);
    const target = { functionId: ids.function, functionName: name, functionArn: { 'Fn::GetAtt': [ids.function, 'Arn'] }, policyId: generatedRole ? ids.policy : undefined };
    const sources = functionSources(fn, target, template.Resources);
    if (generatedRole) {
      add(ids.role, executionRole(), origin, ids.function);
      add(ids.policy, executionPolicy(ids, name, fn.privileges, sources.privileges), origin, ids.function);
    }
    for (const { id, resource, origin: sourceOrigin } of sources.resources) add(id, resource, sourceOrigin, ids.function);
    uses.push(...sources.uses);
  }

  const shared = sharedSources(service, uses, template.Resources);
  for (const { id, resource, origin } of shared.resources) add(id, resource, origin);
  Object.assign(template.Outputs, shared.outputs);

  // Outputs and resources may legally share a name, but a @Resource named
  // like an output would make the name mean two things to a reader.
  for (const resource of service.resources) {
    const output = template.Outputs[resource.logicalId];
    if (!output) continue;
    problems.push(logicalIdCollision(`@Resource('${resource.logicalId}') at ${at(resource.source)}`, `the output "${output.Description}"`, resource.logicalId));
  }

  const serviceWide = serviceDiscovery(service);
  for (const plan of planned) {
    const dependencies = functionDependencies(plan.fn, plan.ids.function, template.Resources);
    const staged = service.stage !== undefined;
    const discovery = discoveryDocument(plan.ids.function, dependencies, serviceWide, staged ? `\${${STAGE_PARAMETER}}` : undefined);
    const environment = functionEnvironment<CfnValue>(plan.fn, plan.artifact, discovery, staged ? { Ref: STAGE_PARAMETER } : undefined);
    template.Resources[plan.ids.function] = lambdaFunction({ ...plan, serviceTags: service.tags, environment });
  }
  if (service.stage !== undefined || referencesStage(template)) template.Parameters[STAGE_PARAMETER] = stageParameter(service.stage);
  return { template, origins, problems, owners };
}

/**
 * `Stage` is declared with a stage (every function's SPARTA_STAGE reads it),
 * and without one only when a `@Resource` or privilege names it, so a
 * service that never asks for it keeps the template it had. Its one allowed
 * value is the stage the template was built for; without a stage, ''.
 */
function stageParameter(stage: string | undefined): CfnParameter {
  return { Type: 'String', Description: 'The stage (--stage) the template was built for', AllowedValues: [stage ?? ''] };
}

function referencesStage(template: Template): boolean {
  return collectReferences([template.Resources, template.Outputs]).some((reference) => reference.logicalId === STAGE_PARAMETER);
}

/**
 * The service as one flat CloudFormation template (the build deploys
 * `marshalStacks` of ./limits, which nests it when it is over a stack's
 * limits). Throws the first SpartaError
 * (SPARTA3xx) when the stack could not deploy: a missing archive, a logical ID
 * collision, a reference to nothing, a dependency cycle, an environment over
 * 4 KB, more than 500 resources or 200 outputs, or more than 1 MB.
 */
export function marshalTemplate(service: ServiceManifest, artifacts: FunctionArtifact[]): Template {
  const { template, origins, problems } = buildTemplate(service, artifacts);
  if (problems.length > 0) throw problems[0];
  const failures = checkTemplate(template, origins);
  if (failures.length > 0) throw failures[0];
  return template;
}
