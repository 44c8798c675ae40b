import type { CfnValue } from '../cli/template/types';
import type { Expression, ResourceManifest } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import type { OptionChecker, ServiceView } from './types';

// A source's target (a queue, a table, a bucket) is a Ref/GetAtt of a
// @Resource, or an ARN (or a name, where AWS takes one) written out. These
// are the rules every source applies to it.

/** The logical ID an expression points at: `Ref(X)`, `GetAtt(X, ...)`, or the first `${X...}` of a `Sub`. */
export function referencedResource(expression: Expression): string | undefined {
  if (typeof expression === 'string') return undefined;
  if ('Ref' in expression) return expression.Ref;
  if ('Fn::GetAtt' in expression) return expression['Fn::GetAtt'][0];
  return /\$\{([^}.!]+)/.exec(expression['Fn::Sub'])?.[1];
}

/**
 * The target as an ARN: `Ref(X)` becomes `GetAtt(X, attribute)`, because the
 * Ref of most types is a name or a URL (a queue's is its URL); an ARN string,
 * a GetAtt or a Sub is taken as written.
 */
export function arnOf(expression: Expression, attribute = 'Arn'): CfnValue {
  if (typeof expression !== 'string' && 'Ref' in expression) return { 'Fn::GetAtt': [expression.Ref, attribute] };
  return expression as CfnValue;
}

/**
 * The @Resource a target names, when it is declared in the service; a
 * declared one of another type than `types` is reported (SPARTA032) at `key`.
 * A reference to nothing is the analysis' own check (SPARTA012).
 */
export function declaredTarget(
  expression: Expression,
  service: ServiceView,
  check: OptionChecker,
  where: { key: string; what: string; types: readonly string[] },
): ResourceManifest | undefined {
  const logicalId = referencedResource(expression);
  if (logicalId === undefined) return undefined;
  const resource = service.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!resource) return undefined;
  if (!where.types.includes(resource.declaration.Type)) {
    check.fail(
      DiagnosticCode.WRONG_RESOURCE_TYPE,
      where.key,
      `${where.what} \`${where.key}\` names ${logicalId}, a ${resource.declaration.Type}`,
      `name a ${where.types.join(' or ')}`,
    );
    return undefined;
  }
  return resource;
}
