import { createHash } from 'node:crypto';
import type { ApiManifest, CorsManifest, HttpRouteManifest } from '../../sources/api';
import type { ServiceManifest } from '../../manifest/types';
import type { SharedContext, SharedTemplate, SourceUse } from '../../sources/types';
import { canonical } from './serialize';
import type { CfnResource, CfnValue } from './types';

// The API a service's `@Http` routes share, as `http.shared` builds it (pure).
//
// | resource                     | logical ID                                     |
// |------------------------------|------------------------------------------------|
// | the API, its stage           | `HttpApi`, `HttpApiStage` / `RestApi`, `RestApiStage` |
// | a route (REST: a method)     | `<Fn>Route<h>` (`<h>` of `METHOD /path`)       |
// | its permission               | `<Fn>Route<h>Permission`                       |
// | a function's integration     | `<Fn>Integration` (HTTP API)                   |
// | a JWT authorizer             | `HttpApiAuthorizer<h>` (of issuer and audience) |
// | a REST path's resource       | `RestApiResource<Path><h>` (`<h>` of the path) |
// | its CORS preflight           | `RestApiCors<Path><h>`                         |
// | the REST deployment          | `RestApiDeployment<h>`: `<h>` of what it snapshots, so it is replaced when that changes |
// | the URL output               | `ApiUrl`                                       |

export const API_IDS = {
  http: 'HttpApi',
  httpStage: 'HttpApiStage',
  rest: 'RestApi',
  restStage: 'RestApiStage',
  urlOutput: 'ApiUrl',
} as const;

type Route = SourceUse<HttpRouteManifest>;

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex').slice(0, 8);
}

/** The API's logical ID. */
export function apiLogicalId(api: Pick<ApiManifest, 'type'>): string {
  return api.type === 'rest' ? API_IDS.rest : API_IDS.http;
}

/** The invoke URL as a `Fn::Sub` text, without a trailing slash: `$default` has no stage in it. */
export function apiUrlText(api: Pick<ApiManifest, 'type' | 'stage'>): string {
  const base = `https://\${${apiLogicalId(api)}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}`;
  return api.type === 'http' && api.stage === '$default' ? base : `${base}/${api.stage}`;
}

/** `arn:...:execute-api:<region>:<account>:<api>/*\/<METHOD>/<path>`: what may call the route, any stage. */
function routeArn(apiId: string, event: HttpRouteManifest): CfnValue {
  const method = event.method === 'ANY' ? '*' : event.method;
  const path = event.path.replace(/\{[^}]*\}/g, '*');
  return { 'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/*/${method}${path}` };
}

/** What `discover().api` holds in every function of the service, its URL a `Fn::Sub` text; undefined without routes. */
export function discoveredApi(service: ServiceManifest): { url: string; type: ApiManifest['type']; stage: string; cors?: CorsManifest } | undefined {
  const api = service.api;
  if (!api || !service.functions.some((fn) => fn.events.some((event) => event.kind === 'http'))) return undefined;
  // A REST API's proxy integration adds no CORS headers: the function's handler adds them (runtime/http.ts).
  return { url: apiUrlText(api), type: api.type, stage: api.stage, ...(api.type === 'rest' && api.cors && { cors: api.cors }) };
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
    .slice(0, 48);
}

function sorted(uses: ReadonlyArray<Route>): Route[] {
  return [...uses].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function apiTemplate(uses: ReadonlyArray<Route>, context: SharedContext): SharedTemplate {
  const api = context.service.api ?? { type: 'http', stage: '$default', binaryMediaTypes: [], source: uses[0].event.source };
  const built = api.type === 'rest' ? restApi(api, sorted(uses), context) : httpApi(api, sorted(uses), context);
  built.outputs = { [API_IDS.urlOutput]: { Description: `URL of the ${api.type === 'rest' ? 'REST' : 'HTTP'} API of ${context.service.name}`, Value: { 'Fn::Sub': apiUrlText(api) } } };
  return built;
}

function permissions(apiId: string, routes: Route[], context: SharedContext): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {};
  for (const route of routes) resources[`${route.id}Permission`] = context.permission(route.target, 'apigateway.amazonaws.com', { sourceArn: routeArn(apiId, route.event) });
  return resources;
}

// ---------------------------------------------------------------------------
// HTTP API (API Gateway v2, payload format 2.0)

function httpCors(cors: CorsManifest): Record<string, CfnValue> {
  const configuration: Record<string, CfnValue> = {
    AllowOrigins: cors.origins,
    AllowMethods: cors.methods.map((method) => (method === 'ANY' ? '*' : method)),
    AllowHeaders: cors.headers,
  };
  if (cors.exposedHeaders.length > 0) configuration.ExposeHeaders = cors.exposedHeaders;
  if (cors.credentials) configuration.AllowCredentials = true;
  if (cors.maxAge !== undefined) configuration.MaxAge = cors.maxAge;
  return configuration;
}

function httpApi(api: ApiManifest, routes: Route[], context: SharedContext): SharedTemplate {
  const apiRef = { Ref: API_IDS.http };
  const properties: Record<string, CfnValue> = { Name: context.service.name, ProtocolType: 'HTTP' };
  if (api.cors) properties.CorsConfiguration = httpCors(api.cors);
  const resources: Record<string, CfnResource> = {
    [API_IDS.http]: { Type: 'AWS::ApiGatewayV2::Api', Properties: properties },
    [API_IDS.httpStage]: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: apiRef, StageName: api.stage, AutoDeploy: true } },
  };
  for (const route of routes) {
    const integrationId = `${route.target.functionId}Integration`;
    resources[integrationId] ??= {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ApiId: apiRef, IntegrationType: 'AWS_PROXY', IntegrationUri: route.target.functionArn, PayloadFormatVersion: '2.0' },
    };
    const { auth } = route.event;
    const properties: Record<string, CfnValue> = {
      ApiId: apiRef,
      RouteKey: `${route.event.method} ${route.event.path}`,
      Target: { 'Fn::Join': ['/', ['integrations', { Ref: integrationId }]] },
      AuthorizationType: auth === 'iam' ? 'AWS_IAM' : auth === 'none' ? 'NONE' : 'JWT',
    };
    if (typeof auth === 'object') {
      const authorizerId = `HttpApiAuthorizer${hash(auth.jwt)}`;
      resources[authorizerId] ??= {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: {
          ApiId: apiRef,
          AuthorizerType: 'JWT',
          Name: `jwt-${hash(auth.jwt)}`,
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Issuer: auth.jwt.issuer, Audience: auth.jwt.audience },
        },
      };
      properties.AuthorizerId = { Ref: authorizerId };
    }
    resources[route.id] = { Type: 'AWS::ApiGatewayV2::Route', Properties: properties };
  }
  return { resources: { ...resources, ...permissions(API_IDS.http, routes, context) } };
}

// ---------------------------------------------------------------------------
// REST API (API Gateway v1, Lambda proxy integration, payload format 1.0)

interface PathResource {
  /** The logical ID of its AWS::ApiGateway::Resource; undefined for the root. */
  id: string | undefined;
  path: string;
  methods: Route[];
}

/** The resource of every path prefix the routes use, root first, parents before children. */
function resourceTree(routes: Route[]): Map<string, PathResource> {
  const tree = new Map<string, PathResource>([['/', { id: undefined, path: '/', methods: [] }]]);
  for (const route of routes) {
    const segments = route.event.path === '/' ? [] : route.event.path.slice(1).split('/');
    for (let depth = 1; depth <= segments.length; depth++) {
      const path = `/${segments.slice(0, depth).join('/')}`;
      if (!tree.has(path)) tree.set(path, { id: `RestApiResource${pascal(path)}${hash(path)}`, path, methods: [] });
    }
    tree.get(route.event.path)!.methods.push(route);
  }
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function resourceRef(resource: PathResource): CfnValue {
  return resource.id === undefined ? { 'Fn::GetAtt': [API_IDS.rest, 'RootResourceId'] } : { Ref: resource.id };
}

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** An OPTIONS method that answers preflights itself (a MOCK integration), as CDK's and SAM's do. */
function corsPreflight(resource: PathResource, cors: CorsManifest, restApiId: CfnValue): CfnResource {
  const declared = resource.methods.map((route) => route.event.method);
  const methods = cors.methods.includes('*') ? (declared.includes('ANY') ? ALL_METHODS : [...new Set([...declared, 'OPTIONS'])].sort()) : cors.methods;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': cors.origins.includes('*') ? '*' : cors.origins[0],
    'Access-Control-Allow-Methods': methods.join(','),
    'Access-Control-Allow-Headers': cors.headers.join(','),
  };
  if (cors.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (cors.maxAge !== undefined) headers['Access-Control-Max-Age'] = String(cors.maxAge);
  if (!cors.origins.includes('*') && cors.origins.length > 1) headers.Vary = 'Origin';
  const response: Record<string, CfnValue> = {
    StatusCode: '204',
    ResponseParameters: Object.fromEntries(Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, `'${value}'`])),
  };
  // One origin of several: answer with the caller's when it is listed (a static header holds one value).
  if (!cors.origins.includes('*') && cors.origins.length > 1) {
    const listed = cors.origins.map((origin) => `$origin == ${JSON.stringify(origin)}`).join(' || ');
    response.ResponseTemplates = {
      'application/json': `#set($origin = $input.params().header.get("Origin"))\n#if($origin == "")#set($origin = $input.params().header.get("origin"))#end\n#if(${listed})\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end`,
    };
  }
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: restApiId,
      ResourceId: resourceRef(resource),
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 204}' }, IntegrationResponses: [response] },
      MethodResponses: [{ StatusCode: '204', ResponseParameters: Object.fromEntries(Object.keys(headers).map((name) => [`method.response.header.${name}`, true])) }],
    },
  };
}

/** What a deployment snapshots: a change to any of it needs a new deployment, and nothing else does. */
export function deploymentIdentity(api: ApiManifest, routes: ReadonlyArray<Route>): unknown {
  return {
    routes: routes.map((route) => [route.event.method, route.event.path, route.event.auth, route.target.functionId]).sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1)),
    cors: api.cors ?? null,
    binaryMediaTypes: api.binaryMediaTypes,
  };
}

function restApi(api: ApiManifest, routes: Route[], context: SharedContext): SharedTemplate {
  const restApiId = { Ref: API_IDS.rest };
  const properties: Record<string, CfnValue> = { Name: context.service.name };
  if (api.binaryMediaTypes.length > 0) properties.BinaryMediaTypes = api.binaryMediaTypes;
  const resources: Record<string, CfnResource> = { [API_IDS.rest]: { Type: 'AWS::ApiGateway::RestApi', Properties: properties } };
  const methods: string[] = [];
  for (const resource of resourceTree(routes).values()) {
    if (resource.id !== undefined) {
      const parentPath = resource.path.slice(0, resource.path.lastIndexOf('/')) || '/';
      const parentId = parentPath === '/' ? undefined : `RestApiResource${pascal(parentPath)}${hash(parentPath)}`;
      resources[resource.id] = {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { RestApiId: restApiId, ParentId: resourceRef({ id: parentId, path: parentPath, methods: [] }), PathPart: resource.path.slice(resource.path.lastIndexOf('/') + 1) },
      };
    }
    for (const route of resource.methods) {
      resources[route.id] = {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: restApiId,
          ResourceId: resourceRef(resource),
          HttpMethod: route.event.method,
          AuthorizationType: route.event.auth === 'iam' ? 'AWS_IAM' : 'NONE',
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${route.target.functionId}.Arn}/invocations` },
          },
        },
      };
      methods.push(route.id);
    }
    if (api.cors && resource.methods.length > 0 && !resource.methods.some((route) => route.event.method === 'OPTIONS')) {
      const id = `RestApiCors${resource.id === undefined ? 'Root' : resource.id.slice('RestApiResource'.length)}`;
      resources[id] = corsPreflight(resource, api.cors, restApiId);
      methods.push(id);
    }
  }
  const deploymentId = `RestApiDeployment${hash(deploymentIdentity(api, routes))}`;
  // A deployment is a snapshot taken when it is created: one of its methods added later is not in it.
  resources[deploymentId] = { Type: 'AWS::ApiGateway::Deployment', DependsOn: methods.sort(), Properties: { RestApiId: restApiId, Description: `${routes.length} routes of ${context.service.name}` } };
  resources[API_IDS.restStage] = { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: restApiId, DeploymentId: { Ref: deploymentId }, StageName: api.stage } };
  return { resources: { ...resources, ...permissions(API_IDS.rest, routes, context) } };
}
