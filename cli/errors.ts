// Every error sparta reports on purpose has a code and a fix-it hint. Codes
// are never renumbered or reused: a retired code stays listed as retired.
// Compile-time diagnostics (SPARTA0xx) live in transformer/diagnostics.ts;
// the CLI's codes start at 100.

const BRAND = Symbol.for('sparta.SpartaError');

export const ErrorCode = {
  // 1xx: project and input
  PROJECT_NOT_FOUND: 'SPARTA101',
  SERVICE_NOT_FOUND: 'SPARTA102',
  SERVICE_REQUIRED: 'SPARTA103',
  MANIFEST_INVALID: 'SPARTA104',
  FUNCTION_NOT_FOUND: 'SPARTA105',
  BAD_FLAG: 'SPARTA106',
  BUCKET_NAME_INVALID: 'SPARTA107',
  PROFILE_NOT_FOUND: 'SPARTA108',
  // 2xx: build and package
  BUNDLE_FAILED: 'SPARTA201',
  ARCHIVE_TOO_LARGE: 'SPARTA202',
  BUILD_NOT_FOUND: 'SPARTA203',
  TYPE_ERRORS: 'SPARTA204',
  // 3xx: template
  TEMPLATE_TOO_LARGE: 'SPARTA301',
  TOO_MANY_RESOURCES: 'SPARTA302',
  DANGLING_REFERENCE: 'SPARTA303',
  DISCOVERY_TOO_LARGE: 'SPARTA304',
  TOO_MANY_OUTPUTS: 'SPARTA305',
  LOGICAL_ID_COLLISION: 'SPARTA306',
  ARTIFACT_NOT_FOUND: 'SPARTA307',
  DEPENDENCY_CYCLE: 'SPARTA308',
  // 4xx: converge (AWS)
  BUCKET_NOT_FOUND: 'SPARTA401',
  ENDPOINT_UNREACHABLE: 'SPARTA402',
  ROLE_NOT_FOUND: 'SPARTA403',
  STACK_FAILED: 'SPARTA404',
  STACK_NOT_UPDATABLE: 'SPARTA405',
  STACK_NOT_FOUND: 'SPARTA406',
  WAIT_TIMEOUT: 'SPARTA407',
  AWS_ERROR: 'SPARTA408',
  CHANGE_SET_FAILED: 'SPARTA409',
  AWS_RESPONSE_UNREADABLE: 'SPARTA410',
  INTERRUPTED: 'SPARTA411',
  // 5xx: local invoke
  INVOKE_FAILED: 'SPARTA501',
  INVOKE_TIMEOUT: 'SPARTA502',
  EVENT_INVALID: 'SPARTA503',
  FUNCTION_AMBIGUOUS: 'SPARTA504',
  // 6xx: thrown inside a function by runtime/ (which cannot import this file;
  // runtime/discover.ts repeats the literals). Listed so no code is reused.
  NOT_IN_LAMBDA: 'SPARTA601',
  DISCOVERY_MISSING: 'SPARTA602',
  DISCOVERY_INVALID: 'SPARTA603',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class SpartaError extends Error {
  /** Makes clipanion print `name: message` without a stack trace. */
  readonly clipanion = { type: 'none' as const };

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(hint ? `${code}: ${message}\n  hint: ${hint}` : `${code}: ${message}`);
    this.name = 'SpartaError';
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Works across copies of this module (brand, not instanceof). */
  static is(value: unknown): value is SpartaError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

export function spartaError(code: ErrorCode, message: string, hint?: string): SpartaError {
  return new SpartaError(code, message, hint);
}
