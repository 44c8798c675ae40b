// Hand-made deployment plans: real zips (adm-zip, fixed timestamps, so equal
// code gives equal bytes as a real build does) and templates of the shape the
// template stage produces (ArtifactBucket parameter, Code from the bucket and a
// `<service>/<fileName>` key, a role with an AWS::IAM::Policy, a log group,
// optional schedule rule + target + permission, outputs), so converge can be
// tested on its own. writeServiceProject writes real sources for a service
// instead, for the commands that build before they converge.
import AdmZip from 'adm-zip';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { identityTags, type ProjectIdentity } from '../../cli/converge/identity';
import type { DeploymentPlan } from '../../cli/converge/plan';
import { REPO_ROOT } from './paths';

export interface HandmadeFunction {
  /** `Class.method`. */
  id: string;
  /** What the handler returns; change it to change the archive. */
  body: string;
  /** An existing role ARN instead of a generated role. */
  role?: string;
  schedule?: string;
  environment?: Record<string, unknown>;
}

export interface HandmadeService {
  name: string;
  functions: HandmadeFunction[];
  tags?: Record<string, string>;
  /** Extra top-level resources, merged in as is. */
  resources?: Record<string, unknown>;
}

export interface HandmadeArtifact {
  functionId: string;
  logicalId: string;
  key: string;
  file: string;
  sha256: string;
  bytes: Buffer;
}

export interface HandmadeBuild {
  service: HandmadeService;
  template: Record<string, any>;
  templateBody: string;
  artifacts: HandmadeArtifact[];
}

const FIXED_TIME = new Date(Date.UTC(2020, 0, 1));

export function logicalIdOf(functionId: string): string {
  return functionId.replace(/[^A-Za-z0-9]/g, '');
}

export function deterministicZip(files: Record<string, string>): Buffer {
  const zip = new AdmZip();
  for (const [name, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    zip.addFile(name, Buffer.from(text));
    zip.getEntry(name)!.header.time = FIXED_TIME;
  }
  return zip.toBuffer();
}

export function functionResources(service: string, fn: HandmadeFunction, key: string): Record<string, unknown> {
  const id = logicalIdOf(fn.id);
  const resources: Record<string, unknown> = {};
  if (!fn.role) {
    resources[`${id}Role`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    };
    resources[`${id}Policy`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: `${id}Logs`,
        Roles: [{ Ref: `${id}Role` }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [`${id}LogGroup`, 'Arn'] } }],
        },
      },
    };
  }
  resources[id] = {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Code: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: key },
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      MemorySize: 128,
      Timeout: 3,
      Role: fn.role ?? { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
      Environment: { Variables: { SPARTA_FUNCTION_ID: fn.id, SPARTA_SERVICE: service, ...(fn.environment ?? {}) } },
    },
  };
  resources[`${id}LogGroup`] = {
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: { 'Fn::Sub': `/aws/lambda/\${${id}}` }, RetentionInDays: 14 },
  };
  if (fn.schedule) {
    resources[`${id}Schedule`] = {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: fn.schedule, State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': [id, 'Arn'] }, Id: `${id}Target` }] },
    };
    resources[`${id}SchedulePermission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [`${id}Schedule`, 'Arn'] },
      },
    };
  }
  return resources;
}

/** Zips every function and writes the archives under `dir`; returns the template and artifacts. */
export function buildHandmade(service: HandmadeService, dir: string): HandmadeBuild {
  mkdirSync(dir, { recursive: true });
  const artifacts: HandmadeArtifact[] = [];
  let resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  for (const fn of [...service.functions].sort((a, b) => a.id.localeCompare(b.id))) {
    const bytes = deterministicZip({ 'index.js': `exports.handler = async () => (${JSON.stringify(fn.body)});\n` });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const fileName = `${fn.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${sha256.slice(0, 16)}.zip`;
    const file = path.join(dir, fileName);
    writeFileSync(file, bytes);
    const logicalId = logicalIdOf(fn.id);
    const key = `${service.name}/${fileName}`;
    artifacts.push({ functionId: fn.id, logicalId, key, file, sha256, bytes });
    resources = { ...resources, ...functionResources(service.name, fn, key) };
    outputs[`${logicalId}Name`] = { Value: { Ref: logicalId } };
    outputs[`${logicalId}Arn`] = { Value: { 'Fn::GetAtt': [logicalId, 'Arn'] } };
  }
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${service.name} (sparta)`,
    Parameters: { ArtifactBucket: { Type: 'String', Description: 'Bucket that holds the function archives' } },
    Resources: { ...resources, ...(service.resources ?? {}) },
    Outputs: outputs,
  };
  return { service, template, templateBody: JSON.stringify(template, null, 2), artifacts };
}

/** The project a hand-made plan deploys from (the pipeline derives it from package.json). */
export const HANDMADE_IDENTITY: ProjectIdentity = { project: 'handmade', tsconfig: 'tsconfig.json' };

export function planOf(build: HandmadeBuild, bucket: string, overrides: Partial<DeploymentPlan> = {}): DeploymentPlan {
  const identity = overrides.identity ?? HANDMADE_IDENTITY;
  return {
    stackName: build.service.name,
    bucket,
    artifacts: build.artifacts.map(({ key, file, sha256 }) => ({ key, file, sha256 })),
    templateBody: build.templateBody,
    parameters: { ArtifactBucket: bucket },
    roleArns: [...new Set(build.service.functions.flatMap((fn) => (fn.role ? [fn.role] : [])))],
    noop: false,
    replaceFailed: false,
    force: false,
    identity,
    tags: { ...build.service.tags, ...identityTags(identity) },
    ...overrides,
  };
}

/** The prebuilt plan the converge branch's temporary cli/pipeline.ts loads (paths relative to the file). */
/** A service of `count` functions, the first `scheduled` of them on a schedule. */
export function generatedService(name: string, count: number, options: { scheduled?: number; version?: (index: number) => string } = {}): HandmadeService {
  return {
    name,
    functions: Array.from({ length: count }, (_, i) => ({
      id: `Worker.task${String(i).padStart(2, '0')}`,
      body: `task ${i} ${options.version?.(i) ?? 'v1'}`,
      schedule: i < (options.scheduled ?? 0) ? 'rate(5 minutes)' : undefined,
    })),
  };
}

/** TypeScript sources declaring `svc`: one class a file, one `@Lambda` method a function, returning its body. */
export function serviceSources(svc: HandmadeService): Record<string, string> {
  const classes = new Map<string, HandmadeFunction[]>();
  for (const fn of svc.functions) {
    const [className] = fn.id.split('.');
    classes.set(className, [...(classes.get(className) ?? []), fn]);
  }
  const files: Record<string, string> = {};
  for (const [className, fns] of classes) {
    const methods = fns.map((fn) => {
      const options = fn.role ? `{ role: ${JSON.stringify(fn.role)} }` : '';
      return `  @Lambda(${options})\n  ${fn.id.split('.')[1]}() {\n    return ${JSON.stringify(fn.body)};\n  }\n`;
    });
    files[`src/${className.toLowerCase()}.ts`] = `import { Lambda, Service } from 'sparta';\n\n@Service({ name: ${JSON.stringify(svc.name)} })\nexport class ${className} {\n${methods.join('\n')}}\n`;
  }
  return files;
}

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true, outDir: 'dist', rootDir: 'src', types: ['node'] },
  include: ['src'],
};

/**
 * A project in a temporary folder holding `files` (paths from its root, sources
 * under `src/`), with a tsconfig and a node_modules that resolves `sparta` to
 * this repository: what `sparta build` and `provision` take. Returns the root.
 */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sparta-cli-'));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  mkdirSync(path.join(root, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'sparta'), 'dir');
  // @types too: provision type-checks the program, and the tsconfig says `types: ["node"]`.
  for (const name of ['@aws-sdk', '@types']) symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(root, 'node_modules', name), 'dir');
  return root;
}

/** A project of one source file, `src/service.ts`; returns its root. */
export function writeSourceProject(source: string): string {
  return writeProject({ 'src/service.ts': source });
}

/**
 * A project `sparta provision` can deploy, in a temporary folder: real
 * sources that the build and template stages turn into archives and a
 * template. Assert nothing about logical IDs: the template stage chooses them.
 * Returns the tsconfig's path.
 */
export function writeServiceProject(svc: HandmadeService): string {
  return path.join(writeProject(serviceSources(svc)), 'tsconfig.json');
}
