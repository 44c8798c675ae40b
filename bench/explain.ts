import * as path from 'node:path';
import { ms, printBench, ratio, REPO_ROOT, runNode, SCRATCH_TSCONFIG, scratchProject, timeMedian } from './harness';

// `sparta explain --format json` on a generated 200-function service, against
// a plain `tsc --noEmit` of the same project (target: within 1.5x).

const FUNCTIONS = 200;
const PER_CLASS = 10;

export function generateService(functions: number): Record<string, string> {
  const files: Record<string, string> = { 'tsconfig.json': SCRATCH_TSCONFIG };
  files['src/shared.ts'] = "export const TOPIC = 'EventsTopic';\nexport function work(n: number): number { return n * 2; }\n";
  for (let c = 0; c < functions / PER_CLASS; c++) {
    const methods: string[] = [];
    for (let m = 0; m < PER_CLASS; m++) {
      const i = c * PER_CLASS + m;
      const events = i % 3 === 0 ? `  @CloudWatchEvent({ schedule: 'rate(${5 + (i % 50)} minutes)' })\n` : i % 3 === 1 ? '  @SNS({ topic: Ref(TOPIC) })\n' : '';
      methods.push(
        `  @Lambda({ memorySize: ${128 + (i % 8) * 128}, timeout: ${1 + (i % 60)} })\n${events}  @Privilege({ actions: ['sns:Publish'], resource: Ref(TOPIC) })\n  async handler${i}(event: { n: number }) {\n    return { value: work(event.n + ${i}) };\n  }\n`,
      );
    }
    files[`src/service${c}.ts`] =
      "import { Service, Resource, Lambda, Privilege, CloudWatchEvent, SNS, Ref } from 'sparta';\nimport { TOPIC, work } from './shared';\n\n" +
      `@Service({ name: 'bench-service' })\n${c === 0 ? "@Resource(TOPIC, { Type: 'AWS::SNS::Topic' })\n" : ''}export class Worker${c} {\n${methods.join('\n')}}\n`;
  }
  return files;
}

export async function bench(): Promise<void> {
  const dir = scratchProject('explain-200', generateService(FUNCTIONS));
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const out = runNode([cli, 'explain', '--format', 'json'], dir);
  const count = JSON.parse(out).services[0].functions.length;
  if (count !== FUNCTIONS) throw new Error(`expected ${FUNCTIONS} functions, explain found ${count}`);
  const explain = await timeMedian(5, () => runNode([cli, 'explain', '--format', 'json'], dir));
  const typecheck = await timeMedian(5, () => runNode([tsc, '--noEmit', '-p', dir], dir));
  printBench(`explain: ${FUNCTIONS}-function service (median of 5, fresh process each)`, ['MEASURE', 'TIME', 'RATIO', 'TARGET'], [
    ['tsc --noEmit (baseline)', ms(typecheck), '1.00x', ''],
    ['sparta explain --format json', ms(explain), ratio(explain, typecheck), '<= 1.50x'],
  ]);
}

if (require.main === module) bench().catch((error) => {
  console.error(error);
  process.exit(1);
});
