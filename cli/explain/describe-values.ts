import type { EventSourceManifest, Expression, PrivilegeManifest } from '../../manifest/types';

// Short, readable forms of manifest values, shared by the text and Mermaid views.

export function describeExpression(expression: Expression): string {
  if (typeof expression === 'string') return expression;
  if ('Ref' in expression) return `Ref(${expression.Ref})`;
  if ('Fn::GetAtt' in expression) return `GetAtt(${expression['Fn::GetAtt'].join('.')})`;
  return `Sub(${expression['Fn::Sub']})`;
}

export function describeEvent(event: EventSourceManifest): string {
  switch (event.kind) {
    case 'schedule':
      return `schedule ${event.schedule}`;
    case 'pattern':
      return `pattern ${JSON.stringify(event.pattern)}`;
    case 'sns':
      return `sns ${describeExpression(event.topic)}${event.filterPolicy ? ' (filtered)' : ''}`;
  }
}

export function describePrivilege(privilege: PrivilegeManifest): string {
  const resources = ([] as Expression[]).concat(privilege.resource).map(describeExpression).join(', ');
  return `${privilege.actions.join(', ')} on ${resources}${privilege.condition ? ' (conditional)' : ''}`;
}
