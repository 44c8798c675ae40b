import { allowedOrigin } from '../../manifest/cors';
import type { CorsManifest } from '../../manifest/types';

// A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)
// as the API answers it without calling a function: an HTTP API from its
// `cors`, a REST API from the MOCK OPTIONS method the template gives it.
// The headers of actual responses are manifest/cors.ts's rule.

type Headers = Record<string, string[]>;

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
