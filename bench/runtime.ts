import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { build, type Plugin } from 'esbuild';

// What the runtime costs a function: bytes it adds to a minified bundle, and
// cold init (loading the bundle in a fresh node process, then the first
// invocation) against a bare handler with the same logic. Also the logger
// alone against AWS Lambda Powertools' Logger, and reflect-metadata's share.
// Bundles are made with esbuild (minified, CommonJS, node20) as a stand-in
// for the build stage's rollup + terser.

const REPO_ROOT = path.resolve(__dirname, '..', '..');
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

/**
 * The lighter metadata path proposed for runtime/decorators.ts: it only calls
 * Reflect.defineMetadata and Reflect.getOwnMetadata, which a WeakMap serves.
 * Swapped in for reflect-metadata to measure what dropping it would save.
 */
const METADATA_SHIM = `
const store = new WeakMap();
const bucket = (target, property) => {
  let byProperty = store.get(target);
  if (!byProperty) store.set(target, (byProperty = new Map()));
  let entries = byProperty.get(property);
  if (!entries) byProperty.set(property, (entries = new Map()));
  return entries;
};
Reflect.defineMetadata = (key, value, target, property) => bucket(target, property).set(key, value);
Reflect.getOwnMetadata = (key, target, property) => bucket(target, property).get(key);
`;

/** Replaces the `reflect-metadata` import with `contents`. */
const replaceReflectMetadata = (contents: string): Plugin => ({
  name: 'replace-reflect-metadata',
  setup(b) {
    b.onResolve({ filter: /^reflect-metadata$/ }, () => ({ path: 'reflect-metadata', namespace: 'replaced' }));
    b.onLoad({ filter: /.*/, namespace: 'replaced' }, () => ({ contents, loader: 'js' }));
  },
});

async function bundle(source: string, plugins: Plugin[] = []): Promise<string> {
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
    plugins,
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
  reflectMetadataBytes: number;
  /** With the proposed WeakMap metadata path instead of reflect-metadata. */
  shimAddedBytes: number;
  shimAddedInitMs: number;
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
    code.spartaShim = await bundle(ENTRIES.sparta, [replaceReflectMetadata(METADATA_SHIM)]);
    // Size only: without any metadata the decorators would throw at load.
    const withoutMetadata = await bundle(ENTRIES.sparta, [replaceReflectMetadata('')]);
    measures.push(coldInit(dir, 'spartaShim', code.spartaShim));
    const by = (name: string) => measures.find((measure) => measure.name === name)!;
    const initOf = (m: Measure) => m.loadMs + m.firstInvokeMs;
    return {
      measures,
      runtimeAddedBytes: by('sparta').bytes - by('bare').bytes,
      runtimeAddedZipped: by('sparta').zipped - by('bare').zipped,
      runtimeAddedInitMs: initOf(by('sparta')) - initOf(by('bare')),
      reflectMetadataBytes: code.sparta.length - withoutMetadata.length,
      shimAddedBytes: by('spartaShim').bytes - by('bare').bytes,
      shimAddedInitMs: initOf(by('spartaShim')) - initOf(by('bare')),
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
  console.log(`runtime: minified bundles (esbuild), cold init = median of ${RUNS} fresh node processes`);
  console.log('entry              bytes      zipped     load ms  1st invoke ms');
  for (const m of result.measures) {
    console.log(
      `${m.name.padEnd(18)} ${kb(m.bytes).padStart(9)}  ${kb(m.zipped).padStart(9)}  ${m.loadMs.toFixed(2).padStart(7)}  ${m.firstInvokeMs.toFixed(2).padStart(13)}`,
    );
  }
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER target');
  console.log(
    `runtime adds ${kb(result.runtimeAddedBytes)} minified (${kb(result.runtimeAddedZipped)} zipped), target < ${kb(TARGETS.addedBytes)}: ${verdict(result.runtimeAddedBytes < TARGETS.addedBytes)}`,
  );
  console.log(`  of which reflect-metadata: ${kb(result.reflectMetadataBytes)}`);
  console.log(
    `runtime adds ${result.runtimeAddedInitMs.toFixed(2)} ms to cold init (load + first invoke), target < ${TARGETS.addedInitMs} ms: ${verdict(result.runtimeAddedInitMs < TARGETS.addedInitMs)}`,
  );
  console.log(
    `with a WeakMap metadata path instead of reflect-metadata (spartaShim): adds ${kb(result.shimAddedBytes)} and ${result.shimAddedInitMs.toFixed(2)} ms`,
  );
}

if (require.main === module) {
  bench().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
