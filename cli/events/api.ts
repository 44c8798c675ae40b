import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

// The events API Gateway hands a function, built from a request: payload
// format 2.0 for HTTP APIs, 1.0 (with the multiValue* fields) for REST APIs,
// and the WebSocket API's events. The one implementation of their shapes:
// `sparta serve` builds them from the requests it receives, and the
// `sparta event` samples (sources/http.ts, sources/websocket.ts) from a
// made-up request. Nothing here imports the CLI: the sources import it.

/** Which API, in which account, received the request: what only a deployed API knows has a stand-in locally. */
export interface ReceivingApi {
  account: string;
  apiId: string;
}

/** What an incoming request carries, as the HTTP server read it. */
export interface IncomingRequest {
  method: string;
  /** The path as received (still percent-encoded), without the query string. */
  rawPath: string;
  rawQueryString: string;
  /** Node's raw header list: name, value, name, value... (names as sent). */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  /** `host:port`, the `Host` header or the server's address. */
  domainName: string;
  protocol: string;
}

export interface RouteContext {
  routeKey: string;
  /** The route's path template (`/orders/{id}`): REST's `resource`. */
  resource: string;
  stage: string;
  pathParameters: Record<string, string>;
  /** REST APIs: the content types sent base64 (`binaryMediaTypes`). */
  binaryMediaTypes: readonly string[];
  api: ReceivingApi;
}

/** Text is sent as is; anything else base64, as API Gateway does for a binary body. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    /[/+](json|xml)$/.test(type) ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript' ||
    type === 'application/graphql'
  );
}

function mediaTypeMatches(pattern: string, contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const [patternType, patternSub] = pattern.toLowerCase().split('/');
  const [major, minor] = type.split('/');
  return (patternType === '*' || patternType === major) && (patternSub === '*' || patternSub === minor);
}

function encodeBody(body: Buffer, contentType: string | undefined, binary: boolean): { body: string | undefined; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: undefined, isBase64Encoded: false };
  return binary ? { body: body.toString('base64'), isBase64Encoded: true } : { body: body.toString('utf8'), isBase64Encoded: false };
}

/** Header pairs with lower-cased names, in the order received. */
function headerPairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i].toLowerCase(), rawHeaders[i + 1]]);
  return pairs;
}

function queryPairs(rawQueryString: string): Array<[string, string]> {
  return [...new URLSearchParams(rawQueryString)];
}

function requestTime(now: Date): string {
  // API Gateway's `requestContext.time`: 12/Mar/2020:19:03:58 +0000
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(now.getUTCDate())}/${months[now.getUTCMonth()]}/${now.getUTCFullYear()}:${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`;
}

/** API Gateway's request IDs for HTTP APIs look like `JKJaXmPLvHcESHA=`. */
function shortRequestId(): string {
  return randomBytes(10).toString('base64');
}

/** Payload format 2.0: an HTTP API's event. */
export function httpApiEvent(request: IncomingRequest, route: RouteContext, now = new Date()): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of headerPairs(request.rawHeaders)) {
    // Cookies move to their own field; every other repeated header is joined with commas.
    if (name === 'cookie') cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie !== ''));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of queryPairs(request.rawQueryString)) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const contentType = headers['content-type'];
  const encoded = encodeBody(request.body, contentType, !isTextContentType(contentType));
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers,
    requestContext: {
      accountId: route.api.account,
      apiId: route.api.apiId,
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0].split(':')[0],
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: shortRequestId(),
      routeKey: route.routeKey,
      stage: route.stage,
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: encoded.isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (Object.keys(route.pathParameters).length > 0) event.pathParameters = route.pathParameters;
  if (encoded.body !== undefined) event.body = encoded.body;
  return event;
}

/** Payload format 1.0 with proxy integration: a REST API's event. */
export function restApiEvent(request: IncomingRequest, route: RouteContext, now = new Date()): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // REST APIs keep the names as sent; the last of repeated values wins in `headers`.
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    const value = request.rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of queryPairs(request.rawQueryString)) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  // A REST API base64-encodes only the types its binaryMediaTypes list.
  const binary = contentType !== undefined && route.binaryMediaTypes.some((pattern) => mediaTypeMatches(pattern, contentType));
  const encoded = encodeBody(request.body, contentType, binary);
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const path = decodeURIComponentSafe(request.rawPath);
  const requestId = randomUUID();
  return {
    resource: route.resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: Object.keys(route.pathParameters).length > 0 ? route.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: route.api.account,
      apiId: route.api.apiId,
      // No authorizer: null, as API Gateway sends it (undefined would vanish from the JSON).
      authorizer: null,
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0].split(':')[0],
      extendedRequestId: shortRequestId(),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${route.stage}${path}`,
      protocol: request.protocol,
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: resourceId(route.resource),
      resourcePath: route.resource,
      stage: route.stage,
    },
    body: encoded.body ?? null,
    isBase64Encoded: encoded.isBase64Encoded,
  };
}

/** A REST resource's ID is 6 letters and digits (`abc123`); one a path. */
function resourceId(resource: string): string {
  return createHash('sha256').update(resource).digest('hex').slice(0, 6);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface WebSocketConnectionInfo {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
  stage: string;
  apiId: string;
}

export type WebSocketEventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/**
 * A WebSocket API's event. `$connect` also carries the handshake's headers
 * and query string (as API Gateway sends them: these fields are not in
 * APIGatewayProxyWebsocketEventV2's type, hence the intersection).
 */
export function webSocketEvent(
  connection: WebSocketConnectionInfo,
  routeKey: string,
  eventType: WebSocketEventType,
  extra: { body?: string; isBinary?: boolean; headers?: Record<string, string>; rawQueryString?: string; disconnectStatusCode?: number; disconnectReason?: string } = {},
  now = new Date(),
): APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
} {
  const context = {
    routeKey,
    eventType,
    extendedRequestId: shortRequestId(),
    requestTime: requestTime(now),
    messageDirection: 'IN' as const,
    stage: connection.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId: shortRequestId(),
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
    ...(eventType === 'MESSAGE' ? { messageId: shortRequestId() } : {}),
    ...(eventType === 'DISCONNECT' ? { disconnectStatusCode: extra.disconnectStatusCode ?? 1005, disconnectReason: extra.disconnectReason ?? '' } : {}),
  };
  const event: ReturnType<typeof webSocketEvent> = {
    requestContext: context as APIGatewayProxyWebsocketEventV2['requestContext'],
    isBase64Encoded: extra.isBinary === true,
  };
  if (extra.body !== undefined) event.body = extra.body;
  if (extra.headers) {
    event.headers = extra.headers;
    event.multiValueHeaders = Object.fromEntries(Object.entries(extra.headers).map(([name, value]) => [name, [value]]));
  }
  if (extra.rawQueryString) {
    const pairs = queryPairs(extra.rawQueryString);
    if (pairs.length > 0) {
      event.queryStringParameters = Object.fromEntries(pairs);
      const multi: Record<string, string[]> = {};
      for (const [name, value] of pairs) (multi[name] ??= []).push(value);
      event.multiValueQueryStringParameters = multi;
    }
  }
  return event;
}
