// Finding the logical IDs a value points at: the discovery document needs the
// resources a function's privileges name, and the checks need every
// reference in the template. Understands Ref, Fn::GetAtt (both forms),
// Fn::Sub (both forms, `${!Literal}` escapes, its own variables) and the
// condition names of Fn::If.

export type ReferenceKind = 'Ref' | 'GetAtt' | 'Sub' | 'Condition';

export interface Reference {
  kind: ReferenceKind;
  logicalId: string;
  /** The attribute of `GetAtt` or `${Id.Attr}`. */
  attribute?: string;
}

/** `AWS::Region` and friends: always defined, never a resource. */
export function isPseudoParameter(name: string): boolean {
  return name.startsWith('AWS::');
}

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function subReferences(text: string, locals: ReadonlySet<string>, out: Reference[]): void {
  for (const match of text.matchAll(SUB_VARIABLE)) {
    const name = match[1].trim();
    if (name.startsWith('!') || locals.has(name) || isPseudoParameter(name)) continue;
    const dot = name.indexOf('.');
    if (dot === -1) out.push({ kind: 'Sub', logicalId: name });
    else out.push({ kind: 'Sub', logicalId: name.slice(0, dot), attribute: name.slice(dot + 1) });
  }
}

/** Every reference inside `value`, in document order (pseudo parameters left out). */
export function collectReferences(value: unknown, out: Reference[] = []): Reference[] {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = object[key];
    if (key === 'Ref' && typeof argument === 'string') {
      if (!isPseudoParameter(argument)) out.push({ kind: 'Ref', logicalId: argument });
      return out;
    }
    if (key === 'Fn::GetAtt') {
      if (Array.isArray(argument) && typeof argument[0] === 'string') {
        out.push({ kind: 'GetAtt', logicalId: argument[0], attribute: typeof argument[1] === 'string' ? argument[1] : undefined });
        // The attribute name may itself be an intrinsic.
        collectReferences(argument.slice(1), out);
        return out;
      }
      if (typeof argument === 'string') {
        const dot = argument.indexOf('.');
        out.push(dot === -1 ? { kind: 'GetAtt', logicalId: argument } : { kind: 'GetAtt', logicalId: argument.slice(0, dot), attribute: argument.slice(dot + 1) });
        return out;
      }
    }
    if (key === 'Fn::Sub') {
      if (typeof argument === 'string') {
        subReferences(argument, new Set(), out);
        return out;
      }
      if (Array.isArray(argument) && typeof argument[0] === 'string') {
        const variables = (argument[1] ?? {}) as Record<string, unknown>;
        subReferences(argument[0], new Set(Object.keys(variables)), out);
        collectReferences(variables, out);
        return out;
      }
    }
    if (key === 'Fn::If' && Array.isArray(argument) && typeof argument[0] === 'string') {
      out.push({ kind: 'Condition', logicalId: argument[0] });
      collectReferences(argument.slice(1), out);
      return out;
    }
  }
  for (const key of keys) collectReferences(object[key], out);
  return out;
}
