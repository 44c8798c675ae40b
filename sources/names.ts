import { boundedName } from '../cli/template/ids';
import type { SourceLocation } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import type { OptionChecker, ServiceView, SourceEvent } from './types';

// A name the user gives a source (a rule's, a receipt rule's) becomes a
// physical name. Two rules apply to every such name:
// - it starts with the service, as function names do: the stack (stage) is
//   part of it, so two stacks in one account cannot collide;
// - a named source's identity (its logical ID's hash) is its name and what
//   CloudFormation cannot update in place, so an edit that CloudFormation
//   would meet by creating a second resource under the same name (which it
//   refuses) updates the one resource instead. A new name is a new resource
//   under a new name, which never collides with the old one.

/** `<service>-<name>`, within `maxLength` by the rule for every derived name (boundedName). */
export function physicalName(service: string, name: string, maxLength: number, disallowed: RegExp): string {
  return boundedName(`${service}-${name}`, maxLength, disallowed);
}

/** Source order across files: the later of two clashing declarations is the one reported. */
export function isBefore(a: SourceLocation, b: SourceLocation): boolean {
  if (a.file !== b.file) return a.file < b.file;
  return a.line !== b.line ? a.line < b.line : a.column < b.column;
}

/**
 * Reports `event` (SPARTA037, at `name`) when an earlier event of `kinds` in
 * the service has the same name: both would get the same physical name.
 */
export function checkUniqueName<E extends SourceEvent & { name?: string }>(
  event: E,
  service: ServiceView,
  check: OptionChecker,
  where: { kinds: readonly string[]; what: string; noun: string },
): void {
  if (event.name === undefined) return;
  for (const fn of service.functions) {
    for (const other of fn.events as ReadonlyArray<SourceEvent & { name?: string }>) {
      if (other === event || !where.kinds.includes(other.kind) || other.name !== event.name || !isBefore(other.source, event.source)) continue;
      check.fail(
        DiagnosticCode.DUPLICATE_SOURCE_NAME,
        'name',
        `${where.what} names its ${where.noun} ${JSON.stringify(event.name)}, as ${fn.id} does at ${other.source.file}:${other.source.line}`,
        `both would be ${service.name}-${event.name}: give each ${where.noun} of service ${service.name} its own name`,
      );
      return;
    }
  }
}
