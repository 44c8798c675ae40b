import type { EventSourceManifest, Expression, PrivilegeManifest } from '../../manifest/types';
import { sourceOf } from '../../sources';
import { describeExpression } from '../../sources/describe';

// Short, readable forms of manifest values, shared by the text and Mermaid views.

export { describeExpression };

/** The EVENTS cell: each source says it its own way (sources/). */
export function describeEvent(event: EventSourceManifest): string {
  return sourceOf(event).describe(event);
}

export function describePrivilege(privilege: PrivilegeManifest): string {
  const resources = ([] as Expression[]).concat(privilege.resource).map(describeExpression).join(', ');
  return `${privilege.actions.join(', ')} on ${resources}${privilege.condition ? ' (conditional)' : ''}`;
}
