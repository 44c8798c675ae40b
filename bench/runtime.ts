import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { build } from 'esbuild';
import { median, printBench, REPO_ROOT } from './harness';

// What the runtime costs a function: bytes it adds to a minified bundle, and
// cold init (loading the bundle in a fresh node process, then the first
// invocation) against a bare handler with the same logic. Also the logger
// alone against AWS Lambda Powertools' Logger.
// Bundles are made with esbuild (minified, CommonJS, node20) as a stand-in
// for the build stage's rollup + terser.

const RUNTIME = path.join(REPO_ROOT, 'runtime');
const RUNS = 21;

const TARGETS = { addedBytes: 10 * 1024, addedInitMs: 5 };

/** Entries with the same logic: answer `{ ok, n }` for an event `{ n }`. */
const ENTRIES: Record<string, string> = {
  bare: `export const handler = async (event: { n: number }) => ({ ok: true, n: event.n });`,
  sparta: `
    import { createHandler, Lambda, Service } from 'sparta';
    @Service({ name: 'bench' })
    class Bench {
      @Lambda()
      async run(event: { n: number }) { return { ok: true, n: event.n }; }
    }
    export const handler = createHandler(Bench, 'run');`,
  bareLog: `
    export const handler = async (event: { n: number }) => {
      console.log(JSON.stringify({ level: 'INFO', message: 'run', n: event.n }));
      return { ok: true, n: event.n };
    };`,
  spartaLogger: `
    import { logger } from './logger';
    export const handler = async (event: { n: number }) => { logger.info('run', { n: event.n }); return { ok: true, n: event.n }; };`,
  powertoolsLogger: `
    import { Logger } from '@aws-lambda-powertools/logger';
    const logger = new Logger({ serviceName: 'bench' });
    export const handler = async (event: { n: number }) => { logger.info('run', { n: event.n }); return { ok: true, n: event.n }; };`,
};

async function bundle(source: string): Promise<string> {
  // The Powertools entry is bundled like a user's: from the repository's node_modules.
  const result = await build({
    stdin: { contents: source, resolveDir: RUNTIME, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    alias: { sparta: path.join(RUNTIME, 'index.ts') },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function zippedBytes(code: string): number {
  const zip = new AdmZip();
  zip.addFile('index.js', Buffer.from(code));
  return zip.toBuffer().length;
}

// Runs in a fresh process: load the bundle, then invoke once, timing both.
const PROBE = `
// Set up stdout before timing: Lambda's runtime has it ready, and a logger that
// touches it first would otherwise pay for its creation. Entries are
// formatted but not written, so the pipe's speed stays out of the numbers.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const start = process.hrtime.bigint();
const { handler } = require(process.argv[2]);
const loaded = process.hrtime.bigint();
handler({ n: 1 }, { awsRequestId: 'bench', functionName: 'bench' }).then(() => {
  const invoked = process.hrtime.bigint();
  write(JSON.stringify({ load: Number(loaded - start) / 1e6, invoke: Number(invoked - loaded) / 1e6 }));
});`;


interface Measure {
  name: string;
  bytes: number;
  zipped: number;
  loadMs: number;
  firstInvokeMs: number;
}

function coldInit(dir: string, name: string, code: string): Measure {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, code);
  const probe = path.join(dir, 'probe.js');
  const loads: number[] = [];
  const invokes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const out = JSON.parse(execFileSync(process.execPath, [probe, file], { encoding: 'utf8' })) as { load: number; invoke: number };
    loads.push(out.load);
    invokes.push(out.invoke);
  }
  return { name, bytes: Buffer.byteLength(code), zipped: zippedBytes(code), loadMs: median(loads), firstInvokeMs: median(invokes) };
}

export interface RuntimeBenchResult {
  measures: Measure[];
  runtimeAddedBytes: number;
  runtimeAddedZipped: number;
  runtimeAddedInitMs: number;
}

export async function measureRuntime(): Promise<RuntimeBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-bench-runtime-'));
  try {
    fs.writeFileSync(path.join(dir, 'probe.js'), PROBE);
    const measures: Measure[] = [];
    const code: Record<string, string> = {};
    for (const [name, source] of Object.entries(ENTRIES)) {
      if (name === 'powertoolsLogger' && !hasPowertools()) continue;
      code[name] = await bundle(source);
      measures.push(coldInit(dir, name, code[name]));
    }
    const by = (name: string) => measures.find((measure) => measure.name === name)!;
    const initOf = (m: Measure) => m.loadMs + m.firstInvokeMs;
    return {
      measures,
      runtimeAddedBytes: by('sparta').bytes - by('bare').bytes,
      runtimeAddedZipped: by('sparta').zipped - by('bare').zipped,
      runtimeAddedInitMs: initOf(by('sparta')) - initOf(by('bare')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function hasPowertools(): boolean {
  try {
    require.resolve('@aws-lambda-powertools/logger');
    return true;
  } catch {
    return false;
  }
}

export async function bench(): Promise<void> {
  const result = await measureRuntime();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  printBench(
    `runtime: minified bundles (esbuild), cold init = median of ${RUNS} fresh node processes`,
    ['ENTRY', 'MINIFIED', 'ZIPPED', 'LOAD', 'FIRST INVOKE'],
    result.measures.map((m) => [m.name, kb(m.bytes), kb(m.zipped), ms(m.loadMs), ms(m.firstInvokeMs)]),
  );
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER target');
  printBench('runtime: what sparta adds to a bare handler', ['MEASURE', 'ADDED', 'TARGET', 'VERDICT'], [
    ['bundle size (minified)', `${kb(result.runtimeAddedBytes)} (${kb(result.runtimeAddedZipped)} zipped)`, `< ${kb(TARGETS.addedBytes)}`, verdict(result.runtimeAddedBytes < TARGETS.addedBytes)],
    ['cold init (load + first invoke)', ms(result.runtimeAddedInitMs), `< ${TARGETS.addedInitMs} ms`, verdict(result.runtimeAddedInitMs < TARGETS.addedInitMs)],
  ]);
}

if (require.main === module) {
  bench().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
