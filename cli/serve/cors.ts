import type { CorsManifest } from '../../manifest/types';

// CORS as an HTTP API configured with `cors` answers it: a preflight (OPTIONS
// with Origin and Access-Control-Request-Method) is answered by the API itself,
// without calling a function; an actual response gets the Allow-Origin,
// Allow-Credentials and Expose-Headers headers. A REST API has no CORS of its
// own (the template answers preflights with a MOCK OPTIONS method, the
// function sets its own headers on responses): serve answers its preflights
// the same way, and leaves its responses as the function wrote them.

type Headers = Record<string, string[]>;

function allowedOrigin(cors: CorsManifest, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.origins.includes('*')) return cors.credentials ? origin : '*';
  return cors.origins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** The headers of a preflight's answer, or undefined when the request is no preflight. */
export function preflightHeaders(cors: CorsManifest, method: string, headers: Record<string, string | undefined>): Headers | undefined {
  const requestedMethod = headers['access-control-request-method'];
  if (method !== 'OPTIONS' || requestedMethod === undefined || headers.origin === undefined) return undefined;
  const answer: Headers = {};
  const origin = allowedOrigin(cors, headers.origin);
  // A disallowed origin or method gets no Access-Control-* headers: the browser refuses.
  const methodAllowed = cors.methods.includes('*') || cors.methods.some((allowed) => allowed.toUpperCase() === requestedMethod.toUpperCase());
  if (origin === undefined || !methodAllowed) return answer;
  answer['access-control-allow-origin'] = [origin];
  answer['access-control-allow-methods'] = [cors.methods.includes('*') ? requestedMethod.toUpperCase() : cors.methods.join(',')];
  const requestedHeaders = headers['access-control-request-headers'];
  if (cors.headers.includes('*')) {
    if (requestedHeaders) answer['access-control-allow-headers'] = [requestedHeaders];
  } else if (cors.headers.length > 0) answer['access-control-allow-headers'] = [cors.headers.join(',')];
  if (cors.credentials) answer['access-control-allow-credentials'] = ['true'];
  if (cors.maxAge !== undefined) answer['access-control-max-age'] = [String(cors.maxAge)];
  if (origin !== '*') answer.vary = ['Origin'];
  return answer;
}

/** The CORS headers an HTTP API adds to a function's response (they replace the function's own). */
export function responseCorsHeaders(cors: CorsManifest, origin: string | undefined): Headers {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  const headers: Headers = { 'access-control-allow-origin': [allowed] };
  if (cors.credentials) headers['access-control-allow-credentials'] = ['true'];
  if (cors.exposedHeaders.length > 0) headers['access-control-expose-headers'] = [cors.exposedHeaders.join(',')];
  if (allowed !== '*') headers.vary = ['Origin'];
  return headers;
}
