import type { EventSourceManifest, FunctionManifest, ServiceManifest, SourceLocation } from '../../manifest/types';
import { SOURCES, sourceOf } from '../../sources';
import type { SharedDiscovery, SourceTarget, SourceUse } from '../../sources/types';
import { sourceLogicalId } from './ids';
import type { CfnOutput, CfnResource, CfnValue } from './types';

// A function's event sources, each through its module (sources/): the
// resources that call the function, the permissions that let them (Lambda
// refuses a service principal unless a resource policy names the exact
// source), and the privileges a poller needs in the function's policy.

export interface SourceResource {
  id: string;
  resource: CfnResource;
  /** `@SQS of Jobs.run at src/jobs.ts:12:3`, for messages. */
  origin: string;
}

export interface FunctionSources {
  resources: SourceResource[];
  /** Statements for the function's generated policy, in source order. */
  privileges: CfnValue[];
  /** Each event with its logical ID, for the sources' `shared` part. */
  uses: SourceUse<EventSourceManifest>[];
}

/** Lets `principal` invoke the function, from `sourceArn` (and `sourceAccount`) only. */
export function invokePermission(target: SourceTarget, principal: string, scope: { sourceArn?: CfnValue; sourceAccount?: CfnValue }): CfnResource {
  const properties: Record<string, CfnValue> = { Action: 'lambda:InvokeFunction', FunctionName: target.functionArn, Principal: principal };
  if (scope.sourceArn !== undefined) properties.SourceArn = scope.sourceArn;
  if (scope.sourceAccount !== undefined) properties.SourceAccount = scope.sourceAccount;
  return { Type: 'AWS::Lambda::Permission', Properties: properties };
}

function at(source: SourceLocation): string {
  return `${source.file}:${source.line}:${source.column}`;
}

/**
 * Everything `fn`'s sources add. `resources` is the stack so far, every
 * `@Resource` in it: a source may amend a declared one (a bucket's
 * notifications), so it must be the template's own copy.
 */
export function functionSources(fn: FunctionManifest, target: SourceTarget, resources: Record<string, CfnResource>): FunctionSources {
  const out: FunctionSources = { resources: [], privileges: [], uses: [] };
  for (const event of fn.events as EventSourceManifest[]) {
    const source = sourceOf(event);
    const id = sourceLogicalId(target.functionId, event);
    const origin = `@${source.decorator} of ${fn.id} at ${at(event.source)}`;
    const built = source.template(event, { id, service: fn.service, target, resources, permission: (principal, scope) => invokePermission(target, principal, scope) });
    for (const [resourceId, resource] of Object.entries(built.resources)) out.resources.push({ id: resourceId, resource, origin });
    // Two events of one source may need the same statement (two routes of one API): it is granted once.
    for (const privilege of built.privileges ?? []) if (!out.privileges.some((held) => JSON.stringify(held) === JSON.stringify(privilege))) out.privileges.push(privilege);
    out.uses.push({ event, fn, target, id });
  }
  return out;
}

/** What the service's events share, a source at a time in the registry's order: the resources with their origin, and outputs. */
export function sharedSources(service: ServiceManifest, uses: ReadonlyArray<SourceUse<EventSourceManifest>>, resources: Record<string, CfnResource>): { resources: SourceResource[]; outputs: Record<string, CfnOutput> } {
  const out: { resources: SourceResource[]; outputs: Record<string, CfnOutput> } = { resources: [], outputs: {} };
  for (const source of SOURCES) {
    const mine = uses.filter((use) => sourceOf(use.event) === source);
    if (mine.length === 0 || !source.shared) continue;
    const first = mine[0];
    const origin = `@${source.decorator} of service ${service.name} (first at ${at(first.event.source)})`;
    const built = source.shared(mine, { service, resources, permission: invokePermission });
    for (const [id, resource] of Object.entries(built.resources)) out.resources.push({ id, resource, origin });
    Object.assign(out.outputs, built.outputs ?? {});
  }
  return out;
}

/** The service-wide part of every function's discovery document: each source of the service's own (`Fn::Sub` texts). */
export function serviceDiscovery(service: ServiceManifest): SharedDiscovery {
  const out: SharedDiscovery = {};
  for (const source of SOURCES) {
    if (!source.discovery || !service.functions.some((fn) => (fn.events as EventSourceManifest[]).some((event) => sourceOf(event) === source))) continue;
    Object.assign(out, structuredClone(source.discovery(service)));
  }
  return out;
}
