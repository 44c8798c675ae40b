import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { discover } from './discover';

// `sendToConnection`: a message to a client of the service's WebSocket API,
// through the API's management endpoint (discover().websocket, written by the
// template stage). The client is made once a container and endpoint. Only a
// function that calls it bundles the management client: rollup drops the
// import from every other function (the SDK's packages have no side effects).

/** The connection is closed (API Gateway answered 410 GoneException): forget it. */
export class ConnectionGoneError extends Error {
  readonly statusCode = 410;
  constructor(readonly connectionId: string) {
    super(`WebSocket connection ${connectionId} is gone (410): the client disconnected; stop sending to it`);
    this.name = 'ConnectionGoneError';
  }
}

let client: { endpoint: string; client: ApiGatewayManagementApiClient } | undefined;

function managementClient(): ApiGatewayManagementApiClient {
  const endpoint = discover().websocket?.managementEndpoint;
  if (!endpoint) {
    throw new Error("sendToConnection needs the service's WebSocket API, and discover().websocket is absent: give a function of this service a @WebSocket route");
  }
  if (client?.endpoint !== endpoint) client = { endpoint, client: new ApiGatewayManagementApiClient({ endpoint }) };
  return client.client;
}

/**
 * Posts `data` to the connection: a string or Buffer as it is, anything else
 * as JSON. Throws `ConnectionGoneError` when the client has disconnected.
 */
export async function sendToConnection(connectionId: string, data: unknown): Promise<void> {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data), 'utf8');
  try {
    await managementClient().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: body }));
  } catch (error) {
    if (error instanceof GoneException || (error as { name?: string }).name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410) {
      throw new ConnectionGoneError(connectionId);
    }
    throw error;
  }
}
