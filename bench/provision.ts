// Provision timings against moto on loopback: first provision, no-op
// provision and a one-function change, with the AWS API calls each made, for
// examples/hello and a generated 50-function service. Each step is what
// `sparta provision` does: build, marshal, converge. Target: the 50-function
// no-op under 2 s with zero uploads and zero stack updates, in process and
// through the CLI (a fresh `node` running `sparta provision`: module loading,
// the inputs' hash, the change-set check; API calls are not counted there, the
// counter lives in this process).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { converge } from '../cli/converge/converge';
import { silentIo } from '../cli/converge/messages';
import { prepareDeployment } from '../cli/pipeline';
import { serviceSources, type HandmadeService } from '../test/helpers/handmade';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, motoClientConfig, startMoto, type MotoServer } from '../test/helpers/moto';
import { BENCH_BUS, sourcesServiceFiles } from './sources-service';
import { REPO_ROOT, scratchProject, SCRATCH_TSCONFIG } from './harness';

export interface BenchRow {
  service: string;
  functions: number;
  step: string;
  ms: number;
  buildMs: number;
  calls: number;
  uploads: number;
  changeSetsExecuted: number;
  changeSetsCreated: number;
  result: string;
}

/** The 50-function service's code changed again, provisioned with --hotswap: against the full provision of the step before. */
const HOTSWAP_STEP = 'one-function change, --hotswap';

const BUCKET = 'sparta-bench';

/** The no-op again, as a user runs it: `sparta provision` in a new node process. */
const CLI_NOOP_STEP = 'no-op provision, through the CLI';
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');

/** Wall time of `sparta provision` on `tsconfig` against moto, and how it ended. */
function provisionThroughCli(moto: MotoServer, tsconfig: string): { ms: number; result: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'provision', '--s3-bucket', BUCKET, '--project', tsconfig, '--endpoint-url', moto.endpoint, '--region', MOTO_REGION], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: '', AWS_REGION: MOTO_REGION },
    encoding: 'utf8',
  });
  const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  if (run.status !== 0) throw new Error(`sparta provision exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return { ms, result: /no changes: .* is up to date/.test(run.stdout + run.stderr) ? 'noOp' : 'exit 0' };
}

interface BenchProject {
  label: string;
  tsconfig: string;
  functions: number;
  /** What changeOne edits, for the table. */
  change: string;
  /** Edits code: for the 50-function service one function's own file, so exactly one archive changes. */
  changeOne: () => void;
  /** Edits that one function's code again, for the --hotswap step. */
  hotswap?: () => void;
}

/** A copy of examples/hello inside the repo (so `sparta` and `@aws-sdk` resolve); greeting.ts is Hello.hello's alone. */
function helloProject(): BenchProject {
  const source = path.join(REPO_ROOT, 'examples', 'hello');
  const files: Record<string, string> = { 'tsconfig.json': fs.readFileSync(path.join(source, 'tsconfig.json'), 'utf8') };
  for (const file of fs.readdirSync(path.join(source, 'src'))) files[`src/${file}`] = fs.readFileSync(path.join(source, 'src', file), 'utf8');
  const dir = scratchProject('provision-hello', files);
  return {
    label: 'examples/hello',
    tsconfig: path.join(dir, 'tsconfig.json'),
    functions: 3,
    // All three functions are methods of class Hello, whose module imports greeting.ts: each archive holds it.
    change: 'change in class Hello',
    changeOne: () => {
      const file = path.join(dir, 'src', 'greeting.ts');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Hello, ', 'Hi, '));
    },
  };
}

/** Fifty one-method classes, one file each, ten of them on a schedule: a function's code is its own file. */
function fiftyProject(): BenchProject {
  const version = (v: string): HandmadeService => ({
    name: 'bench-fifty',
    functions: Array.from({ length: 50 }, (_, i) => ({
      id: `Task${String(i).padStart(2, '0')}.run`,
      body: `task ${i} ${i === 0 ? v : 'v1'}`,
      schedule: i < 10 ? 'rate(5 minutes)' : undefined,
    })),
  });
  const dir = scratchProject('provision-fifty', { 'tsconfig.json': SCRATCH_TSCONFIG, ...serviceSources(version('v1')) });
  return {
    label: '50 functions',
    tsconfig: path.join(dir, 'tsconfig.json'),
    functions: 50,
    change: 'one-function change',
    changeOne: () => {
      for (const [file, text] of Object.entries(serviceSources(version('v2')))) fs.writeFileSync(path.join(dir, file), text);
    },
    hotswap: () => {
      for (const [file, text] of Object.entries(serviceSources(version('v3')))) fs.writeFileSync(path.join(dir, file), text);
    },
  };
}

/** Fifty functions spread over every source kind (bench/sources-service.ts): the sources' resources on top of the functions'. */
function sourcesProject(): BenchProject {
  const dir = scratchProject('provision-sources', { 'tsconfig.json': SCRATCH_TSCONFIG, ...sourcesServiceFiles(50) });
  return {
    label: '50 functions, every source kind',
    tsconfig: path.join(dir, 'tsconfig.json'),
    functions: 50,
    change: 'one-function change',
    changeOne: () => {
      for (const [file, text] of Object.entries(sourcesServiceFiles(50, (i) => (i === 0 ? 'v2' : 'v1')))) fs.writeFileSync(path.join(dir, file), text);
    },
  };
}

export async function measure(): Promise<BenchRow[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const moto = await startMoto();
  const rows: BenchRow[] = [];
  try {
    const aws = motoAws(moto);
    await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new EventBridgeClient(motoClientConfig(moto)).send(new CreateEventBusCommand({ Name: BENCH_BUS }));
    const deps = { aws: aws.apis, region: MOTO_REGION, io: silentIo, timeoutMs: 10 * 60_000, pollIntervalMs: 100 };
    for (const project of [helloProject(), fiftyProject(), sourcesProject()]) {
      const steps = ['first provision', 'no-op provision', ...(project.functions === 50 ? [CLI_NOOP_STEP] : []), project.change, ...(project.hotswap ? [HOTSWAP_STEP] : [])];
      for (const step of steps) {
        if (step === CLI_NOOP_STEP) {
          const { ms, result } = provisionThroughCli(moto, project.tsconfig);
          rows.push({ service: project.label, functions: project.functions, step, ms, buildMs: NaN, calls: NaN, uploads: NaN, changeSetsExecuted: NaN, changeSetsCreated: NaN, result });
          continue;
        }
        if (step === project.change) project.changeOne();
        if (step === HOTSWAP_STEP) project.hotswap!();
        aws.counter.reset();
        const started = process.hrtime.bigint();
        const plan = { ...(await prepareDeployment({ tsconfigPath: project.tsconfig, bucket: BUCKET })), hotswap: step === HOTSWAP_STEP };
        const built = process.hrtime.bigint();
        const result = await converge(plan, deps);
        const done = process.hrtime.bigint();
        rows.push({
          service: project.label,
          functions: project.functions,
          step,
          ms: Math.round(Number(done - started) / 1e6),
          buildMs: Math.round(Number(built - started) / 1e6),
          calls: aws.counter.total(),
          uploads: aws.counter.count('PutObject'),
          changeSetsExecuted: aws.counter.count('ExecuteChangeSet'),
          changeSetsCreated: aws.counter.count('CreateChangeSet'),
          result: result.type,
        });
      }
    }
  } finally {
    await moto.stop();
  }
  return rows;
}

export function report(rows: BenchRow[]): string {
  const header = ['service', 'functions', 'step', 'total ms', 'of which build', 'API calls', 'PutObject', 'change sets', 'executed', 'result'];
  const cell = (n: number) => (Number.isNaN(n) ? '-' : String(n));
  const body = rows.map((r) => [r.service, String(r.functions), r.step, String(r.ms), cell(r.buildMs), cell(r.calls), cell(r.uploads), cell(r.changeSetsCreated), cell(r.changeSetsExecuted), r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const verdicts = rows
    .filter((r) => r.functions === 50 && r.step === 'no-op provision')
    .map((noop) => `${noop.service} no-op: ${noop.ms} ms, ${noop.uploads} uploads, ${noop.changeSetsCreated} change sets (target < 2000 ms, 0, 0): ${noop.ms < 2000 && noop.uploads === 0 && noop.changeSetsCreated === 0 ? 'met' : 'MISSED'}`);
  for (const cli of rows.filter((r) => r.step === CLI_NOOP_STEP)) verdicts.push(`${cli.service} no-op through the CLI: ${cli.ms} ms (target < 2000 ms): ${cli.ms < 2000 ? 'met' : 'MISSED'}`);
  const full = rows.find((r) => r.service === '50 functions' && r.step === 'one-function change');
  const swapped = rows.find((r) => r.step === HOTSWAP_STEP);
  if (full && swapped) {
    const converge = (r: BenchRow) => r.ms - r.buildMs;
    verdicts.push(
      `hotswap: ${swapped.ms} ms (converge ${converge(swapped)} ms, ${swapped.calls} calls, ${swapped.changeSetsCreated} change sets) against the full provision's ${full.ms} ms (converge ${converge(full)} ms, ${full.calls} calls): ` +
        `${(swapped.ms / full.ms).toFixed(2)}x in all, ${(converge(swapped) / converge(full)).toFixed(2)}x of converge (target at most 1/3: ${swapped.ms * 3 <= full.ms ? 'met' : 'MISSED'})`,
    );
  }
  return [line(header), ...body.map(line), '', ...verdicts].join('\n');
}

/** Runs the measurements and prints the table. */
export async function bench(): Promise<void> {
  process.stdout.write(`${report(await measure())}\n`);
}

if (require.main === module) {
  bench().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
