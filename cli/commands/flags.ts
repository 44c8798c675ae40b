import { UsageError } from 'clipanion';

/** A flag with a value outside its allowed set: clipanion prints it with the command's usage. */
export function badFlag(flag: string, value: string, allowed: readonly string[]): UsageError {
  return new UsageError(`${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}

/**
 * What the help shows after an option that takes a value (`--project PATH`), by its long name.
 * clipanion 3 has no way to name it (it prints `#0`): the CLI puts these in its place. An option
 * not listed here shows its own name in capitals (`--topic` → `--topic TOPIC`).
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '--project': 'PATH',
  '--service': 'NAME',
  '--stage': 'NAME',
  '--out': 'DIR',
  '--profile': 'NAME',
  '--endpoint-url': 'URL',
  '--s3-bucket': 'BUCKET',
  '--timeout': 'DURATION',
  '--event': 'FILE',
  '--env': 'KEY=VALUE',
  '--topic': 'ARN',
  '--subject': 'TEXT',
  '--message': 'TEXT',
  '--rule': 'NAME',
  '--since': 'DURATION',
  '--filter': 'PATTERN',
  '--set': 'KEY=VALUE',
};

/** The placeholder of the option named `names` (`--out,-o`). */
export function placeholderOf(names: readonly string[]): string {
  const long = names.find((name) => name.startsWith('--')) ?? names[0];
  return PLACEHOLDERS[long] ?? long.replace(/^-+/, '').replace(/-/g, '_').toUpperCase();
}

/**
 * A usage text with clipanion's value markers (`--out,-o #0`) replaced by the options'
 * placeholders (`--out,-o DIR`); the markers appear nowhere else in it.
 */
export function namePlaceholders(usage: string): string {
  return usage.replace(/(-[\w-]+(?:,-[\w-]+)*)((?: #\d+)+)/g, (_, names: string, markers: string) => {
    const placeholder = placeholderOf(names.split(','));
    return names + markers.replace(/#\d+/g, placeholder);
  });
}
