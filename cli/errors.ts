// Every error sparta reports on purpose: a code, a message and a hint, kept as
// fields and rendered in one place (renderError). Each code means one thing and
// has exactly one builder below (rollup's logs.ts is the model), so a message
// and its hint are written once, and a reader finds every error sparta can
// report in this file. Codes are never renumbered or reused: a retired code
// stays listed as retired. Compile-time diagnostics (SPARTA0xx) live in
// transformer/diagnostics.ts; the CLI's codes start at 100.

const BRAND = Symbol.for('sparta.SpartaError');

export const ErrorCode = {
  // 1xx: project and input
  PROJECT_NOT_FOUND: 'SPARTA101',
  SERVICE_NOT_FOUND: 'SPARTA102',
  SERVICE_REQUIRED: 'SPARTA103',
  MANIFEST_INVALID: 'SPARTA104',
  FUNCTION_NOT_FOUND: 'SPARTA105',
  // SPARTA106 (BAD_FLAG) is retired: it stood for four unrelated problems, now 109-112.
  TSCONFIG_INVALID: 'SPARTA107',
  NO_SERVICE: 'SPARTA108',
  REGION_MISSING: 'SPARTA109',
  ENDPOINT_INVALID: 'SPARTA110',
  CONFIRMATION_REQUIRED: 'SPARTA111',
  ARTIFACT_BUCKET_UNKNOWN: 'SPARTA112',
  BUCKET_NAME_INVALID: 'SPARTA113',
  PROFILE_NOT_FOUND: 'SPARTA114',
  STAGE_INVALID: 'SPARTA115',
  // 2xx: build and package
  BUNDLE_FAILED: 'SPARTA201',
  ARCHIVE_TOO_LARGE: 'SPARTA202',
  BUILD_NOT_FOUND: 'SPARTA203',
  BUILD_INCOMPATIBLE: 'SPARTA204',
  ARCHIVE_MISSING: 'SPARTA205',
  TYPE_ERRORS: 'SPARTA206',
  TOP_LEVEL_AWAIT_IN_CJS: 'SPARTA207',
  NODE_MODULE_PACK_FAILED: 'SPARTA208',
  NATIVE_ADDON_BUNDLED: 'SPARTA210',
  NODE_MODULE_NOT_LOCKED: 'SPARTA211',
  NODE_MODULES_INSTALL_FAILED: 'SPARTA212',
  // 3xx: template
  TEMPLATE_TOO_LARGE: 'SPARTA301',
  TOO_MANY_RESOURCES: 'SPARTA302',
  DANGLING_REFERENCE: 'SPARTA303',
  DISCOVERY_TOO_LARGE: 'SPARTA304',
  TOO_MANY_OUTPUTS: 'SPARTA305',
  LOGICAL_ID_COLLISION: 'SPARTA306',
  ARTIFACT_NOT_FOUND: 'SPARTA307',
  DEPENDENCY_CYCLE: 'SPARTA308',
  NESTED_STACK_OVER_LIMIT: 'SPARTA312',
  // 4xx: converge (AWS)
  BUCKET_NOT_FOUND: 'SPARTA401',
  ENDPOINT_UNREACHABLE: 'SPARTA402',
  ROLE_NOT_FOUND: 'SPARTA403',
  STACK_FAILED: 'SPARTA404',
  STACK_NOT_UPDATABLE: 'SPARTA405',
  STACK_NOT_FOUND: 'SPARTA406',
  WAIT_TIMEOUT: 'SPARTA407',
  AWS_ERROR: 'SPARTA408',
  CHANGE_SET_FAILED: 'SPARTA409',
  AWS_RESPONSE_UNREADABLE: 'SPARTA410',
  INTERRUPTED: 'SPARTA411',
  ROLE_ARN_INVALID: 'SPARTA412',
  CREDENTIALS_MISSING: 'SPARTA413',
  BUCKET_ACCESS_DENIED: 'SPARTA414',
  STACK_OWNED_ELSEWHERE: 'SPARTA415',
  BUCKET_WRONG_REGION: 'SPARTA416',
  STACK_BUSY: 'SPARTA417',
  DEPLOYED_TEMPLATE_UNREADABLE: 'SPARTA418',
  LOG_GROUP_NOT_FOUND: 'SPARTA419',
  DEFAULT_BUCKET_MISSING: 'SPARTA420',
  HOTSWAP_FAILED: 'SPARTA421',
  HOTSWAP_PROTECTED_STAGE: 'SPARTA422',
  // 5xx: local invoke
  INVOKE_FAILED: 'SPARTA501',
  INVOKE_TIMEOUT: 'SPARTA502',
  EVENT_INVALID: 'SPARTA503',
  FUNCTION_AMBIGUOUS: 'SPARTA504',
  EVENT_TOO_LARGE: 'SPARTA505',
  RESPONSE_TOO_LARGE: 'SPARTA506',
  INVOKE_OUT_OF_MEMORY: 'SPARTA507',
  FUNCTION_WITHOUT_SOURCE: 'SPARTA508',
  SERVE_NO_ROUTES: 'SPARTA509',
  SERVE_PORT_IN_USE: 'SPARTA510',
  SERVE_LISTEN_FAILED: 'SPARTA511',
  // 6xx: thrown inside a function by runtime/ (which cannot import this file;
  // runtime/discover.ts repeats the literals). Listed so no code is reused.
  NOT_IN_LAMBDA: 'SPARTA601',
  DISCOVERY_MISSING: 'SPARTA602',
  DISCOVERY_INVALID: 'SPARTA603',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class SpartaError extends Error {
  /** Makes clipanion print `name: message` without a stack trace. */
  readonly clipanion = { type: 'none' as const };

  constructor(
    readonly code: ErrorCode,
    /** What went wrong, without the code or the hint (renderError adds them). */
    message: string,
    /** What the user can do about it. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'SpartaError';
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Works across copies of this module (brand, not instanceof). */
  static is(value: unknown): value is SpartaError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** `SPARTA401: message` and the hint on a line of its own: the one way an error is shown. */
  toString(): string {
    return renderError(this);
  }
}

export function renderError(error: Pick<SpartaError, 'code' | 'message' | 'hint'>): string {
  return `${error.code}: ${error.message}\n  hint: ${error.hint}`;
}

/**
 * The same error with what the caller knows besides: where it happened and
 * what to check next. Still one code and one hint, never an error inside another.
 */
export function amendError(error: SpartaError, consequence: string, nextStep: string): SpartaError {
  return new SpartaError(error.code, `${error.message}${consequence}`, `${error.hint}; then ${nextStep}`);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

// ---- 1xx: project and input ------------------------------------------------

/** `searched`: no --project was given and no tsconfig.json is in this folder or any above it (as tsc looks). */
export const projectNotFound = (tsconfig: string, searched = false) =>
  new SpartaError(
    ErrorCode.PROJECT_NOT_FOUND,
    searched ? `no tsconfig.json in ${tsconfig} or any folder above it` : `no tsconfig at ${tsconfig}`,
    searched ? 'run sparta inside the project, or pass --project path/to/tsconfig.json' : 'pass --project path/to/tsconfig.json',
  );

export const serviceNotFound = (name: string, known: string[]) =>
  new SpartaError(
    ErrorCode.SERVICE_NOT_FOUND,
    `no service named ${name}`,
    known.length > 0 ? `services in this project: ${known.join(', ')}` : 'declare one with @Service({ name })',
  );

export const serviceRequired = (names: string[]) =>
  new SpartaError(ErrorCode.SERVICE_REQUIRED, `the project declares ${names.length} services`, `pick one with --service (${names.join(', ')})`);

/** `diagnostics`: formatted `file:line:col - error SPARTA0nn: …` lines (warnings among them are not counted). */
export const manifestInvalid = (errors: number, diagnostics: string[]) =>
  new SpartaError(
    ErrorCode.MANIFEST_INVALID,
    `${plural(errors, 'error')} in the decorators:\n${diagnostics.join('\n')}`,
    'fix the decorators at the lines above; `sparta explain` lists them without building',
  );

export const functionNotFound = (query: string, service: string, ids: string[]) =>
  new SpartaError(ErrorCode.FUNCTION_NOT_FOUND, `no function ${query} in service ${service}`, ids.length ? `functions: ${ids.join(', ')}` : 'decorate a method with @Lambda');

export const tsconfigInvalid = (tsconfig: string, problems: string[]) =>
  new SpartaError(ErrorCode.TSCONFIG_INVALID, `${tsconfig} cannot be read:\n${problems.join('\n')}`, 'fix the tsconfig.json (tsc -p shows the same errors)');

export const noService = () =>
  new SpartaError(ErrorCode.NO_SERVICE, 'the project declares no @Service class', "add @Service({ name: 'my-service' }) to a class with @Lambda methods");

export const regionMissing = () =>
  new SpartaError(ErrorCode.REGION_MISSING, 'no AWS region is configured', 'pass --region, set AWS_REGION, or set a region in your AWS profile');

export const endpointInvalid = (endpoint: string, problem: 'not a URL' | 'not http or https') =>
  new SpartaError(
    ErrorCode.ENDPOINT_INVALID,
    problem === 'not a URL' ? `endpoint "${endpoint}" is not a URL` : `endpoint "${endpoint}" must use http or https`,
    'pass --endpoint-url (or AWS_ENDPOINT_URL) as a URL such as http://127.0.0.1:5000',
  );

/** Off a terminal nobody can answer a question: an action that loses something needs --yes (CDK's --require-approval). */
export const confirmationRequired = (action: string, outcome = '', review = '') =>
  new SpartaError(ErrorCode.CONFIRMATION_REQUIRED, `refusing to ${action} without confirmation${outcome}`, `nobody is at a terminal to ask: ${review}pass --yes to go ahead`);

export const artifactBucketUnknown = (stackName: string) =>
  new SpartaError(ErrorCode.ARTIFACT_BUCKET_UNKNOWN, `cannot tell which bucket holds the artifacts of ${stackName}`, 'pass --s3-bucket');

export const bucketNameInvalid = (bucket: string, why: string, flag?: string) =>
  new SpartaError(
    ErrorCode.BUCKET_NAME_INVALID,
    `${flag ? `${flag} ` : ''}"${bucket}" is not a valid S3 bucket name: ${why}`,
    'pass the name of an existing bucket (3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
  );

/** `source`: `--profile NAME` or `AWS_PROFILE=NAME`, whichever named it. */
export const profileNotFound = (source: string, name: string, files: string[], found: string[]) =>
  new SpartaError(
    ErrorCode.PROFILE_NOT_FOUND,
    `${source}: no profile "${name}" in ${files.join(' or ')}`,
    `${found.length > 0 ? `profiles found: ${found.join(', ')}` : 'those files name no profile'}; pick one, or create it with \`aws configure --profile ${name}\` (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move the files)`,
  );

/** `source`: `--stage` or `SPARTA_STAGE`, whichever named it. */
export const stageInvalid = (source: string, stage: string, why: string) =>
  new SpartaError(ErrorCode.STAGE_INVALID, `${source} ${JSON.stringify(stage)} is not a stage name: ${why}`, 'name the stage with letters, digits and hyphens, starting with a letter, at most 16 characters (dev, prod, pr-42)');

// ---- 2xx: build and package -------------------------------------------------

/** `where`: `file:line:col: ` or empty; the hint says what to fix for the kind of failure. */
export const bundleFailed = (message: string, hint: string) => new SpartaError(ErrorCode.BUNDLE_FAILED, message, hint);

export const archiveTooLarge = (functionId: string, measure: 'zipped' | 'unzipped', size: string, limit: string) =>
  new SpartaError(
    ErrorCode.ARCHIVE_TOO_LARGE,
    `${functionId}: ${measure === 'zipped' ? 'the archive' : 'the code'} is ${size} ${measure}; Lambda's limit is ${limit} ${measure}`,
    'ship less code: add --minify, leave @aws-sdk to the Lambda runtime (--external-aws-sdk), or move large data out of the bundle (S3, a layer)',
  );

export const nativeAddonBundled = (pkg: string, importer: string, evidence: string) =>
  new SpartaError(
    ErrorCode.NATIVE_ADDON_BUNDLED,
    `package ${pkg} (imported by ${importer}) ships a native addon (${evidence}); a bundle cannot hold it`,
    `list it in nodeModules: @Lambda({ nodeModules: ['${pkg}'] }) (or on @Service), so it is installed into the archive for the function's platform`,
  );

export const nodeModuleNotLocked = (pkg: string, functionId: string, lockfile: string | undefined) =>
  new SpartaError(
    ErrorCode.NODE_MODULE_NOT_LOCKED,
    lockfile === undefined
      ? `${functionId} lists ${pkg} in nodeModules, but the project has no package-lock.json to take its version from`
      : `${functionId} lists ${pkg} in nodeModules, but ${lockfile} has no top-level node_modules/${pkg}`,
    `add it to the project's dependencies with npm install ${pkg}, which records its version in package-lock.json`,
  );

/** `folder`: the linked package's own folder; `output`: npm's. */
export const nodeModulePackFailed = (pkg: string, functionId: string, folder: string, output: string) =>
  new SpartaError(
    ErrorCode.NODE_MODULE_PACK_FAILED,
    `${functionId} lists ${pkg} in nodeModules, a linked package (${folder}), but npm pack could not pack it: ${output.trim().split('\n').filter((line) => !line.includes('A complete log of this run')).slice(-5).join('\n')}`,
    `the archive holds what ${pkg} would publish: fix what npm says (its package.json needs a name and a version; \`npm pack --dry-run\` in ${folder} shows what it packs), or install a published version of it instead of the link`,
  );

export const nodeModulesInstallFailed = (packages: readonly string[], platform: string, output: string) =>
  new SpartaError(
    ErrorCode.NODE_MODULES_INSTALL_FAILED,
    `npm could not install ${packages.join(', ')} for ${platform}: ${output.trim().split('\n').slice(-5).join('\n')}`,
    'check that npm (10 or later) is on PATH and the registry is reachable; npm\'s own message is above',
  );

export const buildNotFound = (file: string) => new SpartaError(ErrorCode.BUILD_NOT_FOUND, `no build report at ${file}`, 'run `sparta build` first');

export const buildIncompatible = (file: string, found: unknown, expected: number) =>
  new SpartaError(ErrorCode.BUILD_INCOMPATIBLE, `${file} has build version ${String(found)}; this sparta reads version ${expected}`, 'run `sparta build` again');

/** `what`: which archive is missing, and where it was looked for. */
export const archiveMissing = (what: string) => new SpartaError(ErrorCode.ARCHIVE_MISSING, what, 'run `sparta build` again: the build output is incomplete or older than the code');

/** `count`: `3 type errors in 2 files`; `listed`: the errors themselves when no one printed them already. */
export const typeErrors = (count: string, listed: string) =>
  new SpartaError(ErrorCode.TYPE_ERRORS, `the program has ${count}; nothing was bundled${listed}`, 'fix them (as `tsc --noEmit` reports them), or build without the check with --no-typecheck');

/**
 * `where`: `file:line:col` of the first top-level `await` (or the module's name when its text cannot be read);
 * `functions`: the CommonJS functions that import it.
 */
export const topLevelAwaitInCjs = (where: string, functions: readonly string[]) =>
  new SpartaError(
    ErrorCode.TOP_LEVEL_AWAIT_IN_CJS,
    `${where}: top-level await in a module that ${functions.length > 0 ? `${functions.join(', ')} ${functions.length === 1 ? 'imports' : 'import'}` : 'a function imports'}; a CommonJS bundle cannot wait for it`,
    "set format: 'esm' on @Lambda or @Service (the archive then holds ES modules, index.mjs), or move the await into a function",
  );

// ---- 3xx: template ----------------------------------------------------------

export const templateTooLarge = (bytes: number, limit: number) =>
  new SpartaError(
    ErrorCode.TEMPLATE_TOO_LARGE,
    `the template is ${bytes} bytes; CloudFormation accepts at most ${limit} from S3`,
    'split the service into several services, or move large @Resource properties (inline code, long policies) out of the template',
  );

export const tooManyResources = (count: number, limit: number) =>
  new SpartaError(
    ErrorCode.TOO_MANY_RESOURCES,
    `the template has ${count} resources; a CloudFormation stack holds at most ${limit}`,
    'sparta nests the functions in child stacks on its own; what stays in the stack named after the service (its @Resource declarations, what event sources share) must fit: split the service into several services (different @Service names deploy as separate stacks)',
  );

/** `written`: the reference as the user wrote it (`Ref('X')`, `${X.Arn}`, `@DependsOn('X')`, or a condition). */
export const danglingReference = (where: string, target: string, written: string, kind: 'resource' | 'condition') =>
  new SpartaError(
    ErrorCode.DANGLING_REFERENCE,
    kind === 'condition'
      ? `${where} uses the condition '${target}', which the template does not declare`
      : `${where} refers to '${target}' with ${written}, which the template does not declare`,
    kind === 'condition'
      ? 'sparta templates declare no Conditions section: remove the Condition (or Fn::If) from the @Resource declaration'
      : `declare it with @Resource('${target}', { Type: ... }) on a class of the service, or correct the logical ID`,
  );

export const discoveryTooLarge = (where: string, bytes: number, limit: number, discoveryBytes: number, dependencies: string[]) =>
  new SpartaError(
    ErrorCode.DISCOVERY_TOO_LARGE,
    `the environment of ${where} could reach ${bytes} bytes, over Lambda's ${limit}: its discovery document (up to ${discoveryBytes} bytes) describes ${dependencies.length} ${dependencies.length === 1 ? 'dependency' : 'dependencies'}` +
      (dependencies.length > 0 ? ` (${dependencies.join(', ')})` : ''),
    'remove the @DependsOn entries and privileges this function does not need, move shared access to a function of its own, or shorten its environment variables',
  );

export const tooManyOutputs = (count: number, limit: number) =>
  new SpartaError(
    ErrorCode.TOO_MANY_OUTPUTS,
    `the template has ${count} outputs; a CloudFormation stack holds at most ${limit}`,
    'split the service into several services (different @Service names deploy as separate stacks)',
  );

export const nestedStackOverLimit = (child: string, what: string, count: number, limit: number, functions: number) =>
  new SpartaError(
    ErrorCode.NESTED_STACK_OVER_LIMIT,
    `the nested stack ${child} would hold ${count} ${what} (its ${functions} functions' resources); a CloudFormation stack holds at most ${limit}`,
    'functions are spread over 16 nested stacks by a hash of their logical ID, so a stack this full means the service is far past what one service should hold: split it into several services (different @Service names deploy as separate stacks)',
  );

export const logicalIdCollision = (origin: string, other: string, logicalId: string) =>
  new SpartaError(
    ErrorCode.LOGICAL_ID_COLLISION,
    `${origin} and ${other} both need the logical ID ${logicalId}`,
    'rename the @Resource, or remove the duplicate @CloudWatchEvent or @SNS (a function subscribes to a topic once)',
  );

export const artifactNotFound = (origin: string, service: string) =>
  new SpartaError(ErrorCode.ARTIFACT_NOT_FOUND, `the build report has no archive for ${origin} of service ${service}`, 'run `sparta build` again: the build is older than the code');

export const dependencyCycle = (steps: string[]) =>
  new SpartaError(
    ErrorCode.DEPENDENCY_CYCLE,
    `these resources wait for each other: ${steps.join(' -> ')}`,
    'break the cycle: drop a @DependsOn, or a privilege on a resource that itself refers to the function (pass its ARN as a literal string instead)',
  );

// ---- 4xx: converge (AWS) ----------------------------------------------------

export const bucketNotFound = (bucket: string) =>
  new SpartaError(ErrorCode.BUCKET_NOT_FOUND, `S3 bucket "${bucket}" does not exist`, `create it first (aws s3 mb s3://${bucket}) or pass another --s3-bucket`);

/** `where`: the endpoint, or `the <service> endpoint` for AWS's own. */
export const endpointUnreachable = (where: string, operation: string, cause: string, custom: boolean) =>
  new SpartaError(
    ErrorCode.ENDPOINT_UNREACHABLE,
    `cannot reach ${where} (${operation}: ${cause})`,
    custom ? 'check that the server at --endpoint-url / AWS_ENDPOINT_URL is running and the URL is right' : 'check your network connection and the region',
  );

export const roleNotFound = (arn: string, existingAs?: string) =>
  new SpartaError(
    ErrorCode.ROLE_NOT_FOUND,
    `role ${arn} does not exist${existingAs ? ` (a role of that name exists as ${existingAs})` : ''}`,
    existingAs ? 'fix the ARN in @Lambda({ role })' : 'create the role first, or fix the ARN in @Lambda({ role })',
  );

/** A stack operation that ended anywhere but success; `outcome` says which and why, `hint` how to get unstuck from that state. */
export const stackFailed = (outcome: string, hint: string) => new SpartaError(ErrorCode.STACK_FAILED, outcome, hint);

/** A stack CloudFormation would refuse to update in its current state; `hint` is the way out of that state. */
export const stackNotUpdatable = (stackName: string, status: string, why: string, hint: string) =>
  new SpartaError(ErrorCode.STACK_NOT_UPDATABLE, `stack ${stackName} is ${status}: ${why}`, hint);

export const stackNotFound = (stackName: string) =>
  new SpartaError(ErrorCode.STACK_NOT_FOUND, `stack ${stackName} does not exist`, 'provision it first (sparta provision), or check --service, --region and --profile');

export const waitTimeout = (what: string, hint: string) =>
  new SpartaError(ErrorCode.WAIT_TIMEOUT, `gave up waiting for ${what} (client-side --timeout reached)`, hint);

/** An AWS call that failed for a reason sparta has no better words for. */
export const awsFailure = (what: string, detail: string, hint = 'check the message above; run the command again once the cause is fixed') =>
  new SpartaError(ErrorCode.AWS_ERROR, `${what} failed: ${detail}`, hint);

export const changeSetFailed = (stackName: string, reason: string) =>
  new SpartaError(ErrorCode.CHANGE_SET_FAILED, `CloudFormation rejected the change set for stack ${stackName}: ${reason}`, 'fix the template (sparta explain, cfn-lint) and provision again; nothing was changed');

export const awsResponseUnreadable = (what: string, hint: string) => new SpartaError(ErrorCode.AWS_RESPONSE_UNREADABLE, what, hint);

export const interrupted = (what: string, hint = 'run the command again to pick up where it stopped') =>
  new SpartaError(ErrorCode.INTERRUPTED, `interrupted while ${what}`, hint);

export const roleArnInvalid = (arn: string) =>
  new SpartaError(ErrorCode.ROLE_ARN_INVALID, `"${arn}" is not an IAM role ARN`, 'write it as arn:aws:iam::<account>:role/<name>');

export const credentialsMissing = () =>
  new SpartaError(ErrorCode.CREDENTIALS_MISSING, 'no AWS credentials found', 'pass --profile, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`');

export const bucketAccessDenied = (bucket: string) =>
  new SpartaError(ErrorCode.BUCKET_ACCESS_DENIED, `access to S3 bucket "${bucket}" is denied`, 'use a bucket your credentials may read and write, or another --profile');

/** `owner`/`self`: `project <name> (<tsconfig>)`, or what else owns the stack. */
export const stackOwnedElsewhere = (stackName: string, owner: string, self: string) =>
  new SpartaError(
    ErrorCode.STACK_OWNED_ELSEWHERE,
    `stack ${stackName} belongs to ${owner}; this is ${self}`,
    `give this service another name in @Service({ name }), deploy it to another account or region, or pass --force to take the stack over (its resources become this project's: anything this project does not declare is removed)`,
  );

export const bucketWrongRegion = (bucket: string, bucketIn: string, stackRegion: string) =>
  new SpartaError(
    ErrorCode.BUCKET_WRONG_REGION,
    `S3 bucket "${bucket}" is in ${bucketIn}, but the stack deploys to ${stackRegion}: CloudFormation and Lambda read the archives from a bucket in the stack's own region`,
    `pass --region ${bucketIn} to deploy there, or use a bucket in ${stackRegion} (aws s3 mb s3://<name> --region ${stackRegion})`,
  );

/** Another operation holds the stack (or made our change set obsolete): CloudFormation started nothing of ours. */
export const stackBusy = (stackName: string, operation: string, reason: string, follow: string) =>
  new SpartaError(
    ErrorCode.STACK_BUSY,
    `stack ${stackName} is busy with another operation: CloudFormation did not start this ${operation} (${reason})`,
    `nothing of this command was applied; wait for the other operation to finish (${follow}) and run the command again`,
  );

/** `sparta diff` compares JSON templates; a stack deployed from YAML (not by sparta) cannot be compared. */
export const deployedTemplateUnreadable = (stackName: string, problem: string) =>
  new SpartaError(
    ErrorCode.DEPLOYED_TEMPLATE_UNREADABLE,
    `the deployed template of stack ${stackName} is not a JSON template sparta can compare (${problem})`,
    'sparta deploys JSON templates; a stack created another way cannot be diffed: check --service names this project\'s stack',
  );

/** CloudWatch Logs creates a function's group at its first log line, or the stack created it: neither happened here. */
export const logGroupNotFound = (group: string, functionId: string) =>
  new SpartaError(
    ErrorCode.LOG_GROUP_NOT_FOUND,
    `${functionId} has no log group ${group} in this account and region`,
    'provision the service first, or check --region and --profile (sparta describe shows the stack)',
  );

export const defaultBucketMissing = (bucket: string, region: string) =>
  new SpartaError(
    ErrorCode.DEFAULT_BUCKET_MISSING,
    `no --s3-bucket was given and the default bucket ${bucket} does not exist in ${region}`,
    `run sparta bootstrap --region ${region} once (or pass --bootstrap to create it now), or name a bucket with --s3-bucket`,
  );

/** Lambda took the new code or environment but could not apply it: the function runs what it ran before. */
export const hotswapProtectedStage = (stage: string) =>
  new SpartaError(
    ErrorCode.HOTSWAP_PROTECTED_STAGE,
    `--hotswap on stage ${stage}: its stack would drift from its template until the next full provision`,
    `provision stage ${stage} without --hotswap, or add --force if drifting ${stage} is what you want`,
  );

export const hotswapFailed = (functionName: string, reason: string) =>
  new SpartaError(
    ErrorCode.HOTSWAP_FAILED,
    `hotswapping function ${functionName} failed: ${reason}`,
    'run provision without --hotswap: a full provision puts the stack and its functions back in line with the template',
  );

// ---- 5xx: local invoke --------------------------------------------------------

export const serveNoRoutes = (service: string) =>
  new SpartaError(ErrorCode.SERVE_NO_ROUTES, `${service} has no @Http or @WebSocket route: sparta serve has nothing to serve`, 'add @Http(\'GET /path\') (or @WebSocket(route)) to a @Lambda method, or pick another service with --service');

export const servePortInUse = (host: string, port: number) =>
  new SpartaError(ErrorCode.SERVE_PORT_IN_USE, `${host}:${port} is already in use`, 'stop what listens there, or pick another port with --port (0 picks a free one)');

export const serveListenFailed = (host: string, port: number, reason: string) =>
  new SpartaError(ErrorCode.SERVE_LISTEN_FAILED, `cannot listen on ${host}:${port}: ${reason}`, 'check --host names an address of this machine (127.0.0.1, 0.0.0.0, ::1) and that --port is free and allowed (below 1024 needs root)');

export const invokeFailed = (functionId: string, errorType: string, errorMessage: string, hint: string) =>
  new SpartaError(ErrorCode.INVOKE_FAILED, `${functionId} failed: ${errorType}: ${errorMessage}`, hint);

export const invokeTimeout = (functionId: string, phase: 'init' | 'invoke', timeoutSeconds: number) =>
  new SpartaError(
    ErrorCode.INVOKE_TIMEOUT,
    phase === 'init' ? `${functionId} did not finish loading within Lambda's 10 s init limit` : `${functionId} timed out after ${timeoutSeconds} s`,
    phase === 'init' ? 'move slow work out of module scope' : 'raise @Lambda({ timeout }) or make the function faster',
  );

/** `problem`: why the event cannot be used (unreadable file, not JSON…). */
export const eventInvalid = (problem: string) => new SpartaError(ErrorCode.EVENT_INVALID, problem, 'pass a JSON document, e.g. from `sparta event TYPE > event.json`');

export const functionAmbiguous = (query: string, service: string, ids: string[]) =>
  new SpartaError(ErrorCode.FUNCTION_AMBIGUOUS, `${query} names several functions in ${service}: ${ids.join(', ')}`, 'name it by its id, Class.method');

/** Lambda refuses such a request before any code runs (RequestEntityTooLargeException). */
export const eventTooLarge = (bytes: number, limit: number) =>
  new SpartaError(
    ErrorCode.EVENT_TOO_LARGE,
    `the event is ${bytes} bytes of JSON; Lambda accepts at most ${limit} bytes for a synchronous invocation`,
    'pass a smaller event: put large data in S3 and send its key',
  );

export const responseTooLarge = (functionId: string, limit: number) =>
  new SpartaError(
    ErrorCode.RESPONSE_TOO_LARGE,
    `${functionId} returned more than Lambda's ${limit} bytes for a synchronous response (Function.ResponseSizeTooLarge)`,
    'return less: put large results in S3 and return their key',
  );

export const invokeOutOfMemory = (functionId: string, memorySize: number, detail: string) =>
  new SpartaError(
    ErrorCode.INVOKE_OUT_OF_MEMORY,
    `${functionId} ran out of memory: it used more than its ${memorySize} MB (${detail})`,
    'raise @Lambda({ memorySize }) or hold less in memory at once',
  );

/** `sparta event TYPE --function F` where none of F's sources delivers TYPE; `delivered`: the types they do deliver, `others`: the functions with such a source. */
export const functionWithoutSource = (functionId: string, type: string, decorator: string, delivered: string[], others: string[]) =>
  new SpartaError(
    ErrorCode.FUNCTION_WITHOUT_SOURCE,
    `${functionId} has no source that delivers ${type} events (${decorator})` +
      (delivered.length > 0 ? `; its sources deliver ${delivered.join(', ')}` : '; it has no event source'),
    others.length > 0
      ? `functions with one: ${others.join(', ')}; or drop --function for a generic sample`
      : `no function of the service has one: add ${decorator} to ${functionId}, or drop --function for a generic sample`,
  );
