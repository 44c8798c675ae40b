import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LAMBDA_LIMITS } from '../../manifest/defaults';
import type { ApiType, HttpAuth } from '../../manifest/types';
import type { InvokeOutcome } from '../invoke';
import { responseCorsHeaders } from '../../manifest/cors';
import { preflightHeaders } from './cors';
import { httpApiEvent, restApiEvent, type IncomingRequest } from '../events/api';
import type { FunctionPool } from './pool';
import { gatewayError, mapOutcome, type HttpResponse } from './results';
import { LOCAL_API, matchRoute, type ServedRoutes } from './routes';
import { WebSocketGateway } from './websocket';

// One local server for the service's API: HTTP routes as API Gateway routes
// them, the WebSocket API (upgrade requests) and its management endpoint
// (`/@connections/{id}`) on the same port. What it serves is a `ServeTarget`,
// swapped whole when `--watch` rebuilds.

export interface ServeTarget {
  routes: ServedRoutes;
  /** Keyed by function id; a function with no route has none. */
  pools: Map<string, FunctionPool>;
}

export interface ServerOptions {
  host: string;
  port: number;
  /** One line a request: method, path, status, milliseconds, function. */
  requestLog: (line: string) => void;
}

/** The base path of the API's URL: REST APIs (and named HTTP API stages) put the stage first, as API Gateway's URLs do. */
export function stagePath(type: ApiType, stage: string): string {
  return type === 'http' && stage === '$default' ? '' : `/${stage}`;
}

export class ServeServer {
  readonly server: http.Server;
  private target: ServeTarget | undefined;
  private readonly gateway: WebSocketGateway;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly options: ServerOptions) {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.gateway = new WebSocketGateway(this.server, () => this.target, options.requestLog);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.origin();
  }

  /** `http://host:port`, the port the server really got (`--port 0` picks a free one). */
  origin(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Serves `target` from the next request on; the previous one's pools retire (busy sandboxes finish first). */
  swap(target: ServeTarget): void {
    const previous = this.target;
    this.target = target;
    if (previous) for (const pool of previous.pools.values()) pool.retire();
  }

  /** Every live sandbox of the build being served. */
  pids(): number[] {
    return this.target ? [...this.target.pools.values()].flatMap((pool) => pool.pids) : [];
  }

  async close(): Promise<void> {
    this.gateway.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    if (this.target) await Promise.all([...this.target.pools.values()].map((pool) => pool.kill()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = request.url ?? '/';
    const question = url.indexOf('?');
    const rawPath = question < 0 ? url : url.slice(0, question);
    const rawQueryString = question < 0 ? '' : url.slice(question + 1);
    const method = (request.method ?? 'GET').toUpperCase();
    let functionId = '-';
    let answer: HttpResponse;
    try {
      const management = this.gateway.management(method, rawPath, body);
      if (management) answer = management;
      else {
        const routed = await this.route(request, method, rawPath, rawQueryString, body);
        answer = routed.response;
        functionId = routed.functionId ?? '-';
        if (routed.problem) this.options.requestLog(`${method} ${rawPath}: ${routed.problem}`);
      }
    } catch (error) {
      answer = gatewayError(this.target?.routes.api.type ?? 'http', 500);
      this.options.requestLog(`${method} ${rawPath}: ${(error as Error).stack ?? String(error)}`);
    }
    const headers: Record<string, string[]> = { ...answer.headers };
    headers['content-length'] = [String(answer.body.length)];
    headers['apigw-requestid'] ??= [randomUUID()];
    response.writeHead(answer.statusCode, Object.entries(headers).flatMap(([name, values]) => values.map((value) => [name, value])).flat());
    response.end(method === 'HEAD' ? undefined : answer.body);
    this.options.requestLog(`${method} ${rawPath} ${answer.statusCode} ${Math.round(performance.now() - started)}ms ${functionId}`);
  }

  private async route(
    request: http.IncomingMessage,
    method: string,
    rawPath: string,
    rawQueryString: string,
    body: Buffer,
  ): Promise<{ response: HttpResponse; functionId?: string; problem?: string }> {
    const target = this.target;
    if (!target) return { response: gatewayError('http', 503) };
    const { api } = target.routes;
    const base = stagePath(api.type, api.stage);
    if (base !== '' && rawPath !== base && !rawPath.startsWith(`${base}/`)) return { response: gatewayError(api.type, 404) };
    const routePath = rawPath.slice(base.length) || '/';
    const headers = lowerCased(request.headers);

    if (api.cors) {
      const preflight = preflightHeaders(api.cors, method, headers);
      if (preflight) return { response: { statusCode: 204, headers: preflight, body: Buffer.alloc(0) } };
    }
    const match = matchRoute(target.routes.http, method, routePath);
    if (!match) return { response: gatewayError(api.type, 404) };
    const { route, pathParameters } = match;
    const denied = authDenied(api.type, route.auth, headers, rawQueryString);
    if (denied) return { response: denied, functionId: route.fn.id };

    const incoming: IncomingRequest = {
      method,
      rawPath,
      rawQueryString,
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      domainName: headers.host ?? this.origin().replace(/^http:\/\//, ''),
      protocol: `HTTP/${request.httpVersion}`,
    };
    const context = { routeKey: route.routeKey, resource: route.path, stage: api.stage, pathParameters, binaryMediaTypes: api.binaryMediaTypes, api: LOCAL_API };
    // A REST event's `path` leaves the stage out (requestContext.path has it); an HTTP API's rawPath keeps it.
    const event = api.type === 'http' ? httpApiEvent(incoming, context) : restApiEvent({ ...incoming, rawPath: routePath }, context);
    if (api.type === 'http' && typeof route.auth === 'object') attachJwtClaims(event as ReturnType<typeof httpApiEvent>, headers.authorization);
    if (eventTooLarge(event, body.length)) {
      return { response: gatewayError(api.type, 413), functionId: route.fn.id, problem: `the event is over Lambda's ${LAMBDA_LIMITS.syncPayloadBytes}-byte synchronous payload limit` };
    }
    const pool = target.pools.get(route.fn.id);
    if (!pool) return { response: gatewayError(api.type, 500), functionId: route.fn.id, problem: `no archive for ${route.fn.id}` };
    const { outcome } = await pool.invoke(event);
    const mapped = mapOutcome(api.type, outcome);
    const response = mapped.response;
    // An HTTP API's CORS headers replace whatever the function set (a REST API's come from the function's generated handler).
    if (api.type === 'http' && api.cors) {
      for (const [name, value] of Object.entries(responseCorsHeaders(api.cors, headers.origin))) response.headers[name] = [value];
    }
    return { response, functionId: route.fn.id, problem: mapped.problem ?? problemOf(outcome) };
  }
}

/**
 * Lambda refuses a synchronous invocation whose event is over its payload
 * limit, and API Gateway answers 413. A body under an eighth of the limit
 * cannot make such an event (JSON escaping grows a byte to at most six, and
 * Node caps headers at 16 KB), so only larger bodies pay for measuring it.
 */
function eventTooLarge(event: unknown, bodyBytes: number): boolean {
  if (bodyBytes < LAMBDA_LIMITS.syncPayloadBytes / 8) return false;
  return Buffer.byteLength(JSON.stringify(event)) > LAMBDA_LIMITS.syncPayloadBytes;
}

function problemOf(outcome: InvokeOutcome): string | undefined {
  return outcome.status === 'succeeded' ? undefined : `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
}

function lowerCased(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  return result;
}

/**
 * What API Gateway answers before the function runs when `auth` would deny.
 * Only the presence of a credential is checked: signatures and tokens are
 * NOT verified locally (serve says so at startup).
 */
export function authDenied(type: ApiType, auth: HttpAuth, headers: Record<string, string | undefined>, rawQueryString: string): HttpResponse | undefined {
  if (auth === 'none') return undefined;
  const authorization = headers.authorization ?? '';
  if (auth === 'iam') {
    const signed = authorization.startsWith('AWS4-HMAC-SHA256 ') || new URLSearchParams(rawQueryString).has('X-Amz-Signature');
    return signed ? undefined : gatewayError(type, 403, type === 'http' ? 'Forbidden' : 'Missing Authentication Token');
  }
  return /^Bearer\s+\S+/i.test(authorization) ? undefined : gatewayError(type, 401, 'Unauthorized');
}

/** A JWT authorizer hands the function the token's claims: decoded here, not verified. */
function attachJwtClaims(event: ReturnType<typeof httpApiEvent>, authorization: string | undefined): void {
  const token = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  let claims: Record<string, string | number | boolean | string[]> = {};
  try {
    if (payload) claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    claims = {};
  }
  (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims, scopes: null } };
}
