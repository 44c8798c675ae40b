import { createHash } from 'node:crypto';
import { CLOUDFORMATION_LIMITS } from '../../manifest/defaults';
import { collectReferences, isPseudoParameter } from './references';
import { serializeTemplate } from './serialize';
import type { CfnResource, CfnValue, Template } from './types';
import { ARTIFACT_BUCKET_PARAMETER } from './ids';

// A service over one stack's limits becomes a parent stack and nested child
// stacks (AWS::CloudFormation::Stack). A pure step on the finished flat
// template: marshal builds one template as always; this only moves each
// function's resources into a child and rewires what crosses the boundary.
//
// Assignment: a function goes to child `hash(its logical ID) mod CHILD_SLOTS`.
// The slot depends on the function alone, so adding or removing other
// functions never moves it (CloudFormation would delete and recreate a
// resource that changes stacks). A sorted fill would pack tighter but moves
// every function after an insertion unless the assignment were stored
// somewhere, and a template stage that reads deployed state is no longer pure.
// The price is fixed slots: CHILD_SLOTS children at most, each holding about
// 1/CHILD_SLOTS of the functions, so a service nests up to roughly
// CHILD_SLOTS x 120 functions.
//
// Across the boundary: a child reads a parent resource (or another child's)
// through a child Parameter; the parent (or another child) reads a child
// resource through the child's Outputs (`GetAtt Child.Outputs.X`); a DependsOn
// across the boundary becomes a DependsOn between the stacks.

export const CHILD_SLOTS = 16;

export interface NestedChild {
  /** The parent's logical ID for this child stack, `Functions<slot>`. */
  logicalId: string;
  template: Template;
  body: string;
  /** S3 key under the service's prefix, named by the body's hash. */
  key: string;
}

export interface NestedTemplates {
  parent: Template;
  children: NestedChild[];
}

/** Whether the flat template is over a limit that nesting solves (counts or size). */
export function needsNesting(template: Template, serialized = serializeTemplate(template)): boolean {
  return (
    Object.keys(template.Resources).length > CLOUDFORMATION_LIMITS.resources ||
    Object.keys(template.Outputs).length > CLOUDFORMATION_LIMITS.outputs ||
    Object.keys(template.Parameters).length > CLOUDFORMATION_LIMITS.parameters ||
    Buffer.byteLength(serialized, 'utf8') > CLOUDFORMATION_LIMITS.templateUrlBytes
  );
}

export function childSlot(functionLogicalId: string): number {
  return parseInt(createHash('sha256').update(functionLogicalId).digest('hex').slice(0, 8), 16) % CHILD_SLOTS;
}

export function childLogicalId(slot: number): string {
  return `Functions${String(slot).padStart(2, '0')}`;
}

export function childTemplateKey(service: string, body: string): string {
  return `${service}/nested-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.json`;
}

/** Where a child template lives: the artifact bucket, in the stack's region. */
function templateUrl(key: string): CfnValue {
  return { 'Fn::Sub': `https://\${${ARTIFACT_BUCKET_PARAMETER}}.s3.\${AWS::Region}.\${AWS::URLSuffix}/${key}` };
}

/** `X` or `X.Attr` as one alphanumeric name, for a parameter or an output. */
function boundaryName(id: string, attribute?: string): string {
  return attribute === undefined ? id : `${id}${attribute.replace(/[^A-Za-z0-9]/g, '')}`;
}

type Rewrite = (id: string, attribute: string | undefined) => { value: CfnValue; sub: string } | undefined;

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function rewriteSub(text: string, locals: ReadonlySet<string>, rewrite: Rewrite): string {
  return text.replace(SUB_VARIABLE, (whole, inner: string) => {
    const name = inner.trim();
    if (name.startsWith('!') || locals.has(name) || isPseudoParameter(name)) return whole;
    const dot = name.indexOf('.');
    const replaced = dot === -1 ? rewrite(name, undefined) : rewrite(name.slice(0, dot), name.slice(dot + 1));
    return replaced ? `\${${replaced.sub}}` : whole;
  });
}

/** `value` with every Ref, GetAtt and Sub variable the rewrite answers for replaced. */
function rewriteValue(value: CfnValue, rewrite: Rewrite): CfnValue {
  if (Array.isArray(value)) return value.map((item) => rewriteValue(item, rewrite));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = value[key];
    if (key === 'Ref' && typeof argument === 'string') return rewrite(argument, undefined)?.value ?? value;
    if (key === 'Fn::GetAtt') {
      if (Array.isArray(argument) && typeof argument[0] === 'string' && typeof argument[1] === 'string') return rewrite(argument[0], argument[1])?.value ?? value;
      if (typeof argument === 'string' && argument.includes('.')) {
        const dot = argument.indexOf('.');
        return rewrite(argument.slice(0, dot), argument.slice(dot + 1))?.value ?? value;
      }
    }
    if (key === 'Fn::Sub') {
      if (typeof argument === 'string') return { 'Fn::Sub': rewriteSub(argument, new Set(), rewrite) };
      if (Array.isArray(argument) && typeof argument[0] === 'string') {
        const variables = (argument[1] ?? {}) as Record<string, CfnValue>;
        return { 'Fn::Sub': [rewriteSub(argument[0], new Set(Object.keys(variables)), rewrite), rewriteValue(variables, rewrite)] };
      }
    }
  }
  const out: Record<string, CfnValue> = {};
  for (const key of keys) out[key] = rewriteValue(value[key], rewrite);
  return out;
}

function dependsOnList(resource: CfnResource): string[] {
  if (resource.DependsOn === undefined) return [];
  return Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
}

function withDependsOn(resource: CfnResource, dependsOn: string[]): CfnResource {
  const { DependsOn: _old, ...rest } = resource;
  const unique = [...new Set(dependsOn)];
  if (unique.length === 0) return rest;
  // Keep Type first and DependsOn before Properties, as marshal writes them.
  const { Type, ...others } = rest;
  return { Type, DependsOn: unique, ...others };
}

/**
 * The flat template split into a parent and children. `owners` maps each
 * resource a function brings (its log group, role, policy, event sources) to
 * the function's logical ID; everything else (@Resource declarations, what a
 * source shares across the service) stays in the parent.
 */
export function nestTemplate(flat: Template, owners: ReadonlyMap<string, string>, service: string): NestedTemplates {
  // Where each resource goes: undefined is the parent.
  const home = new Map<string, number | undefined>();
  for (const id of Object.keys(flat.Resources)) {
    const owner = owners.get(id);
    home.set(id, owner === undefined ? undefined : childSlot(owner));
  }
  const slots = [...new Set([...home.values()].filter((slot): slot is number => slot !== undefined))].sort((a, b) => a - b);

  const children = new Map<number, Template>();
  for (const slot of slots) {
    children.set(slot, { AWSTemplateFormatVersion: '2010-09-09', Parameters: {}, Resources: {}, Outputs: {} });
  }
  // The value each child parameter takes, as the parent writes it.
  const childParameters = new Map<number, Record<string, CfnValue>>(slots.map((slot) => [slot, {}]));
  const stackDependsOn = new Map<number, Set<string>>(slots.map((slot) => [slot, new Set()]));

  /** What a reference to `id` resolves to in the parent: its own resource, or a child's output. */
  const fromParent = (id: string, attribute: string | undefined): { value: CfnValue; sub: string } | undefined => {
    const slot = home.get(id);
    if (slot === undefined) return undefined;
    const name = boundaryName(id, attribute);
    children.get(slot)!.Outputs[name] = { Value: attribute === undefined ? { Ref: id } : { 'Fn::GetAtt': [id, attribute] } };
    const child = childLogicalId(slot);
    return { value: { 'Fn::GetAtt': [child, `Outputs.${name}`] }, sub: `${child}.Outputs.${name}` };
  };

  const inChild = (slot: number): Rewrite => (id, attribute) => {
    if (home.has(id) ? home.get(id) === slot : !(id in flat.Parameters)) return undefined;
    const name = boundaryName(id, attribute);
    const child = children.get(slot)!;
    child.Parameters[name] = { Type: 'String' };
    const parentValue = fromParent(id, attribute)?.value ?? (attribute === undefined ? { Ref: id } : { 'Fn::GetAtt': [id, attribute] });
    childParameters.get(slot)![name] = parentValue;
    return { value: { Ref: name }, sub: name };
  };

  const parent: Template = { ...flat, Resources: {}, Outputs: {} };
  for (const [id, resource] of Object.entries(flat.Resources)) {
    const slot = home.get(id);
    if (slot === undefined) {
      const dependsOn = dependsOnList(resource).map((target) => {
        const targetSlot = home.get(target);
        return targetSlot === undefined ? target : childLogicalId(targetSlot);
      });
      parent.Resources[id] = withDependsOn(rewriteValue(resource as unknown as CfnValue, fromParent) as unknown as CfnResource, dependsOn);
      continue;
    }
    const local: string[] = [];
    for (const target of dependsOnList(resource)) {
      const targetSlot = home.get(target);
      if (targetSlot === slot) local.push(target);
      else stackDependsOn.get(slot)!.add(targetSlot === undefined ? target : childLogicalId(targetSlot));
    }
    children.get(slot)!.Resources[id] = withDependsOn(rewriteValue(resource as unknown as CfnValue, inChild(slot)) as unknown as CfnResource, local);
  }
  for (const [id, output] of Object.entries(flat.Outputs)) {
    parent.Outputs[id] = rewriteValue(output as unknown as CfnValue, fromParent) as unknown as Template['Outputs'][string];
  }

  const nested: NestedChild[] = [];
  for (const slot of slots) {
    const template = children.get(slot)!;
    const body = serializeTemplate(template);
    const key = childTemplateKey(service, body);
    const logicalId = childLogicalId(slot);
    const parameters = childParameters.get(slot)!;
    const sortedParameters: Record<string, CfnValue> = {};
    for (const name of Object.keys(parameters).sort()) sortedParameters[name] = parameters[name];
    // A target the parameters already read is waited for anyway (cfn-lint W3005 on a DependsOn that repeats one).
    const read = new Set(collectReferences(sortedParameters).map((reference) => reference.logicalId));
    const dependsOn = [...stackDependsOn.get(slot)!].filter((target) => target !== logicalId && !read.has(target)).sort();
    const stack: CfnResource = { Type: 'AWS::CloudFormation::Stack' };
    if (dependsOn.length > 0) stack.DependsOn = dependsOn;
    stack.Properties = { TemplateURL: templateUrl(key), Parameters: sortedParameters };
    parent.Resources[logicalId] = stack;
    nested.push({ logicalId, template, body, key });
  }
  return { parent, children: nested };
}
