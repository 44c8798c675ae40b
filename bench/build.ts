import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import type { ServiceManifest } from '../manifest/types';
import { entrySource } from '../cli/bundle/entry';
import { fileSafe } from '../cli/bundle';
import { checkTypes } from '../cli/bundle/typecheck';
import { compareNames } from '../cli/package/zip';
import { buildService, deterministicZip, formatBytes, type BuildServiceOptions } from '../cli/package';
import { generateService } from './build-service';
import { bundleVariant, type VariantOptions } from './rollup-variants';
import { median, REPO_ROOT } from './harness';

// `sparta build` against the approach AWS CDK's NodejsFunction takes: esbuild
// bundling each function on its own, @aws-sdk external. Every build and every
// cold start runs in a fresh node process, so module loading counts as it
// does for a user. Run: `node dist/bench/build.js` (after `npm run build`);
// `node dist/bench/build.js typecheck` measures only the type-check's cost.

const FUNCTIONS = 50;
const BUILD_RUNS = 3;
const COLD_RUNS = 7;
/** Function0 creates an S3 client; Function1 uses no SDK. */
const COLD_FUNCTIONS = ['Function1.handle1', 'Function0.handle0'];

/**
 * The type-check that build and provision run first: `cold` into a fresh output folder, `warm` into one a
 * previous check left its incremental information in, `edited` warm after one source file changed.
 */
type Typecheck = 'cold' | 'warm' | 'edited';
type SpartaVariant = { kind: 'sparta'; options: Pick<BuildServiceOptions, 'minify' | 'bundleAwsSdk'>; bench?: VariantOptions; typecheck?: Typecheck };
type EsbuildVariant = { kind: 'esbuild-api' | 'esbuild-cli'; bundleAwsSdk: boolean };
type Variant = { name: string; runs: number } & (SpartaVariant | EsbuildVariant);

const VARIANTS: Variant[] = [
  { name: 'esbuild per function, API (SDK external)', kind: 'esbuild-api', bundleAwsSdk: false, runs: BUILD_RUNS },
  { name: 'esbuild per process, CLI as CDK (SDK external)', kind: 'esbuild-cli', bundleAwsSdk: false, runs: BUILD_RUNS },
  { name: 'esbuild per function, API (SDK bundled)', kind: 'esbuild-api', bundleAwsSdk: true, runs: BUILD_RUNS },
  { name: 'sparta build (default: SDK bundled)', kind: 'sparta', options: {}, runs: BUILD_RUNS },
  { name: 'sparta --external-aws-sdk', kind: 'sparta', options: { bundleAwsSdk: false }, runs: BUILD_RUNS },
  { name: 'sparta --minify', kind: 'sparta', options: { minify: true }, runs: 1 },
  { name: 'sparta --external-aws-sdk, comments stripped', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { stripComments: true }, runs: 1 },
  { name: 'sparta --external-aws-sdk, esbuild transpiler', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { transpiler: 'esbuild' }, runs: 1 },
  { name: 'sparta --external-aws-sdk, plugin-typescript', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { transpiler: 'plugin-typescript' }, runs: 1 },
  { name: 'sparta --external-aws-sdk, rollup per function', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { perFunction: true }, runs: 1 },
];

/** The type-check's cost: the same build without and with the check, run in turns so load drift hits all alike. */
const TYPECHECK_ROUNDS = 5;
const TYPECHECK_VARIANTS: Variant[] = [
  { name: 'sparta --external-aws-sdk --no-typecheck', kind: 'sparta', options: { bundleAwsSdk: false }, runs: TYPECHECK_ROUNDS },
  { name: 'type-check, cold (no .tsbuildinfo)', kind: 'sparta', options: { bundleAwsSdk: false }, typecheck: 'cold', runs: TYPECHECK_ROUNDS },
  { name: 'type-check, warm (no source change)', kind: 'sparta', options: { bundleAwsSdk: false }, typecheck: 'warm', runs: TYPECHECK_ROUNDS },
  { name: 'type-check, warm, 1 file edited', kind: 'sparta', options: { bundleAwsSdk: false }, typecheck: 'edited', runs: TYPECHECK_ROUNDS },
];

interface Measurement {
  ms: number;
  /** Zipped size by function id, and the archive's path. */
  archives: Record<string, { file: string; zippedSize: number }>;
}

interface Project {
  dir: string;
  service: ServiceManifest;
}

/** The generated service in a temporary folder, with `sparta` and the SDK resolvable from it. */
function createProject(): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-bench-'));
  const service = generateService(dir, FUNCTIONS);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  for (const name of ['@aws-sdk', '@types', 'typescript']) {
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  fs.writeFileSync(path.join(dir, 'service.json'), JSON.stringify(service));
  return { dir, service };
}

// ---------------------------------------------------------------------------
// In the child process: one build. The parent times the whole process.

async function measureBuild(variant: Variant, project: Project, outDir: string): Promise<Measurement['archives']> {
  const archives: Measurement['archives'] = {};
  if (variant.kind === 'sparta') {
    const tsconfigPath = path.join(project.dir, 'tsconfig.json');
    // As the pipeline runs it: before bundling.
    if (variant.typecheck) checkTypes(tsconfigPath, outDir);
    if (variant.bench) return benchVariantBuild(variant.options, variant.bench, project, outDir);
    const artifacts = await buildService({
      projectDir: project.dir,
      tsconfigPath,
      service: project.service,
      outDir,
      ...variant.options,
    });
    for (const a of artifacts) archives[a.functionId] = { file: path.join(outDir, a.archive), zippedSize: a.zippedSize };
  } else {
    const bundle = variant.kind === 'esbuild-api' ? esbuildApi(variant.bundleAwsSdk) : esbuildCli(project.dir);
    fs.mkdirSync(outDir, { recursive: true });
    for (const fn of project.service.functions) {
      const source = path.join(project.dir, fn.source.file);
      const code = await bundle(fn.id, entrySource(fn, source), path.dirname(source));
      const zip = deterministicZip([{ path: 'index.js', contents: code }]);
      const file = path.join(outDir, `${fn.id}.zip`);
      fs.writeFileSync(file, zip);
      archives[fn.id] = { file, zippedSize: zip.length };
    }
  }
  return archives;
}

/** A set-up sparta does not ship (rollup-variants.ts): bundled, zipped and written as buildService would. */
async function benchVariantBuild(options: SpartaVariant['options'], bench: VariantOptions, project: Project, outDir: string): Promise<Measurement['archives']> {
  const functions = [...project.service.functions].sort((a, b) => compareNames(a.id, b.id));
  const bundles = await bundleVariant({ projectDir: project.dir, tsconfigPath: path.join(project.dir, 'tsconfig.json'), functions, ...options }, bench);
  fs.mkdirSync(outDir, { recursive: true });
  const archives: Measurement['archives'] = {};
  for (const bundle of bundles) {
    const zip = deterministicZip(bundle.files);
    const file = path.join(outDir, `${fileSafe(bundle.functionId)}.zip`);
    fs.writeFileSync(file, zip);
    archives[bundle.functionId] = { file, zippedSize: zip.length };
  }
  return archives;
}

type Bundler = (id: string, entry: string, resolveDir: string) => Promise<Buffer>;

const ESBUILD_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node22' } as const;

function esbuildApi(bundleAwsSdk: boolean): Bundler {
  const esbuild = require('esbuild') as typeof import('esbuild');
  return async (_id, entry, resolveDir) => {
    const result = await esbuild.build({
      ...ESBUILD_OPTIONS,
      stdin: { contents: entry, resolveDir, loader: 'ts', sourcefile: 'index.ts' },
      external: bundleAwsSdk ? [] : ['@aws-sdk/*'],
      write: false,
      logLevel: 'error',
    });
    return Buffer.from(result.outputFiles[0]!.contents);
  };
}

/** As CDK runs it: the esbuild executable, once per function, on an entry file. */
function esbuildCli(projectDir: string): Bundler {
  let binary: string;
  try {
    binary = require.resolve(`@esbuild/${process.platform}-${os.arch()}/bin/esbuild`);
  } catch {
    binary = require.resolve('esbuild/bin/esbuild');
  }
  const entries = path.join(projectDir, 'src', '.entries');
  fs.mkdirSync(entries, { recursive: true });
  return async (id, entry) => {
    const entryFile = path.join(entries, `${id}.ts`);
    const outFile = path.join(entries, `${id}.js`);
    fs.writeFileSync(entryFile, entry);
    execFileSync(binary, [entryFile, '--bundle', '--platform=node', '--format=cjs', '--target=node22', '--external:@aws-sdk/*', `--outfile=${outFile}`, '--log-level=error']);
    return fs.readFileSync(outFile);
  };
}

// ---------------------------------------------------------------------------
// In the parent: fresh processes, medians, the table.

function runChild(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, [__filename, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}


/** Unzips the archive and, in a fresh node, times require(index.js) plus the first event, as Lambda's init + first invoke. */
function coldStart(archive: string): number {
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-cold-'));
  new AdmZip(archive).extractAllTo(taskRoot, true);
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i += 1) {
    // The Lambda runtime provides the SDK from /var/runtime/node_modules; here NODE_PATH plays that part.
    times.push(Number(runChild(['--cold', taskRoot], { NODE_PATH: path.join(REPO_ROOT, 'node_modules') })));
  }
  fs.rmSync(taskRoot, { recursive: true, force: true });
  return median(times);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  return [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => pad(row, widths))].join('\n');
}

export async function bench(): Promise<void> {
  const project = createProject();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`sparta build bench: ${FUNCTIONS} functions, node ${process.version}, ${os.cpus().length} cores, project ${project.dir}`);

  const results = new Map<string, Measurement>();
  for (const [index, variant] of VARIANTS.entries()) {
    const runs: Measurement[] = [];
    for (let run = 0; run < variant.runs; run += 1) {
      const outDir = path.join(project.dir, 'out', `${index}-${run}`);
      const start = process.hrtime.bigint();
      const archives = JSON.parse(runChild(['--build', String(index), project.dir, outDir])) as Measurement['archives'];
      runs.push({ ms: Number(process.hrtime.bigint() - start) / 1e6, archives });
    }
    const ms = median(runs.map((r) => r.ms));
    results.set(variant.name, { ms, archives: runs[0]!.archives });
    log(`  ${variant.name}: ${ms.toFixed(0)} ms`);
  }

  const cdk = results.get(VARIANTS[1]!.name)!;
  const sdkBundled = (v: Variant) => (v.kind === 'sparta' ? v.options.bundleAwsSdk ?? true : v.bundleAwsSdk);
  /** The esbuild API build with the same SDK choice: the like-for-like baseline. */
  const baselineFor = (v: Variant) => results.get(VARIANTS[sdkBundled(v) ? 2 : 0]!.name)!;
  const sizes = (m: Measurement) => Object.values(m.archives).map((a) => a.zippedSize);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const buildRows = VARIANTS.map((variant) => {
    const m = results.get(variant.name)!;
    const base = baselineFor(variant);
    const zipped = sizes(m);
    return [
      variant.name,
      `${m.ms.toFixed(0)}`,
      `${(m.ms / base.ms).toFixed(2)}x`,
      `${(m.ms / cdk.ms).toFixed(2)}x`,
      formatBytes(sum(zipped)),
      formatBytes(Math.max(...zipped)),
      `${(sum(zipped) / sum(sizes(base))).toFixed(2)}x`,
      `${(Math.max(...zipped) / Math.max(...sizes(base))).toFixed(2)}x`,
    ];
  });
  log('');
  log('ratios against esbuild (API) with the same SDK choice, and against the CDK-style CLI run');
  log(table(['build: wall ms of a fresh process (median)', 'ms', 'vs esbuild', 'vs CDK', 'total zip', 'largest zip', 'total vs', 'largest vs'], buildRows));

  benchTypecheck(project, log);

  const coldVariants = [VARIANTS[0]!, VARIANTS[2]!, VARIANTS[3]!, VARIANTS[4]!, VARIANTS[5]!].map((v) => v.name);
  const coldRows = coldVariants.map((name) => {
    const m = results.get(name)!;
    return [name, ...COLD_FUNCTIONS.map((id) => `${coldStart(m.archives[id]!.file).toFixed(1)}`)];
  });
  log('');
  log(table([`cold init: require + first event, ms (median of ${COLD_RUNS})`, 'Function1 (no SDK)', 'Function0 (S3 client)'], coldRows));
  fs.rmSync(project.dir, { recursive: true, force: true });
}

function benchTypecheck(project: Project, log: (line: string) => void): void {
  // Its own copy: an edit in the shared project would make every other variant's check a changed one.
  const edited = createProject();
  const projectOf = (v: Variant) => (check(v) === 'edited' ? edited : project);
  const times = new Map<string, number[]>(TYPECHECK_VARIANTS.map((v) => [v.name, []]));
  const variantIndex = (v: Variant) => String(VARIANTS.length + TYPECHECK_VARIANTS.indexOf(v));
  const warmDir = (v: Variant) => path.join(project.dir, 'out', `typecheck-${variantIndex(v)}`);
  const check = (v: Variant) => (v.kind === 'sparta' ? v.typecheck : undefined);
  // Not timed: the first check, which leaves the incremental information behind.
  for (const v of TYPECHECK_VARIANTS) if (check(v) === 'warm' || check(v) === 'edited') runChild(['--build', variantIndex(v), projectOf(v).dir, warmDir(v)]);
  for (let round = 0; round < TYPECHECK_ROUNDS; round += 1) {
    for (const v of TYPECHECK_VARIANTS) {
      const warm = check(v) === 'warm' || check(v) === 'edited';
      const outDir = warm ? warmDir(v) : path.join(project.dir, 'out', `typecheck-${variantIndex(v)}-${round}`);
      if (check(v) === 'edited') fs.appendFileSync(path.join(edited.dir, 'src', 'function-7.ts'), `export const edit${round} = ${round};\n`);
      const start = process.hrtime.bigint();
      runChild(['--build', variantIndex(v), projectOf(v).dir, outDir]);
      times.get(v.name)!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  fs.rmSync(edited.dir, { recursive: true, force: true });
  const base = median(times.get(TYPECHECK_VARIANTS[0]!.name)!);
  const rows = TYPECHECK_VARIANTS.map((v) => {
    const ms = median(times.get(v.name)!);
    return [v.name, `${ms.toFixed(0)}`, `${(ms / base).toFixed(2)}x`, `${(ms - base).toFixed(0)}`];
  });
  log('');
  log(`the type-check before bundling: the same build without and with it, ${TYPECHECK_ROUNDS} rounds in turn (median)`);
  log(table(['build: wall ms of a fresh process', 'ms', 'vs no check', 'ms added'], rows));
}

async function child(argv: string[]): Promise<void> {
  if (argv[0] === '--build') {
    const variant = [...VARIANTS, ...TYPECHECK_VARIANTS][Number(argv[1])]!;
    const dir = argv[2]!;
    const project: Project = { dir, service: JSON.parse(fs.readFileSync(path.join(dir, 'service.json'), 'utf8')) as ServiceManifest };
    process.stdout.write(JSON.stringify(await measureBuild(variant, project, argv[3]!)));
  } else if (argv[0] === '--cold') {
    const taskRoot = argv[1]!;
    const start = process.hrtime.bigint();
    const handler = (require(path.join(taskRoot, 'index.js')) as { handler: (e: unknown, c: unknown) => Promise<unknown> }).handler;
    await handler({ name: 'bench' }, { awsRequestId: 'bench' });
    process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
  } else if (argv[0] === 'typecheck') {
    const project = createProject();
    benchTypecheck(project, (line) => process.stdout.write(`${line}\n`));
    fs.rmSync(project.dir, { recursive: true, force: true });
  } else {
    await bench();
  }
}

if (require.main === module) {
  child(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
