import { performance } from 'node:perf_hooks';
import { buildTemplate, checkTemplate, serializeTemplate } from '../cli/template';
import { artifactsFor, generatedService } from '../test/template/services';
import { median } from './harness';

// Marshal a generated 200-function service (each function with a privilege, a
// schedule and a topic) and print how long it takes. Target: under 100 ms.
// Such a service cannot deploy as one stack (about 1,600 resources and 401
// outputs), so the bench times assembling, serialising and checking, and
// prints what the checks say rather than stopping at the first error.

const FUNCTIONS = 200;
const RUNS = 20;
const TARGET_MS = 100;


export async function bench(): Promise<void> {
  const service = generatedService(FUNCTIONS);
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
      `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB; checks: ${problems.map((problem) => problem.code).join(', ') || 'none'}`;
  }
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const verdict = median(total) < TARGET_MS ? 'within' : 'OVER';
  process.stdout.write(
    `template: ${FUNCTIONS} functions marshalled in ${ms(median(total))} (median of ${RUNS}; build ${ms(median(build))}, ` +
      `serialize ${ms(median(serialize))}, checks ${ms(median(check))}), ${verdict} the ${TARGET_MS} ms target; first run ${ms(cold)}\n` +
      `template: ${summary}\n`,
  );
}

if (require.main === module) {
  bench().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
