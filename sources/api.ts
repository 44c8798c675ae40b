import type { SourceLocation } from '../manifest/types';

// The contract of HTTP and WebSocket APIs, shared by the template stage (the
// API's resources), `sparta serve` (the API on localhost) and discovery. A
// route is an event source like any other (sources/http.ts,
// sources/websocket.ts); the API a service's routes share is the service's
// `api` (from `@Api`, or the default when a service has `@Http` routes).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

/** `http`: API Gateway HTTP API, payload format 2.0. `rest`: REST API, proxy integration, payload format 1.0. */
export type ApiType = 'http' | 'rest';

export interface CorsOptions {
  origins?: string[];
  methods?: string[];
  headers?: string[];
  exposedHeaders?: string[];
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

export interface ApiOptions {
  type?: ApiType;
  /** Default `$default` for HTTP APIs, `v1` for REST APIs. */
  stage?: string;
  /** `true`: any origin, method and header. */
  cors?: true | CorsOptions;
  /** REST APIs only. */
  binaryMediaTypes?: string[];
}

/** CORS with every default applied: what the template writes and `sparta serve` answers preflights with. */
export interface CorsManifest {
  origins: string[];
  methods: string[];
  headers: string[];
  exposedHeaders: string[];
  credentials: boolean;
  maxAge?: number;
}

export interface ApiManifest {
  type: ApiType;
  stage: string;
  cors?: CorsManifest;
  binaryMediaTypes: string[];
  /** The `@Api` decorator, or the service's first route when the API is the default one. */
  source: SourceLocation;
}

export type HttpAuth = 'none' | 'iam' | { jwt: { issuer: string; audience: string[] } };

export interface HttpOptions {
  /** Default `none`. `jwt` is for HTTP APIs only. */
  auth?: HttpAuth;
}

export interface HttpRouteManifest {
  kind: 'http';
  method: HttpMethod;
  /** `/orders/{id}`, `/files/{proxy+}`: starts with `/`, no trailing `/` (but `/` itself). */
  path: string;
  auth: HttpAuth;
  source: SourceLocation;
}

export interface WebSocketRouteManifest {
  kind: 'websocket';
  /** `$connect`, `$disconnect`, `$default` or a route name (matched against `$request.body.action`). */
  route: string;
  source: SourceLocation;
}
