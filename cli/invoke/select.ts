import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import { functionAmbiguous, functionNotFound } from '../errors';
import { functionName } from '../template/ids';

/** A function by its id (`Class.method`), its method name, or its deployed name. */
export function selectFunction(service: ServiceManifest, query: string): FunctionManifest {
  const byId = service.functions.find((fn) => fn.id === query);
  if (byId) return byId;
  const matches = service.functions.filter(
    (fn) => fn.methodName === query || functionName(service.name, fn.className, fn.methodName) === query,
  );
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw functionAmbiguous(query, service.name, matches.map((fn) => fn.id));
  throw functionNotFound(query, service.name, service.functions.map((fn) => fn.id));
}
