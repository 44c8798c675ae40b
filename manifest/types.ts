// The one contract between sparta's stages. The transformer writes a
// `Manifest`; build reads it and writes a `BuildReport`; the template stage
// reads both; converge reads the template. Every stage imports these types
// from here (with `import type`), so a change to the shape is a change to
// this file and to MANIFEST_VERSION.

/** Bumped whenever a field changes meaning or disappears. */
export const MANIFEST_VERSION = 1 as const;
export const BUILD_REPORT_VERSION = 2 as const;

// ---------------------------------------------------------------------------
// Values that decorators accept

/** A CloudFormation intrinsic, built with `Ref`, `GetAtt` or `Sub`. */
export type Intrinsic = { Ref: string } | { 'Fn::GetAtt': [string, string] } | { 'Fn::Sub': string };

/** An ARN written out as a string, or an intrinsic that resolves to one. */
export type Expression = string | Intrinsic;

/** Any JSON value known at compile time; intrinsics may appear inside. */
export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue };

export type Runtime = 'nodejs24.x' | 'nodejs22.x';
export type Architecture = 'x86_64' | 'arm64';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** What a function's archive holds: CommonJS `index.js` (the default) or an ES module `index.mjs`. */
export type ModuleFormat = 'cjs' | 'esm';

// ---------------------------------------------------------------------------
// Decorator options (the public API; runtime/ re-exports these)

export interface ServiceOptions {
  /** The CloudFormation stack name: letters, digits, hyphens, starts with a letter, at most 128. */
  name: string;
  description?: string;
  tags?: Record<string, string>;
  /** Packages every function of the class leaves out of its bundle, for a layer to provide; joined with each `@Lambda`'s. */
  external?: string[];
  /** Globs of files every function of the class reads at run time; joined with each `@Lambda`'s. */
  files?: string[];
  /** Packages every function of the class ships installed in its archive's node_modules; joined with each `@Lambda`'s. */
  nodeModules?: string[];
  /** The module format of every function of the class that sets none itself. Default `cjs`. */
  format?: ModuleFormat;
  /** Settings of one stage (`--stage NAME`) over the ones above: manifest/stage.ts applies them. */
  stages?: Record<string, ServiceStageOptions>;
}

/** What a stage may set on a service: not its name (the stage names the stack) and no stages of its own. */
export type ServiceStageOptions = Omit<ServiceOptions, 'name' | 'stages'>;

export interface ResourceDeclaration {
  Type: string;
  Properties?: { [key: string]: StaticValue };
  DependsOn?: string | string[];
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
}

export interface LambdaOptions {
  /** MB, 128 to 10240. Default 128. */
  memorySize?: number;
  /** Seconds, 1 to 900. Default 3. */
  timeout?: number;
  description?: string;
  environment?: Record<string, string>;
  /** Default `nodejs24.x`. */
  runtime?: Runtime;
  /** Default `x86_64`. */
  architecture?: Architecture;
  reservedConcurrency?: number;
  /** An existing role (ARN or intrinsic): no role is generated for the function. */
  role?: Expression;
  tags?: Record<string, string>;
  /** Days the function's log group keeps its logs. Default 14. */
  logRetentionDays?: number;
  /** Level of `logger` inside the function. Default `info`. */
  logLevel?: LogLevel;
  /** Lambda layers (version ARNs or Ref/GetAtt/Sub), at most 5: the function's `Layers`, in this order. */
  layers?: Expression[];
  /** Packages left out of the bundle (and their subpaths): a layer provides them at run time. */
  external?: string[];
  /**
   * Globs relative to the project folder (posix, no `..`): the files they match are copied into the archive at the
   * same relative paths, for `assetPath()` to find at run time.
   */
  files?: string[];
  /**
   * Packages left out of the bundle and installed into the archive's node_modules for the function's platform
   * (Linux, its architecture, glibc) at the project lockfile's versions: native addons such as `sharp`.
   */
  nodeModules?: string[];
  /**
   * `cjs` (the default): the archive's code is CommonJS, `index.js`. `esm`: ES modules, `index.mjs`, where a module
   * may use top-level `await`. Over `@Service({ format })`.
   */
  format?: ModuleFormat;
  /** Settings of one stage (`--stage NAME`) over the ones above: manifest/stage.ts applies them. */
  stages?: Record<string, LambdaStageOptions>;
}

/** What a stage may set on a function: every option but `stages` itself. */
export type LambdaStageOptions = Omit<LambdaOptions, 'stages'>;

export interface PrivilegeOptions {
  actions: string | string[];
  resource: Expression | Expression[];
  condition?: { [operator: string]: StaticValue };
}

// Each event source's options live in its module (sources/), with the rest of
// what the source is; they are part of this contract all the same.
export type { CloudWatchEventOptions, PatternEventManifest, ScheduleEventManifest } from '../sources/events-rule';
export type { SNSEventManifest, SNSOptions } from '../sources/sns';
export type { SESEventManifest, SESOptions } from '../sources/ses';
export type { S3EventManifest, S3Options } from '../sources/s3';
export type { CloudWatchLogsOptions, LogsEventManifest } from '../sources/cloudwatch-logs';
export type { SQSEventManifest, SQSOptions } from '../sources/sqs';
export type { DynamoDBEventManifest, DynamoDBStartingPosition, DynamoDBStreamOptions } from '../sources/dynamodb';
export type { KinesisEventManifest, KinesisOptions, KinesisStartingPosition } from '../sources/kinesis';
export type { FilterPattern, PollerOptions, StreamPollerOptions } from '../sources/event-source-mapping';
export type { ApiManifest, ApiOptions, ApiType, CorsManifest, CorsOptions, HttpAuth, HttpMethod, HttpOptions, HttpRouteManifest, WebSocketRouteManifest } from '../sources/api';
import type { ApiManifest } from '../sources/api';
import type { EventSourceManifest } from '../sources';
export type { EventSourceManifest };

// ---------------------------------------------------------------------------
// The manifest

/** Where a declaration stands: file relative to the project root (posix separators), 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface PrivilegeManifest {
  actions: string[];
  resource: Expression | Expression[];
  condition?: { [operator: string]: StaticValue };
  source: SourceLocation;
}

export interface FunctionManifest {
  /** `Class.method`: unique within its service, stable across code changes. */
  id: string;
  service: string;
  className: string;
  methodName: string;
  /** The name the class is exported under from its module (`default` for a default export). */
  exportName: string;
  /** The method's declaration. */
  source: SourceLocation;
  /** `@Lambda` options as written (defaults are applied by the stages that need them). */
  options: LambdaOptions;
  privileges: PrivilegeManifest[];
  events: EventSourceManifest[];
  /** Logical IDs from `@DependsOn`, in source order. */
  dependsOn: string[];
}

export interface ResourceManifest {
  logicalId: string;
  declaration: ResourceDeclaration;
  source: SourceLocation;
}

export interface ServiceClassManifest {
  className: string;
  exportName: string;
  source: SourceLocation;
}

export interface ServiceManifest {
  /** The service's name; once a stage is applied (manifest/stage.ts), the stack's: `<service>-<stage>`. */
  name: string;
  description?: string;
  tags?: Record<string, string>;
  /** `@Service({ stages })` as written. */
  stages?: Record<string, ServiceStageOptions>;
  /** Set only by applyStage: the stage this manifest was applied for. */
  stage?: string;
  classes: ServiceClassManifest[];
  /** The API the service's `@Http` routes share: from `@Api`, or the default HTTP API when only routes declare it. */
  api?: ApiManifest;
  resources: ResourceManifest[];
  functions: FunctionManifest[];
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  /** Services sorted by name; functions sorted by id; resources by logical ID. */
  services: ServiceManifest[];
}

// ---------------------------------------------------------------------------
// The build report (`.sparta/<service>/build.json`)

export interface FunctionArtifact {
  service: string;
  functionId: string;
  /** `<functionId>-<first 16 hex of sha256>.zip`, with the id made file-safe. */
  fileName: string;
  /** Absolute, or relative to the folder holding build.json, path of the archive on disk. */
  archive: string;
  /** Hex SHA-256 of the zip bytes. */
  sha256: string;
  zippedSize: number;
  unzippedSize: number;
  /** Lambda handler string, e.g. `index.handler`. */
  handler: string;
  /** The archive ships `.map` files: the template turns on `NODE_OPTIONS=--enable-source-maps`. */
  sourceMaps?: boolean;
}

export interface BuildReport {
  buildVersion: typeof BUILD_REPORT_VERSION;
  functions: FunctionArtifact[];
  /** The hash of the build's inputs (cli/inputs.ts): the next build with the same one is skipped. */
  inputs?: string;
}
