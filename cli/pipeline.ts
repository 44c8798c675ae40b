import * as path from 'node:path';
import type { Diagnostic } from 'typescript';
import type { FunctionArtifact, ServiceManifest } from '../manifest/types';
import { checkTypes } from './bundle/typecheck';
import type { DeploymentPlan } from './converge/plan';
import { buildService, writeBuildReport, type BuildServiceOptions } from './package/build';
import { loadProjectManifest, resolveOutDir, selectService } from './project';
import { ARTIFACT_BUCKET_PARAMETER, marshalTemplate } from './template';
import { artifactKey } from './template/function';
import type { Template } from './template/types';
import { TEMPLATE_FILE, writeTemplate } from './template/write';

// Everything before the first AWS call: analyse, bundle, package, marshal.
// `sparta build` stops here; `sparta provision` hands the plan to converge.

/** The build's own knobs pass straight through to the package stage. */
export interface BuildOptions extends Pick<BuildServiceOptions, 'minify' | 'sourcemap' | 'bundleAwsSdk' | 'onFunctionBuilt' | 'onWarning'> {
  tsconfigPath: string;
  service?: string;
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
  outDir: string;
  artifacts: FunctionArtifact[];
  template: Template;
  /** The template exactly as written to `<out>/template.json` and uploaded. */
  templateBody: string;
}

/** Builds the archives, then marshals the template: a template error fails the build, before any upload. */
export async function buildAndMarshal(options: BuildOptions): Promise<BuiltService> {
  const { manifest, projectDir, tsconfigPath } = loadProjectManifest(options.tsconfigPath);
  const service = selectService(manifest, options.service);
  const outDir = resolveOutDir(projectDir, options.out);
  if (options.typecheck !== false) checkTypes(tsconfigPath, outDir, options.onTypeErrors);
  options.onStart?.(service);
  const { minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning } = options;
  const artifacts = await buildService({ projectDir, tsconfigPath, service, outDir, minify, sourcemap, bundleAwsSdk, onFunctionBuilt, onWarning });
  writeBuildReport(outDir, artifacts);
  const template = marshalTemplate(service, artifacts);
  const templateBody = await writeTemplate(path.join(outDir, TEMPLATE_FILE), template);
  return { service, outDir, artifacts, template, templateBody };
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

export function planFor(built: BuiltService, bucket: string): DeploymentPlan {
  return {
    stackName: built.service.name,
    bucket,
    artifacts: built.artifacts.map((artifact) => ({
      key: artifactKey(built.service.name, artifact),
      file: path.join(built.outDir, artifact.archive),
      sha256: artifact.sha256,
    })),
    templateBody: built.templateBody,
    parameters: { [ARTIFACT_BUCKET_PARAMETER]: bucket },
    roleArns: existingRoleArns(built.service),
    noop: false,
    replaceFailed: false,
    tags: built.service.tags,
  };
}

/** The stack name of the selected service, from the sources alone: no build needed (delete, describe). */
export function resolveServiceName(options: { tsconfigPath: string; service?: string }): string {
  const { manifest } = loadProjectManifest(options.tsconfigPath);
  return selectService(manifest, options.service).name;
}

