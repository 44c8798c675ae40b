import { resolveLambdaSettings } from '../../manifest/defaults';
import type { EventSourceManifest, FunctionManifest, Manifest, PrivilegeManifest, ServiceManifest } from '../../manifest/types';
import { predictStackLimits, type StackCounts } from '../template/limits';
import { sourceOf } from '../../sources';
import { renderTable, type Cell } from '../output/table';
import { describeEvent, describeExpression, describePrivilege } from './describe-values';
import { routesText } from './routes';

// The table row says what fits in a column; what the manifest holds besides
// (DependsOn, description, environment, tags, role, concurrency, logs, rule
// names, inputs, filter policies, conditions) goes on indented lines right
// under the row, so nothing `explain --format json` shows is missing here.
// Free text is JSON-quoted: a newline in it cannot break the table.

const DETAIL_INDENT = '      ';

function pairs(values: Record<string, string> | undefined): string {
  return Object.keys(values ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(values![key])}`)
    .join(', ');
}

function eventDetail(event: EventSourceManifest): string | undefined {
  const parts = sourceOf(event).details(event);
  return parts.length === 0 ? undefined : `${describeEvent(event)}: ${parts.join(', ')}`;
}

function privilegeDetail(privilege: PrivilegeManifest): string | undefined {
  return privilege.condition === undefined ? undefined : `${describePrivilege(privilege)}: condition ${JSON.stringify(privilege.condition)}`;
}

/** The lines under a function's row. */
function functionDetails(fn: FunctionManifest): string[] {
  const { options } = fn;
  const settings = resolveLambdaSettings(fn.options);
  const lines: string[] = [];
  if (options.description !== undefined) lines.push(`description: ${JSON.stringify(options.description)}`);
  if (fn.dependsOn.length > 0) lines.push(`DependsOn: ${fn.dependsOn.join(', ')}`);
  if (options.environment !== undefined && Object.keys(options.environment).length > 0) lines.push(`environment: ${pairs(options.environment)}`);
  if (options.tags !== undefined && Object.keys(options.tags).length > 0) lines.push(`tags: ${pairs(options.tags)}`);
  if (options.role !== undefined) lines.push(`role: ${describeExpression(options.role)} (existing, none generated)`);
  if (options.reservedConcurrency !== undefined) lines.push(`reserved concurrency: ${options.reservedConcurrency}`);
  // Only the format that is not the default: what explain said before formats stays as it was.
  if (options.format === 'esm') lines.push('format: ES modules (index.mjs)');
  lines.push(`logs: kept ${settings.logRetentionDays} days, level ${settings.logLevel}`);
  for (const event of fn.events) {
    const detail = eventDetail(event);
    if (detail !== undefined) lines.push(`event ${detail}`);
  }
  for (const privilege of fn.privileges) {
    const detail = privilegeDetail(privilege);
    if (detail !== undefined) lines.push(`privilege ${detail}`);
  }
  return lines;
}

/** How many lines renderTable gives a row: its tallest cell (an empty list is one `-`). */
function rowHeight(row: Cell[]): number {
  return Math.max(...row.map((cell) => (Array.isArray(cell) ? Math.max(cell.length, 1) : 1)));
}

function functionTable(functions: FunctionManifest[]): string {
  const rows: Cell[][] = functions.map((fn) => {
    const settings = resolveLambdaSettings(fn.options);
    return [
      fn.id,
      `${settings.memorySize} MB`,
      `${settings.timeout} s`,
      `${settings.runtime} ${settings.architecture}`,
      fn.events.map(describeEvent),
      fn.privileges.map(describePrivilege),
      `${fn.source.file}:${fn.source.line}`,
    ];
  });
  const rendered = renderTable(['FUNCTION', 'MEMORY', 'TIMEOUT', 'RUNTIME', 'EVENTS', 'PRIVILEGES', 'SOURCE'], rows, '  ').split('\n');
  const out = [rendered[0]];
  let next = 1;
  rows.forEach((row, index) => {
    const height = rowHeight(row);
    out.push(...rendered.slice(next, next + height));
    next += height;
    out.push(...functionDetails(functions[index]).map((line) => `${DETAIL_INDENT}${line}`));
  });
  return `${out.join('\n')}\n`;
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * What the service's stacks will hold against CloudFormation's limits
 * (in brackets), from the manifest alone: the same template code the build
 * runs, with stand-in archives. A problem is printed, not thrown: explain
 * shows a service as it is.
 */
export function stackText(service: ServiceManifest): string {
  const { report, problems } = predictStackLimits(service);
  const { limits } = report;
  const measure = (counts: StackCounts) =>
    `${counts.resources} resources [${limits.resources}], ${counts.outputs} outputs [${limits.outputs}], ${counts.parameters} parameters [${limits.parameters}], ~${kib(counts.bytes)} template [${kib(limits.bytes)}]`;
  const lines: string[] = [];
  if (report.children.length === 0) lines.push(`  one stack: ${measure(report.top)}`);
  else {
    const fullest = report.children.reduce((most, child) => (child.resources > most.resources ? child : most));
    lines.push(
      `  over one stack (as one: ${report.flat.resources} resources): ${service.functions.length} functions nested in ${report.children.length} child stacks by a hash of each function's logical ID`,
      `  parent: ${measure(report.top)}`,
      `  fullest child, ${fullest.logicalId} (${fullest.functions} functions): ${measure(fullest)}`,
    );
  }
  for (const problem of problems) lines.push(`  ${problem.code}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}

/** Per service: the functions with their settings, event sources and privileges (details under each), the routes of its APIs, the resources, then the stack limits. */
export function renderManifestText(manifest: Manifest): string {
  if (manifest.services.length === 0) return 'No @Service classes found.\n';
  return manifest.services
    .map((service) => {
      const title = `Service ${service.name}${service.stage !== undefined ? ` (stage ${service.stage})` : ''}${service.description ? `: ${service.description}` : ''}`;
      const functions = functionTable(service.functions);
      const resources =
        service.resources.length === 0
          ? '  (none)\n'
          : renderTable(
              ['RESOURCE', 'TYPE', 'SOURCE'],
              service.resources.map((resource) => [resource.logicalId, resource.declaration.Type, `${resource.source.file}:${resource.source.line}`]),
              '  ',
            );
      const routes = routesText(service);
      return `${title}\n\nFunctions (${service.functions.length})\n${functions}\n${routes === undefined ? '' : `${routes}\n`}Resources (${service.resources.length})\n${resources}\nStack\n${stackText(service)}`;
    })
    .join('\n');
}
