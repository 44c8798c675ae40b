import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServiceManifest } from '../manifest/types';
import { entrySource } from '../cli/bundle/entry';
import { deterministicZip, formatBytes } from '../cli/package';
import { generateService } from './build-service';
import { median, ms, printBench, ratio, REPO_ROOT } from './harness';

// The peer run (`npm run bench -- peers`, opt-in: it installs about 230 MB
// from the npm registry): the build bench's generated functions, built by a
// real `cdk synth` of a CDK app with one NodejsFunction each, and by
// `sparta build`, in the same run on the same files. CDK's NodejsFunction
// bundles each function with its own esbuild process (through `npx`), then
// copies and hashes the asset; that is the cost a CDK user waits on, which the
// build bench's "esbuild a function" baseline only approximates.

const FUNCTIONS = 50;
/** Cold and repeated builds each: a real synth takes tens of seconds, so its spread is small beside it. */
const RUNS = 1;
/** What the peer needs, installed into the temporary folder; esbuild at the version sparta's own bench uses. */
const PEER_PACKAGES = ['aws-cdk-lib@2', 'aws-cdk@2', 'constructs@10', `esbuild@${devDependency('esbuild')}`];
const STACK_NAME = 'BenchService';
/** The runtime sparta deploys by default (nodejs24.x), so both bundle for the same target. */
const CDK_RUNTIME = 'NODEJS_24_X';

/** One NodejsFunction of the generated CDK app. */
export interface CdkFunction {
  constructId: string;
  /** The entry module, relative to the app's folder (NodejsFunction bundles from it). */
  entry: string;
  memorySize: number;
}

/** A construct id for a function id: CDK derives the logical ID from it, so keep only letters and digits. */
export function constructId(functionId: string): string {
  return functionId.replace(/[^A-Za-z0-9]/g, '');
}

/** The CDK app's functions: one a sparta function, each starting at its generated entry module. */
export function cdkFunctions(service: ServiceManifest, entryOf: (functionId: string) => string): CdkFunction[] {
  return service.functions.map((fn) => ({
    constructId: constructId(fn.id),
    entry: entryOf(fn.id),
    memorySize: fn.options.memorySize ?? 128,
  }));
}

/**
 * The CDK app (CommonJS, so `cdk synth` runs it with plain node): one stack,
 * one NodejsFunction a function. With the SDK external it keeps CDK's default
 * for Node 18+ runtimes (`@aws-sdk/*` external); bundled, `externalModules: []`.
 */
export function cdkAppSource(functions: readonly CdkFunction[], options: { bundleAwsSdk: boolean }): string {
  const bundling = options.bundleAwsSdk ? '{ externalModules: [] }' : '{}';
  return [
    "'use strict';",
    "const path = require('node:path');",
    "const cdk = require('aws-cdk-lib');",
    "const lambda = require('aws-cdk-lib/aws-lambda');",
    "const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');",
    '',
    'const app = new cdk.App();',
    `const stack = new cdk.Stack(app, ${JSON.stringify(STACK_NAME)});`,
    `const functions = ${JSON.stringify(functions)};`,
    'for (const fn of functions) {',
    '  new NodejsFunction(stack, fn.constructId, {',
    '    entry: path.join(__dirname, fn.entry),',
    "    handler: 'handler',",
    `    runtime: lambda.Runtime.${CDK_RUNTIME},`,
    '    memorySize: fn.memorySize,',
    `    bundling: ${bundling},`,
    '  });',
    '}',
    'app.synth();',
    '',
  ].join('\n');
}

/** The asset folder each AWS::Lambda::Function of a synthesized template deploys (its S3 key is `<hash>.zip`). */
export function functionAssets(template: { Resources?: Record<string, { Type?: string; Properties?: { Code?: { S3Key?: unknown } } }> }): string[] {
  const assets: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = resource.Properties?.Code?.S3Key;
    if (typeof key !== 'string' || !key.endsWith('.zip')) throw new Error(`${logicalId}: no asset S3Key in the synthesized template`);
    assets.push(`asset.${key.slice(0, -'.zip'.length)}`);
  }
  return assets;
}

function devDependency(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return pkg.devDependencies[name]!;
}

/**
 * The CPU time, in clock ticks, of the waited-for children of the process whose `/proc/<pid>/stat` this is
 * (fields 16 and 17, cutime and cstime). A child's own waited-for children count in it, so the delta around
 * one build is the CPU of its whole process tree: CDK's npx and esbuild processes included.
 */
export function childCpuTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16 - 3]) + Number(fields[17 - 3]);
}

// ---------------------------------------------------------------------------
// The run.

interface Variant {
  name: string;
  bundleAwsSdk: boolean;
  /** Builds into `outDir` in a fresh process. */
  build: (outDir: string) => void;
  /** Zipped archive sizes of a build in `outDir`. */
  sizes: (outDir: string) => number[];
}

const QUIET_ENV: NodeJS.ProcessEnv = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // The CDK CLI's and jsii's network and terminal extras: none of them is the build.
  CDK_DISABLE_VERSION_CHECK: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: 'true',
  JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: 'true',
  // Synth needs no account; without this the credential chain would wait on an instance metadata service.
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
};

/** Clock ticks a second (`getconf CLK_TCK`); undefined where there is no /proc, and CPU times are left out. */
function clockTicks(): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
}

interface Timing {
  wall: number;
  /** user + system ms of the build's processes; on a machine shared with other work it moves less than the wall time. */
  cpu?: number;
}

function measure(build: () => void, ticksPerSecond: number | undefined): Timing {
  const ticks = () => childCpuTicks(fs.readFileSync('/proc/self/stat', 'utf8'));
  const cpuBefore = ticksPerSecond ? ticks() : 0;
  const start = process.hrtime.bigint();
  build();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  return ticksPerSecond ? { wall, cpu: ((ticks() - cpuBefore) * 1000) / ticksPerSecond } : { wall };
}

function medianTiming(timings: Timing[]): Timing {
  const cpus = timings.map((t) => t.cpu).filter((cpu): cpu is number => cpu !== undefined);
  return { wall: median(timings.map((t) => t.wall)), cpu: cpus.length > 0 ? median(cpus) : undefined };
}

function run(file: string, args: string[], cwd: string): void {
  execFileSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...QUIET_ENV }, maxBuffer: 64 * 1024 * 1024 });
}

/** Installs the peer into `dir` (not timed) and returns the installed versions by package name. */
function installPeer(dir: string): Record<string, string> {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'sparta-peers', version: '1.0.0', private: true }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', ...PEER_PACKAGES], dir);
  const versions: Record<string, string> = {};
  for (const spec of PEER_PACKAGES) {
    const name = spec.slice(0, spec.lastIndexOf('@'));
    versions[name] = (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return versions;
}

/** After the install (npm would prune them): sparta and what its build resolves, from this repository. */
function linkSparta(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  fs.symlinkSync(REPO_ROOT, path.join(modules, 'sparta'), 'dir');
  for (const name of ['@aws-sdk', '@types', 'typescript']) {
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  }
}

/** The generated entries and both CDK apps under `<dir>/cdk`; returns the apps' paths. */
function writeCdkApps(dir: string, service: ServiceManifest): { external: string; bundled: string } {
  const cdkDir = path.join(dir, 'cdk');
  fs.mkdirSync(path.join(cdkDir, 'entries'), { recursive: true });
  for (const fn of service.functions) {
    fs.writeFileSync(path.join(cdkDir, 'entries', `${constructId(fn.id)}.ts`), entrySource(fn, path.join(dir, fn.source.file)));
  }
  const functions = cdkFunctions(service, (id) => `entries/${constructId(id)}.ts`);
  const external = path.join(cdkDir, 'app-sdk-external.js');
  const bundled = path.join(cdkDir, 'app-sdk-bundled.js');
  fs.writeFileSync(external, cdkAppSource(functions, { bundleAwsSdk: false }));
  fs.writeFileSync(bundled, cdkAppSource(functions, { bundleAwsSdk: true }));
  return { external, bundled };
}

function zipsUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.zip')).map((file) => path.join(dir, file));
}

/** The files of a folder, as the archive CDK would upload (zipped here the way sparta zips, so the sizes compare bundles). */
function folderZipSize(dir: string): number {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .map((file) => ({ path: file.split(path.sep).join('/'), contents: fs.readFileSync(path.join(dir, file)) }));
  return deterministicZip(files).length;
}

function variants(dir: string, apps: { external: string; bundled: string }): Variant[] {
  const cdkCli = path.join(dir, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const spartaCli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const tsconfig = path.join(dir, 'tsconfig.json');
  const cdk = (name: string, app: string, bundleAwsSdk: boolean): Variant => ({
    name,
    bundleAwsSdk,
    build: (outDir) => run(process.execPath, [cdkCli, 'synth', '--app', `node ${app}`, '--output', outDir, '--quiet', '--no-notices'], dir),
    sizes: (outDir) => {
      const template = JSON.parse(fs.readFileSync(path.join(outDir, `${STACK_NAME}.template.json`), 'utf8'));
      const assets = functionAssets(template);
      if (assets.length !== FUNCTIONS) throw new Error(`${name}: ${assets.length} functions synthesized, ${FUNCTIONS} expected`);
      return assets.map((asset) => folderZipSize(path.join(outDir, asset)));
    },
  });
  const sparta = (name: string, flags: string[], bundleAwsSdk: boolean): Variant => ({
    name,
    bundleAwsSdk,
    build: (outDir) => run(process.execPath, [spartaCli, 'build', '--project', tsconfig, '--out', outDir, ...flags], dir),
    sizes: (outDir) => {
      const zips = zipsUnder(outDir);
      if (zips.length !== FUNCTIONS) throw new Error(`${name}: ${zips.length} archives built, ${FUNCTIONS} expected`);
      return zips.map((zip) => fs.statSync(zip).size);
    },
  });
  return [
    cdk('cdk synth, 50 NodejsFunction (SDK external, CDK default)', apps.external, false),
    sparta('sparta build --external-aws-sdk', ['--external-aws-sdk'], false),
    sparta('sparta build --external-aws-sdk --no-typecheck', ['--external-aws-sdk', '--no-typecheck'], false),
    cdk('cdk synth, 50 NodejsFunction (SDK bundled: externalModules [])', apps.bundled, true),
    sparta('sparta build (default: SDK bundled)', [], true),
    sparta('sparta build --no-typecheck', ['--no-typecheck'], true),
  ];
}

export async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-peers-'));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    log(`peers bench: ${FUNCTIONS} functions, node ${process.version}, ${os.cpus().length} cores; installing ${PEER_PACKAGES.join(' ')} into ${dir}`);
    const versions = installPeer(dir);
    linkSparta(dir);
    const service = generateService(dir, FUNCTIONS);
    const apps = writeCdkApps(dir, service);

    const ticksPerSecond = clockTicks();
    const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' ');
    const loadBefore = load();
    const measured = new Map<Variant, { cold: Timing; again: Timing; sizes: number[] }>();
    for (const variant of variants(dir, apps)) {
      const outDir = (run: number) => path.join(dir, 'out', `${constructId(variant.name)}-${run}`);
      const colds: Timing[] = [];
      const agains: Timing[] = [];
      // Cold into a fresh output folder; again into the same one, as a user's next build would be.
      for (let run = 0; run < RUNS; run++) colds.push(measure(() => variant.build(outDir(run)), ticksPerSecond));
      for (let run = 0; run < RUNS; run++) agains.push(measure(() => variant.build(outDir(0)), ticksPerSecond));
      const m = { cold: medianTiming(colds), again: medianTiming(agains), sizes: variant.sizes(outDir(0)) };
      measured.set(variant, m);
      log(`  ${variant.name}: cold ${ms(m.cold.wall)}, again ${ms(m.again.wall)}`);
    }

    const peerFor = (v: Variant) => [...measured.entries()].find(([p]) => p.name.startsWith('cdk') && p.bundleAwsSdk === v.bundleAwsSdk)![1];
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const versus = (value: number | undefined, baseline: number | undefined) => (value === undefined || baseline === undefined ? '-' : ratio(value, baseline));
    const cpu = (value: number | undefined) => (value === undefined ? '-' : ms(value));
    const peer = Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ');
    const entries = [...measured.entries()];
    printBench(
      `peers: wall time of a fresh process each (${RUNS === 1 ? 'one run' : `median of ${RUNS}`}), ratios against cdk synth with the same SDK choice; ${peer}`,
      ['BUILD', 'COLD', 'VS CDK', 'AGAIN, NO CHANGE', 'VS CDK', 'TOTAL ZIP', 'LARGEST ZIP'],
      entries.map(([variant, m]) => {
        const base = peerFor(variant);
        return [variant.name, ms(m.cold.wall), ratio(m.cold.wall, base.cold.wall), ms(m.again.wall), ratio(m.again.wall, base.again.wall), formatBytes(sum(m.sizes)), formatBytes(Math.max(...m.sizes))];
      }),
    );
    printBench(
      `peers: CPU time (user + system) of the same builds, every process they started included; load average ${loadBefore} before, ${load()} after`,
      ['BUILD', 'COLD CPU', 'VS CDK', 'AGAIN CPU', 'VS CDK'],
      entries.map(([variant, m]) => {
        const base = peerFor(variant);
        return [variant.name, cpu(m.cold.cpu), versus(m.cold.cpu, base.cold.cpu), cpu(m.again.cpu), versus(m.again.cpu, base.again.cpu)];
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) bench().catch((error) => {
  console.error(error);
  process.exit(1);
});
