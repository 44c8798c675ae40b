import type { DiscoveryDocument } from '../../manifest/discovery';
import { STAGE_NAME_MAX } from '../../manifest/stage';
import { STAGE_PARAMETER } from '../../manifest/template-names';
import type { FunctionManifest } from '../../manifest/types';
import { sourceOf } from '../../sources';
import type { SharedDiscovery } from '../../sources/types';
import { collectReferences } from './references';
import type { CfnResource, CfnValue } from './types';

// The discovery document tells a deployed function the stack it runs in and
// the resources it depends on. Its values are only known at deploy time, so
// it is a JSON text with `${...}` placeholders that Fn::Sub fills in.

export interface Dependency {
  logicalId: string;
  type: string;
  /** Attributes the function names (`GetAtt` or `${Id.Attr}`), sorted. */
  attributes: string[];
  /** Written out rather than referenced (`Fn::Sub` texts): a source's resource that names the function in turn. */
  literal?: { ref: string; attributes: Record<string, string> };
}

/**
 * What a function depends on: its `@DependsOn`, every resource its privileges
 * name (actions, resources and conditions), and every resource its event
 * sources name (a queue, a topic: a handler fed by several tells them apart),
 * by reference or, where a reference would close a cycle, written out. Only
 * resources of the template count: parameters and literal ARNs are not
 * resources, and a reference to nothing is the checks' business. The function
 * itself is left out; naming itself in its own environment would be a cycle.
 */
export function functionDependencies(fn: FunctionManifest, selfId: string, resources: Record<string, CfnResource>): Dependency[] {
  const attributes = new Map<string, Set<string>>();
  const note = (logicalId: string, attribute?: string) => {
    if (logicalId === selfId || !(logicalId in resources)) return;
    let set = attributes.get(logicalId);
    if (!set) attributes.set(logicalId, (set = new Set()));
    if (attribute) set.add(attribute);
  };
  for (const id of fn.dependsOn) note(id);
  for (const privilege of fn.privileges) {
    for (const reference of collectReferences([privilege.resource, privilege.condition ?? null])) {
      if (reference.kind !== 'Condition') note(reference.logicalId, reference.attribute);
    }
  }
  for (const event of fn.events) {
    for (const reference of collectReferences(sourceOf(event).references(event))) {
      if (reference.kind !== 'Condition') note(reference.logicalId, reference.attribute);
    }
  }
  const literals = new Map<string, Dependency['literal']>();
  for (const event of fn.events) {
    for (const literal of sourceOf(event).literalReferences?.(event, resources) ?? []) {
      if (literal.logicalId in resources && !attributes.has(literal.logicalId)) literals.set(literal.logicalId, { ref: literal.ref, attributes: literal.attributes });
    }
  }
  return [...new Set([...attributes.keys(), ...literals.keys()])].sort().map((logicalId) => {
    const literal = literals.get(logicalId);
    if (literal) return { logicalId, type: resources[logicalId].Type, attributes: Object.keys(literal.attributes).sort(), literal };
    return { logicalId, type: resources[logicalId].Type, attributes: [...attributes.get(logicalId)!].sort() };
  });
}

/** `serviceWide`: the sources' service-wide fields (an API's URL). With a stage, the document's `stage` is `stageValue` (the template's `${Stage}`). */
export function discoveryDocument(selfId: string, dependencies: Dependency[], serviceWide: SharedDiscovery = {}, stageValue?: string): { 'Fn::Sub': string } {
  const document: DiscoveryDocument = {
    stackName: '${AWS::StackName}',
    stackId: '${AWS::StackId}',
    region: '${AWS::Region}',
    logicalId: selfId,
    ...serviceWide,
    ...(stageValue !== undefined && { stage: stageValue }),
    resources: {},
  };
  for (const dependency of dependencies) {
    if (dependency.literal) {
      document.resources[dependency.logicalId] = { type: dependency.type, ref: dependency.literal.ref, attributes: { ...dependency.literal.attributes } };
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const name of dependency.attributes) attributes[name] = `\${${dependency.logicalId}.${name}}`;
    document.resources[dependency.logicalId] = { type: dependency.type, ref: `\${${dependency.logicalId}}`, attributes };
  }
  return { 'Fn::Sub': JSON.stringify(document) };
}

// Upper bounds of what a placeholder becomes. Stack names have at most 128
// characters; a stack ID is `arn:<partition>:cloudformation:<region>:
// <account>:stack/<name>/<uuid>`; the longest region names today have 14.
// Any other value (a resource's Ref or attribute, mostly ARNs and names) is
// taken as 256 characters: an ARN around a 200-character name. A value can be
// longer in theory; this keeps the check useful rather than never passing.
export const PLACEHOLDER_BYTES: Record<string, number> = {
  'AWS::StackName': 128,
  'AWS::Region': 16,
  'AWS::StackId': 'arn:aws-us-gov:cloudformation:'.length + 16 + 1 + 12 + ':stack/'.length + 128 + 1 + 36,
  'AWS::AccountId': 12,
  'AWS::Partition': 'aws-us-gov'.length,
  [STAGE_PARAMETER]: STAGE_NAME_MAX,
};
export const RESOLVED_VALUE_BYTES = 256;

function estimatedValue(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]*)\}/g, (whole, name: string) =>
      name.startsWith('!') ? whole.slice(0, 2) + whole.slice(3) : 'x'.repeat(PLACEHOLDER_BYTES[name.trim()] ?? RESOLVED_VALUE_BYTES),
    );
  }
  return 'x'.repeat(RESOLVED_VALUE_BYTES);
}

/**
 * The most bytes the environment can take once deployed, counted as its JSON
 * (`{"KEY":"value",...}`), which is at least what Lambda counts against 4 KB.
 */
export function estimateEnvironmentBytes(variables: Record<string, CfnValue>): number {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) resolved[key] = estimatedValue(value);
  return Buffer.byteLength(JSON.stringify(resolved), 'utf8');
}

/** The dependencies named in a discovery document (its `resources` keys), or [] when it is not one. */
export function discoveryDependencies(value: CfnValue | undefined): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value['Fn::Sub'] !== 'string') return [];
  try {
    const document = JSON.parse(value['Fn::Sub']) as Partial<DiscoveryDocument>;
    return Object.keys(document.resources ?? {});
  } catch {
    return [];
  }
}
