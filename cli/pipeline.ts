// prepare -> converge: everything before the first AWS call.
//
// TEMPORARY (converge branch): the build and template stages live in other
// branches, so this version loads a prebuilt plan from `<out>/plan.json`
// (written by tests and the demo). main's pipeline.ts (buildAndMarshal +
// planFor) replaces this file; the signatures used by the commands match it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DeploymentPlan } from './converge/plan';
import { ErrorCode, spartaError } from './errors';

export interface PrepareOptions {
  tsconfigPath: string;
  service?: string;
  /** `--out`; default `.sparta` beside the tsconfig. */
  out?: string;
  bucket: string;
}

/** The on-disk shape of a prebuilt plan: paths relative to the file, no bucket or flags. */
export interface PlanFile {
  stackName: string;
  artifacts: { key: string; file: string; sha256: string }[];
  templateBody: string;
  roleArns?: string[];
  tags?: Record<string, string>;
}

export const PLAN_FILE = 'plan.json';

export function outDirFor(tsconfigPath: string): string {
  return path.join(path.dirname(path.resolve(tsconfigPath)), '.sparta');
}

function readPlanFile(outDir: string): PlanFile {
  const file = path.join(outDir, PLAN_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw spartaError(ErrorCode.BUILD_NOT_FOUND, `no build found at ${file}`, 'build the project first (sparta build)');
  }
  try {
    return JSON.parse(text) as PlanFile;
  } catch (error) {
    throw spartaError(ErrorCode.MANIFEST_INVALID, `${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function checkService(plan: PlanFile, service: string | undefined): void {
  if (service !== undefined && service !== plan.stackName) {
    throw spartaError(ErrorCode.SERVICE_NOT_FOUND, `service "${service}" is not in this project (it has "${plan.stackName}")`, 'check --service');
  }
}

export async function prepareDeployment(options: PrepareOptions): Promise<DeploymentPlan> {
  const outDir = options.out ? path.resolve(options.out) : outDirFor(options.tsconfigPath);
  const plan = readPlanFile(outDir);
  checkService(plan, options.service);
  return {
    stackName: plan.stackName,
    bucket: options.bucket,
    artifacts: plan.artifacts.map((artifact) => ({ ...artifact, file: path.resolve(outDir, artifact.file) })),
    templateBody: plan.templateBody,
    parameters: { ArtifactBucket: options.bucket },
    roleArns: plan.roleArns ?? [],
    noop: false,
    replaceFailed: false,
    tags: plan.tags,
  };
}

/** The stack name of the selected service; `--service` alone is enough, no build needed. */
export function resolveServiceName(options: { tsconfigPath: string; service?: string }): string {
  if (options.service !== undefined) return options.service;
  try {
    return readPlanFile(outDirFor(options.tsconfigPath)).stackName;
  } catch {
    throw spartaError(ErrorCode.SERVICE_REQUIRED, 'cannot tell which service to use', 'pass --service <name>');
  }
}
