import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { marshalStacks } from '../cli/template/limits';
import type { ServiceManifest } from '../manifest/types';
import { artifactsFor } from '../test/template/services';
import { analyzeProject } from '../transformer/analyze';
import { formatDiagnostic } from '../transformer/diagnostics';
import { generateService } from './build-service';
import { median, ms, printBench, ratio, REPO_ROOT, runNode, timeMedian } from './harness';

// explain, build and template of the build bench's generated service at 500
// functions (nested stacks), each beside the same at 50 functions (one stack)
// measured in the same run: "vs 10x of 50" is 1.00x when the cost grows
// linearly with the functions, below it when fixed costs dominate. explain
// also has `tsc --noEmit` of the same project as its baseline.

const SMALL = 50;
const LARGE = 500;
const PROCESS_RUNS = 3;
const TEMPLATE_RUNS = 8;

interface Project {
  count: number;
  dir: string;
  tsconfig: string;
}

function project(count: number): Project {
  // Inside the repo, so `import 'sparta'` and the SDK resolve as in a user's project.
  const dir = path.join(REPO_ROOT, 'bench', '.work', `scale500-${count}`);
  fs.rmSync(dir, { recursive: true, force: true });
  generateService(dir, count);
  return { count, dir, tsconfig: path.join(dir, 'tsconfig.json') };
}

/** The service as `sparta explain` analyses it (the analysis is not timed here: explain's row has it). */
function analysed(p: Project): ServiceManifest {
  const analysis = analyzeProject(p.tsconfig);
  if (!analysis.manifest) throw new Error(`the ${p.count}-function service does not analyse: ${analysis.diagnostics.map(formatDiagnostic).join('\n')}`);
  return analysis.manifest.services[0]!;
}

/** The template stage in process: the flat template, its checks and the split into nested stacks (median; JIT warmed). */
function timeTemplate(service: ServiceManifest): { ms: number; stacks: string } {
  const artifacts = artifactsFor(service);
  const times: number[] = [];
  let stacks = '';
  for (let run = 0; run < TEMPLATE_RUNS + 2; run++) {
    const start = performance.now();
    const marshalled = marshalStacks(service, artifacts);
    const time = performance.now() - start;
    if (run < 2) continue;
    times.push(time);
    stacks = marshalled.children.length === 0 ? 'one stack' : `${marshalled.children.length} nested stacks`;
  }
  return { ms: median(times), stacks };
}

export async function bench(): Promise<void> {
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const sizes = [project(SMALL), project(LARGE)];
  const row = (name: string, times: number[], note = '') => {
    const [small, large] = times as [number, number];
    return [name, ms(small), ms(large), ms(large / LARGE), ratio(large, (small * LARGE) / SMALL), note];
  };

  const explainJson = (p: Project) => runNode([cli, 'explain', '--project', p.tsconfig, '--format', 'json'], p.dir);
  for (const p of sizes) {
    const found = (JSON.parse(explainJson(p)) as { services: { functions: unknown[] }[] }).services[0]!.functions.length;
    if (found !== p.count) throw new Error(`explain found ${found} functions, ${p.count} generated`);
  }
  const tscTimes: number[] = [];
  const jsonTimes: number[] = [];
  const textTimes: number[] = [];
  for (const p of sizes) {
    tscTimes.push(await timeMedian(PROCESS_RUNS, () => runNode([tsc, '--noEmit', '-p', p.tsconfig], p.dir)));
    jsonTimes.push(await timeMedian(PROCESS_RUNS, () => explainJson(p)));
    textTimes.push(await timeMedian(PROCESS_RUNS, () => runNode([cli, 'explain', '--project', p.tsconfig], p.dir)));
  }

  // Cold: a fresh output folder each time, so no earlier build's outputs or caches are reused.
  const buildTimes: number[] = [];
  const againTimes: number[] = [];
  for (const p of sizes) {
    const out = path.join(p.dir, 'out');
    const build = () => runNode([cli, 'build', '--project', p.tsconfig, '--out', out, '--external-aws-sdk', '--no-typecheck'], p.dir);
    buildTimes.push(await timeMedian(1, () => {
      fs.rmSync(out, { recursive: true, force: true });
      return build();
    }, 0));
    againTimes.push(await timeMedian(1, build, 0));
  }

  const templates = sizes.map((p) => timeTemplate(analysed(p)));

  printBench(
    `scale: the build bench's service at ${SMALL} and ${LARGE} functions (fresh process each, median of ${PROCESS_RUNS}; build: one run; template: in process, median of ${TEMPLATE_RUNS})`,
    ['MEASURE', `${SMALL} FUNCTIONS`, `${LARGE} FUNCTIONS`, `PER FUNCTION AT ${LARGE}`, `VS 10x OF ${SMALL}`, 'NOTE'],
    [
      row('tsc --noEmit (explain\'s baseline)', tscTimes),
      row('sparta explain --format json', jsonTimes, `${ratio(jsonTimes[1]!, tscTimes[1]!)} of tsc at ${LARGE}`),
      row('sparta explain (text, with the stack limits)', textTimes, `${ratio(textTimes[1]!, tscTimes[1]!)} of tsc at ${LARGE}`),
      row('sparta build --external-aws-sdk --no-typecheck, cold', buildTimes),
      row('sparta build, again with no change', againTimes, `${ratio(againTimes[1]!, buildTimes[1]!)} of cold at ${LARGE}`),
      row('template: marshal, check, nest (in process)', templates.map((t) => t.ms), `${templates[0]!.stacks} / ${templates[1]!.stacks}`),
    ],
  );
}

if (require.main === module) bench().catch((error) => {
  console.error(error);
  process.exit(1);
});
