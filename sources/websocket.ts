import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { webSocketEvent } from '../cli/events/api';
import type { CfnResource, CfnValue } from '../cli/template/types';
import type { FunctionManifest, PrivilegeManifest, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import type { WebSocketRouteManifest } from './api';
import { isBefore } from './names';
import type { EventSource, OptionChecker, ServiceView, SharedTemplate, SourceUse, Validated } from './types';

// `@WebSocket(routeKey)`: a route of the service's one WebSocket API. Each
// route is an event (its Route and the permission that lets API Gateway call
// the function from that route alone); what they share is built once, in
// `shared`: the API (routes chosen by `$request.body.action`), its stage, one
// AWS_PROXY integration a function, and the URL as an output and in
// discover().websocket.

export const APIGATEWAY_PRINCIPAL = 'apigateway.amazonaws.com';
/** The fixed logical IDs of what a service's routes share. */
export const WEBSOCKET_API_ID = 'WebSocketApi';
export const WEBSOCKET_STAGE_ID = 'WebSocketStage';
export const WEBSOCKET_URL_OUTPUT = 'WebSocketUrl';
/**
 * The stage. API Gateway's `$default` stage is for HTTP APIs only; CDK makes
 * a WebSocket stage name required (its examples write `dev`) and SAM models no
 * WebSocket API, so sparta takes the same default as for REST APIs.
 */
export const WEBSOCKET_STAGE = 'v1';
export const ROUTE_SELECTION_EXPRESSION = '$request.body.action';
export const PREDEFINED_ROUTES = ['$connect', '$disconnect', '$default'] as const;
/**
 * A custom route key: the value `$request.body.action` must equal. API
 * Gateway reserves the leading `$` for its predefined routes; a key is at most
 * 128 characters (the console's limit) and sparta keeps to printable ASCII
 * without spaces, so that it reads the same in an ARN, a log and a client.
 */
const CUSTOM_ROUTE = /^[A-Za-z0-9_\-.:~!@#%^&*()+=[\]{}|;,<>?'"`]{1,128}$/;
export const MANAGE_CONNECTIONS = 'execute-api:ManageConnections';

const WHAT = '@WebSocket';

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<WebSocketRouteManifest> | undefined {
  if (typeof value !== 'string') {
    c.fail(DiagnosticCode.MALFORMED_WEBSOCKET_ROUTE, undefined, `${WHAT} takes a route key (a string): $connect, $disconnect, $default or a route name`, "write @WebSocket('$connect') or @WebSocket('sendMessage')");
    return undefined;
  }
  if ((PREDEFINED_ROUTES as readonly string[]).includes(value)) return { kind: 'websocket', route: value };
  if (value.startsWith('$')) {
    c.fail(DiagnosticCode.MALFORMED_WEBSOCKET_ROUTE, undefined, `${WHAT} route ${JSON.stringify(value)} starts with $, which API Gateway keeps for $connect, $disconnect and $default`, `use one of those, or a name without the $ (${JSON.stringify(value.slice(1))})`);
    return undefined;
  }
  if (!CUSTOM_ROUTE.test(value)) {
    c.fail(DiagnosticCode.MALFORMED_WEBSOCKET_ROUTE, undefined, `${WHAT} route ${JSON.stringify(value)} is not a route key: 1 to 128 printable characters, no spaces`, "a route is the message's action: {\"action\":\"sendMessage\"} reaches @WebSocket('sendMessage')");
    return undefined;
  }
  return { kind: 'websocket', route: value };
}

const routeArn = (route: string): CfnValue => ({
  'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${WEBSOCKET_API_ID}}/${WEBSOCKET_STAGE}/${route}`,
});

/** The connections of the service's WebSocket API: its stage, nothing else. */
const CONNECTIONS_ARN = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${WEBSOCKET_API_ID}}/${WEBSOCKET_STAGE}/POST/@connections/*`;

/** What a function that posts to the service's connections may do: that API's stage, nothing else. */
export function manageConnectionsStatement(): CfnValue {
  return { Effect: 'Allow', Action: MANAGE_CONNECTIONS, Resource: { 'Fn::Sub': CONNECTIONS_ARN } };
}

/** Whether the service has a WebSocket API: some function of it is a @WebSocket route. */
export function hasWebSocketApi(service: Pick<ServiceView, 'functions'>): boolean {
  return service.functions.some((fn) => fn.events.some((event) => event.kind === 'websocket'));
}

/**
 * The ManageConnections grant for a function that is no route of the API but
 * calls `sendToConnection` (the analysis finds the call, `source`): a
 * privilege of the manifest, so explain shows it. A route has it already.
 */
export function connectionSenderPrivilege(fn: Pick<FunctionManifest, 'events'>, source: SourceLocation): PrivilegeManifest | undefined {
  if (fn.events.some((event) => event.kind === 'websocket')) return undefined;
  return { actions: [MANAGE_CONNECTIONS], resource: { 'Fn::Sub': CONNECTIONS_ARN }, source };
}

/** SPARTA049 at a sendToConnection call that `functionIds` reach, in a service with no WebSocket API. */
export function reportSendWithoutApi(functionIds: string[], service: string, c: Pick<OptionChecker, 'fail'>): void {
  c.fail(
    DiagnosticCode.SEND_WITHOUT_WEBSOCKET,
    undefined,
    `sendToConnection is called by ${functionIds.join(', ')}, and service ${service} has no WebSocket API whose connections it could post to`,
    "give a function of this service a @WebSocket route (e.g. @WebSocket('$connect')), or post to another API with @aws-sdk/client-apigatewaymanagementapi",
  );
}

const ENDPOINT = `\${${WEBSOCKET_API_ID}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${WEBSOCKET_STAGE}`;
/** discover().websocket, as `Fn::Sub` texts. */
export const WEBSOCKET_DISCOVERY = { url: `wss://${ENDPOINT}`, managementEndpoint: `https://${ENDPOINT}` };

/** `<Fn>WebSocketIntegration`: one a function, whichever of its routes call it. */
export function integrationId(functionId: string): string {
  return `${functionId}WebSocketIntegration`;
}

function shared(uses: ReadonlyArray<SourceUse<WebSocketRouteManifest>>, { service }: { service: { name: string; description?: string } }): SharedTemplate {
  const resources: Record<string, CfnResource> = {
    [WEBSOCKET_API_ID]: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: `${service.name}-websocket`, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: ROUTE_SELECTION_EXPRESSION },
    },
  };
  for (const use of uses) {
    const id = integrationId(use.target.functionId);
    if (id in resources) continue;
    resources[id] = {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: WEBSOCKET_API_ID },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${use.target.functionId}.Arn}/invocations` },
      },
    };
  }
  // Auto-deploy deploys on every change of the API; a stage made before any
  // route would first deploy an API with none, which API Gateway refuses.
  resources[WEBSOCKET_STAGE_ID] = {
    Type: 'AWS::ApiGatewayV2::Stage',
    DependsOn: uses.map((use) => use.id).sort(),
    Properties: { ApiId: { Ref: WEBSOCKET_API_ID }, StageName: WEBSOCKET_STAGE, AutoDeploy: true },
  };
  return {
    resources,
    outputs: { [WEBSOCKET_URL_OUTPUT]: { Description: `The WebSocket API's URL (wss://)`, Value: { 'Fn::Sub': WEBSOCKET_DISCOVERY.url } } },
  };
}

export const webSocket: EventSource<WebSocketRouteManifest> = {
  decorator: 'WebSocket',
  kinds: ['websocket'],
  validate,
  checkInService(event, service, check: OptionChecker) {
    for (const fn of service.functions) {
      for (const other of fn.events as ReadonlyArray<{ kind: string; route?: string; source: WebSocketRouteManifest['source'] }>) {
        if (other === event || other.kind !== 'websocket' || other.route !== event.route || !isBefore(other.source, event.source)) continue;
        check.fail(
          DiagnosticCode.DUPLICATE_WEBSOCKET_ROUTE,
          undefined,
          `route ${event.route} of service ${service.name}'s WebSocket API is taken by ${fn.id} at ${other.source.file}:${other.source.line}`,
          'a route calls one function: give this one another route key',
        );
        return;
      }
    }
  },
  idPart: 'WebSocketRoute',
  identity: (event) => event.route,
  template(event, { id, target, permission }) {
    return {
      resources: {
        [id]: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: {
            ApiId: { Ref: WEBSOCKET_API_ID },
            RouteKey: event.route,
            Target: { 'Fn::Sub': `integrations/\${${integrationId(target.functionId)}}` },
          },
        },
        [`${id}Permission`]: permission(APIGATEWAY_PRINCIPAL, { sourceArn: routeArn(event.route) }),
      },
      // A route's handler answers its connections (sendToConnection): the API's own, alone.
      privileges: [manageConnectionsStatement()],
    };
  },
  shared,
  discovery: () => ({ websocket: WEBSOCKET_DISCOVERY }),
  references: () => [],
  describe: (event) => `websocket ${event.route}`,
  details: (event) => (event.route.startsWith('$') ? [] : [`when ${ROUTE_SELECTION_EXPRESSION} is ${JSON.stringify(event.route)}`]),
  edge: (event) => ({ shared: 'WebSocket API', label: event.route }),
  route: (event) => ({ api: 'WebSocket API', stage: WEBSOCKET_STAGE, method: 'WEBSOCKET', path: event.route, auth: 'none' }),
  samples: {
    websocket: {
      decorator: '@WebSocket(routeKey)',
      typeName: 'APIGatewayProxyWebsocketEventV2',
      create({ region, now, values }): APIGatewayProxyWebsocketEventV2 {
        const routeKey = values.routeKey ?? 'sendMessage';
        const eventType = routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
        const apiId = values.apiId ?? 'abcdef1234';
        const connection = {
          connectionId: values.connectionId ?? 'bD7gXcbVIAMCJkw=',
          connectedAt: now.getTime() - 1000,
          sourceIp: '203.0.113.7',
          userAgent: 'wscat/6.0.1',
          domainName: `${apiId}.execute-api.${region}.amazonaws.com`,
          stage: WEBSOCKET_STAGE,
          apiId,
        };
        return webSocketEvent(connection, routeKey, eventType, eventType === 'MESSAGE' ? { body: values.body ?? JSON.stringify({ action: routeKey, data: 'hello' }) } : {}, now);
      },
      sampleValues: (event) => ({ routeKey: event.route }),
    },
  },
  eventTypes: ['APIGatewayProxyWebsocketEventV2'],
};
