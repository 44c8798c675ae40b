import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'typescript';
import type { FunctionArtifact, ServiceManifest } from '../manifest/types';
import { identityTags, type ProjectIdentity } from './converge/identity';
import { checkTypes } from './bundle/typecheck';
import type { DeploymentPlan } from './converge/plan';
import { buildService, writeBuildOutputs, type BuildServiceOptions } from './package/build';
import { loadProjectManifest, resolveOutDir, selectService } from './project';
import { applyStage, stackName } from '../manifest/stage';
import { STAGE_PARAMETER } from '../manifest/template-names';
import { ARTIFACT_BUCKET_PARAMETER, marshalTemplate, serializeTemplate } from './template';
import { checkStackLimits, marshalStacks } from './template/limits';
import type { NestedChild } from './template/nested';
import { artifactKey } from './template/function';
import type { Template } from './template/types';
import { TEMPLATE_FILE } from './template/write';

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
  onTypeErrors?: (diagnostics: readonly Diagnostic[]) => void;
  /** Once the service is known, before bundling starts. */
  onStart?: (service: ServiceManifest) => void;
}

export interface BuiltService {
  service: ServiceManifest;
  /** Absolute path of the tsconfig the service was built from. */
  tsconfigPath: string;
  outDir: string;
  artifacts: FunctionArtifact[];
  template: Template;
  /** The template exactly as written to `<out>/template.json` and uploaded. */
  templateBody: string;
  /** The nested stacks' templates (none when the service fits one stack), written to `<out>/nested/`. */
  children: NestedChild[];
}

/** Where a nested stack's template is written under the output folder. */
export function nestedTemplateFile(child: NestedChild): string {
  return path.join('nested', path.basename(child.key));
}

/** Builds the archives, then marshals the template: a template error fails the build, before any upload. */
export async function buildAndMarshal(options: BuildOptions): Promise<BuiltService> {
  const { manifest, projectDir, tsconfigPath } = loadProjectManifest(options.tsconfigPath);
  const service = applyStage(selectService(manifest, options.service), options.stage);
  const outDir = resolveOutDir(projectDir, options.out);
  // The stack limits need the manifest alone: a service that cannot deploy fails before anything is bundled.
  checkStackLimits(service);
  if (options.typecheck !== false) checkTypes(tsconfigPath, outDir, options.onTypeErrors);
  options.onStart?.(service);
  const { minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning, verboseWarnings } = options;
  const artifacts = await buildService({ projectDir, tsconfigPath, service, outDir, minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning, verboseWarnings });
  // Marshalled before anything of the previous build is replaced: a template error leaves that build whole.
  const { template, children } = marshalStacks(service, artifacts);
  const templateBody = serializeTemplate(template);
  if (children.length > 0) fs.mkdirSync(path.join(outDir, 'nested'), { recursive: true });
  const nestedFiles = Object.fromEntries(children.map((child) => [nestedTemplateFile(child), child.body]));
  writeBuildOutputs(outDir, artifacts, { [TEMPLATE_FILE]: templateBody, ...nestedFiles });
  return { service, tsconfigPath, outDir, artifacts, template, templateBody, children };
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
        file: path.join(built.outDir, nestedTemplateFile(child)),
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

