import { CLOUDFORMATION_LIMITS, LAMBDA_LIMITS } from '../../manifest/defaults';
import { DISCOVERY_ENV } from '../../manifest/environment';
import { danglingReference, dependencyCycle, discoveryTooLarge, templateTooLarge, tooManyOutputs, tooManyResources, type SpartaError } from '../errors';
import { discoveryDependencies, estimateEnvironmentBytes } from './discovery';
import { collectReferences } from './references';
import { serializeTemplate } from './serialize';
import type { CfnResource, CfnValue, Origins, Template } from './types';

// Everything CloudFormation or Lambda would reject late (after the upload,
// halfway through a deployment), found while the template is still data.
// Each check returns errors rather than throwing, so a caller can list them
// all; marshalTemplate throws the first. The order is fixed: causes before
// symptoms (a dangling reference before the size it adds to).

function describe(id: string, origins: Origins | undefined): string {
  const origin = origins?.get(id);
  return origin ? `${id} (${origin})` : id;
}

function dependsOnList(resource: CfnResource): string[] {
  if (resource.DependsOn === undefined) return [];
  return Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
}

interface Edge {
  kind: 'Ref' | 'GetAtt' | 'Sub' | 'Condition' | 'DependsOn';
  target: string;
  attribute?: string;
}

function resourceEdges(resource: CfnResource): Edge[] {
  const edges: Edge[] = dependsOnList(resource).map((target) => ({ kind: 'DependsOn' as const, target }));
  if (resource.Condition !== undefined) edges.push({ kind: 'Condition', target: resource.Condition });
  for (const reference of collectReferences([resource.Properties ?? null, resource.Metadata ?? null])) {
    edges.push({ kind: reference.kind, target: reference.logicalId, attribute: reference.attribute });
  }
  return edges;
}

function danglingError(where: string, edge: Edge): SpartaError {
  if (edge.kind === 'Condition') return danglingReference(where, edge.target, `Condition: '${edge.target}'`, 'condition');
  const written = edge.kind === 'Sub' ? `\${${edge.target}${edge.attribute ? `.${edge.attribute}` : ''}}` : edge.kind === 'DependsOn' ? `@DependsOn('${edge.target}')` : `${edge.kind}('${edge.target}')`;
  return danglingReference(where, edge.target, written, 'resource');
}

/** Ref, GetAtt, Sub, DependsOn and conditions that point at nothing. */
export function checkReferences(template: Template, origins?: Origins): SpartaError[] {
  const problems: SpartaError[] = [];
  const resolves = (edge: Edge): boolean => {
    if (edge.kind === 'Condition') return template.Conditions !== undefined && edge.target in template.Conditions;
    if (edge.target in template.Resources) return true;
    // A parameter has a value but no attributes.
    return (edge.kind === 'Ref' || (edge.kind === 'Sub' && !edge.attribute)) && edge.target in template.Parameters;
  };
  for (const id of Object.keys(template.Resources).sort()) {
    for (const edge of resourceEdges(template.Resources[id])) {
      if (!resolves(edge)) problems.push(danglingError(describe(id, origins), edge));
    }
  }
  for (const id of Object.keys(template.Outputs).sort()) {
    for (const reference of collectReferences(template.Outputs[id].Value)) {
      const edge: Edge = { kind: reference.kind, target: reference.logicalId, attribute: reference.attribute };
      if (!resolves(edge)) problems.push(danglingError(`output ${id}`, edge));
    }
  }
  return problems;
}

/**
 * A resource that waits, directly or not, for itself. CloudFormation rejects
 * the whole template ("Circular dependency between resources"), without
 * saying which sparta declaration caused it.
 */
export function checkCycles(template: Template, origins?: Origins): SpartaError[] {
  const ids = Object.keys(template.Resources).sort();
  const next = new Map<string, string[]>();
  for (const id of ids) {
    const targets = resourceEdges(template.Resources[id])
      .filter((edge) => edge.kind !== 'Condition' && edge.target in template.Resources)
      .map((edge) => edge.target);
    next.set(id, [...new Set(targets)].sort());
  }
  const DONE = 2;
  const ACTIVE = 1;
  const state = new Map<string, number>();
  for (const root of ids) {
    if (state.has(root)) continue;
    // Iterative depth-first search: a 200-function stack is deep enough to
    // worry a recursive one.
    const path: string[] = [root];
    const cursor: number[] = [0];
    state.set(root, ACTIVE);
    while (path.length > 0) {
      const id = path[path.length - 1];
      const targets = next.get(id)!;
      const index = cursor[cursor.length - 1]++;
      if (index >= targets.length) {
        state.set(id, DONE);
        path.pop();
        cursor.pop();
        continue;
      }
      const target = targets[index];
      if (state.get(target) === ACTIVE) {
        const cycle = [...path.slice(path.indexOf(target)), target];
        return [dependencyCycle(cycle.map((step) => describe(step, origins)))];
      }
      if (!state.has(target)) {
        state.set(target, ACTIVE);
        path.push(target);
        cursor.push(0);
      }
    }
  }
  return [];
}

/** Lambda rejects a function whose environment is over 4 KB; the discovery document is the part that grows. */
export function checkEnvironments(template: Template, origins?: Origins): SpartaError[] {
  const problems: SpartaError[] = [];
  for (const id of Object.keys(template.Resources).sort()) {
    const resource = template.Resources[id];
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = ((resource.Properties?.Environment as { Variables?: Record<string, CfnValue> } | undefined)?.Variables ?? {}) as Record<string, CfnValue>;
    const bytes = estimateEnvironmentBytes(variables);
    if (bytes <= LAMBDA_LIMITS.environmentBytes) continue;
    const dependencies = discoveryDependencies(variables[DISCOVERY_ENV]);
    const discoveryBytes = estimateEnvironmentBytes({ [DISCOVERY_ENV]: variables[DISCOVERY_ENV] ?? '' });
    problems.push(discoveryTooLarge(describe(id, origins), bytes, LAMBDA_LIMITS.environmentBytes, discoveryBytes, dependencies));
  }
  return problems;
}

export function checkCounts(template: Template): SpartaError[] {
  const problems: SpartaError[] = [];
  const resources = Object.keys(template.Resources).length;
  if (resources > CLOUDFORMATION_LIMITS.resources) {
    problems.push(tooManyResources(resources, CLOUDFORMATION_LIMITS.resources));
  }
  const outputs = Object.keys(template.Outputs).length;
  if (outputs > CLOUDFORMATION_LIMITS.outputs) {
    problems.push(tooManyOutputs(outputs, CLOUDFORMATION_LIMITS.outputs));
  }
  return problems;
}

export function checkSize(template: Template, serialized = serializeTemplate(template)): SpartaError[] {
  const bytes = Buffer.byteLength(serialized, 'utf8');
  if (bytes <= CLOUDFORMATION_LIMITS.templateUrlBytes) return [];
  return [templateTooLarge(bytes, CLOUDFORMATION_LIMITS.templateUrlBytes)];
}

/** Every check, in order. Empty when the template can be deployed as far as sparta can tell. Pass `serialized` if you have it. */
export function checkTemplate(template: Template, origins?: Origins, serialized?: string): SpartaError[] {
  return [
    ...checkReferences(template, origins),
    ...checkCycles(template, origins),
    ...checkEnvironments(template, origins),
    ...checkCounts(template),
    ...checkSize(template, serialized),
  ];
}
