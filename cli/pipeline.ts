import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TypeErrorReport } from './bundle/typecheck';
import type { FunctionArtifact, Manifest, ServiceManifest } from '../manifest/types';
import { identityTags, type ProjectIdentity } from './converge/identity';
import type { DeploymentPlan } from './converge/plan';
import { BUILD_REPORT_FILE, buildService, readBuildReport, writeBuildOutputs, type BuildServiceOptions } from './package/build';
import { buildInputsKey } from './inputs';
import { loadProjectCached, loadProjectManifest, resolveOutDir, selectService, serviceOutDir, type CachedProject } from './project';
import { applyStage, stackName } from '../manifest/stage';
import { STAGE_PARAMETER } from '../manifest/template-names';
import { ARTIFACT_BUCKET_PARAMETER, marshalTemplate, serializeTemplate } from './template';
import { checkStackLimits, marshalStacks } from './template/limits';
import type { NestedChild } from './template/nested';
import { artifactKey } from './template/function';
import type { Template } from './template/types';
import { TEMPLATE_FILE } from './template/write';
import { noService } from './errors';

// Everything before the first AWS call: analyse, bundle, package, marshal.
// `sparta build` stops here; `sparta provision` hands the plan to converge.

/** The build's own knobs pass straight through to the package stage. */
export interface BuildOptions extends Pick<BuildServiceOptions, 'minify' | 'sourcemap' | 'bundleAwsSdk' | 'onFunctionBuilt' | 'onWarning' | 'verboseWarnings'> {
  tsconfigPath: string;
  service?: string;
  /** `--stage`, checked: the service is built as applyStage gives it. */
  stage?: string;
  /** `--out`; default `.sparta` beside the tsconfig. */
  out?: string;
  /** Type-check the program before bundling (default true; `--no-typecheck` turns it off). */
  typecheck?: boolean;
  /** Prints the type errors that stop the build; without it they go into the error's message. */
  onTypeErrors?: (report: TypeErrorReport) => void;
  /** Once the service is known, before bundling starts. */
  onStart?: (service: ServiceManifest) => void;
  /** The service's inputs are those of its last build: nothing is type-checked, bundled or written. */
  onSkipped?: (service: ServiceManifest, buildReport: string) => void;
  /** Picks the service from the project's manifest (default: `service`, or the only one). */
  select?: (manifest: Manifest) => ServiceManifest;
}

export interface BuiltService {
  service: ServiceManifest;
  /** Absolute path of the tsconfig the service was built from. */
  tsconfigPath: string;
  outDir: string;
  artifacts: FunctionArtifact[];
  template: Template;
  /** The template exactly as written to `<out>/<service>/template.json` and uploaded. */
  templateBody: string;
  /** The nested stacks' templates (none when the service fits one stack), written to `<out>/<service>/nested/`. */
  children: NestedChild[];
  /** The service's own folder, `<out>/<service>`: build.json, template.json, warnings.json, nested/ and the archives. */
  serviceDir: string;
  /** Nothing changed since the last build: its outputs were reused as they are. */
  skipped: boolean;
}

/**
 * The bundler's warnings of the service's last real build, as printed, beside
 * build.json: a skipped build says them again, as the build it stands for did.
 */
export const WARNINGS_FILE = 'warnings.json';

/** Where a nested stack's template is written under the output folder. */
export function nestedTemplateFile(child: NestedChild): string {
  return path.join('nested', path.basename(child.key));
}

/** Builds the archives of one service, then marshals the template: a template error fails the build, before any upload. */
export async function buildAndMarshal(options: BuildOptions): Promise<BuiltService> {
  const typecheck = new TypecheckOnce(options);
  const select = options.select ?? ((manifest: Manifest) => selectService(manifest, options.service));
  return typecheck.within(async () => {
    const project = loadProjectCached(options.tsconfigPath, options.out, { beforeAnalysis: typecheck.start });
    return buildLoaded(project, applyStage(select(project.manifest), options.stage), options, typecheck);
  });
}

/** `sparta build` without `--service`: every service of the project, one after another, each into its own folder. */
export async function buildAllServices(options: BuildOptions): Promise<BuiltService[]> {
  const typecheck = new TypecheckOnce(options);
  return typecheck.within(async () => {
    const project = loadProjectCached(options.tsconfigPath, options.out, { beforeAnalysis: typecheck.start });
    if (project.manifest.services.length === 0) throw noService();
    const built: BuiltService[] = [];
    for (const service of project.manifest.services) built.push(await buildLoaded(project, applyStage(service, options.stage), options, typecheck));
    return built;
  });
}

/**
 * The program's type-check, once a build however many services it builds (it is the project's, not a
 * service's), on a thread of its own. It starts as soon as the build knows it has work to do: before the
 * analysis when the analysis must run (the two take about as long after a change), else with the first service
 * that is not skipped; a build with nothing to do never loads the compiler. A build that fails before it waits
 * for the check stops the check too, rather than exit only once it is done.
 */
class TypecheckOnce {
  private checked?: Promise<void>;
  private readonly abort = new AbortController();

  constructor(private readonly options: Pick<BuildOptions, 'typecheck' | 'onTypeErrors'>) {}

  readonly start = (tsconfigPath: string, outDir: string): Promise<void> => {
    if (this.options.typecheck === false) return Promise.resolve();
    if (!this.checked) {
      const { failOnTypeErrors, typeErrorReportInBackground } = require('./bundle/typecheck') as typeof import('./bundle/typecheck');
      this.checked = typeErrorReportInBackground(tsconfigPath, outDir, this.abort.signal).then((report) => failOnTypeErrors(report, this.options.onTypeErrors));
      // Awaited by the build that needs it, whatever the bundle does; meanwhile not an unhandled rejection.
      this.checked.catch(() => undefined);
    }
    return this.checked;
  };

  async within<T>(build: () => Promise<T>): Promise<T> {
    try {
      return await build();
    } finally {
      this.abort.abort();
    }
  }
}

async function buildLoaded(project: CachedProject, service: ServiceManifest, options: BuildOptions, typecheck: TypecheckOnce): Promise<BuiltService> {
  const { projectDir, tsconfigPath } = project;
  const outDir = resolveOutDir(projectDir, options.out);
  const serviceDir = serviceOutDir(outDir, service.name);
  // The stack limits need the manifest alone: a service that cannot deploy fails before anything is bundled.
  checkStackLimits(service);
  const { minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning, verboseWarnings } = options;
  // Everything that changes the archives or the template; the service's name carries the stage.
  const inputs = buildInputsKey(project.inputsKey, {
    service: service.name,
    stage: service.stage,
    minify: minify === true,
    sourcemap: sourcemap === true,
    bundleAwsSdk: bundleAwsSdk !== false,
    typecheck: options.typecheck !== false,
    // It changes which warnings are said, and those are replayed by a skipped build.
    verboseWarnings: verboseWarnings === true,
  });
  const unchanged = unchangedBuild(serviceDir, service, inputs);
  if (unchanged) {
    const { artifacts: previous, warnings } = unchanged;
    for (const message of warnings) onWarning?.(message);
    options.onSkipped?.(service, path.join(serviceDir, BUILD_REPORT_FILE));
    // Pure and fast, and the same inputs give the same template: marshalled again rather than parsed back.
    const { template, children } = marshalStacks(service, previous);
    return { service, tsconfigPath, outDir, artifacts: previous, template, templateBody: serializeTemplate(template), children, serviceDir, skipped: true };
  }
  // The type-check runs while the functions are bundled; nothing is written before it passed, and its errors
  // come first.
  const typesChecked = typecheck.start(tsconfigPath, outDir);
  options.onStart?.(service);
  let artifacts: FunctionArtifact[];
  const warnings: string[] = [];
  const recordWarning = (message: string) => {
    warnings.push(message);
    onWarning?.(message);
  };
  try {
    artifacts = await buildService({ projectDir, tsconfigPath, service, outDir, minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning: recordWarning, verboseWarnings, beforeWrite: () => typesChecked });
  } catch (error) {
    await typesChecked;
    throw error;
  }
  // Marshalled before anything of the previous build is replaced: a template error leaves that build whole.
  const { template, children } = marshalStacks(service, artifacts);
  const templateBody = serializeTemplate(template);
  if (children.length > 0) fs.mkdirSync(path.join(serviceDir, 'nested'), { recursive: true });
  const nestedFiles = Object.fromEntries(children.map((child) => [nestedTemplateFile(child), child.body]));
  writeBuildOutputs(serviceDir, artifacts, { files: { [TEMPLATE_FILE]: templateBody, [WARNINGS_FILE]: `${JSON.stringify(warnings, null, 2)}\n`, ...nestedFiles }, inputs });
  return { service, tsconfigPath, outDir, artifacts, template, templateBody, children, serviceDir, skipped: false };
}

/**
 * The artifacts of the service's last build when it had these inputs and its
 * outputs are all still there (archive paths relative to the output folder,
 * as buildService gives them) and its warnings; otherwise undefined: a
 * missing, unreadable or older build.json or warnings.json, other inputs or a
 * deleted file mean a build.
 */
function unchangedBuild(serviceDir: string, service: ServiceManifest, inputs: string): { artifacts: FunctionArtifact[]; warnings: string[] } | undefined {
  let artifacts: FunctionArtifact[];
  let warnings: unknown;
  try {
    const report = readBuildReport(serviceDir);
    if (report.inputs !== inputs || !Array.isArray(report.functions)) return undefined;
    artifacts = report.functions;
    warnings = JSON.parse(fs.readFileSync(path.join(serviceDir, WARNINGS_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  // Without the warnings it would have said, a skipped build would say less than the build it stands for.
  if (!Array.isArray(warnings) || !warnings.every((message) => typeof message === 'string')) return undefined;
  const expected = service.functions.map((fn) => fn.id).sort();
  const recorded = artifacts.map((artifact) => artifact.functionId).sort();
  if (expected.join('\n') !== recorded.join('\n')) return undefined;
  const files = [TEMPLATE_FILE, ...artifacts.map((artifact) => artifact.fileName)];
  if (!files.every((file) => fs.existsSync(path.join(serviceDir, file)))) return undefined;
  const folder = path.basename(serviceDir);
  return { artifacts: artifacts.map((artifact) => ({ ...artifact, archive: `${folder}/${artifact.fileName}` })), warnings: warnings as string[] };
}

/** Plain role ARNs named by `@Lambda({ role })`: provision checks they exist before uploading. */
export function existingRoleArns(service: ServiceManifest): string[] {
  const arns = service.functions.map((fn) => fn.options.role).filter((role): role is string => typeof role === 'string' && role.startsWith('arn:'));
  return [...new Set(arns)].sort();
}

export interface PrepareOptions extends BuildOptions {
  bucket: string;
}

/** What converge needs: built archives with their S3 keys, the template text and its parameters. */
export async function prepareDeployment(options: PrepareOptions): Promise<DeploymentPlan> {
  const built = await buildAndMarshal(options);
  return planFor(built, options.bucket);
}

/**
 * Who the project is, the same on every machine that checks it out: the name
 * in the nearest package.json above the tsconfig and the tsconfig's path from
 * there (one package may hold several sparta projects). Without any
 * package.json, the tsconfig's folder name stands in for the package name.
 */
export function projectIdentity(tsconfigPath: string): ProjectIdentity {
  const absolute = path.resolve(tsconfigPath);
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      let name: unknown;
      try {
        name = JSON.parse(fs.readFileSync(manifest, 'utf8')).name;
      } catch {
        name = undefined;
      }
      const tsconfig = path.relative(dir, absolute).split(path.sep).join('/');
      return { project: typeof name === 'string' && name !== '' ? name : path.basename(dir), tsconfig };
    }
    if (path.dirname(dir) === dir) break;
  }
  return { project: path.basename(path.dirname(absolute)), tsconfig: path.basename(absolute) };
}

export function planFor(built: BuiltService, bucket: string): DeploymentPlan {
  const identity = projectIdentity(built.tsconfigPath);
  return {
    stackName: built.service.name,
    bucket,
    artifacts: [
      ...built.artifacts.map((artifact) => ({
        key: artifactKey(built.service.name, artifact),
        file: path.join(built.outDir, artifact.archive),
        sha256: artifact.sha256,
      })),
      // Uploaded like the archives, before the change set: the parent's TemplateURLs name them by content.
      ...built.children.map((child) => ({
        key: child.key,
        file: path.join(built.serviceDir, nestedTemplateFile(child)),
        sha256: createHash('sha256').update(child.body).digest('hex'),
      })),
    ],
    templateBody: built.templateBody,
    parameters: { [ARTIFACT_BUCKET_PARAMETER]: bucket, ...(STAGE_PARAMETER in built.template.Parameters && { [STAGE_PARAMETER]: built.service.stage ?? '' }) },
    roleArns: existingRoleArns(built.service),
    noop: false,
    replaceFailed: false,
    force: false,
    identity,
    tags: { ...built.service.tags, ...identityTags(identity) },
  };
}

/** The stack name of the selected service in `stage`, from the sources alone: no build needed (delete, describe). */
export function resolveServiceName(options: { tsconfigPath: string; service?: string; stage?: string }): string {
  const { manifest } = loadProjectManifest(options.tsconfigPath);
  return stackName(selectService(manifest, options.service).name, options.stage);
}

