import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import type { ServiceManifest } from '../../manifest/types';
import { analyzeProject } from '../../transformer/analyze';
import { formatDiagnostic } from '../../transformer/diagnostics';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';

// The build tests' project: test/fixtures/build-service, copied to a temporary
// folder per test run so builds (and edits) never touch the repository. Its
// manifest comes from the analyzer, as in `sparta build`.

export const SERVICE_NAME = 'build-fixture';
const FIXTURE = path.join(FIXTURES, 'build-service');

/** A fresh copy of the fixture project whose `sparta`, `@aws-sdk` and `@types` imports resolve to this repository's. */
export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-build-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  // @types too: build and provision type-check the program (its tsconfig says `types: ["node"]`).
  for (const name of ['@aws-sdk', '@types']) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  return dir;
}

/** The ES2022 library only, so that the type-check of a small project stays short. */
export const SMALL_TSCONFIG = {
  compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'node16', strict: true, experimentalDecorators: true, skipLibCheck: true, types: [] },
  include: ['src'],
};

/** A temporary project of the given files (paths relative to it) and SMALL_TSCONFIG, where `sparta` resolves to this repository. Returns its tsconfig path. */
export function smallProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-small-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(SMALL_TSCONFIG));
  return path.join(dir, 'tsconfig.json');
}

/** The fixture's whole manifest, as the analyzer reads it from the sources. */
export function fixtureManifest(projectDir = FIXTURE): ServiceManifest {
  const analysis = analyzeProject(path.join(projectDir, 'tsconfig.json'));
  if (!analysis.manifest) throw new Error(`the build fixture does not analyse:\n${analysis.diagnostics.map(formatDiagnostic).join('\n')}`);
  return analysis.manifest.services[0];
}

/** Storage.region creates an S3 client, and bundling the AWS SDK takes seconds: only sdk.test.ts builds it. */
const SDK_FUNCTION = 'Storage.region';

/** The fixture's functions, except Storage.region. */
export function fixtureService(): ServiceManifest {
  const service = fixtureManifest();
  return { ...service, classes: service.classes.filter((c) => c.className !== 'Storage'), functions: service.functions.filter((f) => f.id !== SDK_FUNCTION) };
}

/** Storage.region alone. */
export function storageService(): ServiceManifest {
  const service = fixtureManifest();
  return { ...service, classes: service.classes.filter((c) => c.className === 'Storage'), functions: service.functions.filter((f) => f.id === SDK_FUNCTION) };
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
      .then((result) => process.stdout.write('\\n' + JSON.stringify({ result }) + '\\n'),
            (error) => process.stdout.write('\\n' + JSON.stringify({ error: { message: error.message, stack: String(error.stack) } }) + '\\n'));
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
        // The function's own log lines come first; the outcome is the last line.
        else resolve(JSON.parse(stdout.trimEnd().split('\n').pop() ?? '') as Invocation);
      },
    );
  });
}
