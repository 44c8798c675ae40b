import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiManifest, FunctionArtifact, FunctionManifest, LambdaOptions, ServiceManifest } from '../../manifest/types';
import type { ServedBuild } from '../../cli/serve';
import { tempDir, zipFiles } from '../runtime/support';

// Services for `sparta serve` made by hand: a manifest whose functions carry
// `http`/`websocket` events (the shape sources/api.ts fixes) and a real zip a
// function, each holding a plain CommonJS handler.

const at = { file: 'src/api.ts', line: 1, column: 1 };

export interface ServedFunction {
  /** `Class.method`. */
  id: string;
  /** The body of `exports.handler = async (event, context) => { ... }`. */
  code: string;
  http?: Array<{ method: string; path: string; auth?: unknown }>;
  websocket?: string[];
  options?: LambdaOptions;
}

export function servedBuild(name: string, functions: ServedFunction[], api?: Partial<ApiManifest>, dir = tempDir('serve')): ServedBuild {
  const manifests: FunctionManifest[] = functions.map((fn) => {
    const [className, methodName] = fn.id.split('.');
    const events = [
      ...(fn.http ?? []).map((route) => ({ kind: 'http', method: route.method, path: route.path, auth: route.auth ?? 'none', source: at })),
      ...(fn.websocket ?? []).map((route) => ({ kind: 'websocket', route, source: at })),
    ];
    return { id: fn.id, service: name, className, methodName, exportName: className, source: at, options: fn.options ?? {}, privileges: [], events: events as unknown as FunctionManifest['events'], dependsOn: [] };
  });
  const artifacts: FunctionArtifact[] = functions.map((fn) => {
    const fileName = `${fn.id}.zip`;
    const archive = zipFiles(dir, fileName, { 'index.js': `exports.handler = async (event, context) => {\n${fn.code}\n};\n` });
    return { service: name, functionId: fn.id, fileName, archive, sha256: '', zippedSize: 0, unzippedSize: 0, handler: 'index.handler' };
  });
  const service: ServiceManifest = {
    name,
    classes: [],
    api: api ? { type: 'http', stage: '$default', binaryMediaTypes: [], source: at, ...api } : undefined,
    resources: [],
    functions: manifests,
  };
  return { service, outDir: dir, artifacts };
}

export function writeHandler(dir: string, file: string, code: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), code);
}

/** A writable that collects everything written to it. */
export { collector } from '../runtime/support';

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
