import { stableStringify } from '../template/serialize';
import type { CfnResource, CfnValue, Template } from '../template/types';
import { replacesResource } from './replacement';
import { securityChanges, type SecurityChange } from './security';

// The template that would be deployed against the deployed one, resource by
// resource and property by property. Pure: two templates in, the changes out.
// Values are compared as key-sorted JSON, so key order never shows as a change.

export interface PropertyChange {
  /** `Properties.Code.S3Key`, `DependsOn`, `Properties.Environment.Variables.GREETING`. */
  path: string;
  before?: CfnValue;
  after?: CfnValue;
  /** Whether CloudFormation replaces the resource for this change (undefined: not known for the type). */
  replaces?: boolean;
}

export interface ResourceChange {
  logicalId: string;
  type: string;
  change: 'add' | 'remove' | 'modify';
  /** modify: what changed, deepest path that differs; a changed Type is a replacement. */
  properties: PropertyChange[];
  /** modify: some change replaces the resource. */
  replacement?: boolean;
}

export interface OutputChange {
  name: string;
  change: 'add' | 'remove' | 'modify';
}

export interface TemplateDiff {
  /** No stack (or none with a template): every resource is an addition. */
  stackExists: boolean;
  resources: ResourceChange[];
  outputs: OutputChange[];
  /** What widens what the stack's functions may do, or who may call them. */
  security: SecurityChange[];
}

const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

function isObject(value: unknown): value is Record<string, CfnValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Paths where `before` and `after` differ, descending into objects (never into arrays: in CloudFormation their order means something). */
function valueChanges(path: string, before: CfnValue | undefined, after: CfnValue | undefined, out: PropertyChange[]): void {
  if (same(before, after)) return;
  if (isObject(before) && isObject(after) && !isIntrinsic(before) && !isIntrinsic(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) valueChanges(`${path}.${key}`, before[key], after[key], out);
    return;
  }
  const change: PropertyChange = { path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

function isIntrinsic(value: Record<string, CfnValue>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function resourceChange(logicalId: string, before: CfnResource, after: CfnResource): ResourceChange | undefined {
  if (same(before, after)) return undefined;
  const properties: PropertyChange[] = [];
  if (before.Type !== after.Type) properties.push({ path: 'Type', before: before.Type, after: after.Type, replaces: true });
  for (const key of ['DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition', 'Metadata'] as const) {
    valueChanges(key, before[key] as CfnValue | undefined, after[key] as CfnValue | undefined, properties);
  }
  const changed: PropertyChange[] = [];
  valueChanges('Properties', (before.Properties ?? {}) as CfnValue, (after.Properties ?? {}) as CfnValue, changed);
  for (const change of changed) {
    const top = change.path.split('.')[1];
    const replaces = top === undefined ? undefined : replacesResource(after.Type, top);
    properties.push(replaces === undefined ? change : { ...change, replaces });
  }
  const result: ResourceChange = { logicalId, type: after.Type, change: 'modify', properties };
  if (properties.some((change) => change.replaces)) result.replacement = true;
  return result;
}

export function diffTemplates(deployed: Template | undefined, next: Template): TemplateDiff {
  const before = deployed?.Resources ?? {};
  const after = next.Resources;
  const resources: ResourceChange[] = [];
  for (const logicalId of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const old = before[logicalId];
    const now = after[logicalId];
    if (!old) resources.push({ logicalId, type: now.Type, change: 'add', properties: [] });
    else if (!now) resources.push({ logicalId, type: old.Type, change: 'remove', properties: [] });
    else {
      const change = resourceChange(logicalId, old, now);
      if (change) resources.push(change);
    }
  }
  const outputs: OutputChange[] = [];
  const oldOutputs = deployed?.Outputs ?? {};
  for (const name of [...new Set([...Object.keys(oldOutputs), ...Object.keys(next.Outputs)])].sort()) {
    if (!(name in oldOutputs)) outputs.push({ name, change: 'add' });
    else if (!(name in next.Outputs)) outputs.push({ name, change: 'remove' });
    else if (!same(oldOutputs[name], next.Outputs[name])) outputs.push({ name, change: 'modify' });
  }
  return { stackExists: deployed !== undefined, resources, outputs, security: securityChanges(before, after) };
}

/** Whether anything differs: `sparta diff` exits 1 when it does. */
export function hasDifferences(diff: TemplateDiff): boolean {
  return diff.resources.length > 0 || diff.outputs.length > 0;
}
