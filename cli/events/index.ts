import type { EventSourceManifest, FunctionManifest, ServiceManifest, StaticValue } from '../../manifest/types';
import { SAMPLE_EVENTS, SOURCES, type SampleEvent } from '../../sources';
import type { SampleContext } from '../../sources/types';
import { functionWithoutSource } from '../errors';
import { LOCAL_ACCOUNT, localDiscoveryDocument, pseudoParameter } from '../invoke/discovery';
import { selectFunction } from '../invoke/select';
import { functionIds, functionName, sourceLogicalId } from '../template/ids';
import { functionSources } from '../template/sources';
import type { CfnResource } from '../template/types';

// `sparta event TYPE`: realistic events to feed `sparta invoke`, as each
// event source's module (sources/) writes them. With a function, the sample
// is the one that function's own source delivers: its module's
// `sampleValues` reads the manifest event, and every name in it resolves to
// the placeholder `sparta invoke` gives discover(), so the sample and the
// discovery document agree.

export { SAMPLE_EVENTS, type SampleEvent };

export function sampleEventTypes(): string[] {
  return Object.keys(SAMPLE_EVENTS).sort();
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** The sample, or undefined for an unknown type. `values` tailor it (`topic`, `subject`); an undefined one is left to the sample. */
export function sampleEvent(type: string, values: Record<string, string | undefined> = {}, region = 'us-east-1'): unknown {
  const sample = hasOwn(SAMPLE_EVENTS, type) ? SAMPLE_EVENTS[type] : undefined;
  if (!sample) return undefined;
  return sample.create({ region, account: LOCAL_ACCOUNT, now: new Date(), values });
}

/** As cli/invoke/archive.ts writes `invokedFunctionArn`. */
function localFunctionArn(name: string, region: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
}

/**
 * Turns an expression into the value it has locally. Resources are looked up
 * in invoke's discovery document (one rule for placeholders), built for a
 * stand-in of `fn` whose only dependency is the expression: so a resource
 * the function's own policy does not name resolves too, with exactly the
 * attribute asked for. The resources `fn`'s sources create (a rule) count as
 * declared, with their types.
 */
export function localResolver(service: ServiceManifest, fn: FunctionManifest, region: string): (expression: StaticValue) => string {
  const ids = functionIds(fn);
  const target = {
    functionId: ids.function,
    functionName: functionName(service.name, fn.className, fn.methodName),
    functionArn: { 'Fn::GetAtt': [ids.function, 'Arn'] },
    policyId: ids.policy,
  };
  // A copy: a source may amend a declared resource (a bucket's notifications).
  const declared: Record<string, CfnResource> = Object.fromEntries(service.resources.map((resource) => [resource.logicalId, structuredClone(resource.declaration) as CfnResource]));
  const created = functionSources(fn, target, declared).resources.map(({ id, resource }) => ({ logicalId: id, declaration: { Type: resource.Type }, source: fn.source }));
  const stack: ServiceManifest = { ...service, resources: [...service.resources, ...created] };
  const lookup = (logicalId: string, attribute?: string): string => {
    const expression = attribute === undefined ? { Ref: logicalId } : { 'Fn::GetAtt': [logicalId, attribute] as [string, string] };
    const standIn: FunctionManifest = { ...fn, dependsOn: [], events: [], privileges: [{ actions: [], resource: expression, source: fn.source }] };
    const found = localDiscoveryDocument(stack, standIn, region).resources[logicalId];
    // A reference to nothing is a compile-time error; name it as CloudFormation would anyway.
    if (!found) return `${service.name}-${logicalId}${attribute === undefined ? '' : `-${attribute}`}`;
    return attribute === undefined ? found.ref : found.attributes[attribute];
  };
  const resolve = (expression: StaticValue): string => {
    if (typeof expression === 'string') return expression;
    if (expression && typeof expression === 'object' && !Array.isArray(expression)) {
      const ref = expression.Ref;
      if (typeof ref === 'string') return pseudoParameter(ref, service.name, region) ?? lookup(ref);
      const getAtt = expression['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') return lookup(getAtt[0], getAtt[1]);
      if (typeof getAtt === 'string' && getAtt.includes('.')) return lookup(getAtt.slice(0, getAtt.indexOf('.')), getAtt.slice(getAtt.indexOf('.') + 1));
      const sub = expression['Fn::Sub'];
      if (typeof sub === 'string') {
        return sub.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          const dot = name.indexOf('.');
          return pseudoParameter(name, service.name, region) ?? (dot === -1 ? lookup(name) : lookup(name.slice(0, dot), name.slice(dot + 1)));
        });
      }
    }
    throw new Error(`cannot resolve ${JSON.stringify(expression)} locally: not a string, Ref, GetAtt or Sub`);
  };
  return resolve;
}

export interface FunctionSample {
  fn: FunctionManifest;
  /** The values `create` takes (empty when the source's module has no `sampleValues`). */
  values: Record<string, string>;
  /** Every event of `fn` that delivers the sample, in source order: the values come from the first. */
  events: EventSourceManifest[];
}

interface Delivery {
  type: string;
  event: EventSourceManifest;
  values: Record<string, string>;
}

/** What `sampleValues` is told about `event` of `fn`, the names as `sparta invoke` gives them. */
export function sampleContext(service: ServiceManifest, fn: FunctionManifest, event: EventSourceManifest, region: string, resolve = localResolver(service, fn, region)): SampleContext {
  const name = functionName(service.name, fn.className, fn.methodName);
  return { id: sourceLogicalId(functionIds(fn).function, event), service: service.name, region, account: LOCAL_ACCOUNT, functionName: name, functionArn: localFunctionArn(name, region), resolve };
}

/** Every sample `fn`'s events deliver, in source order, with the values each takes from its event. */
function deliveries(service: ServiceManifest, fn: FunctionManifest, region: string): Delivery[] {
  let resolve: ((expression: StaticValue) => string) | undefined;
  const out: Delivery[] = [];
  for (const event of fn.events) {
    const source = SOURCES.find((candidate) => candidate.kinds.includes(event.kind));
    for (const [type, sample] of Object.entries(source?.samples ?? {})) {
      if (!sample.sampleValues) {
        out.push({ type, event, values: {} });
        continue;
      }
      resolve ??= localResolver(service, fn, region);
      const values = sample.sampleValues(event, sampleContext(service, fn, event, region, resolve));
      if (values) out.push({ type, event, values });
    }
  }
  return out;
}

/** The sample types `fn`'s sources deliver, in source order: what `sparta event TYPE --function` takes for it (invoke's hint). */
export function deliveredSampleTypes(service: ServiceManifest, fn: FunctionManifest, region = 'us-east-1'): string[] {
  return [...new Set(deliveries(service, fn, region).map((delivery) => delivery.type))];
}

/**
 * Sample `type` as `query`'s own source delivers it. An unknown function is
 * SPARTA105/504 (as `sparta invoke` selects it), one without such a source
 * SPARTA508.
 */
export function functionSample(service: ServiceManifest, query: string, type: string, region: string): FunctionSample {
  const fn = selectFunction(service, query);
  const all = deliveries(service, fn, region);
  const matching = all.filter((delivery) => delivery.type === type);
  if (matching.length === 0) {
    const others = service.functions.filter((other) => other !== fn && deliveries(service, other, region).some((delivery) => delivery.type === type));
    throw functionWithoutSource(
      fn.id,
      type,
      SAMPLE_EVENTS[type]?.decorator ?? type,
      deliveredSampleTypes(service, fn, region),
      others.map((other) => other.id),
    );
  }
  return { fn, values: matching[0].values, events: matching.map(({ event }) => event) };
}
