import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpApiEvent, restApiEvent, type IncomingRequest, type ReceivingApi, type RouteContext } from '../cli/events/api';
import { apiTemplate, discoveredApi } from '../cli/template/api';
import type { SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import type { ApiManifest, ApiType, CorsManifest, HttpAuth, HttpMethod, HttpRouteManifest } from './api';
import { isBefore } from './names';
import type { EventSource, Json, OptionChecker, ServiceView, Validated } from './types';

// `@Http('METHOD /path', { auth })`: a route of the service's API (`@Api`, or
// the default HTTP API). Each route's resources depend on the API's type,
// which only the service knows, so they are all built by `shared`: the API,
// its stage, an integration a function, a route (or REST method) and a
// permission a route.

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
export const HTTP_PRINCIPAL = 'apigateway.amazonaws.com';
const WHAT = '@Http';
const LITERAL_SEGMENT = /^[A-Za-z0-9._~:@!$&'()*,;=-]+$/;
const PARAMETER_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** A route's parts: `GET`, `/orders/{id}`, its path parameters and whether its last segment is greedy. */
export interface ParsedRoute {
  method: HttpMethod;
  path: string;
  segments: string[];
}

type RouteProblem = { code: DiagnosticCode; message: string; hint: string };

/** `METHOD /path` read, or the first thing wrong with it. */
export function parseRoute(route: string): ParsedRoute | RouteProblem {
  const malformed = (why: string): RouteProblem => ({
    code: DiagnosticCode.MALFORMED_ROUTE,
    message: `${WHAT} route ${JSON.stringify(route)} ${why}`,
    hint: `write it as 'METHOD /path' (${HTTP_METHODS.join(', ')}), e.g. 'GET /orders/{id}'`,
  });
  const match = /^(\S+) (\S+)$/.exec(route);
  if (!match) return malformed('is not a method and a path separated by one space');
  const [, method, path] = match;
  if (!(HTTP_METHODS as readonly string[]).includes(method)) return malformed(`has method ${JSON.stringify(method)}, which is not one of ${HTTP_METHODS.join(', ')}`);
  if (!path.startsWith('/')) return malformed('has a path that does not start with /');
  if (path === '/') return { method: method as HttpMethod, path, segments: [] };
  if (path.endsWith('/')) return malformed('has a path that ends with /');
  const segments = path.slice(1).split('/');
  const seen = new Set<string>();
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return malformed('has an empty path segment (//)');
    const parameter = PARAMETER_SEGMENT.exec(segment);
    if (!parameter) {
      if (!LITERAL_SEGMENT.test(segment)) return malformed(`has segment ${JSON.stringify(segment)}: a segment is literal text or a whole {parameter}`);
      continue;
    }
    const [, name, greedy] = parameter;
    if (greedy && index !== segments.length - 1) {
      return { code: DiagnosticCode.GREEDY_NOT_LAST, message: `${WHAT} route ${JSON.stringify(route)} has {${name}+} before its last segment`, hint: `a greedy parameter matches the rest of the path: put {${name}+} last` };
    }
    if (seen.has(name)) {
      return { code: DiagnosticCode.DUPLICATE_PATH_PARAMETER, message: `${WHAT} route ${JSON.stringify(route)} names path parameter {${name}} twice`, hint: 'give each path parameter its own name' };
    }
    seen.add(name);
  }
  return { method: method as HttpMethod, path, segments };
}

function validateAuth(value: StaticValue | undefined, c: OptionChecker): HttpAuth | undefined {
  if (value === undefined || value === 'none' || value === 'iam') return value ?? 'none';
  const jwt = value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 ? (value as Json).jwt : undefined;
  const config = jwt && typeof jwt === 'object' && !Array.isArray(jwt) ? (jwt as Json) : undefined;
  if (!config) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'auth', `${WHAT} \`auth\` must be 'none', 'iam' or { jwt: { issuer, audience } }`);
    return undefined;
  }
  c.onlyKeys(config, ['issuer', 'audience'], `${WHAT} auth.jwt`);
  const issuer = c.string(config, 'issuer', `${WHAT} auth.jwt`);
  const audience = c.stringList(config, 'audience', `${WHAT} auth.jwt`);
  if (!issuer || !audience) {
    if (!issuer && config.issuer === undefined) c.fail(DiagnosticCode.INVALID_OPTION, 'auth', `${WHAT} auth.jwt needs \`issuer\` (the token issuer's URL) and \`audience\` (a list)`);
    else if (!audience && config.audience === undefined) c.fail(DiagnosticCode.INVALID_OPTION, 'auth', `${WHAT} auth.jwt needs \`audience\` (a list of client IDs)`);
    return undefined;
  }
  return { jwt: { issuer, audience } };
}

function validate(value: StaticValue | undefined, c: OptionChecker, rest: ReadonlyArray<{ value: StaticValue | undefined; check: OptionChecker }> = []): Validated<HttpRouteManifest> | undefined {
  if (typeof value !== 'string') {
    c.fail(DiagnosticCode.MALFORMED_ROUTE, undefined, `${WHAT} takes the route as a string, 'METHOD /path'`, "e.g. @Http('GET /orders/{id}')");
    return undefined;
  }
  const parsed = parseRoute(value);
  if ('code' in parsed) {
    c.fail(parsed.code, undefined, parsed.message, parsed.hint);
    return undefined;
  }
  let auth: HttpAuth | undefined = 'none';
  const options = rest[0];
  if (options && options.value !== undefined) {
    const object = options.check.object(options.value, `${WHAT} options`);
    if (!object) return undefined;
    options.check.onlyKeys(object, ['auth'], WHAT);
    auth = validateAuth(object.auth, options.check);
    if (!auth) return undefined;
  }
  return { kind: 'http', method: parsed.method, path: parsed.path, auth };
}

/** What API Gateway matches on: parameter names do not tell two routes apart. */
export function routeShape(event: Pick<HttpRouteManifest, 'method' | 'path'>): string {
  return `${event.method} ${event.path.replace(/\{[^}+]*(\+?)\}/g, '{$1}')}`;
}

function sameApi(a: Omit<ApiManifest, 'source'>, b: Omit<ApiManifest, 'source'>): boolean {
  return JSON.stringify({ ...a, source: undefined }) === JSON.stringify({ ...b, source: undefined });
}

const CORS_KEYS = ['origins', 'methods', 'headers', 'exposedHeaders', 'credentials', 'maxAge'];

function validateCors(value: StaticValue, c: OptionChecker): CorsManifest | undefined {
  if (value === true) return { origins: ['*'], methods: ['*'], headers: ['*'], exposedHeaders: [], credentials: false };
  const options = value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  if (!options) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'cors', "@Api `cors` must be true or { origins, methods, headers, exposedHeaders, credentials, maxAge }");
    return undefined;
  }
  c.onlyKeys(options, CORS_KEYS, '@Api cors');
  const what = '@Api cors';
  const cors: CorsManifest = {
    origins: c.stringList(options, 'origins', what) ?? ['*'],
    methods: c.stringList(options, 'methods', what) ?? ['*'],
    headers: c.stringList(options, 'headers', what) ?? ['*'],
    exposedHeaders: c.stringList(options, 'exposedHeaders', what) ?? [],
    credentials: c.boolean(options, 'credentials', what) ?? false,
  };
  const maxAge = c.integer(options, 'maxAge', what, 0, 86400, DiagnosticCode.INVALID_OPTION, ' seconds');
  if (maxAge !== undefined) cors.maxAge = maxAge;
  for (const method of cors.methods) {
    if (method !== '*' && !(HTTP_METHODS as readonly string[]).includes(method)) c.fail(DiagnosticCode.INVALID_OPTION, 'cors', `@Api cors method ${JSON.stringify(method)} is not one of *, ${HTTP_METHODS.join(', ')}`);
  }
  if (cors.credentials && cors.origins.includes('*')) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'cors', '@Api cors allows credentials from any origin (*), which browsers refuse', 'list the origins that may send credentials');
  }
  return cors;
}

/** `@Api(options)` with every default applied; undefined when unusable (reported). */
export function validateApi(value: StaticValue | undefined, c: OptionChecker): Omit<ApiManifest, 'source'> | undefined {
  const options = value === undefined ? {} : c.object(value, '@Api');
  if (!options) return undefined;
  c.onlyKeys(options, ['type', 'stage', 'cors', 'binaryMediaTypes'], '@Api');
  const type: ApiType = c.oneOf(options, 'type', '@Api', ['http', 'rest'] as const) ?? 'http';
  const stage = c.string(options, 'stage', '@Api') ?? (type === 'rest' ? 'v1' : '$default');
  if (!(type === 'http' && stage === '$default') && !/^[A-Za-z0-9_-]{1,128}$/.test(stage)) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'stage', `@Api \`stage\` ${JSON.stringify(stage)} must be letters, digits, - and _ (at most 128)${type === 'http' ? ", or '$default'" : ''}`);
    return undefined;
  }
  const api: Omit<ApiManifest, 'source'> = { type, stage, binaryMediaTypes: [] };
  if (options.cors !== undefined) {
    const cors = validateCors(options.cors, c);
    if (!cors) return undefined;
    api.cors = cors;
  }
  if (options.binaryMediaTypes !== undefined) {
    if (type !== 'rest') {
      c.fail(DiagnosticCode.BINARY_TYPES_NOT_REST, 'binaryMediaTypes', '@Api `binaryMediaTypes` is for REST APIs: an HTTP API passes every body through, base64-encoded when it is binary', "remove it, or set type: 'rest'");
      return undefined;
    }
    const types = c.stringList(options, 'binaryMediaTypes', '@Api');
    if (!types) return undefined;
    api.binaryMediaTypes = types;
  }
  return api;
}

/** Reports a second `@Api` of the service that says something else (SPARTA045); true when it agrees. */
export function checkSameApi(existing: ApiManifest, api: Omit<ApiManifest, 'source'>, service: string, c: OptionChecker): boolean {
  if (sameApi(existing, api)) return true;
  c.fail(
    DiagnosticCode.CONFLICTING_API,
    undefined,
    `service ${service} declares its API again, differently (first at ${existing.source.file}:${existing.source.line})`,
    'give @Api once, on one class of the service, or the same options on each',
  );
  return false;
}

/** The API a service with routes and no `@Api` gets. */
export function defaultApi(source: SourceLocation): ApiManifest {
  return { type: 'http', stage: '$default', binaryMediaTypes: [], source };
}

/** `HTTP API` or `REST API`: what the service's routes hang on. */
function apiName(service: Pick<ServiceView, 'api'> | undefined): string {
  return service?.api?.type === 'rest' ? 'REST API' : 'HTTP API';
}

function describeAuth(auth: HttpAuth): string {
  return typeof auth === 'string' ? auth : `jwt ${auth.jwt.issuer}`;
}

/** `/orders/{id}` with `values`, for a sample's concrete path. */
function concretePath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}+]*)\+?\}/g, (_, name: string) => values[name] ?? name);
}

function parametersOf(path: string, concrete: string): Record<string, string> | undefined {
  const names = [...path.matchAll(/\{([^}+]*)\+?\}/g)].map((match) => match[1]);
  if (names.length === 0) return undefined;
  const pattern = new RegExp(`^${path.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{[^}+]*\+\}/g, '(.+)').replace(/\{[^}]*\}/g, '([^/]+)')}$`);
  const match = pattern.exec(concrete);
  if (!match) return Object.fromEntries(names.map((name) => [name, name]));
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
}

function sampleRequest(values: Readonly<Record<string, string | undefined>>) {
  const method = values.method ?? 'GET';
  const route = values.route ?? '/orders/{id}';
  const path = values.path ?? concretePath(route, { id: '42', proxy: 'a/b' });
  const body = values.body ?? (method === 'GET' || method === 'HEAD' ? undefined : '{"hello":"sparta"}');
  return { method, route, path, body, parameters: parametersOf(route, path) };
}

/** The request a sample event is made of: what API Gateway would have received from curl. */
function sampleIncoming(request: ReturnType<typeof sampleRequest>, rawPath: string, domainName: string, headers: Record<string, string>): IncomingRequest {
  return {
    // An ANY route is called with some method: GET.
    method: request.method === 'ANY' ? 'GET' : request.method,
    rawPath,
    rawQueryString: '',
    rawHeaders: Object.entries(headers).flat(),
    body: Buffer.from(request.body ?? ''),
    sourceIp: '203.0.113.7',
    domainName,
    protocol: 'HTTP/1.1',
  };
}

function sampleRoute(request: ReturnType<typeof sampleRequest>, stage: string, api: ReceivingApi): RouteContext {
  return { routeKey: `${request.method} ${request.route}`, resource: request.route, stage, pathParameters: request.parameters ?? {}, binaryMediaTypes: [], api };
}

export const http: EventSource<HttpRouteManifest> = {
  decorator: 'Http',
  kinds: ['http'],
  arity: 2,
  validate,
  checkInService(event, service, c) {
    const api = (service as { api?: ApiManifest }).api;
    if (api?.type === 'rest' && typeof event.auth === 'object') {
      c.fail(DiagnosticCode.JWT_ON_REST, undefined, `${WHAT} route ${event.method} ${event.path} takes a JWT authorizer, which only HTTP APIs have, and service ${service.name}'s API is a REST API`, "use auth: 'iam', or @Api({ type: 'http' })");
    }
    for (const fn of service.functions) {
      for (const other of fn.events) {
        if (other === event || other.kind !== 'http' || routeShape(other as HttpRouteManifest) !== routeShape(event) || !isBefore(other.source, event.source)) continue;
        c.fail(
          DiagnosticCode.DUPLICATE_ROUTE,
          undefined,
          `route ${event.method} ${event.path} is declared again: ${fn.id} has it at ${other.source.file}:${other.source.line}`,
          'one route calls one function: give each its own method or path',
        );
        return;
      }
    }
  },
  idPart: 'Route',
  identity: (event) => routeShape(event),
  template: () => ({ resources: {} }),
  shared: (uses, context) => apiTemplate(uses, context),
  discovery: (service) => ({ api: discoveredApi(service) }),
  references: () => [],
  describe: (event) => `http ${event.method} ${event.path}${event.auth === 'none' ? '' : ` (${describeAuth(event.auth)})`}`,
  details: (event) => (typeof event.auth === 'object' ? [`jwt issuer ${event.auth.jwt.issuer}, audience ${event.auth.jwt.audience.join(', ')}`] : []),
  edge: (event, service) => ({ shared: apiName(service), label: `${event.method} ${event.path}` }),
  route: (event, service) => ({ api: apiName(service), stage: service.api?.stage ?? '$default', method: event.method, path: event.path, auth: describeAuth(event.auth) }),
  samples: {
    'apigateway-v2': {
      decorator: "@Http (HTTP API)",
      typeName: 'APIGatewayProxyEventV2',
      create({ region, account, now, values }): APIGatewayProxyEventV2 {
        const request = sampleRequest(values);
        const apiId = values.apiId ?? 'a1b2c3d4e5';
        const stage = values.stage ?? '$default';
        const domainName = `${apiId}.execute-api.${region}.amazonaws.com`;
        const headers = { accept: 'application/json', 'content-type': 'application/json', host: domainName, 'user-agent': 'curl/8.5.0' };
        const rawPath = stage === '$default' ? request.path : `/${stage}${request.path}`;
        return httpApiEvent(sampleIncoming(request, rawPath, domainName, headers), sampleRoute(request, stage, { account, apiId }), now);
      },
      sampleValues: (event) => ({ method: event.method, route: event.path }),
    },
    apigateway: {
      decorator: "@Http (REST API)",
      typeName: 'APIGatewayProxyEvent',
      create({ region, account, now, values }): APIGatewayProxyEvent {
        const request = sampleRequest(values);
        const apiId = values.apiId ?? 'a1b2c3d4e5';
        const domainName = `${apiId}.execute-api.${region}.amazonaws.com`;
        const headers = { Accept: 'application/json', 'Content-Type': 'application/json', Host: domainName, 'User-Agent': 'curl/8.5.0' };
        // A REST event's path leaves the stage out (its requestContext.path has it).
        return restApiEvent(sampleIncoming(request, request.path, domainName, headers), sampleRoute(request, values.stage ?? 'v1', { account, apiId }), now);
      },
      sampleValues: (event) => ({ method: event.method, route: event.path }),
    },
  },
  eventTypes: ['APIGatewayProxyEventV2', 'APIGatewayProxyEvent'],
  eventTypesIn: (service) => ((service as { api?: ApiManifest }).api?.type === 'rest' ? ['APIGatewayProxyEvent'] : ['APIGatewayProxyEventV2']),
};
