import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import type { FunctionManifest, LambdaOptions, ServiceManifest } from '../../manifest/types';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';

// The build tests' project: test/fixtures/build-service, copied to a temporary
// folder per test run so builds (and edits) never touch the repository. Its
// manifest is written by hand here, as the analyzer would produce it.

export const SERVICE_NAME = 'build-fixture';
const FIXTURE = path.join(FIXTURES, 'build-service');

/** A fresh copy of the fixture project whose `sparta` and `@aws-sdk` imports resolve to this repository's. */
export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-build-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@aws-sdk'), path.join(dir, 'node_modules', '@aws-sdk'), 'dir');
  return dir;
}

function fn(className: string, methodName: string, file: string, options: LambdaOptions = {}, exportName = className): FunctionManifest {
  return {
    id: `${className}.${methodName}`,
    service: SERVICE_NAME,
    className,
    methodName,
    exportName,
    source: { file, line: 1, column: 1 },
    options,
    privileges: [],
    events: [],
    dependsOn: [],
  };
}

/** The fixture's functions, except Storage.region: bundling the AWS SDK takes seconds, so only sdk.test.ts does it. */
export function fixtureService(): ServiceManifest {
  return service([
    fn('Greeter', 'fail', 'src/greeter.ts'),
    fn('Greeter', 'hello', 'src/greeter.ts'),
    fn('Greeter', 'later', 'src/greeter.ts', { runtime: 'nodejs22.x', architecture: 'arm64' }),
    fn('Lean', 'ping', 'src/lean.ts', {}, 'default'),
    fn('Reporter', 'report', 'src/reporter.ts', { memorySize: 512 }),
  ]);
}

/** Storage.region alone: it creates an S3 client. */
export function storageService(): ServiceManifest {
  return service([fn('Storage', 'region', 'src/storage.ts')]);
}

function service(functions: FunctionManifest[]): ServiceManifest {
  const classes = [...new Map(functions.map((f) => [f.className, { className: f.className, exportName: f.exportName, source: f.source }])).values()];
  return { name: SERVICE_NAME, classes, resources: [], functions };
}

/** Every file of an archive, by name. */
export function readArchive(file: string): Map<string, string> {
  return new Map(new AdmZip(file).getEntries().map((entry) => [entry.entryName, entry.getData().toString('utf8')]));
}

export interface Invocation {
  result?: unknown;
  error?: { message: string; stack: string };
}

/**
 * Unzips the archive into a fresh folder and, in a new `node` process, does
 * what the Lambda Node.js runtime does: require the handler's module from the
 * task root, call the export with (event, context), await the answer. On
 * request, this repository's node_modules on NODE_PATH stands in for the AWS
 * SDK that Lambda provides from /var/runtime/node_modules.
 */
export interface InvokeOptions {
  /** NODE_OPTIONS, e.g. --enable-source-maps. */
  nodeOptions?: string;
  /** Put the stand-in for the runtime-provided AWS SDK on NODE_PATH. Off: the archive must hold everything. */
  runtimeSdk?: boolean;
}

export function invokeLikeLambda(archive: string, handler: string, event: unknown, options: InvokeOptions = {}): Promise<Invocation> {
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-task-'));
  new AdmZip(archive).extractAllTo(taskRoot, true);
  const [moduleName, exportName] = handler.split('.');
  const script = `
    const handler = require(require('node:path').join(process.env.LAMBDA_TASK_ROOT, ${JSON.stringify(moduleName)}))[${JSON.stringify(exportName)}];
    const context = { awsRequestId: 'request-1', functionName: 'fixture', getRemainingTimeInMillis: () => 3000 };
    Promise.resolve()
      .then(() => handler(JSON.parse(process.argv[1]), context))
      .then((result) => process.stdout.write(JSON.stringify({ result })),
            (error) => process.stdout.write(JSON.stringify({ error: { message: error.message, stack: String(error.stack) } })));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, JSON.stringify(event)],
      {
        cwd: taskRoot,
        env: {
          PATH: process.env.PATH,
          LAMBDA_TASK_ROOT: taskRoot,
          NODE_PATH: options.runtimeSdk ? path.join(REPO_ROOT, 'node_modules') : '',
          NODE_OPTIONS: options.nodeOptions ?? '',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
      (error, stdout, stderr) => {
        fs.rmSync(taskRoot, { recursive: true, force: true });
        if (error) reject(new Error(`node exited: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Invocation);
      },
    );
  });
}
