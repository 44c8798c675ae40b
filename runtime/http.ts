import { responseCorsHeaders } from '../manifest/cors';
import type { CorsManifest } from '../manifest/types';
import { discover } from './discover';
import { createHandler, type LambdaHandler } from './handler';
import { logger } from './logger';

// What a function with `@Http` routes answers, the same for HTTP APIs
// (payload 2.0) and REST APIs (proxy integration, 1.0): a proxy result as
// returned, any other value as 200 JSON, an HttpError as its status, any
// other error as a 500 that tells the caller nothing (the log has it). Only
// entries of such functions import this module, so others do not ship it.

export interface HttpErrorOptions {
  headers?: Record<string, string>;
  /** The response body instead of `{ message }`: a string as it is, anything else as JSON. */
  body?: unknown;
}

/** Thrown from a route's handler: answered with `status`, and `{ "message": message }` unless `body` says otherwise. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = options.headers ?? {};
    this.body = options.body;
  }
}

interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function isProxyResult(value: unknown): value is ProxyResult {
  return typeof value === 'object' && value !== null && typeof (value as { statusCode?: unknown }).statusCode === 'number';
}

function json(statusCode: number, value: unknown, headers: Record<string, string> = {}): ProxyResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(value ?? null) };
}

/** The response for what a route's handler returned. */
export function httpResult(value: unknown): ProxyResult {
  return isProxyResult(value) ? value : json(200, value);
}

/** The response for what a route's handler threw. */
export function httpErrorResult(error: unknown): ProxyResult {
  if (error instanceof HttpError) {
    if (typeof error.body === 'string') return { statusCode: error.status, headers: { ...error.headers }, body: error.body };
    return json(error.status, error.body === undefined ? { message: error.message } : error.body, error.headers);
  }
  logger.error('unhandled error in route handler', { error });
  return json(500, { message: 'Internal Server Error' });
}

/** The REST API's `cors`, which its proxy integration leaves to the function to answer with; undefined for an HTTP API (it adds them itself) or none. */
function restCors(): CorsManifest | undefined {
  let api: ReturnType<typeof discover>['api'];
  try {
    api = discover().api;
  } catch {
    // Outside a deployed function (a unit test calling the handler) there is no API to answer for.
    return undefined;
  }
  return api?.type === 'rest' ? api.cors : undefined;
}

function requestOrigin(event: unknown): string | undefined {
  const headers = (event as { headers?: Record<string, string | undefined> | null } | null)?.headers;
  if (!headers) return undefined;
  // A REST event keeps header names as the client sent them.
  return Object.entries(headers).find(([name]) => name.toLowerCase() === 'origin')?.[1];
}

/** `result` with the CORS headers an HTTP API would add, replacing the function's own of the same names. */
export function withCorsHeaders(result: ProxyResult, cors: CorsManifest, origin: string | undefined): ProxyResult {
  const added = responseCorsHeaders(cors, origin);
  const names = new Set(Object.keys(added));
  if (names.size === 0) return result;
  const without = <V>(headers: Record<string, V> | undefined) => Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !names.has(name.toLowerCase())));
  const answer: ProxyResult = { ...result, headers: { ...without(result.headers), ...added } };
  if (result.multiValueHeaders) answer.multiValueHeaders = without(result.multiValueHeaders);
  return answer;
}

/** `createHandler` for a function with `@Http` routes: its value or error as an API Gateway response. */
export function createHttpHandler<T extends object>(ServiceClass: new () => T, method: keyof T & string): LambdaHandler {
  const handle = createHandler(ServiceClass, method);
  return async function handler(event: unknown, context: unknown): Promise<unknown> {
    let result: ProxyResult;
    try {
      result = httpResult(await handle(event, context));
    } catch (error) {
      result = httpErrorResult(error);
    }
    const cors = restCors();
    return cors ? withCorsHeaders(result, cors, requestOrigin(event)) : result;
  };
}
