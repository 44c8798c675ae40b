import { DISCOVERY_ENV } from '../manifest/environment';
import type { DiscoveredResource, DiscoveryDocument } from '../manifest/discovery';

// The template stage resolves the discovery document with Fn::Sub into one
// environment variable; this parses it once per container. The codes are
// listed with the CLI's in cli/errors.ts (6xx), which runtime/ cannot import.

export type DiscoveryErrorCode = 'SPARTA601' | 'SPARTA602' | 'SPARTA603';

export class DiscoveryError extends Error {
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DiscoveryError';
  }
}

let cached: { raw: string; document: DiscoveryDocument } | undefined;

/**
 * The stack this function runs in and the resources it depends on, keyed by
 * logical ID. Throws a `DiscoveryError` when not running in a sparta-deployed
 * function (or `sparta invoke`), or when the document is malformed.
 */
export function discover(): DiscoveryDocument {
  const raw = process.env[DISCOVERY_ENV];
  if (cached !== undefined && cached.raw === raw) return cached.document;
  if (raw === undefined || raw === '') {
    if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) {
      throw new DiscoveryError(
        'SPARTA601',
        `discover() runs only inside a Lambda function deployed by sparta (or \`sparta invoke\`): ${DISCOVERY_ENV} is not set and AWS_LAMBDA_FUNCTION_NAME is not either. In a test, set ${DISCOVERY_ENV} to a discovery document.`,
      );
    }
    throw new DiscoveryError(
      'SPARTA602',
      `${DISCOVERY_ENV} is not set in function ${process.env.AWS_LAMBDA_FUNCTION_NAME}: was it deployed by sparta, and was the variable removed?`,
    );
  }
  const document = parse(raw);
  cached = { raw, document };
  return document;
}

function parse(raw: string): DiscoveryDocument {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new DiscoveryError('SPARTA603', `${DISCOVERY_ENV} is not valid JSON: ${(error as Error).message}`);
  }
  const problem = shapeProblem(value);
  if (problem) throw new DiscoveryError('SPARTA603', `${DISCOVERY_ENV} is not a discovery document: ${problem}`);
  const document = value as DiscoveryDocument;
  // One document is shared by every invocation in the container: no one may change it.
  for (const resource of Object.values(document.resources)) Object.freeze(Object.freeze(resource).attributes);
  Object.freeze(document.resources);
  return Object.freeze(document);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON object';
  for (const key of ['stackName', 'stackId', 'region', 'logicalId'] as const) {
    if (typeof value[key] !== 'string') return `"${key}" must be a string`;
  }
  if (!isObject(value.resources)) return '"resources" must be an object';
  for (const [logicalId, resource] of Object.entries(value.resources)) {
    if (!isObject(resource)) return `resources.${logicalId} must be an object`;
    const { type, ref, attributes } = resource as Partial<Record<keyof DiscoveredResource, unknown>>;
    if (typeof type !== 'string' || typeof ref !== 'string') return `resources.${logicalId} needs "type" and "ref" strings`;
    if (!isObject(attributes)) return `resources.${logicalId}.attributes must be an object`;
  }
  return undefined;
}
