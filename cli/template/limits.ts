import { CLOUDFORMATION_LIMITS } from '../../manifest/defaults';
import type { FunctionArtifact, ServiceManifest } from '../../manifest/types';
import { HANDLER } from '../bundle/entry';
import { nestedStackOverLimit, templateTooLarge, tooManyOutputs, tooManyResources, type SpartaError } from '../errors';
import { checkCycles, checkEnvironments, checkReferences } from './checks';
import { buildTemplate } from './marshal';
import { needsNesting, nestTemplate, type NestedChild } from './nested';
import { serializeTemplate } from './serialize';
import type { Template } from './types';

// One stack's limits, known from the manifest alone. The template depends on
// the build only through each archive's key and handler, whose lengths do not
// depend on the code; so the template built with stand-in archives has the
// counts the real one will have and nearly its size, and `build` can stop a
// service that would not deploy before it bundles a single function.

/** The stacks one service deploys as: one template, or a parent and its nested children. */
export interface ServiceStacks {
  /** The template of the stack named after the service (the parent when nested). */
  template: Template;
  /** The nested stacks; empty when the service fits one stack. */
  children: NestedChild[];
}

export interface StackCounts {
  resources: number;
  outputs: number;
  parameters: number;
  bytes: number;
}

export interface StackLimitsReport {
  /** The service as one template, before any nesting. */
  flat: StackCounts;
  /** The stack named after the service: the flat template, or the parent. */
  top: StackCounts;
  children: Array<StackCounts & { logicalId: string; functions: number }>;
  limits: { resources: number; outputs: number; parameters: number; bytes: number };
}

/** An archive for every function, with the lengths a real build gives its key and handler. */
export function standInArtifacts(service: ServiceManifest): FunctionArtifact[] {
  return service.functions.map((fn) => ({
    service: service.name,
    functionId: fn.id,
    fileName: `${fn.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${'0'.repeat(16)}.zip`,
    archive: '',
    sha256: '0'.repeat(64),
    zippedSize: 0,
    unzippedSize: 0,
    handler: HANDLER,
  }));
}

function counts(template: Template, body = serializeTemplate(template)): StackCounts {
  return {
    resources: Object.keys(template.Resources).length,
    outputs: Object.keys(template.Outputs).length,
    parameters: Object.keys(template.Parameters).length,
    bytes: Buffer.byteLength(body, 'utf8'),
  };
}

function functionsIn(template: Template): number {
  return Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function').length;
}

function limitProblems(where: { child: string; functions: number } | undefined, measured: StackCounts): SpartaError[] {
  const problems: SpartaError[] = [];
  const over = (what: string, count: number, limit: number, top: () => SpartaError): void => {
    if (count <= limit) return;
    problems.push(where ? nestedStackOverLimit(where.child, what, count, limit, where.functions) : top());
  };
  over('resources', measured.resources, CLOUDFORMATION_LIMITS.resources, () => tooManyResources(measured.resources, CLOUDFORMATION_LIMITS.resources));
  over('outputs', measured.outputs, CLOUDFORMATION_LIMITS.outputs, () => tooManyOutputs(measured.outputs, CLOUDFORMATION_LIMITS.outputs));
  // The top stack's parameters are sparta's own few; a child's grow with what its functions read from outside it.
  if (where) over('parameters', measured.parameters, CLOUDFORMATION_LIMITS.parameters, () => tooManyOutputs(measured.parameters, CLOUDFORMATION_LIMITS.parameters));
  over('bytes of template', measured.bytes, CLOUDFORMATION_LIMITS.templateUrlBytes, () => templateTooLarge(measured.bytes, CLOUDFORMATION_LIMITS.templateUrlBytes));
  return problems;
}

interface Marshalled extends ServiceStacks {
  problems: SpartaError[];
  report: StackLimitsReport;
}

function marshal(service: ServiceManifest, artifacts: FunctionArtifact[]): Marshalled {
  const { template: flat, origins, problems, owners } = buildTemplate(service, artifacts);
  const flatBody = serializeTemplate(flat);
  const found = [...problems, ...checkReferences(flat, origins), ...checkCycles(flat, origins), ...checkEnvironments(flat, origins)];
  const flatCounts = counts(flat, flatBody);
  const limits = { resources: CLOUDFORMATION_LIMITS.resources, outputs: CLOUDFORMATION_LIMITS.outputs, parameters: CLOUDFORMATION_LIMITS.parameters, bytes: CLOUDFORMATION_LIMITS.templateUrlBytes };
  if (!needsNesting(flat, flatBody)) {
    return { template: flat, children: [], problems: found, report: { flat: flatCounts, top: flatCounts, children: [], limits } };
  }
  const { parent, children } = nestTemplate(flat, owners, service.name);
  const top = counts(parent);
  // A parent resource that a child reads and that reads the same child (a topic one function publishes to and that
  // names another function of that child) waits for itself only once nested: say so here, not mid-deployment.
  found.push(...checkCycles(parent, origins));
  found.push(...limitProblems(undefined, top));
  const childCounts = children.map((child) => ({ logicalId: child.logicalId, functions: functionsIn(child.template), ...counts(child.template, child.body) }));
  for (const child of childCounts) found.push(...limitProblems({ child: child.logicalId, functions: child.functions }, child));
  return { template: parent, children, problems: found, report: { flat: flatCounts, top, children: childCounts, limits } };
}

/**
 * The service's stacks. Throws the first SpartaError (SPARTA3xx) when they
 * could not deploy: a missing archive, a logical ID collision, a reference to
 * nothing, a dependency cycle, an environment over 4 KB, or a stack over
 * CloudFormation's limits even after nesting.
 */
export function marshalStacks(service: ServiceManifest, artifacts: FunctionArtifact[]): ServiceStacks {
  const { template, children, problems } = marshal(service, artifacts);
  if (problems.length > 0) throw problems[0];
  return { template, children };
}

/** What the service's stacks will hold, from the manifest alone, and what of it is over a limit. */
export function predictStackLimits(service: ServiceManifest): { report: StackLimitsReport; problems: SpartaError[] } {
  const { report, problems } = marshal(service, standInArtifacts(service));
  return { report, problems };
}

/** Throws what `marshalStacks` would, before anything is bundled. */
export function checkStackLimits(service: ServiceManifest): StackLimitsReport {
  const { report, problems } = predictStackLimits(service);
  if (problems.length > 0) throw problems[0];
  return report;
}
