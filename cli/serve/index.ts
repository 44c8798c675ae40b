import * as path from 'node:path';
import { resolveLambdaSettings } from '../../manifest/defaults';
import type { DiscoveryDocument } from '../../manifest/discovery';
import type { FunctionArtifact, FunctionManifest, ServiceManifest } from '../../manifest/types';
import { renderError, serveListenFailed, serveNoRoutes, servePortInUse, SpartaError } from '../errors';
import { localDiscoveryDocument } from '../invoke/discovery';
import { archivePath } from '../package/build';
import { buildAndMarshal, type BuildOptions } from '../pipeline';
import { functionEnvironment } from '../template/environment';
import { functionName } from '../template/ids';
import { FunctionPool } from './pool';
import { readRoutes, type ServedRoutes } from './routes';
import { ServeServer, stagePath, type ServeTarget } from './server';
import { watchSources } from './watch';

export { readRoutes, matchRoute } from './routes';
export { ServeServer } from './server';

// `sparta serve`: build the service, then serve its API on localhost with
// each routed function warm in its own Lambda-like processes, until stopped.

/** A build to serve: the service and its archives (paths absolute, or relative to `outDir`). */
export interface ServedBuild {
  service: ServiceManifest;
  outDir: string;
  artifacts: FunctionArtifact[];
}

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The first build; `rebuild` makes the next ones. */
  build: () => Promise<ServedBuild>;
  /** Rebuild and swap on every change under this folder (`--watch`); `ignore` lists folders inside it that never count. */
  watch?: { dir: string; ignore: string[] };
  /** Where function logs, request lines and notes go (stderr). */
  logs: NodeJS.WritableStream;
  region?: string;
  /** Variables set in every function, last. */
  env?: Record<string, string>;
}

export interface ServeHandle {
  /** `http://host:port` plus the stage path for REST APIs: the API's URL as discover().api.url gives it. */
  url: string;
  /** The server's own origin, `http://host:port`. */
  origin: string;
  server: ServeServer;
  /** The pids of every live sandbox. */
  pids(): number[];
  /** Resolves once a rebuild (from --watch) has been served or has failed. */
  rebuilt(): Promise<'swapped' | 'failed'>;
  close(): Promise<void>;
}

/** Where a project's build for serve comes from: `sparta build`'s pipeline with these options. */
export function pipelineBuild(options: BuildOptions): () => Promise<ServedBuild> {
  return async () => {
    const built = await buildAndMarshal(options);
    return { service: built.service, outDir: built.outDir, artifacts: built.artifacts };
  };
}

export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const first = await options.build();
  let routes = readRoutes(first.service);
  if (routes.http.length === 0 && routes.websocket.length === 0) throw serveNoRoutes(first.service.name);
  const server = new ServeServer({ host: options.host, port: options.port, requestLog: (line) => options.logs.write(`${line}\n`) });
  try {
    await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw servePortInUse(options.host, options.port);
    throw serveListenFailed(options.host, options.port, code ?? (error as Error).message);
  }
  const origin = server.origin();
  const apiUrl = (served: ServedRoutes) => `${origin}${stagePath(served.api.type, served.api.stage)}`;
  const targetOf = (built: ServedBuild, served: ServedRoutes): ServeTarget => ({
    routes: served,
    pools: makePools(built, served, { origin, apiUrl: apiUrl(served), region, logs: options.logs, env: options.env }),
  });
  server.swap(targetOf(first, routes));
  noteAuth(routes, options.logs);

  let rebuilding = Promise.resolve<'swapped' | 'failed'>('swapped');
  let stopWatching = () => {};
  if (options.watch) {
    const { dir, ignore } = options.watch;
    stopWatching = watchSources(dir, ignore, () => {
      rebuilding = rebuilding.then(async () => {
        options.logs.write('change detected: rebuilding\n');
        try {
          const built = await options.build();
          const served = readRoutes(built.service);
          server.swap(targetOf(built, served));
          routes = served;
          options.logs.write(`rebuilt: serving the new build at ${apiUrl(served)}\n`);
          return 'swapped';
        } catch (error) {
          // The previous build keeps serving.
          options.logs.write(`rebuild failed, still serving the previous build:\n${SpartaError.is(error) ? renderError(error) : ((error as Error).stack ?? String(error))}\n`);
          return 'failed';
        }
      });
    });
  }

  let closing: Promise<void> | undefined;
  return {
    url: apiUrl(routes),
    origin,
    server,
    pids: () => server.pids(),
    rebuilt: () => rebuilding,
    close: () => {
      closing ??= (async () => {
        stopWatching();
        await server.close();
      })();
      return closing;
    },
  };
}

function noteAuth(routes: ServedRoutes, logs: NodeJS.WritableStream): void {
  const guarded = routes.http.filter((route) => route.auth !== 'none');
  if (guarded.length === 0) return;
  logs.write(
    `note: ${guarded.map((route) => route.routeKey).join(', ')} ${guarded.length === 1 ? 'requires' : 'require'} auth; locally only its presence is checked ` +
      '(a SigV4 Authorization header for iam, a Bearer token for jwt): signatures and tokens are NOT verified\n',
  );
}

interface PoolContext {
  origin: string;
  apiUrl: string;
  region: string;
  logs: NodeJS.WritableStream;
  env?: Record<string, string>;
}

/** One pool for each function a route reaches, with the environment `sparta invoke` gives it and a discovery document pointing at this server. */
function makePools(built: ServedBuild, routes: ServedRoutes, context: PoolContext): Map<string, FunctionPool> {
  const pools = new Map<string, FunctionPool>();
  const routed = new Map<string, FunctionManifest>();
  for (const route of [...routes.http, ...routes.websocket]) routed.set(route.fn.id, route.fn);
  for (const fn of routed.values()) {
    const artifact = built.artifacts.find((candidate) => candidate.functionId === fn.id && candidate.service === fn.service);
    if (!artifact) continue;
    const settings = resolveLambdaSettings(fn.options);
    const discovery = localServeDiscovery(built.service, fn, context.region, routes, context.origin, context.apiUrl);
    const env: Record<string, string> = { ...localCredentials(), ...functionEnvironment(fn, artifact, JSON.stringify(discovery), built.service.stage), ...context.env };
    const pool = new FunctionPool({
      archive: path.isAbsolute(artifact.archive) ? artifact.archive : archivePath(built.outDir, artifact),
      handler: artifact.handler,
      timeoutSeconds: settings.timeout,
      memorySize: settings.memorySize,
      functionName: functionName(built.service.name, fn.className, fn.methodName),
      env,
      region: context.region,
      runtime: settings.runtime,
      logs: context.logs,
    });
    // Load each function ahead of its first request, as a warm API would have it.
    pool.warm();
    pools.set(fn.id, pool);
  }
  return pools;
}

/** `sparta invoke`'s document, with the API and the WebSocket API on this server. */
export function localServeDiscovery(service: ServiceManifest, fn: FunctionManifest, region: string, routes: ServedRoutes, origin: string, apiUrl: string): DiscoveryDocument {
  // The sources fill api/websocket (their `discovery`) with the deployed URLs' placeholders; what this server serves replaces them.
  const document = localDiscoveryDocument(service, fn, region);
  if (routes.http.length > 0) document.api = { ...document.api, url: apiUrl, type: routes.api.type, stage: routes.api.stage };
  if (routes.websocket.length > 0) document.websocket = { url: origin.replace(/^http/, 'ws'), managementEndpoint: origin };
  return document;
}

/**
 * Lambda always gives a function credentials; the management client signs
 * with whatever it finds. When the host has none, the function gets dummy
 * ones (the local endpoint does not check them).
 */
function localCredentials(): Record<string, string> {
  if (process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE) return {};
  return { AWS_ACCESS_KEY_ID: 'ASIALOCALSPARTASERVE', AWS_SECRET_ACCESS_KEY: 'sparta-serve-local-secret', AWS_SESSION_TOKEN: 'sparta-serve-local' };
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM; the command then closes the server and every sandbox. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
