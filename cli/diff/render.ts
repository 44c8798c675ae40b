import type { PropertyChange, ResourceChange, TemplateDiff } from './compare';
import { showValue } from './security';

// `sparta diff` as text: the resources as `cdk diff` lists them ([+] added,
// [-] removed, [~] modified, with the property paths under each), then the
// security section. One line a change, plain: it is read in CI logs too.

const MARK = { add: '[+]', remove: '[-]', modify: '[~]' } as const;

function propertyLine(change: PropertyChange): string {
  const verdict = change.replaces === true ? ' (replaces)' : change.replaces === false ? '' : ' (may replace)';
  const before = change.before === undefined ? '(none)' : showValue(change.before);
  const after = change.after === undefined ? '(none)' : showValue(change.after);
  return `      ${change.path}: ${before} -> ${after}${verdict}`;
}

function resourceLines(change: ResourceChange): string[] {
  const replacement = change.replacement ? '  REPLACEMENT' : '';
  return [`  ${MARK[change.change]} ${change.type} ${change.logicalId}${replacement}`, ...change.properties.map(propertyLine)];
}

export function renderDiff(stackName: string, diff: TemplateDiff): string {
  const lines: string[] = [];
  if (!diff.stackExists) lines.push(`Stack ${stackName} is not deployed: everything below would be created.`, '');
  if (diff.resources.length === 0 && diff.outputs.length === 0) return `Stack ${stackName}: no differences.\n`;
  lines.push(`Resources (${diff.resources.length})`);
  for (const change of diff.resources) lines.push(...resourceLines(change));
  if (diff.outputs.length > 0) {
    lines.push('', `Outputs (${diff.outputs.length})`);
    for (const output of diff.outputs) lines.push(`  ${MARK[output.change]} ${output.name}`);
  }
  lines.push('', `Security: what widens (${diff.security.length})`);
  if (diff.security.length === 0) lines.push('  nothing: no new grant, caller or event source');
  for (const change of diff.security) lines.push(`  [+] ${change.kind} ${change.logicalId}: ${change.text}${change.wildcard ? '  WILDCARD' : ''}`);
  return `${lines.join('\n')}\n`;
}
