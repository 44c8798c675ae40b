/**
 * Logical IDs and physical names.
 *
 * CloudFormation replaces a resource whose logical ID changes, so each ID is
 * derived from what identifies the resource and from nothing else:
 *
 * | resource                  | logical ID                                   |
 * |---------------------------|----------------------------------------------|
 * | function                  | `<Fn>` = `<Class><Method><h>`                |
 * | its log group, role, policy | `<Fn>LogGroup`, `<Fn>Role`, `<Fn>Policy`   |
 * | an event source           | `<Fn><Part><h>` (`<Fn>Rule<h>`, `<Fn>Subscription<h>`) |
 * | what else the source adds | `<Fn><Part><h><Suffix>` (`...Permission`)    |
 * | output                    | `ServiceName`                                |
 * | nested stack (over a stack's limits) | `Functions<slot>` (cli/template/nested.ts) |
 * | parameter                 | `ArtifactBucket`                             |
 *
 * - `<Class><Method>` is the class and method name with every character
 *   outside `A-Za-z0-9` dropped and the first letter of each upper-cased,
 *   cut to 64 characters (prefixed `Fn` if it would not start with a letter).
 *   It is there for people; uniqueness comes from `<h>`.
 * - `<h>` is the first 8 hex digits of a SHA-256:
 *   - function: of `<service>/<Class>.<method>`. Code, options, privileges and
 *     events do not enter it: editing a function updates it in place;
 *     renaming its class, method or service replaces it.
 *   - event source: of the key-sorted JSON of what identifies it, which its
 *     module (sources/) gives as `identity` beside its `<Part>`: a rule's
 *     `{schedule | pattern, input, name}`, a subscription's topic. Changing
 *     what identifies a source swaps it for a new one (created before the old
 *     one is deleted); any other option (a description, a filter policy, a
 *     batch size) updates it in place.
 * - Every ID is alphanumeric and at most 64 + 8 + 16 + 8 + 16 = 112 characters
 *   (CloudFormation allows 255), as long as `<Part>` and `<Suffix>` stay
 *   within 16.
 *
 * Function names are `<service>-<Class>-<method>`. When that is over
 * Lambda's 64 characters or holds characters Lambda does not accept
 * (anything but `A-Za-z0-9_-`), the name becomes its first characters (others
 * replaced by `_`) followed by `-` and the 8-hex hash of the full name, 64
 * characters in all. The log group is `/aws/lambda/<function name>`.
 */
import { createHash } from 'node:crypto';
import { LAMBDA_LIMITS } from '../../manifest/defaults';
import type { EventSourceManifest, FunctionManifest } from '../../manifest/types';
import { sourceOf } from '../../sources';
import { stableStringify } from './serialize';

const READABLE_LENGTH = 64;
const HASH_LENGTH = 8;

export { ARTIFACT_BUCKET_PARAMETER, SERVICE_NAME_OUTPUT } from '../../manifest/template-names';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

function alphanumericPascal(name: string): string {
  const kept = name.replace(/[^A-Za-z0-9]/g, '');
  return kept.charAt(0).toUpperCase() + kept.slice(1);
}

export function functionLogicalId(service: string, className: string, methodName: string): string {
  let readable = alphanumericPascal(className) + alphanumericPascal(methodName);
  if (!/^[A-Za-z]/.test(readable)) readable = `Fn${readable}`;
  return readable.slice(0, READABLE_LENGTH) + shortHash(`${service}/${className}.${methodName}`);
}

/** The logical IDs of everything one function brings into the stack. */
export interface FunctionIds {
  function: string;
  logGroup: string;
  role: string;
  policy: string;
}

export function functionIds(fn: Pick<FunctionManifest, 'service' | 'className' | 'methodName'>): FunctionIds {
  const id = functionLogicalId(fn.service, fn.className, fn.methodName);
  return {
    function: id,
    logGroup: `${id}LogGroup`,
    role: `${id}Role`,
    policy: `${id}Policy`,
  };
}

/** `<Fn><idPart><h>`: `<h>` hashes what identifies the source (its module's `identity`), nothing else. */
export function sourceLogicalId(functionId: string, event: EventSourceManifest): string {
  const source = sourceOf(event);
  return `${functionId}${source.idPart}${shortHash(stableStringify(source.identity(event)))}`;
}

/**
 * `name` itself when it fits `maxLength` and has no `disallowed` character; else its first
 * characters (each disallowed one replaced by `_`), `-` and the 8-hex hash of the whole name,
 * `maxLength` in all. The one rule for every name sparta derives under a length limit.
 */
export function boundedName(name: string, maxLength: number, disallowed: RegExp): string {
  const safe = name.replace(new RegExp(disallowed.source, 'g'), '_');
  if (safe === name && name.length <= maxLength) return name;
  const suffix = `-${shortHash(name)}`;
  return safe.slice(0, maxLength - suffix.length) + suffix;
}

export function functionName(service: string, className: string, methodName: string): string {
  return boundedName(`${service}-${className}-${methodName}`, LAMBDA_LIMITS.functionName, /[^A-Za-z0-9_-]/);
}

export function logGroupName(name: string): string {
  return `/aws/lambda/${name}`;
}
