import type { FunctionManifest, Manifest, ServiceManifest } from '../../manifest/types';
import { functionAmbiguous, functionNotFound, serviceRequired } from '../errors';
import { selectService } from '../project';
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

/**
 * The service holding the function `query` names: `--service` when given, the
 * only service, or else the one service of the project in which `query`
 * names a function (a function's id is usually unique across services);
 * several such services still need `--service`.
 */
export function selectServiceOf(manifest: Manifest, service: string | undefined, query: string): ServiceManifest {
  if (service !== undefined || manifest.services.length <= 1) return selectService(manifest, service);
  const holding = manifest.services.filter((candidate) => {
    try {
      selectFunction(candidate, query);
      return true;
    } catch {
      return false;
    }
  });
  if (holding.length === 1) return holding[0];
  if (holding.length > 1) throw serviceRequired(holding.map((candidate) => candidate.name));
  const names = manifest.services.map((candidate) => candidate.name);
  throw functionNotFound(query, names.join(', '), manifest.services.flatMap((candidate) => candidate.functions.map((fn) => `${candidate.name}/${fn.id}`)));
}
