// Turns what the SDK throws into something a person can act on. Transport
// failures (no connection, a body that is not an AWS error) are translated for
// every call in api.ts; service errors (ValidationError, NotFound…) pass
// through so the caller that knows the context can name the bucket, stack or
// role.
import { awsFailure, awsResponseUnreadable, credentialsMissing, endpointUnreachable, regionMissing, SpartaError } from '../errors';

export interface CallContext {
  service: string;
  operation: string;
  endpoint?: string;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $responseBodyText?: string;
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : { message: String(error) };
}

export function httpStatusOf(error: unknown): number | undefined {
  return shape(error).$metadata?.httpStatusCode;
}

/** The AWS error code (`ValidationError`, `NoSuchEntity`, `NotFound`…), whichever field the SDK put it in. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = shape(error);
  return e.Code ?? e.name;
}

export function errorMessage(error: unknown): string {
  return shape(error).message ?? String(error);
}

/** A short, single-line taste of a body that was not an AWS error (HTML page title, JSON message, or the text). */
export function summarizeBody(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
  if (title) return title.trim();
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const message = parsed.message ?? parsed.Message ?? parsed.error;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function translateTransportError(error: unknown, context: CallContext): unknown {
  if (SpartaError.is(error)) return error;
  const e = shape(error);
  const where = context.endpoint ?? `the ${context.service} endpoint`;
  const message = e.message ?? '';
  if ((e.code && CONNECTION_CODES.has(e.code)) || e.name === 'TimeoutError') {
    return endpointUnreachable(where, context.operation, e.code ?? e.name ?? 'no answer', context.endpoint !== undefined);
  }
  if (/Region is missing/i.test(message)) {
    return regionMissing();
  }
  if (/Could not load credentials/i.test(message)) {
    return credentialsMissing();
  }
  const status = e.$metadata?.httpStatusCode;
  if (/XML parse error|Deserialization error/i.test(message)) {
    const body = e.$responseBodyText ? `: ${summarizeBody(e.$responseBodyText)}` : '';
    return awsResponseUnreadable(
      `${context.service} ${context.operation} failed: ${where} answered HTTP ${status ?? '?'} with a body that is not an AWS response${body}`,
      'the endpoint may not implement this call; check --endpoint-url, or the server logs',
    );
  }
  // A 5xx whose body the SDK could not parse at all surfaces as name "Unknown".
  if (e.name === 'Unknown' && status !== undefined && status >= 500) {
    return awsResponseUnreadable(
      `${context.service} ${context.operation} failed: ${where} answered HTTP ${status} with a body that is not an AWS error (an HTML error page?)`,
      'the endpoint hit an internal error; check the server logs, or retry',
    );
  }
  return error;
}

/** Any remaining AWS error as a one-line SpartaError that names the operation. */
export function awsError(error: unknown, what: string, hint?: string): SpartaError {
  if (SpartaError.is(error)) return error;
  const code = awsErrorCode(error);
  const detail = code && code !== 'Error' ? `${code}: ${errorMessage(error)}` : errorMessage(error);
  return awsFailure(what, detail, hint);
}

/** CloudFormation says "Stack with id X does not exist" as a ValidationError. */
export function isStackMissingError(error: unknown): boolean {
  return awsErrorCode(error) === 'ValidationError' && /does not exist/i.test(errorMessage(error));
}
