import type { ReceivingApi } from '../events/api';
import { LOCAL_ACCOUNT } from '../invoke/discovery';
import type { ApiManifest, FunctionManifest, HttpAuth, HttpMethod, HttpRouteManifest, ServiceManifest, WebSocketRouteManifest } from '../../manifest/types';

// What `sparta serve` serves, read from the manifest in this one place: each
// function's `@Http` routes (events of kind `http`) and `@WebSocket` routes
// (kind `websocket`), and the route API Gateway would pick for a request.

/** The API the served events say received them: `sparta invoke`'s account, and an ID no deployed API has. */
export const LOCAL_API: ReceivingApi = { account: LOCAL_ACCOUNT, apiId: 'local' };

export interface HttpRoute {
  fn: FunctionManifest;
  method: HttpMethod;
  path: string;
  auth: HttpAuth;
  /** `GET /orders/{id}`, as API Gateway names a route (`$default`-free: every route has a method and path). */
  routeKey: string;
  segments: Segment[];
}

export type Segment = { kind: 'exact'; value: string } | { kind: 'param'; name: string } | { kind: 'proxy'; name: string };

export interface WebSocketRoute {
  fn: FunctionManifest;
  route: string;
}

export interface ServedRoutes {
  api: ApiManifest;
  http: HttpRoute[];
  websocket: WebSocketRoute[];
}

/** The API a service without `@Api` gets: an HTTP API on the `$default` stage (sources/api.ts). */
function defaultApi(service: ServiceManifest): ApiManifest {
  const first = service.functions[0];
  return { type: 'http', stage: '$default', binaryMediaTypes: [], source: first?.source ?? { file: '', line: 1, column: 1 } };
}

export function readRoutes(service: ServiceManifest): ServedRoutes {
  const http: HttpRoute[] = [];
  const websocket: WebSocketRoute[] = [];
  for (const fn of service.functions) {
    for (const event of fn.events as ReadonlyArray<{ kind: string }>) {
      if (event.kind === 'http') {
        const route = event as unknown as HttpRouteManifest;
        http.push({ fn, method: route.method, path: route.path, auth: route.auth ?? 'none', routeKey: `${route.method} ${route.path}`, segments: parsePath(route.path) });
      } else if (event.kind === 'websocket') {
        websocket.push({ fn, route: (event as unknown as WebSocketRouteManifest).route });
      }
    }
  }
  return { api: service.api ?? defaultApi(service), http, websocket };
}

export function parsePath(routePath: string): Segment[] {
  return routePath
    .split('/')
    .filter((part) => part !== '')
    .map((part): Segment => {
      const proxy = /^\{(.+)\+\}$/.exec(part);
      if (proxy) return { kind: 'proxy', name: proxy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      if (param) return { kind: 'param', name: param[1] };
      return { kind: 'exact', value: part };
    });
}

export interface RouteMatch {
  route: HttpRoute;
  pathParameters: Record<string, string>;
}

/**
 * API Gateway's choice: the most specific path wins, segment by segment (an
 * exact segment before `{param}` before `{proxy+}`), then a route of the
 * request's own method before `ANY`. A HEAD request falls back to a GET route
 * (REST APIs answer HEAD from GET). Path parameters are URL-decoded.
 */
export function matchRoute(routes: readonly HttpRoute[], method: string, requestPath: string): RouteMatch | undefined {
  const parts = requestPath.split('/').filter((part) => part !== '');
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const route of routes) {
    const methodRank = route.method === method ? 0 : route.method === 'ANY' ? 2 : method === 'HEAD' && route.method === 'GET' ? 1 : -1;
    if (methodRank < 0) continue;
    const matched = matchSegments(route.segments, parts);
    if (!matched) continue;
    // Lower is more specific: one rank a segment (0 exact, 1 param, 2 proxy), then the method's.
    const score = [...route.segments.map((segment) => (segment.kind === 'exact' ? 0 : segment.kind === 'param' ? 1 : 2)), 3, methodRank];
    if (!best || compareScores(score, best.score) < 0) best = { match: { route, pathParameters: matched }, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'proxy') {
      // A greedy parameter takes one segment or more.
      if (i >= parts.length) return undefined;
      parameters[segment.name] = parts.slice(i).map(decode).join('/');
      return parameters;
    }
    if (i >= parts.length) return undefined;
    if (segment.kind === 'exact') {
      if (decode(parts[i]) !== segment.value) return undefined;
    } else parameters[segment.name] = decode(parts[i]);
  }
  return parts.length === segments.length ? parameters : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route a WebSocket message goes to: its `action` (route selection `$request.body.action`), else `$default`. */
export function selectWebSocketRoute(routes: readonly WebSocketRoute[], body: string): WebSocketRoute | undefined {
  let action: unknown;
  try {
    action = (JSON.parse(body) as { action?: unknown } | null)?.action;
  } catch {
    action = undefined;
  }
  const named = typeof action === 'string' && !action.startsWith('$') ? routes.find((route) => route.route === action) : undefined;
  return named ?? routes.find((route) => route.route === '$default');
}
