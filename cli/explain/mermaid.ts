import type { Expression, Manifest } from '../../manifest/types';
import { sourceOf } from '../../sources';
import { referencedResource } from '../../sources/targets';
import { describeExpression } from './describe-values';

// A Mermaid flowchart of each service: resources, event sources and
// functions, with an edge for each source (as its module draws it), privilege
// and DependsOn. An API is one node of the service, an edge a route to the
// function behind it.

export function renderManifestMermaid(manifest: Manifest): string {
  const lines = ['flowchart LR'];
  for (const service of manifest.services) {
    const prefix = id(service.name);
    const nodes = new Map<string, string>();
    const edges: string[] = [];
    const node = (key: string, shape: string) => {
      if (!nodes.has(key)) nodes.set(key, shape);
      return key;
    };
    const resourceNode = (logicalId: string) => {
      const type = service.resources.find((resource) => resource.logicalId === logicalId)?.declaration.Type ?? '';
      return node(`${prefix}_res_${id(logicalId)}`, `[("${label(logicalId)}<br/>${label(type)}")]`);
    };
    const targetNode = (expression: Expression) => {
      const target = referencedResource(expression);
      if (target && !target.includes('::')) return resourceNode(target);
      return node(`${prefix}_ext_${id(describeExpression(expression))}`, `>"${label(describeExpression(expression))}"]`);
    };
    for (const resource of service.resources) resourceNode(resource.logicalId);
    for (const fn of service.functions) {
      const fnNode = node(`${prefix}_fn_${id(fn.id)}`, `["λ ${label(fn.id)}"]`);
      fn.events.forEach((event, index) => {
        const edge = sourceOf(event).edge(event, service);
        const from =
          'from' in edge
            ? targetNode(edge.from)
            : 'shared' in edge
              ? node(`${prefix}_api_${id(edge.shared)}`, `{{"${label(edge.shared)}"}}`)
              : node(`${fnNode}_event_${index}`, `(["${label(edge.text)}"])`);
        edges.push(`${from} -->|${edgeLabel(edge.label)}| ${fnNode}`);
      });
      for (const privilege of fn.privileges) {
        for (const resource of ([] as Expression[]).concat(privilege.resource)) {
          edges.push(`${fnNode} -.->|"${label(privilege.actions.join(', '))}"| ${targetNode(resource)}`);
        }
      }
      for (const dependency of fn.dependsOn) edges.push(`${fnNode} ==>|DependsOn| ${resourceNode(dependency)}`);
    }
    lines.push(`  subgraph ${prefix}["${label(service.name)}"]`);
    for (const [key, shape] of nodes) lines.push(`    ${key}${shape}`);
    for (const edge of edges) lines.push(`    ${edge}`);
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid node IDs: letters, digits and underscores. */
function id(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '_');
}

/** Words as they are; anything else (a route's `/` and `{id}`, `$connect`) quoted, which Mermaid reads literally. */
function edgeLabel(text: string): string {
  return /^[A-Za-z0-9 _-]+$/.test(text) ? text : `"${label(text)}"`;
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}
