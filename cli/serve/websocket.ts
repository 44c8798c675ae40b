import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { webSocketEvent, type WebSocketConnectionInfo } from '../events/api';
import type { HttpResponse } from './results';
import { WEBSOCKET_STAGE } from '../../sources/websocket';
import { LOCAL_API, selectWebSocketRoute, type WebSocketRoute } from './routes';
import type { ServeTarget } from './server';

// The service's WebSocket API on the HTTP server's port: `$connect` decides
// whether a handshake completes, each message goes to the route its `action`
// names (or `$default`), `$disconnect` hears the close. The management
// endpoint (what ApiGatewayManagementApi calls: POST, GET and DELETE on
// `/@connections/{id}`) reaches the connections, so `sendToConnection` works
// against the local server as against AWS.


interface Connection {
  info: WebSocketConnectionInfo;
  socket: WebSocket;
  lastActiveAt: number;
}

/** API Gateway's connection IDs look like `L0SM9cOFvHcCIhw=`. */
function connectionId(): string {
  return randomBytes(10).toString('base64');
}

const is2xx = (status: number) => status >= 200 && status < 300;

export class WebSocketGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Map<string, Connection>();

  constructor(
    server: http.Server,
    private readonly target: () => ServeTarget | undefined,
    private readonly log: (line: string) => void,
  ) {
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
  }

  close(): void {
    for (const connection of this.connections.values()) connection.socket.terminate();
    this.connections.clear();
    this.wss.close();
  }

  private routes(): WebSocketRoute[] {
    return this.target()?.routes.websocket ?? [];
  }

  private async invoke(route: WebSocketRoute, event: unknown): Promise<{ ok: boolean; statusCode: number; problem?: string }> {
    const pool = this.target()?.pools.get(route.fn.id);
    if (!pool) return { ok: false, statusCode: 500, problem: `no archive for ${route.fn.id}` };
    const { outcome } = await pool.invoke(event);
    if (outcome.status !== 'succeeded') return { ok: false, statusCode: outcome.status === 'timed-out' ? 504 : 502, problem: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
    const result = outcome.result as { statusCode?: unknown } | null;
    const statusCode = typeof result?.statusCode === 'number' ? result.statusCode : 200;
    return { ok: true, statusCode };
  }

  private async upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const started = performance.now();
    const routes = this.routes();
    const url = request.url ?? '/';
    const question = url.indexOf('?');
    const rawQueryString = question < 0 ? '' : url.slice(question + 1);
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`);
      this.log(`WS $connect ${status} ${Math.round(performance.now() - started)}ms ${connect?.fn.id ?? '-'}`);
    };
    const connect = routes.find((route) => route.route === '$connect');
    if (routes.length === 0) return refuse(404, 'Not Found');
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) headers[request.rawHeaders[i]] = request.rawHeaders[i + 1];
    const info: WebSocketConnectionInfo = {
      connectionId: connectionId(),
      connectedAt: Date.now(),
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: request.headers['user-agent'] ?? '',
      domainName: request.headers.host ?? '',
      stage: WEBSOCKET_STAGE,
      apiId: LOCAL_API.apiId,
    };
    if (connect) {
      const answer = await this.invoke(connect, webSocketEvent(info, '$connect', 'CONNECT', { headers, rawQueryString }));
      if (answer.problem) this.log(`WS $connect: ${answer.problem}`);
      // A $connect that fails or answers other than 2xx refuses the connection.
      if (!answer.ok) return refuse(answer.statusCode, 'Internal Server Error');
      if (!is2xx(answer.statusCode)) return refuse(answer.statusCode, 'Forbidden');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const connection: Connection = { info, socket: ws, lastActiveAt: Date.now() };
      this.connections.set(info.connectionId, connection);
      this.log(`WS $connect 101 ${Math.round(performance.now() - started)}ms ${connect?.fn.id ?? '-'}`);
      ws.on('message', (data: RawData, isBinary: boolean) => void this.message(connection, data, isBinary));
      ws.on('close', (code: number, reason: Buffer) => void this.disconnect(connection, code, reason.toString('utf8')));
    });
  }

  private async message(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const started = performance.now();
    connection.lastActiveAt = Date.now();
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    const body = isBinary ? bytes.toString('base64') : bytes.toString('utf8');
    const route = selectWebSocketRoute(this.routes(), isBinary ? '' : body);
    const requestId = connectionId();
    if (!route) {
      // API Gateway's answer to a message no route takes.
      connection.socket.send(JSON.stringify({ message: 'Forbidden', connectionId: connection.info.connectionId, requestId }));
      this.log(`WS message 403 ${Math.round(performance.now() - started)}ms -`);
      return;
    }
    const answer = await this.invoke(route, webSocketEvent(connection.info, route.route, 'MESSAGE', { body, isBinary }));
    if (!answer.ok) {
      if (answer.problem) this.log(`WS ${route.route}: ${answer.problem}`);
      connection.socket.send(JSON.stringify({ message: 'Internal server error', connectionId: connection.info.connectionId, requestId }));
    }
    this.log(`WS ${route.route} ${answer.ok ? answer.statusCode : 500} ${Math.round(performance.now() - started)}ms ${route.fn.id}`);
  }

  private async disconnect(connection: Connection, code: number, reason: string): Promise<void> {
    this.connections.delete(connection.info.connectionId);
    const route = this.routes().find((candidate) => candidate.route === '$disconnect');
    if (!route) return;
    const started = performance.now();
    const answer = await this.invoke(route, webSocketEvent(connection.info, '$disconnect', 'DISCONNECT', { disconnectStatusCode: code, disconnectReason: reason }));
    if (answer.problem) this.log(`WS $disconnect: ${answer.problem}`);
    this.log(`WS $disconnect ${answer.statusCode} ${Math.round(performance.now() - started)}ms ${route.fn.id}`);
  }

  /**
   * The management API (PostToConnection, GetConnection, DeleteConnection), or
   * undefined when the request is not for it. The path may carry a stage
   * first, as the deployed endpoint's does.
   */
  management(method: string, rawPath: string, body: Buffer): HttpResponse | undefined {
    const match = /^(?:\/[^/]+)?\/@connections\/([^/]+)$/.exec(rawPath);
    if (!match) return undefined;
    const id = decodeURIComponent(match[1]);
    const connection = this.connections.get(id);
    const json = (statusCode: number, value: unknown, errorType?: string): HttpResponse => ({
      statusCode,
      headers: { 'content-type': ['application/json'], ...(errorType ? { 'x-amzn-errortype': [errorType] } : {}) },
      body: Buffer.from(value === undefined ? '' : JSON.stringify(value)),
    });
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) return json(410, { message: null }, 'GoneException');
    if (method === 'POST') {
      connection.socket.send(body.toString('utf8'));
      return json(200, undefined);
    }
    if (method === 'GET') {
      return json(200, {
        ConnectedAt: new Date(connection.info.connectedAt).toISOString(),
        Identity: { SourceIp: connection.info.sourceIp, UserAgent: connection.info.userAgent },
        LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
    }
    if (method === 'DELETE') {
      connection.socket.close(1000);
      return { statusCode: 204, headers: {}, body: Buffer.alloc(0) };
    }
    return json(403, { message: 'Forbidden' }, 'ForbiddenException');
  }
}
