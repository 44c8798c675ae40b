import type { ServiceManifest } from '../../manifest/types';
import { sourceOf } from '../../sources';
import type { SourceRoute } from '../../sources/types';
import { renderTable } from '../output/table';

// The routes of a service's APIs (HTTP or REST, and WebSocket) in one table:
// what a caller can reach and which function answers it. Each source says
// what its routes are (`route` in sources/); explain only lists them.

export interface RouteRow extends SourceRoute {
  functionId: string;
}

/** Every route of the service, by API, then path, then method. */
export function serviceRoutes(service: ServiceManifest): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const fn of service.functions) {
    for (const event of fn.events) {
      const route = sourceOf(event).route?.(event, service);
      if (route) rows.push({ ...route, functionId: fn.id });
    }
  }
  const key = (row: RouteRow) => [row.api, row.path, row.method];
  return rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const differs = x.findIndex((part, index) => part !== y[index]);
    return differs < 0 ? 0 : x[differs] < y[differs] ? -1 : 1;
  });
}

/** `Routes (3): HTTP API (stage $default); WebSocket API (stage v1)` and the table, or undefined when the service has no routes. */
export function routesText(service: ServiceManifest): string | undefined {
  const rows = serviceRoutes(service);
  if (rows.length === 0) return undefined;
  const apis = [...new Set(rows.map((row) => `${row.api} (stage ${row.stage})`))];
  const table = renderTable(
    ['METHOD', 'PATH', 'FUNCTION', 'AUTH'],
    rows.map((row) => [row.method, row.path, row.functionId, row.auth]),
    '  ',
  );
  return `Routes (${rows.length}): ${apis.join('; ')}\n${table}`;
}
