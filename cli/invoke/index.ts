import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveLambdaSettings } from '../../manifest/defaults';
import type { FunctionArtifact, FunctionManifest, ServiceManifest } from '../../manifest/types';
import { archivePath, BUILD_REPORT_FILE, readBuildReport } from '../package/build';
import { archiveMissing } from '../errors';
import { buildAndMarshal, type BuildOptions } from '../pipeline';
import { loadProjectCached, resolveOutDir, serviceOutDir } from '../project';
import { functionEnvironment } from '../template/environment';
import { invokeArchive, type InvokeOutcome } from './archive';
import { localDiscoveryDocument } from './discovery';
import { functionName } from '../template/ids';
import { selectFunction, selectServiceOf } from './select';
import { applyStage } from '../../manifest/stage';

export { invokeArchive } from './archive';
export type { InvokeArchiveOptions, InvokeOutcome } from './archive';
export type { LambdaError } from './protocol';

export interface InvokeFunctionOptions {
  /** The user's tsconfig.json. */
  project: string;
  service?: string;
  /** `--stage`, checked: the function runs as deployed in that stage (its settings, SPARTA_STAGE, discover().stage). */
  stage?: string;
  /** Function id (`Class.method`), method name or deployed function name. */
  function: string;
  event: unknown;
  /** Overrides, applied last. */
  env?: Record<string, string>;
  /** The build output folder (holds build.json): `--out` as given, relative to the current folder; default `.sparta` beside the tsconfig. */
  out?: string;
  region?: string;
  logs?: NodeJS.WritableStream;
  /**
   * Rebuild the service first, as `sparta build` does with these options, so
   * that a stale archive never runs; absent, the archive on disk runs as it is.
   */
  build?: Omit<BuildOptions, 'tsconfigPath' | 'service' | 'out' | 'stage'>;
}

export interface InvokeFunctionResult {
  service: ServiceManifest;
  fn: FunctionManifest;
  functionName: string;
  /** The region the function ran in (its ARN, the discovery document's placeholders). */
  region: string;
  timeoutSeconds: number;
  memorySize: number;
  outcome: InvokeOutcome;
}

/** Finds the function's built archive and runs it as Lambda would. */
export async function invokeFunction(options: InvokeFunctionOptions): Promise<InvokeFunctionResult> {
  const { service, outDir } = options.build
    ? await buildAndMarshal({ ...options.build, tsconfigPath: options.project, select: (manifest) => selectServiceOf(manifest, options.service, options.function), stage: options.stage, out: options.out })
    : loadService(options);
  const fn = selectFunction(service, options.function);
  const artifact = findArtifact(outDir, fn);
  const settings = resolveLambdaSettings(fn.options);
  const name = functionName(service.name, fn.className, fn.methodName);
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // What the deployed function gets (placeholders for what only the stack knows), then the caller's overrides.
  const discovery = JSON.stringify(localDiscoveryDocument(service, fn, region));
  const env: Record<string, string> = { ...functionEnvironment(fn, artifact, discovery, service.stage), ...options.env };
  const outcome = await invokeArchive({
    archive: artifact.archive,
    handler: artifact.handler,
    event: options.event,
    env,
    timeoutSeconds: settings.timeout,
    memorySize: settings.memorySize,
    functionName: name,
    region,
    runtime: settings.runtime,
    logs: options.logs,
  });
  return { service, fn, functionName: name, region, timeoutSeconds: settings.timeout, memorySize: settings.memorySize, outcome };
}

function loadService(options: InvokeFunctionOptions): { service: ServiceManifest; outDir: string } {
  const { manifest, projectDir } = loadProjectCached(options.project, options.out);
  const service = selectServiceOf(manifest, options.service, options.function);
  return { service: applyStage(service, options.stage), outDir: resolveOutDir(projectDir, options.out) };
}

/** The function's entry in its service's `<out>/<service>/build.json`, its archive path made absolute. */
export function findArtifact(outDir: string, fn: FunctionManifest): FunctionArtifact {
  const serviceDir = serviceOutDir(outDir, fn.service);
  const report = readBuildReport(serviceDir);
  const artifact = report.functions?.find((candidate) => candidate.functionId === fn.id && candidate.service === fn.service);
  if (!artifact) throw archiveMissing(`${path.join(serviceDir, BUILD_REPORT_FILE)} has no archive for ${fn.service}/${fn.id}`);
  const archive = archivePath(serviceDir, artifact);
  if (!fs.existsSync(archive)) throw archiveMissing(`the archive ${archive} for ${fn.id} is missing`);
  return { ...artifact, archive };
}
