import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { pathToFileURL } from 'node:url';
import type { ModuleFormat, ServiceManifest } from '../manifest/types';
import { entrySource } from '../cli/bundle/entry';
import { fileSafe } from '../cli/bundle';
import { checkTypes } from '../cli/bundle/typecheck';
import { compareNames } from '../cli/package/zip';
import { buildService, deterministicZip, formatBytes, type BuildServiceOptions } from '../cli/package';
import { generateService } from './build-service';
import { bundleVariant, type VariantOptions } from './rollup-variants';
import { median, REPO_ROOT } from './harness';

// `sparta build` against esbuild, the bundler AWS CDK's NodejsFunction runs:
// esbuild bundling every entry in one process (the fastest a bundler of this
// kind gets), and esbuild run once a function as CDK runs it. Sparta is timed
// cold (a fresh out folder), warm with no change and warm after one function's
// module changed (rollup's cache under the out folder, cli/bundle/cache.ts),
// for both SDK choices. Every build and every cold start runs in a fresh node
// process, so module loading counts as it does for a user.
// Run: `npm run bench -- build`; `BENCH_RUNS=1` for one run a row;
// `node dist/bench/build.js typecheck` measures only the type-check's cost, `node dist/bench/build.js cli`
// only `sparta build` through the CLI.

const FUNCTIONS = 50;
const BUILD_RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COLD_RUNS = 7;
/** Function0 creates an S3 client; Function1 uses no SDK. */
const COLD_FUNCTIONS = ['Function1.handle1', 'Function0.handle0'];
/** The module the warm one-function-change row edits before it builds. */
const EDITED_MODULE = path.join('src', 'function-7.ts');

/**
 * The type-check that build and provision run first: `cold` into a fresh output folder, `warm` into one a
 * previous check left its incremental information in, `edited` warm after one source file changed.
 */
type Typecheck = 'cold' | 'warm' | 'edited';
/** Sparta's builds: `series` times cold, warm with no change and warm after one function changed, in that order. */
/** `format`: every function's (as `@Service({ format })` would set it), `cjs` when absent. */
type SpartaVariant = { kind: 'sparta'; options: Pick<BuildServiceOptions, 'minify' | 'bundleAwsSdk'>; format?: ModuleFormat; bench?: VariantOptions; typecheck?: Typecheck; series?: boolean };
/** esbuild: `one-process` bundles all entries in one run of the executable; `per-function` runs the executable once a function, as CDK does. */
type EsbuildVariant = { kind: 'esbuild-one-process' | 'esbuild-per-function'; bundleAwsSdk: boolean };
type Variant = { name: string; runs: number } & (SpartaVariant | EsbuildVariant);

const ONE_PROCESS = 'esbuild, one process, all entries';
const CDK_WAY = "esbuild a function (CDK's way)";
const sdkLabel = (bundled: boolean) => (bundled ? 'SDK bundled' : 'SDK external');

const VARIANTS: Variant[] = [
  { name: `${ONE_PROCESS} (${sdkLabel(true)})`, kind: 'esbuild-one-process', bundleAwsSdk: true, runs: BUILD_RUNS },
  { name: `${ONE_PROCESS} (${sdkLabel(false)})`, kind: 'esbuild-one-process', bundleAwsSdk: false, runs: BUILD_RUNS },
  { name: `${CDK_WAY} (${sdkLabel(true)})`, kind: 'esbuild-per-function', bundleAwsSdk: true, runs: BUILD_RUNS },
  { name: `${CDK_WAY} (${sdkLabel(false)}, CDK's default)`, kind: 'esbuild-per-function', bundleAwsSdk: false, runs: BUILD_RUNS },
  { name: `sparta build (${sdkLabel(true)}, the default)`, kind: 'sparta', options: {}, series: true, runs: BUILD_RUNS },
  { name: `sparta build --external-aws-sdk (${sdkLabel(false)})`, kind: 'sparta', options: { bundleAwsSdk: false }, series: true, runs: BUILD_RUNS },
  { name: 'sparta --minify', kind: 'sparta', options: { minify: true }, runs: 1 },
  // ES module archives (index.mjs): with the SDK bundled only, as the cold start's NODE_PATH stand-in for the runtime's SDK reaches no import.
  { name: `sparta build, format: 'esm' (${sdkLabel(true)})`, kind: 'sparta', options: {}, format: 'esm', runs: 1 },
  // Set-ups sparta does not ship (rollup-variants.ts), each on its own: what the shipped choices were measured against.
  { name: 'bench only: --external-aws-sdk, comments stripped (terser)', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { stripComments: true }, runs: 1 },
  { name: 'bench only: --external-aws-sdk, esbuild transform', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { transpiler: 'esbuild' }, runs: 1 },
  { name: 'bench only: --external-aws-sdk, @rollup/plugin-typescript', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { transpiler: 'plugin-typescript' }, runs: 1 },
  { name: 'bench only: --external-aws-sdk, one rollup build a function', kind: 'sparta', options: { bundleAwsSdk: false }, bench: { perFunction: true }, runs: 1 },
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
  /**
   * CPU time of the build's process and every process it waited for (esbuild's): on a machine other work
   * keeps busy, wall time says how long a user waits, CPU time what the build costs.
   */
  cpuMs?: number;
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
    const { format } = variant;
    const service = format === undefined ? project.service : { ...project.service, functions: project.service.functions.map((fn) => ({ ...fn, options: { ...fn.options, format } })) };
    const artifacts = await buildService({
      projectDir: project.dir,
      tsconfigPath,
      service,
      outDir,
      ...variant.options,
    });
    for (const a of artifacts) archives[a.functionId] = { file: path.join(outDir, a.archive), zippedSize: a.zippedSize };
  } else {
    const bundles = variant.kind === 'esbuild-one-process' ? esbuildOneProcess(project, variant.bundleAwsSdk) : esbuildPerFunction(project, variant.bundleAwsSdk);
    fs.mkdirSync(outDir, { recursive: true });
    for (const [id, code] of bundles) {
      const zip = deterministicZip([{ path: 'index.js', contents: code }]);
      const file = path.join(outDir, `${id}.zip`);
      fs.writeFileSync(file, zip);
      archives[id] = { file, zippedSize: zip.length };
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

/**
 * Each function's generated entry (the module sparta bundles from), as a file for esbuild, outside `src` so the
 * type-check never sees them.
 */
function entryFiles(project: Project): Map<string, string> {
  const dir = path.join(project.dir, '.entries');
  fs.mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const fn of project.service.functions) {
    const file = path.join(dir, `${fn.id}.ts`);
    fs.writeFileSync(file, entrySource(fn, path.join(project.dir, fn.source.file)));
    files.set(fn.id, file);
  }
  return files;
}

/** Where both esbuild baselines differ from esbuild's defaults: the SDK's ES modules, as sparta resolves them. */
const MAIN_FIELDS = ['module', 'main'];

/**
 * Every entry in one run of the esbuild executable: esbuild's fastest, each function still its own self-contained
 * file. The executable rather than the API, so that its CPU time is counted (the API's service process is not waited for).
 */
function esbuildOneProcess(project: Project, bundleAwsSdk: boolean): Map<string, Buffer> {
  const entries = entryFiles(project);
  const outDir = path.join(project.dir, '.entries', 'out');
  const external = bundleAwsSdk ? [] : ['--external:@aws-sdk/*'];
  execFileSync(esbuildBinary(), [...entries.values(), '--bundle', '--platform=node', '--format=cjs', '--target=node22', `--main-fields=${MAIN_FIELDS.join(',')}`, ...external, `--outdir=${outDir}`, '--log-level=error']);
  return new Map([...entries.keys()].map((id) => [id, fs.readFileSync(path.join(outDir, `${id}.js`))]));
}

function esbuildBinary(): string {
  try {
    return require.resolve(`@esbuild/${process.platform}-${os.arch()}/bin/esbuild`);
  } catch {
    return require.resolve('esbuild/bin/esbuild');
  }
}

/** As CDK's NodejsFunction runs it: the esbuild executable once a function, on its entry file. */
function esbuildPerFunction(project: Project, bundleAwsSdk: boolean): Map<string, Buffer> {
  const binary = esbuildBinary();
  const out = new Map<string, Buffer>();
  for (const [id, entryFile] of entryFiles(project)) {
    const outFile = entryFile.replace(/\.ts$/, '.js');
    const external = bundleAwsSdk ? [] : ['--external:@aws-sdk/*'];
    execFileSync(binary, [entryFile, '--bundle', '--platform=node', '--format=cjs', '--target=node22', `--main-fields=${MAIN_FIELDS.join(',')}`, ...external, `--outfile=${outFile}`, '--log-level=error']);
    out.set(id, fs.readFileSync(outFile));
  }
  return out;
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


/** CPU ms of this process's children that it has waited for (Linux: /proc/self/stat's cutime + cstime, in 10 ms ticks). */
function childrenCpuMs(): number {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(')').pop()!.trim().split(' ');
    // Field 3 (state) is the first after the name: cutime is field 16, cstime 17.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
  } catch {
    return Number.NaN;
  }
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

type Phase = 'cold' | 'warm, no change' | 'warm, one function changed';

interface Row {
  variant: Variant;
  phase: Phase;
  m: Measurement;
}

export async function bench(): Promise<void> {
  const project = createProject();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`sparta build bench: ${FUNCTIONS} functions, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, project ${project.dir}`);

  const time = (variant: Variant, outDir: string): Measurement => {
    const start = process.hrtime.bigint();
    const cpuStart = childrenCpuMs();
    const archives = JSON.parse(runChild(['--build', String(VARIANTS.indexOf(variant)), project.dir, outDir])) as Measurement['archives'];
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: childrenCpuMs() - cpuStart, archives };
  };
  const rows: Row[] = [];
  let edits = 0;
  for (const [index, variant] of VARIANTS.entries()) {
    const phases = new Map<Phase, Measurement[]>();
    const add = (phase: Phase, m: Measurement) => phases.set(phase, [...(phases.get(phase) ?? []), m]);
    for (let run = 0; run < variant.runs; run += 1) {
      const outDir = path.join(project.dir, 'out', `${index}-${run}`);
      add('cold', time(variant, outDir));
      if (variant.kind !== 'sparta' || !variant.series) continue;
      add('warm, no change', time(variant, outDir));
      edits += 1;
      fs.appendFileSync(path.join(project.dir, EDITED_MODULE), `export const edit${edits} = ${edits};\n`);
      add('warm, one function changed', time(variant, outDir));
    }
    for (const [phase, runs] of phases) {
      const m = { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs ?? 0)), archives: runs[0]!.archives };
      rows.push({ variant, phase, m });
      log(`  ${variant.name}, ${phase}: ${m.ms.toFixed(0)} ms, ${m.cpuMs.toFixed(0)} ms CPU`);
    }
  }

  const find = (name: string) => rows.find((r) => r.variant.name === name && r.phase === 'cold')!;
  const sdkBundled = (v: Variant) => (v.kind === 'sparta' ? v.options.bundleAwsSdk ?? true : v.bundleAwsSdk);
  /** The like-for-like baselines: esbuild with the same SDK choice, in one process and CDK's way. */
  const onePro = (v: Variant) => find(`${ONE_PROCESS} (${sdkLabel(sdkBundled(v))})`);
  const cdk = (v: Variant) => find(VARIANTS.find((b) => b.kind === 'esbuild-per-function' && b.bundleAwsSdk === sdkBundled(v))!.name);
  const sizes = (m: Measurement) => Object.values(m.archives).map((a) => a.zippedSize);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const coldInit = new Map<string, number[]>();
  const initOf = (m: Measurement) => {
    const archive = m.archives[COLD_FUNCTIONS[1]!]!.file;
    if (!coldInit.has(archive)) coldInit.set(archive, COLD_FUNCTIONS.map((id) => coldStart(m.archives[id]!.file)));
    return coldInit.get(archive)!;
  };
  const tableRows = rows.map(({ variant, phase, m }) => {
    const base = onePro(variant).m;
    const zipped = sizes(m);
    const [plainInit, s3Init] = phase === 'cold' && !variant.name.startsWith('bench only') ? initOf(m) : [undefined, undefined];
    return [
      `${variant.name}${variant.kind === 'sparta' && variant.series ? `, ${phase}` : ''}`,
      `${m.ms.toFixed(0)}`,
      `${m.cpuMs!.toFixed(0)}`,
      `${(m.ms / base.ms).toFixed(2)}x`,
      `${(m.cpuMs! / base.cpuMs!).toFixed(2)}x`,
      `${(m.ms / cdk(variant).m.ms).toFixed(2)}x`,
      formatBytes(sum(zipped)),
      formatBytes(Math.max(...zipped)),
      `${(sum(zipped) / sum(sizes(base))).toFixed(2)}x`,
      plainInit === undefined ? '' : plainInit.toFixed(1),
      s3Init === undefined ? '' : s3Init.toFixed(1),
    ];
  });
  log('');
  log(`ratios against esbuild with the same SDK choice: "${ONE_PROCESS}" and "${CDK_WAY}"; cold init: require + first event, ms (median of ${COLD_RUNS})`);
  log(table(['build: a fresh process (median)', 'wall ms', 'CPU ms', 'wall vs one process', 'CPU vs one process', 'wall vs CDK way', 'total zip', 'largest zip', 'zip vs one process', 'init, no SDK', 'init, S3 client'], tableRows));
  log('');
  log('goals (issue #12): cold sparta build <= 3x esbuild in one process; warm build after a one-function change < 1 s');
  for (const row of rows) {
    if (row.variant.kind !== 'sparta' || !row.variant.series || row.phase === 'warm, no change') continue;
    const base = onePro(row.variant).m;
    const goal = row.phase === 'cold'
      ? `${(row.m.ms / base.ms).toFixed(2)}x wall, ${(row.m.cpuMs! / base.cpuMs!).toFixed(2)}x CPU (goal <= 3x)`
      : `${row.m.ms.toFixed(0)} ms wall, ${row.m.cpuMs!.toFixed(0)} ms CPU (goal < 1000 ms)`;
    log(`  ${row.variant.name}, ${row.phase}: ${goal}`);
  }

  benchCli(log);
  if (process.env.BENCH_TYPECHECK !== '0') benchTypecheck(project, log);
  fs.rmSync(project.dir, { recursive: true, force: true });
}

/**
 * `sparta build` as a user runs it: the analysis, the type-check (on its thread) and the bundle, in a fresh
 * process, after an edit to a function that uses no SDK and to the one that creates the S3 client (whose
 * type-check reads the SDK's declarations again).
 */
function benchCli(log: (line: string) => void): void {
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const rows: string[][] = [];
  for (const flags of [[], ['--external-aws-sdk']]) {
    const times = new Map<string, number[]>();
    for (let run = 0; run < BUILD_RUNS; run += 1) {
      // Its own project each run: the edits would otherwise pile up in one.
      const project = createProject();
      const build = (phase: string) => {
        const start = process.hrtime.bigint();
        execFileSync(process.execPath, [cli, 'build', ...flags], { cwd: project.dir, stdio: 'ignore', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
        times.set(phase, [...(times.get(phase) ?? []), Number(process.hrtime.bigint() - start) / 1e6]);
      };
      build('cold');
      build('again, no change');
      fs.appendFileSync(path.join(project.dir, EDITED_MODULE), 'export const edited = 1;\n');
      build('after a change to a function without the SDK');
      fs.appendFileSync(path.join(project.dir, 'src', 'function-0.ts'), 'export const edited = 1;\n');
      build('after a change to the S3-client function');
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
    for (const [phase, values] of times) rows.push([`sparta build ${flags.join(' ')}`.trim() + `, ${phase}`, median(values).toFixed(0)]);
  }
  log('');
  log(`sparta build through the CLI (analysis, type-check, bundle, template), ${FUNCTIONS} functions, a fresh process (median of ${BUILD_RUNS})`);
  log(table(['build', 'wall ms'], rows));
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
    const esm = path.join(taskRoot, 'index.mjs');
    type Exports = { handler: (e: unknown, c: unknown) => Promise<unknown> };
    const { handler } = fs.existsSync(esm) ? ((await import(pathToFileURL(esm).href)) as Exports) : (require(path.join(taskRoot, 'index.js')) as Exports);
    await handler({ name: 'bench' }, { awsRequestId: 'bench' });
    process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
  } else if (argv[0] === 'typecheck') {
    const project = createProject();
    benchTypecheck(project, (line) => process.stdout.write(`${line}\n`));
    fs.rmSync(project.dir, { recursive: true, force: true });
  } else if (argv[0] === 'cli') {
    benchCli((line) => process.stdout.write(`${line}\n`));
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
