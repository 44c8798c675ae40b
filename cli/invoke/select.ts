import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import { ErrorCode, spartaError } from '../errors';
import { functionName } from '../template/ids';

/** A function by its id (`Class.method`), its method name, or its deployed name. */
export function selectFunction(service: ServiceManifest, query: string): FunctionManifest {
  const byId = service.functions.find((fn) => fn.id === query);
  if (byId) return byId;
  const matches = service.functions.filter(
    (fn) => fn.methodName === query || functionName(service.name, fn.className, fn.methodName) === query,
  );
  if (matches.length === 1) return matches[0];
  const ids = service.functions.map((fn) => fn.id);
  if (matches.length > 1) {
    throw spartaError(
      ErrorCode.FUNCTION_AMBIGUOUS,
      `${query} names several functions in ${service.name}: ${matches.map((fn) => fn.id).join(', ')}`,
      'Name it by its id, Class.method',
    );
  }
  throw spartaError(
    ErrorCode.FUNCTION_NOT_FOUND,
    `No function ${query} in service ${service.name}`,
    ids.length ? `Functions: ${ids.join(', ')}` : 'Decorate a method with @Lambda',
  );
}
