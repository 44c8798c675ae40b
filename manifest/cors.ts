import type { CorsManifest } from './types';

// The CORS headers an HTTP API configured with `cors` adds to every answer.
// A REST API (proxy integration) adds none of its own: there the generated
// handler adds these (runtime/http.ts), so a browser sees the same headers
// from either API type. `sparta serve` answers with the same rule.

/** The origin to allow for a request from `origin`, or undefined when it is not allowed. */
export function allowedOrigin(cors: CorsManifest, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.origins.includes('*')) return cors.credentials ? origin : '*';
  return cors.origins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** The CORS headers of an actual (not preflight) response to a request from `origin`; none when the origin is not allowed. */
export function responseCorsHeaders(cors: CorsManifest, origin: string | undefined): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  const headers: Record<string, string> = { 'access-control-allow-origin': allowed };
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  if (cors.exposedHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposedHeaders.join(',');
  if (allowed !== '*') headers.vary = 'Origin';
  return headers;
}
