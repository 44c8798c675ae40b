import { resolveLambdaSettings } from '../../manifest/defaults';
import type { Manifest } from '../../manifest/types';
import { renderTable } from '../output/table';
import { describeEvent, describePrivilege } from './describe-values';

/** Per service: the functions with their settings, event sources and privileges, then the resources. */
export function renderManifestText(manifest: Manifest): string {
  if (manifest.services.length === 0) return 'No @Service classes found.\n';
  return manifest.services
    .map((service) => {
      const title = `Service ${service.name}${service.description ? `: ${service.description}` : ''}`;
      const functions = renderTable(
        ['FUNCTION', 'MEMORY', 'TIMEOUT', 'RUNTIME', 'EVENTS', 'PRIVILEGES', 'SOURCE'],
        service.functions.map((fn) => {
          const settings = resolveLambdaSettings(fn.options);
          return [
            fn.id,
            `${settings.memorySize} MB`,
            `${settings.timeout} s`,
            `${settings.runtime} ${settings.architecture}`,
            fn.events.map(describeEvent),
            fn.privileges.map(describePrivilege),
            `${fn.source.file}:${fn.source.line}`,
          ];
        }),
        '  ',
      );
      const resources =
        service.resources.length === 0
          ? '  (none)\n'
          : renderTable(
              ['RESOURCE', 'TYPE', 'SOURCE'],
              service.resources.map((resource) => [resource.logicalId, resource.declaration.Type, `${resource.source.file}:${resource.source.line}`]),
              '  ',
            );
      return `${title}\n\nFunctions (${service.functions.length})\n${functions}\nResources (${service.resources.length})\n${resources}`;
    })
    .join('\n');
}
