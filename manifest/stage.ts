import type { FunctionManifest, LambdaOptions, ServiceManifest } from './types';

// A stage (`--stage prod`) is one more stack of the same service in the same
// account and region. The manifest keeps `stages` as the decorators wrote
// them; applyStage is the one place a stage is applied, and every stage after
// the manifest (template, invoke, explain, the stack commands) reads what it
// returns. The stack name `<service>-<stage>` becomes the applied service's
// name, so every name derived from the service (functions, log groups, named
// rules, the artifact folder, the build folder) carries the stage by the same
// rule that derives it today; without a stage nothing changes.

/** Letters, digits and hyphens, starting with a letter. */
export const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * At most 16 characters: `<service>-<stage>` stays a valid stack name for any
 * service name up to 111 characters, and a function name keeps room for its
 * class and method before the 64-character shortening rule takes over.
 */
export const STAGE_NAME_MAX = 16;

/** The environment variable that tells a function its stage (set only with a stage). */
export const STAGE_ENV = 'SPARTA_STAGE';

/** Why `stage` is not a stage name, or undefined when it is one. */
export function stageNameProblem(stage: string): string | undefined {
  if (!STAGE_NAME.test(stage)) return 'use letters, digits and hyphens, starting with a letter';
  if (stage.length > STAGE_NAME_MAX) return `at most ${STAGE_NAME_MAX} characters`;
  return undefined;
}

/** The stack of `service` in `stage`: `<service>-<stage>`, or the service's own name without a stage. */
export function stackName(service: string, stage?: string): string {
  return stage === undefined ? service : `${service}-${stage}`;
}

/** `fn`'s options in `stage`: the stage's settings over the function's own (records such as tags and environment merge). */
export function stageLambdaOptions(options: LambdaOptions, stage: string): LambdaOptions {
  const { stages, ...base } = options;
  const own = stages?.[stage];
  if (!own) return base;
  const merged: LambdaOptions = { ...base, ...own };
  if (base.environment || own.environment) merged.environment = { ...base.environment, ...own.environment };
  if (base.tags || own.tags) merged.tags = { ...base.tags, ...own.tags };
  return merged;
}

/**
 * The service as deployed in `stage`: named `<service>-<stage>`, with the
 * stage's settings applied to the service and each function and `stages`
 * gone. Without a stage, `service` itself. Pure: `service` is not changed.
 */
export function applyStage(service: ServiceManifest, stage?: string): ServiceManifest {
  if (stage === undefined) return service;
  const name = stackName(service.name, stage);
  const { stages, ...base } = service;
  const own = stages?.[stage];
  const applied: ServiceManifest = { ...base, name, stage };
  if (own?.description !== undefined) applied.description = own.description;
  if (base.tags || own?.tags) applied.tags = { ...base.tags, ...own?.tags };
  applied.functions = service.functions.map((fn): FunctionManifest => ({ ...fn, service: name, options: stageLambdaOptions(fn.options, stage) }));
  return applied;
}
