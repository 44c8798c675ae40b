import * as ts from 'typescript';
import { LAYER_VERSION_ARN, ROLE_ARN } from '../manifest/arn';
import { LAMBDA_LIMITS } from '../manifest/defaults';
import { filePatternProblem, isBundlePath, matchProjectFiles } from '../manifest/files';
import { DISCOVERY_ENV, LOG_LEVEL_ENV } from '../manifest/environment';
import { FIXED_TEMPLATE_NAMES, SPARTA_TAG_PREFIX } from '../manifest/template-names';
import { STAGE_ENV, stageNameProblem } from '../manifest/stage';
import type { Expression, LambdaOptions, ModuleFormat, ResourceDeclaration, ServiceOptions, ServiceStageOptions, StaticValue } from '../manifest/types';
import type { OptionChecker } from '../sources/types';
import { DiagnosticBag, DiagnosticCode } from './diagnostics';
import type { DiagnosticCode as Code } from './diagnostics';

// One validator a decorator. Each takes the evaluated argument and the
// argument's node, reports every problem at the most precise node it can
// find, and returns the typed value (or undefined when it is unusable).

type Json = { [key: string]: StaticValue };

export interface ArgumentSite {
  bag: DiagnosticBag;
  /** The decorator's call expression. */
  call: ts.CallExpression;
  /** The argument being checked (the call itself when it is missing). */
  node: ts.Node;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const RESOURCE_TYPE = /^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$|^Custom::[A-Za-z0-9_@-]{1,60}$/;
/** `service:Action` with wildcards, or `*` (every action of every service). */
const IAM_ACTION = /^(?:\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** `*` or `service:*`: every action, of one service or of all. */
const WILDCARD_ACTION = /^(?:\*|[a-z0-9-]+:\*)$/;
/** IAM's condition operators; each but Null may end in IfExists, and each may have a set prefix. */
const CONDITION_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
]);
const CONDITION_SET_PREFIX = /^(?:ForAllValues|ForAnyValue):/;
/** Tag prefixes that belong to someone else: AWS's `aws:` (in any case), and sparta's own for the stack's identity. */
const RESERVED_TAG_PREFIXES: ReadonlyArray<{ prefix: string; owner: string }> = [
  { prefix: 'aws:', owner: 'AWS reserves for its own tags' },
  { prefix: SPARTA_TAG_PREFIX, owner: "sparta reserves for the stack's project identity (sparta:project, sparta:tsconfig)" },
];
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** sparta sets these itself on every function: a value of the user's would be overwritten. */
const SPARTA_ENV: Record<string, string> = {
  [DISCOVERY_ENV]: 'it carries the discovery document; discover() reads it',
  [LOG_LEVEL_ENV]: 'set the level with @Lambda({ logLevel })',
  [STAGE_ENV]: 'it carries the stage given with --stage',
};
/** Lambda sets these itself and refuses them in a function's environment. */
const RESERVED_ENV = new Set(['_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR']);

/** The node of `key: value` inside an object-literal argument, for precise diagnostics. */
export function propertyNode(node: ts.Node, key: string): ts.Node {
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === key) {
        return ts.isPropertyAssignment(property) ? property.initializer : property;
      }
    }
  }
  return node;
}

/** The one reader of decorator options: sparta's own decorators and every event source (sources/) use it. */
export class Checker implements OptionChecker {
  constructor(readonly site: ArgumentSite) {}

  fail(code: Code, key: string | undefined, message: string, hint?: string): void {
    this.site.bag.report(code, key ? propertyNode(this.site.node, key) : this.site.node, message, hint);
  }

  warn(code: Code, key: string | undefined, message: string, hint?: string): void {
    this.site.bag.warn(code, key ? propertyNode(this.site.node, key) : this.site.node, message, hint);
  }

  object(value: StaticValue | undefined, what: string): Json | undefined {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
    this.fail(DiagnosticCode.INVALID_OPTION, undefined, `${what} takes an object`);
    return undefined;
  }

  onlyKeys(value: Json, allowed: readonly string[], what: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} has no option \`${key}\``, `allowed: ${allowed.join(', ')}`);
      }
    }
  }

  string(value: Json, key: string, what: string): string | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be a string`);
    return undefined;
  }

  stringMap(value: Json, key: string, what: string): Record<string, string> | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
      return v as Record<string, string>;
    }
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be an object of strings`);
    return undefined;
  }

  /** A string map whose keys use none of the reserved prefixes. */
  tags(value: Json, key: string, what: string): Record<string, string> | undefined {
    const tags = this.stringMap(value, key, what);
    if (tags === undefined) return undefined;
    let clean = true;
    for (const tag of Object.keys(tags)) {
      const reserved = RESERVED_TAG_PREFIXES.find(({ prefix }) => tag.toLowerCase().startsWith(prefix));
      if (!reserved) continue;
      clean = false;
      this.fail(DiagnosticCode.RESERVED_TAG_KEY, key, `${what} tag key \`${tag}\` starts with \`${reserved.prefix}\`, which ${reserved.owner}`, `choose a key without the ${reserved.prefix} prefix`);
    }
    return clean ? tags : undefined;
  }

  /** An ARN string must have the given shape; an intrinsic is checked by CloudFormation. */
  arn(value: Expression, key: string, what: string, shape: { pattern: RegExp; kind: string; example: string }): Expression | undefined {
    if (typeof value !== 'string' || shape.pattern.test(value)) return value;
    this.fail(DiagnosticCode.MALFORMED_ARN, key, `${what} \`${key}\` ${JSON.stringify(value)} is not ${shape.kind} ARN`, `write it as ${shape.example}, or use Ref/GetAtt/Sub`);
    return undefined;
  }

  integer(value: Json, key: string, what: string, min: number, max: number, code: Code = DiagnosticCode.INVALID_OPTION, unit = ''): number | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.fail(code, key, `${what} \`${key}\` must be a whole number from ${min} to ${max}${unit}, not ${JSON.stringify(v)}`);
    return undefined;
  }

  boolean(value: Json, key: string, what: string): boolean | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be true or false, not ${JSON.stringify(v)}`);
    return undefined;
  }

  oneOf<T extends string>(value: Json, key: string, what: string, allowed: readonly T[]): T | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be one of ${allowed.map((x) => `'${x}'`).join(', ')}, not ${JSON.stringify(v)}`);
    return undefined;
  }

  stringList(value: Json, key: string, what: string): string[] | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0)) return v as string[];
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be a non-empty list of strings`);
    return undefined;
  }

  /** npm package names (`sharp`, `@img/sharp-linux-x64`), each once. */
  packageNames(value: Json, key: string, what: string): string[] | undefined {
    const names = this.stringList(value, key, what);
    if (names === undefined) return undefined;
    const bad = names.find((name) => !PACKAGE_NAME.test(name));
    if (bad !== undefined) {
      this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` names ${JSON.stringify(bad)}, which is not an npm package name`, "a package's name as in package.json: `name` or `@scope/name`, no version or path");
      return undefined;
    }
    return [...new Set(names)];
  }

  /** Globs of project files read at run time: inside the project, each matching at least one file. */
  filePatterns(value: Json, key: string, what: string): string[] | undefined {
    const patterns = this.stringList(value, key, what);
    if (patterns === undefined) return undefined;
    let usable = true;
    for (const pattern of patterns) {
      const problem = filePatternProblem(pattern);
      if (problem !== undefined) {
        usable = false;
        this.fail(DiagnosticCode.FILES_OUTSIDE_PROJECT, key, `${what} \`${key}\` pattern ${JSON.stringify(pattern)} ${problem}`, 'write globs relative to the project folder (the one holding tsconfig.json), inside it');
        continue;
      }
      const matches = matchProjectFiles(this.site.bag.projectDir, [pattern]);
      const taken = matches.find(isBundlePath);
      if (matches.length === 0) {
        usable = false;
        this.fail(DiagnosticCode.FILES_MATCH_NOTHING, key, `${what} \`${key}\` pattern ${JSON.stringify(pattern)} matches no file of the project`, 'globs are relative to the project folder (the one holding tsconfig.json); node_modules and .sparta are never matched');
      } else if (taken !== undefined) {
        usable = false;
        this.fail(DiagnosticCode.FILES_TAKE_BUNDLE_PATH, key, `${what} \`${key}\` pattern ${JSON.stringify(pattern)} matches ${taken}, where the archive holds the function's bundle`, 'move the file into a folder of its own (index.js, index.mjs, their .map files and chunks/ at the project root are the bundle\'s)');
      }
    }
    return usable ? [...new Set(patterns)] : undefined;
  }

  /** `nodeModules` beside `external`: a package is either installed into the archive or provided by a layer, not both. */
  packaging(options: Json, what: string): Pick<LambdaOptions, 'external' | 'files' | 'nodeModules'> {
    const result: Pick<LambdaOptions, 'external' | 'files' | 'nodeModules'> = {};
    const external = this.packageNames(options, 'external', what);
    if (external !== undefined) result.external = external;
    const files = this.filePatterns(options, 'files', what);
    if (files !== undefined) result.files = files;
    const nodeModules = this.packageNames(options, 'nodeModules', what);
    if (nodeModules === undefined) return result;
    const both = nodeModules.find((name) => external?.includes(name));
    if (both !== undefined) {
      this.fail(DiagnosticCode.BUNDLED_AND_INSTALLED, 'nodeModules', `${what} lists ${JSON.stringify(both)} in both \`nodeModules\` and \`external\``, 'keep it in nodeModules to ship it in the archive, or in external if a layer provides it');
    } else result.nodeModules = nodeModules;
    return result;
  }

  /** `format`: its own code (SPARTA057), as a wrong one decides what the archive can run rather than how it is set up. */
  format(value: Json, what: string): ModuleFormat | undefined {
    const v = value.format;
    if (v === undefined) return undefined;
    if (v === 'cjs' || v === 'esm') return v;
    this.fail(DiagnosticCode.INVALID_FORMAT, 'format', `${what} \`format\` must be 'cjs' or 'esm', not ${JSON.stringify(v)}`, "'cjs' (the default) bundles CommonJS, index.js; 'esm' bundles ES modules, index.mjs, and lets a module use top-level await");
    return undefined;
  }

  json(value: Json, key: string, what: string): Json | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be an object`);
    return undefined;
  }

  expression(v: StaticValue | undefined, key: string, what: string): Expression | undefined {
    if (isExpression(v)) return v;
    this.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` must be an ARN string or Ref/GetAtt/Sub`);
    return undefined;
  }
}

/** `StringEquals`, `StringLikeIfExists`, `ForAnyValue:StringEquals`, `Null` (which has no IfExists form). */
export function isConditionOperator(operator: string): boolean {
  const base = operator.replace(CONDITION_SET_PREFIX, '');
  if (base === 'Null') return true;
  return CONDITION_OPERATORS.has(base.endsWith('IfExists') ? base.slice(0, -'IfExists'.length) : base);
}

export function isExpression(value: StaticValue | undefined): value is Expression {
  if (typeof value === 'string') return value.length > 0;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && ['Ref', 'Fn::GetAtt', 'Fn::Sub'].includes(keys[0]);
}

export function validateService(value: StaticValue | undefined, site: ArgumentSite): ServiceOptions | undefined {
  const c = new Checker(site);
  const options = c.object(value, '@Service');
  if (!options) return undefined;
  c.onlyKeys(options, ['name', 'description', 'tags', 'external', 'files', 'nodeModules', 'format', 'stages'], '@Service');
  const name = options.name;
  if (typeof name !== 'string' || !STACK_NAME.test(name) || name.length > 128) {
    c.fail(
      DiagnosticCode.INVALID_SERVICE_NAME,
      'name',
      `@Service name ${JSON.stringify(name ?? null)} is not a valid CloudFormation stack name`,
      'use letters, digits and hyphens, start with a letter, at most 128 characters',
    );
    return undefined;
  }
  const result: ServiceOptions = { name };
  const description = c.string(options, 'description', '@Service');
  if (description !== undefined) result.description = description;
  const tags = c.tags(options, 'tags', '@Service');
  if (tags !== undefined) result.tags = tags;
  Object.assign(result, c.packaging(options, '@Service'));
  const format = c.format(options, '@Service');
  if (format !== undefined) result.format = format;
  const stages = validateStages(c, options, '@Service', ['name'], (stage, stageSite) => {
    const sc = new Checker(stageSite);
    const what = `@Service stage ${stage}`;
    sc.onlyKeys(stageOptions(stageSite), ['description', 'tags', 'name', 'stages'], what);
    const own: ServiceStageOptions = {};
    const description = sc.string(stageOptions(stageSite), 'description', what);
    if (description !== undefined) own.description = description;
    const stageTags = sc.tags(stageOptions(stageSite), 'tags', what);
    if (stageTags !== undefined) own.tags = stageTags;
    return own;
  });
  if (stages !== undefined) result.stages = stages;
  return result;
}

/** The object a stage's site holds (checked to be one by validateStages). */
function stageOptions(site: StageSite): Json {
  return site.options;
}

interface StageSite extends ArgumentSite {
  options: Json;
}

/**
 * `stages: { prod: {...} }` of `@Service` or `@Lambda`: each key a stage name
 * (SPARTA055), each value the decorator's own options checked by `validate`
 * at its own place in the source, except `notPerStage` and `stages` itself
 * (SPARTA056). Undefined when absent or when nothing valid is left.
 */
function validateStages<T>(c: Checker, options: Json, what: string, notPerStage: readonly string[], validate: (stage: string, site: StageSite) => T | undefined): Record<string, T> | undefined {
  if (options.stages === undefined) return undefined;
  const stages = c.json(options, 'stages', what);
  if (stages === undefined) return undefined;
  const stagesNode = propertyNode(c.site.node, 'stages');
  const result: Record<string, T> = {};
  for (const [stage, value] of Object.entries(stages)) {
    const node = propertyNode(stagesNode, stage);
    const problem = stageNameProblem(stage);
    if (problem !== undefined) {
      c.site.bag.report(DiagnosticCode.INVALID_STAGE_NAME, keyNode(stagesNode, stage), `${what} stage ${JSON.stringify(stage)} is not a stage name`, problem);
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      c.site.bag.report(DiagnosticCode.INVALID_OPTION, node, `${what} stage ${stage} takes an object of options`);
      continue;
    }
    const site: StageSite = { ...c.site, node, options: value };
    for (const key of [...notPerStage, 'stages']) {
      if (key in value) c.site.bag.report(DiagnosticCode.NOT_PER_STAGE, keyNode(node, key), `${what} \`${key}\` cannot be set per stage`, key === 'stages' ? 'a stage has no stages of its own' : `set ${key} outside \`stages\`; the stage already names the stack <service>-<stage>`);
    }
    const own = validate(stage, site);
    if (own !== undefined) result[stage] = own;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The name of `key: value` inside an object literal (where a diagnostic about the key itself belongs). */
function keyNode(node: ts.Node, key: string): ts.Node {
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === key) return property.name;
    }
  }
  return node;
}

export function validateLogicalId(value: StaticValue | undefined, site: ArgumentSite): string | undefined {
  if (typeof value === 'string' && FIXED_TEMPLATE_NAMES.includes(value)) {
    site.bag.report(
      DiagnosticCode.RESERVED_LOGICAL_ID,
      site.node,
      `logical ID ${value} is sparta's own (the template's ${value} parameter or output)`,
      `give the @Resource another logical ID; reserved: ${FIXED_TEMPLATE_NAMES.join(', ')}`,
    );
    return undefined;
  }
  if (typeof value === 'string' && LOGICAL_ID.test(value) && value.length <= 255) return value;
  site.bag.report(
    DiagnosticCode.INVALID_LOGICAL_ID,
    site.node,
    `${JSON.stringify(value ?? null)} is not a valid CloudFormation logical ID`,
    'use letters and digits only, at most 255 characters',
  );
  return undefined;
}

export function validateResource(value: StaticValue | undefined, site: ArgumentSite): ResourceDeclaration | undefined {
  const c = new Checker(site);
  const declaration = c.object(value, '@Resource');
  if (!declaration) return undefined;
  // No `Condition`: sparta's templates declare no Conditions section, so any condition would name nothing.
  c.onlyKeys(declaration, ['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy'], '@Resource');
  const type = declaration.Type;
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'Type', `@Resource Type ${JSON.stringify(type ?? null)} is not a CloudFormation resource type`, 'for example AWS::SNS::Topic');
    return undefined;
  }
  const result: ResourceDeclaration = { Type: type };
  if (declaration.Properties !== undefined) {
    const properties = declaration.Properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) result.Properties = properties;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'Properties', '@Resource Properties must be an object');
  }
  if (declaration.DependsOn !== undefined) {
    const dependsOn = declaration.DependsOn;
    if (typeof dependsOn === 'string' || (Array.isArray(dependsOn) && dependsOn.every((x) => typeof x === 'string'))) {
      result.DependsOn = dependsOn as string | string[];
    } else c.fail(DiagnosticCode.INVALID_OPTION, 'DependsOn', '@Resource DependsOn must be a logical ID or a list of them');
  }
  const policies = { DeletionPolicy: ['Delete', 'Retain', 'Snapshot', 'RetainExceptOnCreate'], UpdateReplacePolicy: ['Delete', 'Retain', 'Snapshot'] } as const;
  for (const [key, allowed] of Object.entries(policies)) {
    const policy = declaration[key];
    if (policy === undefined) continue;
    if (typeof policy === 'string' && (allowed as readonly string[]).includes(policy)) (result as unknown as Json)[key] = policy;
    else c.fail(DiagnosticCode.INVALID_OPTION, key, `@Resource ${key} must be one of ${allowed.join(', ')}`);
  }
  return result;
}

export function validateLambda(value: StaticValue | undefined, site: ArgumentSite, what = '@Lambda'): LambdaOptions | undefined {
  const c = new Checker(site);
  if (value === undefined) return {};
  const options = c.object(value, what);
  if (!options) return undefined;
  c.onlyKeys(
    options,
    ['memorySize', 'timeout', 'description', 'environment', 'runtime', 'architecture', 'reservedConcurrency', 'role', 'tags', 'logRetentionDays', 'logLevel', 'layers', 'external', 'files', 'nodeModules', 'format', 'stages'],
    what,
  );
  const result: LambdaOptions = {};
  const { memorySize: memory, timeout } = LAMBDA_LIMITS;
  const memorySize = c.integer(options, 'memorySize', '@Lambda', memory.min, memory.max, DiagnosticCode.MEMORY_OUT_OF_RANGE, ' MB');
  if (memorySize !== undefined) result.memorySize = memorySize;
  const seconds = c.integer(options, 'timeout', '@Lambda', timeout.min, timeout.max, DiagnosticCode.TIMEOUT_OUT_OF_RANGE, ' seconds');
  if (seconds !== undefined) result.timeout = seconds;
  const description = c.string(options, 'description', '@Lambda');
  if (description !== undefined) {
    if (description.length > 256) c.fail(DiagnosticCode.INVALID_OPTION, 'description', '@Lambda description is longer than 256 characters');
    else result.description = description;
  }
  const environment = c.stringMap(options, 'environment', '@Lambda');
  if (environment !== undefined) {
    for (const key of Object.keys(environment)) {
      if (!ENV_NAME.test(key)) c.fail(DiagnosticCode.INVALID_OPTION, 'environment', `environment variable name \`${key}\` is not valid`, 'letters, digits and underscores, starting with a letter');
      else if (RESERVED_ENV.has(key)) c.fail(DiagnosticCode.INVALID_OPTION, 'environment', `environment variable \`${key}\` is reserved by Lambda`);
      else if (key in SPARTA_ENV) c.fail(DiagnosticCode.RESERVED_ENVIRONMENT, 'environment', `environment variable \`${key}\` is set by sparta on every function`, SPARTA_ENV[key]);
    }
    result.environment = environment;
  }
  const runtime = options.runtime;
  if (runtime !== undefined) {
    if (runtime === 'nodejs24.x' || runtime === 'nodejs22.x') result.runtime = runtime;
    else if (runtime === 'nodejs20.x' || runtime === 'nodejs18.x' || runtime === 'nodejs16.x') {
      c.fail(DiagnosticCode.UNSUPPORTED_RUNTIME, 'runtime', `runtime ${runtime} can no longer be created in AWS Lambda (creation disabled since 2026-06-01 for nodejs20.x)`, "use 'nodejs24.x' (the default) or 'nodejs22.x'");
    } else c.fail(DiagnosticCode.UNSUPPORTED_RUNTIME, 'runtime', `runtime ${JSON.stringify(runtime)} is not supported`, "use 'nodejs24.x' (the default) or 'nodejs22.x'");
  }
  const architecture = options.architecture;
  if (architecture !== undefined) {
    if (architecture === 'x86_64' || architecture === 'arm64') result.architecture = architecture;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'architecture', `architecture ${JSON.stringify(architecture)} is not supported`, "use 'x86_64' (the default) or 'arm64'");
  }
  const reserved = c.integer(options, 'reservedConcurrency', '@Lambda', 0, 100000);
  if (reserved !== undefined) result.reservedConcurrency = reserved;
  if (options.role !== undefined) {
    const expression = c.expression(options.role, 'role', '@Lambda');
    const role = expression === undefined ? undefined : c.arn(expression, 'role', '@Lambda', { pattern: ROLE_ARN, kind: 'an IAM role', example: 'arn:aws:iam::<account>:role/<name>' });
    if (role !== undefined) result.role = role;
  }
  const tags = c.tags(options, 'tags', '@Lambda');
  if (tags !== undefined) result.tags = tags;
  const retention = options.logRetentionDays;
  if (retention !== undefined) {
    if (typeof retention === 'number' && LOG_RETENTION_DAYS.includes(retention)) result.logRetentionDays = retention;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'logRetentionDays', `logRetentionDays ${JSON.stringify(retention)} is not a period CloudWatch Logs accepts`, `one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const level = options.logLevel;
  if (level !== undefined) {
    if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') result.logLevel = level;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'logLevel', `logLevel ${JSON.stringify(level)} is not a level`, 'debug, info, warn or error');
  }
  const layers = validateLayers(c, options.layers);
  if (layers !== undefined) result.layers = layers;
  Object.assign(result, c.packaging(options, what));
  const format = c.format(options, what);
  if (format !== undefined) result.format = format;
  if (what === '@Lambda') {
    const stages = validateStages(c, options, what, [], (stage, stageSite) => {
      const { stages: _nested, ...own } = validateLambda(stageSite.options, stageSite, `@Lambda stage ${stage}`) ?? {};
      return own;
    });
    if (stages !== undefined) result.stages = stages;
  }
  return result;
}

function validateLayers(c: Checker, value: StaticValue | undefined): Expression[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'layers', '@Lambda `layers` must be a non-empty list of layer version ARNs or Ref/GetAtt/Sub');
    return undefined;
  }
  if (value.length > LAMBDA_LIMITS.layers) {
    c.fail(DiagnosticCode.TOO_MANY_LAYERS, 'layers', `@Lambda \`layers\` lists ${value.length} layers; a function may use at most ${LAMBDA_LIMITS.layers}`, 'merge layers, or bundle what some of them provide');
    return undefined;
  }
  const layers: Expression[] = [];
  for (const item of value) {
    const expression = c.expression(item, 'layers', '@Lambda');
    const layer = expression === undefined ? undefined : c.arn(expression, 'layers', '@Lambda', { pattern: LAYER_VERSION_ARN, kind: 'a Lambda layer version', example: 'arn:aws:lambda:<region>:<account>:layer:<name>:<version>' });
    if (layer === undefined) return undefined;
    layers.push(layer);
  }
  return layers;
}

export interface ValidPrivilege {
  actions: string[];
  resource: Expression | Expression[];
  condition?: Json;
}

export function validatePrivilege(value: StaticValue | undefined, site: ArgumentSite): ValidPrivilege | undefined {
  const c = new Checker(site);
  const options = c.object(value, '@Privilege');
  if (!options) return undefined;
  c.onlyKeys(options, ['actions', 'resource', 'condition'], '@Privilege');
  const raw = options.actions;
  const actions = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (!actions || actions.length === 0) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'actions', '@Privilege needs `actions`: a `service:Action` string or a list of them');
    return undefined;
  }
  let valid = true;
  for (const action of actions) {
    if (typeof action !== 'string' || !IAM_ACTION.test(action)) {
      c.fail(DiagnosticCode.MALFORMED_ACTION, 'actions', `${JSON.stringify(action)} is not an IAM action`, 'write `service:Action`, for example `s3:GetObject` or `sqs:*`');
      valid = false;
    }
  }
  const resource = options.resource;
  const resources = Array.isArray(resource) ? resource : [resource];
  if (resource === undefined || resources.length === 0 || !resources.every(isExpression)) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'resource', '@Privilege `resource` must be an ARN string, Ref/GetAtt/Sub, or a list of them');
    valid = false;
  }
  const result: ValidPrivilege = { actions: actions as string[], resource: resource as Expression | Expression[] };
  if (valid && resources.includes('*')) {
    const broad = (actions as string[]).filter((action) => WILDCARD_ACTION.test(action));
    if (broad.length > 0) {
      c.warn(
        DiagnosticCode.BROAD_PRIVILEGE,
        'actions',
        `@Privilege grants ${broad.map((action) => `\`${action}\``).join(', ')} on every resource (\`*\`)`,
        'name the actions the function calls and the resources it touches (Ref/GetAtt/Sub or ARNs)',
      );
    }
  }
  if (options.condition !== undefined) {
    const condition = options.condition;
    if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
      const unknown = Object.keys(condition).filter((operator) => !isConditionOperator(operator));
      for (const operator of unknown) {
        c.fail(DiagnosticCode.UNKNOWN_CONDITION_OPERATOR, 'condition', `\`${operator}\` is not an IAM condition operator`, 'for example StringEquals, StringLikeIfExists, ForAnyValue:StringEquals, ArnLike, Bool, Null');
      }
      if (unknown.length === 0) result.condition = condition;
      else valid = false;
    } else {
      c.fail(DiagnosticCode.INVALID_OPTION, 'condition', '@Privilege `condition` must be an IAM condition object');
      valid = false;
    }
  }
  return valid ? result : undefined;
}
