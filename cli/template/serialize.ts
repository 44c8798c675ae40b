import type { Template } from './types';

// Byte-stable JSON: the template is uploaded and diffed by CloudFormation, and
// an unchanged service must give unchanged bytes whatever order the manifest's
// objects were read in. Keys are sorted by UTF-16 code unit (never
// localeCompare, which depends on the machine's locale); arrays keep their
// order because in CloudFormation it means something.

const TOP_LEVEL_ORDER = ['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Conditions', 'Resources', 'Outputs'];
const RESOURCE_ORDER = ['Type', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'Properties'];

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy with every object's keys in sorted order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byCodeUnit)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = canonical(item);
  }
  return out;
}

/** Compact, key-sorted JSON: the input of every content hash. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/** `preferred` keys first, in that order; the rest sorted. */
function ordered(value: Record<string, unknown>, preferred: string[], inner: (key: string, item: unknown) => unknown): Record<string, unknown> {
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  const first = preferred.filter((key) => keys.includes(key));
  const rest = keys.filter((key) => !preferred.includes(key)).sort(byCodeUnit);
  const out: Record<string, unknown> = {};
  for (const key of [...first, ...rest]) out[key] = inner(key, value[key]);
  return out;
}

/**
 * The template as uploaded: two-space JSON with a final newline. Sections and
 * resource attributes come in the order people expect to read them; every
 * other object is key-sorted.
 */
export function serializeTemplate(template: Template): string {
  const document = ordered(template as unknown as Record<string, unknown>, TOP_LEVEL_ORDER, (section, body) => {
    if (section !== 'Resources') return canonical(body);
    const resources = body as Record<string, Record<string, unknown>>;
    return ordered(resources, [], (_id, resource) => ordered(resource as Record<string, unknown>, RESOURCE_ORDER, (_key, item) => canonical(item)));
  });
  return `${JSON.stringify(document, null, 2)}\n`;
}
