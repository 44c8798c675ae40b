import type { ApiType } from '../../manifest/types';
import type { InvokeOutcome } from '../invoke';

// What API Gateway answers for an invocation's outcome (a Lambda proxy
// integration). A function error (thrown past the handler, the runtime
// exiting, out of memory, failing to load) is 502 as API Gateway answers
// ("If the function runs but returns an error, or returns a response in the
// wrong format, API Gateway returns a 502": Lambda's developer guide), and so
// is a result of the wrong shape. A timeout is 504, API Gateway's answer when
// the integration outlasts its limit (a Lambda timeout shorter than that
// limit is a function error, 502, on AWS: serve keeps it apart as a 504).

export interface HttpResponse {
  statusCode: number;
  /** Header name to values (one header line each). */
  headers: Record<string, string[]>;
  body: Buffer;
}

/** The error bodies as each API type writes them. */
export function gatewayError(type: ApiType, status: 403 | 401 | 404 | 413 | 500 | 502 | 503 | 504, message?: string): HttpResponse {
  const messages: Record<number, [string, string]> = {
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', 'Missing Authentication Token'],
    404: ['Not Found', 'Not Found'],
    413: ['Request Entity Too Large', 'Request Entity Too Large'],
    500: ['Internal Server Error', 'Internal server error'],
    502: ['Internal Server Error', 'Internal server error'],
    503: ['Service Unavailable', 'Service Unavailable'],
    504: ['Service Unavailable', 'Endpoint request timed out'],
  };
  const [http, rest] = messages[status];
  const text = message ?? (type === 'http' ? (status === 504 ? 'Endpoint request timed out' : http) : rest);
  return { statusCode: status, headers: { 'content-type': ['application/json'], ...(type === 'rest' ? { 'x-amzn-errortype': [errorType(status)] } : {}) }, body: Buffer.from(JSON.stringify({ message: text })) };
}

function errorType(status: number): string {
  switch (status) {
    case 401:
      return 'UnauthorizedException';
    case 403:
      return 'MissingAuthenticationTokenException';
    case 404:
      return 'NotFoundException';
    case 413:
      return 'RequestEntityTooLargeException';
    case 504:
      return 'IntegrationTimeout';
    default:
      return 'InternalServerErrorException';
  }
}

/** Why an outcome became an error response: logged, never sent. */
export interface MappedResponse {
  response: HttpResponse;
  problem?: string;
}

export function mapOutcome(type: ApiType, outcome: InvokeOutcome): MappedResponse {
  if (outcome.status === 'timed-out') return { response: gatewayError(type, 504), problem: outcome.error.errorMessage };
  if (outcome.status !== 'succeeded') return { response: gatewayError(type, 502), problem: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
  const mapped = type === 'http' ? mapHttpApiResult(outcome.result) : mapRestApiResult(outcome.result);
  if (typeof mapped === 'string') return { response: gatewayError(type, 502), problem: `malformed Lambda proxy response: ${mapped}` };
  return { response: mapped };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Payload format 2.0: an object with `statusCode` is a proxy result; any other
 * value (a string, an object without `statusCode`) is the body of a 200 with
 * content type application/json, as the HTTP API's format 2.0 infers it.
 */
export function mapHttpApiResult(result: unknown): HttpResponse | string {
  if (!isObject(result) || !('statusCode' in result)) {
    // The body is the function's payload as Lambda returned it: JSON (a string keeps its quotes).
    const body = JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(body) };
  }
  return proxyResult(result, false);
}

/** Payload format 1.0: the result must be a proxy result (statusCode, headers, multiValueHeaders, body, isBase64Encoded). */
export function mapRestApiResult(result: unknown): HttpResponse | string {
  if (!isObject(result)) return `expected an object with statusCode, got ${JSON.stringify(result) ?? 'undefined'}`;
  return proxyResult(result, true);
}

const PROXY_FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);

function proxyResult(result: Record<string, unknown>, rest: boolean): HttpResponse | string {
  const extra = Object.keys(result).filter((key) => !PROXY_FIELDS.has(key) || (rest && key === 'cookies'));
  // REST APIs refuse a proxy result with fields they do not know.
  if (rest && extra.length > 0) return `unknown field ${extra.map((key) => JSON.stringify(key)).join(', ')}`;
  const statusCode = typeof result.statusCode === 'string' ? Number(result.statusCode) : result.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return `statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status`;
  const headers: Record<string, string[]> = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (!isObject(result.headers)) return 'headers is not an object';
    for (const [name, value] of Object.entries(result.headers)) {
      if (isObject(value) || Array.isArray(value)) return `header ${name} is not a string`;
      headers[name.toLowerCase()] = [String(value)];
    }
  }
  if (rest && result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (!isObject(result.multiValueHeaders)) return 'multiValueHeaders is not an object';
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) return `multiValueHeaders.${name} is not a list`;
      const key = name.toLowerCase();
      // API Gateway merges both maps; values named in both are sent from each.
      headers[key] = [...(headers[key] ?? []), ...values.map(String)];
    }
  }
  if (!rest && result.cookies !== undefined) {
    if (!Array.isArray(result.cookies)) return 'cookies is not a list';
    headers['set-cookie'] = [...(headers['set-cookie'] ?? []), ...result.cookies.map(String)];
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return 'body is not a string';
  const text = (result.body as string | undefined | null) ?? '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode, headers, body };
}
