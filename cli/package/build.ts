import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_REPORT_VERSION, type BuildReport, type FunctionArtifact, type ServiceManifest } from '../../manifest/types';
import { fileSafe } from '../bundle/names';
import { HANDLER } from '../bundle/entry';
import { buildIncompatible, buildNotFound } from '../errors';
import { serviceOutDir } from '../project';
import { projectFiles } from './files';
import { checkArchiveSize, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
import { nodeModulesFiles, packagesToInstall, type PackedPackage } from './node-modules';
import { compareNames, deterministicZip, unzippedSize, type ZipInput } from './zip';

// The build stage: bundle every function of one service, zip each bundle
// deterministically, enforce Lambda's size limits and write the archives under
// `<outDir>/<service>/`. No AWS call. `sparta build` and `sparta provision`
// both call buildService; build.json is how later commands find the result.
//
// A failed build leaves the previous one readable: archives are content
// addressed (a new one never overwrites an old one under the same name), and
// build.json, the template and the removal of old archives wait until every
// stage has succeeded (writeBuildOutputs).

export const BUILD_REPORT_FILE = 'build.json';

export interface BuildServiceOptions {
  projectDir: string;
  tsconfigPath: string;
  service: ServiceManifest;
  outDir: string;
  minify?: boolean;
  /** Ship source maps in the archives (the template stage then sets NODE_OPTIONS=--enable-source-maps). */
  sourcemap?: boolean;
  /** Bundle @aws-sdk/* (default true) instead of using the copy the Lambda runtime provides. */
  bundleAwsSdk?: boolean;
  /** Lambda's limits unless given (tests use small ones). */
  limits?: ArchiveLimits;
  /** Called as each archive is written, in function id order. */
  onFunctionBuilt?: (artifact: FunctionArtifact) => void;
  /** Bundler warnings worth a user's attention, already formatted. */
  onWarning?: (message: string) => void;
  /** Awaited once the functions are bundled, before anything is written: what throws there stops the build. */
  beforeWrite?: () => Promise<void>;
  /** Every bundler warning on its own (`--verbose-warnings`), not one line a third-party package. */
  verboseWarnings?: boolean;
}

/** `<functionId made file-safe>-<first 16 hex of sha256>.zip` */
export function archiveFileName(functionId: string, sha256: string): string {
  return `${fileSafe(functionId)}-${sha256.slice(0, 16)}.zip`;
}

const ARCHIVE_NAME = /-[0-9a-f]{16}\.zip$/;

export async function buildService(options: BuildServiceOptions): Promise<FunctionArtifact[]> {
  const { service } = options;
  const functions = [...service.functions].sort((a, b) => compareNames(a.id, b.id));
  const limits = options.limits ?? DEFAULT_ARCHIVE_LIMITS;
  // Loaded here, not at the top: a command that only reads build.json (or a skipped build) never loads rollup.
  const { bundleFunctions } = require('../bundle') as typeof import('../bundle');
  const bundles = await bundleFunctions({
    projectDir: options.projectDir,
    tsconfigPath: options.tsconfigPath,
    functions,
    minify: options.minify,
    sourcemap: options.sourcemap,
    bundleAwsSdk: options.bundleAwsSdk,
    // Beside the archives, out of the way of the service's own outputs: only bundleFunctions reads it.
    cacheDir: path.join(options.outDir, 'cache', fileSafe(service.name)),
    outDir: options.outDir,
    onWarning: options.onWarning,
    verboseWarnings: options.verboseWarnings,
  });

  await options.beforeWrite?.();
  const serviceDir = serviceOutDir(options.outDir, service.name);
  fs.mkdirSync(serviceDir, { recursive: true });
  const artifacts: FunctionArtifact[] = [];
  const byId = new Map(functions.map((fn) => [fn.id, fn]));
  const installs = new Map<string, ZipInput[]>();
  const packs = new Map<string, PackedPackage>();
  const serviceModules = new Set(functions.flatMap((fn) => fn.options.nodeModules ?? []));
  for (const bundle of bundles) {
    const fn = byId.get(bundle.functionId)!;
    // `files` and `nodeModules` beside the bundle (files.ts, node-modules.ts).
    const files: ZipInput[] = [...bundle.files, ...projectFiles(options.projectDir, fn.options.files)];
    const packages = packagesToInstall(fn.options.nodeModules, serviceModules, bundle.files);
    if (packages.length > 0) {
      files.push(...nodeModulesFiles({ projectDir: options.projectDir, outDir: options.outDir, functionId: fn.id, packages, architecture: fn.options.architecture ?? 'x86_64' }, installs, packs));
    }
    const unzipped = unzippedSize(files);
    checkArchiveSize(bundle.functionId, 'unzipped', unzipped, limits);
    const zip = deterministicZip(files);
    checkArchiveSize(bundle.functionId, 'zipped', zip.length, limits);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const fileName = archiveFileName(bundle.functionId, sha256);
    writeIfChanged(path.join(serviceDir, fileName), zip);
    const artifact: FunctionArtifact = {
      service: service.name,
      functionId: bundle.functionId,
      fileName,
      archive: `${path.basename(serviceDir)}/${fileName}`,
      sha256,
      zippedSize: zip.length,
      unzippedSize: unzipped,
      handler: HANDLER,
      ...(options.sourcemap ? { sourceMaps: true } : {}),
    };
    artifacts.push(artifact);
    options.onFunctionBuilt?.(artifact);
  }
  return artifacts;
}

/** A name beside `file` that no other process uses; renamed over `file` once it is complete. */
function stagingName(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** The name is the content's hash: an archive already on disk under it is this archive. */
function writeIfChanged(file: string, contents: Buffer): void {
  try {
    if (fs.statSync(file).size === contents.length && fs.readFileSync(file).equals(contents)) return;
  } catch {
    // not there yet
  }
  const temporary = stagingName(file);
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/** Archives of earlier builds of this service: only ours (`*-<16 hex>.zip`), never other files. */
function removeStaleArchives(serviceDir: string, keep: Set<string>): void {
  for (const name of fs.readdirSync(serviceDir)) {
    if (ARCHIVE_NAME.test(name) && !keep.has(name)) fs.rmSync(path.join(serviceDir, name), { force: true });
  }
}

/**
 * The text of a service's `build.json`; the same artifacts (and inputs) give
 * the same bytes. Each `archive` is the file's name: build.json sits beside
 * the archives it lists.
 */
export function buildReportText(artifacts: readonly FunctionArtifact[], inputs?: string): string {
  const report: BuildReport = {
    buildVersion: BUILD_REPORT_VERSION,
    ...(inputs !== undefined && { inputs }),
    functions: [...artifacts]
      .sort((a, b) => compareNames(a.service, b.service) || compareNames(a.functionId, b.functionId))
      .map((a) => ({
        service: a.service,
        functionId: a.functionId,
        fileName: a.fileName,
        archive: a.fileName,
        sha256: a.sha256,
        zippedSize: a.zippedSize,
        unzippedSize: a.unzippedSize,
        handler: a.handler,
        ...(a.sourceMaps ? { sourceMaps: true } : {}),
      })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface BuildOutputs {
  /** name -> text, written beside build.json (the template, nested templates). */
  files?: Record<string, string>;
  /** The build's inputs key, recorded so that the next build with the same inputs is skipped. */
  inputs?: string;
}

/**
 * Replaces the previous build's outputs of one service with this build's,
 * once every stage has succeeded: build.json and `files` (e.g. the template)
 * are all written under staging names first, then renamed into place,
 * build.json last (it names the archives readers load); only then do the
 * archives no longer named go. A write that fails leaves the previous outputs
 * as they were. `serviceDir` is the service's own folder (serviceOutDir), the
 * one holding its archives. Returns the path of build.json.
 */
export function writeBuildOutputs(serviceDir: string, artifacts: readonly FunctionArtifact[], { files = {}, inputs }: BuildOutputs = {}): string {
  fs.mkdirSync(serviceDir, { recursive: true });
  const outputs: Array<[string, string]> = [
    ...Object.entries(files).map(([name, text]): [string, string] => [path.join(serviceDir, name), text]),
    [path.join(serviceDir, BUILD_REPORT_FILE), buildReportText(artifacts, inputs)],
  ];
  try {
    for (const [file, text] of outputs) fs.writeFileSync(stagingName(file), text);
  } catch (error) {
    for (const [file] of outputs) fs.rmSync(stagingName(file), { force: true });
    throw error;
  }
  for (const [file] of outputs) fs.renameSync(stagingName(file), file);
  removeStaleArchives(serviceDir, new Set(artifacts.map((a) => a.fileName)));
  return path.join(serviceDir, BUILD_REPORT_FILE);
}

/** build.json alone (a build without a template). */
export function writeBuildReport(serviceDir: string, artifacts: readonly FunctionArtifact[]): string {
  return writeBuildOutputs(serviceDir, artifacts);
}

/** Reads `<serviceDir>/build.json` (for the commands that run or deploy what `sparta build` made). */
export function readBuildReport(serviceDir: string): BuildReport {
  const file = path.join(serviceDir, BUILD_REPORT_FILE);
  let report: BuildReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as BuildReport;
  } catch {
    throw buildNotFound(file);
  }
  if (report.buildVersion !== BUILD_REPORT_VERSION) {
    throw buildIncompatible(file, report.buildVersion, BUILD_REPORT_VERSION);
  }
  return report;
}

/** The absolute path of an artifact's archive; `archive` is relative to `dir` (build.json's folder for a report read from disk). */
export function archivePath(dir: string, artifact: Pick<FunctionArtifact, 'archive'>): string {
  return path.resolve(dir, artifact.archive);
}
