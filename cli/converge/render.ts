// Text for people: converge's messages and a stack description as lines.
import type { Writable } from 'node:stream';
import type { StackDescription } from './describe';
import type { ConvergeIo, ConvergeMessage, ResourceChangeSummary, StackActivity } from './messages';

function time(date: Date): string {
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toISOString().slice(11, 19);
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 / 1024).toFixed(1)} MB`;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

export function changeRows(changes: ResourceChangeSummary[]): string[][] {
  return changes.map((change) => [
    change.action,
    change.resourceType,
    change.logicalId,
    change.action === 'Modify' && change.replacement ? `replacement: ${change.replacement}` : '',
  ]);
}

function eventLine(event: StackActivity): string {
  return [time(event.timestamp), event.logicalId, event.resourceType, event.status, event.reason ?? ''].join('  ').trimEnd();
}

export function renderMessage(message: ConvergeMessage): string[] {
  switch (message.type) {
    case 'roles-verified':
      return [`roles verified: ${message.roleArns.join(', ')}`];
    case 'artifact':
      if (message.action === 'replaced') return [`replaced s3://${message.bucket}/${message.key} (its content did not match)`];
      return message.action === 'uploaded' ? [`uploaded ${message.key}${message.bytes !== undefined ? ` (${bytes(message.bytes)})` : ''}`] : [];
    case 'artifacts-done':
      return [`artifacts: ${message.uploaded} uploaded, ${message.replaced > 0 ? `${message.replaced} replaced, ` : ''}${message.present} already in s3://${message.bucket}`];
    case 'template':
      return [`template: ${message.action === 'present' ? 'already in S3' : message.action === 'replaced' ? 'replaced (its content did not match)' : 'uploaded'} ${message.url}`];
    case 'stack-adopted':
      return [`stack ${message.stackName} has no project identity but a sparta template (an earlier sparta deployed it); tagging it as ${message.identity}`];
    case 'stack-taken-over':
      return [`--force: taking stack ${message.stackName} over from ${message.owner}; it becomes ${message.identity}`];
    case 'destructive-changes':
      return [`these changes remove or replace resources of ${message.stackName}:`, ...table(changeRows(message.changes)).map((line) => `  ${line}`)];
    case 'waiting-for-stack':
      return [`stack ${message.stackName} is ${message.status}; waiting for that operation to finish`];
    case 'replacing-failed-stack':
      return [`stack ${message.stackName} is ${message.status}; deleting it to create it anew (--replace-failed)`];
    case 'no-changes':
      return [`no changes: ${message.stackName} is up to date (${message.reason})`];
    case 'change-set':
      return [
        `change set ${message.changeSetName} (${message.changeSetType}) for ${message.stackName}: ${message.changes.length} change${message.changes.length === 1 ? '' : 's'}`,
        ...table(changeRows(message.changes)).map((line) => `  ${line}`),
      ];
    case 'preview-uploads':
      return [
        message.templateInline
          ? `--noop: nothing uploaded (${message.archives} archive${message.archives === 1 ? '' : 's'} and the template stay local; the template goes to CloudFormation inline)`
          : `--noop: no archive uploaded; the template is over CloudFormation's 51,200-byte inline limit, so the preview needs it in S3`,
      ];
    case 'preview-only':
      return [`--noop: nothing executed; the change set was discarded`];
    case 'executing':
      return [`executing ${message.changeSetName} on ${message.stackName}`];
    case 'deleting':
      return [`deleting stack ${message.stackName}`];
    case 'stack-event':
      return [`  ${eventLine(message.event)}`];
    case 'stack-failures':
      return message.failures.length === 0
        ? [`stack ${message.stackName} ended in ${message.status}`]
        : [`stack ${message.stackName} ended in ${message.status}; failed resources:`, ...table(message.failures.map((f) => [f.logicalId, f.resourceType, f.status, f.reason ?? ''])).map((line) => `  ${line}`)];
    case 'stack-complete': {
      const lines = [`stack ${message.stackName}: ${message.status}`];
      const outputs = Object.entries(message.outputs).sort(([a], [b]) => a.localeCompare(b));
      if (outputs.length > 0) lines.push('outputs:', ...table(outputs.map(([key, value]) => [key, value])).map((line) => `  ${line}`));
      if (message.functions.length > 0) lines.push('functions:', ...table(message.functions.map((f) => [f.logicalId, f.name])).map((line) => `  ${line}`));
      return lines;
    }
    case 'artifacts-purged':
      return [`purged ${message.count} object${message.count === 1 ? '' : 's'} under s3://${message.bucket}/${message.prefix}`];
    case 'purge-skipped':
      return [`purged nothing under s3://${message.bucket}/${message.prefix}: ${message.reason}`];
    case 'hotswap-fallback':
      return [`--hotswap: not possible (${message.reason}); provisioning ${message.stackName} with a change set`];
    case 'function-hotswapped': {
      const what = [...(message.code ? ['code'] : []), ...(message.environment.length > 0 ? [`environment ${message.environment.join(', ')}`] : [])];
      return [`hotswapped ${message.name}: ${what.join(' and ')}`];
    }
    case 'hotswap-drift':
      return [`stack ${message.stackName} has drifted from its template (it still names the old code) until the next provision without --hotswap`];
  }
}

/**
 * Progress (uploads, change sets, stack events) goes to `progress`, stderr in
 * the CLI; the settled stack's outputs and functions are the command's result
 * and go to `result`, stdout, so a script can read them apart from the noise.
 */
export function textIo(progress: Writable, result: Writable = progress): ConvergeIo {
  return {
    emit(message) {
      const out = message.type === 'stack-complete' ? result : progress;
      for (const line of renderMessage(message)) out.write(`${line}\n`);
    },
  };
}

export function renderDescription(description: StackDescription): string {
  const lines = [
    `stack:        ${description.stackName}`,
    `status:       ${description.status}${description.statusReason ? ` (${description.statusReason})` : ''}`,
    `last updated: ${description.lastUpdatedAt ?? 'unknown'}`,
  ];
  const outputs = Object.entries(description.outputs).sort(([a], [b]) => a.localeCompare(b));
  lines.push('outputs:', ...(outputs.length > 0 ? table(outputs).map((line) => `  ${line}`) : ['  (none)']));
  // An entry with neither logical ID nor type names nothing: moto lists one for each resource type it silently did not create.
  const named = description.resources.filter((r) => r.logicalId || r.type);
  const unnamed = description.resources.length - named.length;
  lines.push(
    'resources:',
    ...table([['LOGICAL ID', 'TYPE', 'PHYSICAL ID', 'STATUS'], ...named.map((r) => [r.logicalId || '-', r.type || '-', r.physicalId || '-', r.status])]).map((line) => `  ${line}`),
  );
  if (unnamed > 0) {
    lines.push(`  (and ${unnamed} entr${unnamed === 1 ? 'y' : 'ies'} with no logical ID or type: the endpoint reports a resource it did not create, as moto does for types it does not model)`);
  }
  return `${lines.join('\n')}\n`;
}
