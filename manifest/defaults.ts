import type { Architecture, LambdaOptions, LogLevel, ModuleFormat, Runtime } from './types';

// Defaults live here, not in the decorators, so the manifest records only
// what the user wrote and every stage resolves it the same way.
export const LAMBDA_DEFAULTS = {
  memorySize: 128,
  timeout: 3,
  runtime: 'nodejs24.x' as Runtime,
  architecture: 'x86_64' as Architecture,
  logRetentionDays: 14,
  logLevel: 'info' as LogLevel,
  format: 'cjs' as ModuleFormat,
};

export const LAMBDA_LIMITS = {
  memorySize: { min: 128, max: 10240 },
  timeout: { min: 1, max: 900 },
  functionName: 64,
  /** Layers a function may use. */
  layers: 5,
  zippedBytes: 50 * 1024 * 1024,
  unzippedBytes: 250 * 1024 * 1024,
  environmentBytes: 4 * 1024,
  /** A synchronous invocation's request and response payloads, each (Lambda's "6 MB"). */
  syncPayloadBytes: 6_291_556,
};

export const CLOUDFORMATION_LIMITS = {
  stackName: 128,
  logicalId: 255,
  templateBodyBytes: 51_200,
  templateUrlBytes: 1024 * 1024,
  resources: 500,
  outputs: 200,
  parameters: 200,
};

export type ResolvedLambdaSettings = Required<Pick<LambdaOptions, 'memorySize' | 'timeout' | 'runtime' | 'architecture' | 'logRetentionDays' | 'logLevel'>>;

export function resolveLambdaSettings(options: LambdaOptions): ResolvedLambdaSettings {
  return {
    memorySize: options.memorySize ?? LAMBDA_DEFAULTS.memorySize,
    timeout: options.timeout ?? LAMBDA_DEFAULTS.timeout,
    runtime: options.runtime ?? LAMBDA_DEFAULTS.runtime,
    architecture: options.architecture ?? LAMBDA_DEFAULTS.architecture,
    logRetentionDays: options.logRetentionDays ?? LAMBDA_DEFAULTS.logRetentionDays,
    logLevel: options.logLevel ?? LAMBDA_DEFAULTS.logLevel,
  };
}

/** The format a function's archive is bundled in (`@Service`'s is in its options already, transformer/analyze.ts). */
export function moduleFormat(options: Pick<LambdaOptions, 'format'>): ModuleFormat {
  return options.format ?? LAMBDA_DEFAULTS.format;
}
