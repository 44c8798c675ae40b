import { performance } from 'node:perf_hooks';
import { buildTemplate, checkTemplate, serializeTemplate } from '../cli/template';
import { marshalStacks, predictStackLimits } from '../cli/template/limits';
import { artifactsFor, generatedService } from '../test/template/services';
import * as path from 'node:path';
import type { ServiceManifest } from '../manifest/types';
import { analyzeProject } from '../transformer/analyze';
import { formatDiagnostic } from '../transformer/diagnostics';
import { median, SCRATCH_TSCONFIG, scratchProject } from './harness';
import { sourcesServiceFiles } from './sources-service';

// Marshal two generated 200-function services (each function with a
// privilege, a schedule and a topic; and functions spread over every source
// kind) and print how long each takes. Target: under 100 ms.
// Such a service cannot deploy as one stack (about 1,600 resources), so the
// bench times assembling, serialising and checking the flat template, and
// prints what the checks say rather than stopping at the first error; then
// 500 functions through the whole stage, nested stacks included.

const FUNCTIONS = 200;
const SCALE_FUNCTIONS = 500;
const RUNS = 20;
const TARGET_MS = 100;


interface TemplateTiming {
  total: number;
  build: number;
  serialize: number;
  check: number;
  cold: number;
  summary: string;
}

function timeTemplate(service: ServiceManifest): TemplateTiming {
  const artifacts = artifactsFor(service);
  const build: number[] = [];
  const serialize: number[] = [];
  const check: number[] = [];
  const total: number[] = [];
  let summary = '';
  let cold = 0;
  // The first runs warm up the JIT; the median hides the odd GC pause.
  for (let run = 0; run < RUNS + 3; run++) {
    const start = performance.now();
    const { template, origins } = buildTemplate(service, artifacts);
    const built = performance.now();
    const text = serializeTemplate(template);
    const serialized = performance.now();
    const problems = checkTemplate(template, origins, text);
    const checked = performance.now();
    if (run === 0) cold = checked - start;
    if (run < 3) continue;
    build.push(built - start);
    serialize.push(serialized - built);
    check.push(checked - serialized);
    total.push(checked - start);
    summary =
      `${Object.keys(template.Resources).length} resources, ${Object.keys(template.Outputs).length} outputs, ` +
      `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB; checks: ${[...new Set(problems.map((problem) => problem.code))].join(', ') || 'none'}`;
  }
  return { total: median(total), build: median(build), serialize: median(serialize), check: median(check), cold, summary };
}

/** The every-kind service of bench/sources-service.ts, analysed as `sparta explain` would. */
function sourcesService(count: number): ServiceManifest {
  const dir = scratchProject('template-sources', { 'tsconfig.json': SCRATCH_TSCONFIG, ...sourcesServiceFiles(count) });
  const analysis = analyzeProject(path.join(dir, 'tsconfig.json'));
  if (!analysis.manifest) throw new Error(`the every-kind service does not analyse: ${analysis.diagnostics.map(formatDiagnostic).join('\n')}`);
  return analysis.manifest.services[0];
}

/** The whole template stage at 500 functions: flat build, checks and the split into nested stacks; and the prediction from the manifest. */
function timeStacks(service: ServiceManifest): { marshal: number; predict: number; summary: string } {
  const artifacts = artifactsFor(service);
  const marshal: number[] = [];
  const predict: number[] = [];
  let summary = '';
  for (let run = 0; run < 8; run++) {
    const start = performance.now();
    const stacks = marshalStacks(service, artifacts);
    const marshalled = performance.now();
    predictStackLimits(service);
    const predicted = performance.now();
    if (run < 2) continue;
    marshal.push(marshalled - start);
    predict.push(predicted - marshalled);
    const fullest = Math.max(...stacks.children.map((child) => Object.keys(child.template.Resources).length));
    summary = `${stacks.children.length} nested stacks, the parent ${Object.keys(stacks.template.Resources).length} resources, the fullest child ${fullest}`;
  }
  return { marshal: median(marshal), predict: median(predict), summary };
}

export async function bench(): Promise<void> {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const stacks = timeStacks(generatedService(SCALE_FUNCTIONS));
  process.stdout.write(
    `template: ${SCALE_FUNCTIONS} functions (a schedule and a topic each) marshalled into nested stacks in ${ms(stacks.marshal)} (median of 6), ` +
      `predicted from the manifest in ${ms(stacks.predict)}; ${stacks.summary}\n`,
  );
  for (const [label, service] of [
    ['a schedule and a topic each', generatedService(FUNCTIONS)],
    ['spread over every source kind', sourcesService(FUNCTIONS)],
  ] as const) {
    const timing = timeTemplate(service);
    const verdict = timing.total < TARGET_MS ? 'within' : 'OVER';
    process.stdout.write(
      `template: ${FUNCTIONS} functions (${label}) marshalled in ${ms(timing.total)} (median of ${RUNS}; build ${ms(timing.build)}, ` +
        `serialize ${ms(timing.serialize)}, checks ${ms(timing.check)}), ${verdict} the ${TARGET_MS} ms target; first run ${ms(timing.cold)}\n` +
        `template: ${timing.summary}\n`,
    );
  }
}

if (require.main === module) {
  bench().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
