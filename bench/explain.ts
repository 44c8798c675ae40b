import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeProgram, analyzeProject } from '../transformer/analyze';
import { analysisHost } from '../transformer/declarations';
import { readTsconfig } from '../transformer/tsconfig';
import { generateService as generateBuildService } from './build-service';
import { ms, printBench, ratio, REPO_ROOT, runNode, SCRATCH_TSCONFIG, scratchProject, timeMedian } from './harness';

// `sparta explain --format json` on a generated 200-function service, against
// a plain `tsc --noEmit` of the same project (target: within 1.5x); then the
// text explain of 500 functions, which also marshals the nested stacks to
// report their limits. Last, the build bench's 50 functions (one creates an
// S3 client): the analysis as it was, reading every installed package's
// declarations, against the analysis that stops at those it does not need.

/** The analysis' program: with `pruned`, through analysisHost (what analyzeProject does); without, every import resolved. */
function analysisProgram(tsconfig: string, pruned: boolean): ts.Program {
  const { parsed } = readTsconfig(tsconfig);
  if (!parsed) throw new Error(`${tsconfig} does not parse`);
  const options: ts.CompilerOptions = { ...parsed.options, noLib: true, types: [], noEmit: true };
  return ts.createProgram({ rootNames: parsed.fileNames, options, ...(pruned && { host: analysisHost(options) }) });
}

async function sdkService(): Promise<void> {
  const dir = scratchProject('explain-sdk-50', {});
  generateBuildService(dir, 50);
  const tsconfig = path.join(dir, 'tsconfig.json');
  const before = analysisProgram(tsconfig, false);
  const after = analysisProgram(tsconfig, true);
  const same = JSON.stringify(analyzeProgram(before, dir).manifest) === JSON.stringify(analyzeProject(tsconfig).manifest);
  if (!same) throw new Error('the pruned analysis gives another manifest than the full one');
  const full = await timeMedian(3, () => analyzeProgram(analysisProgram(tsconfig, false), dir));
  const pruned = await timeMedian(3, () => analyzeProject(tsconfig));
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const explain = await timeMedian(3, () => runNode([cli, 'explain', '--format', 'json'], dir));
  printBench('explain: the build bench\'s 50 functions, one with an S3 client (median of 3; same manifest both ways)', ['MEASURE', 'FILES', 'TIME', 'RATIO'], [
    ['analysis reading every installed declaration (before)', String(before.getSourceFiles().length), ms(full), '1.00x'],
    ['analysis stopping at the declarations it needs', String(after.getSourceFiles().length), ms(pruned), ratio(pruned, full)],
    ['sparta explain --format json (fresh process)', '', ms(explain), ''],
  ]);
}

const FUNCTIONS = 200;
const SCALE_FUNCTIONS = 500;
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

  const wide = scratchProject('explain-500', generateService(SCALE_FUNCTIONS));
  const text = runNode([cli, 'explain'], wide);
  if (!text.includes(`${SCALE_FUNCTIONS} functions nested in`)) throw new Error(`explain of ${SCALE_FUNCTIONS} functions reports no nested stacks:\n${text.slice(-600)}`);
  const wideJson = await timeMedian(3, () => runNode([cli, 'explain', '--format', 'json'], wide));
  const wideText = await timeMedian(3, () => runNode([cli, 'explain'], wide));
  const wideTsc = await timeMedian(3, () => runNode([tsc, '--noEmit', '-p', wide], wide));
  printBench(`explain: ${SCALE_FUNCTIONS}-function service (median of 3, fresh process each)`, ['MEASURE', 'TIME', 'RATIO', 'TARGET'], [
    ['tsc --noEmit (baseline)', ms(wideTsc), '1.00x', ''],
    ['sparta explain --format json', ms(wideJson), ratio(wideJson, wideTsc), '<= 1.50x'],
    ['sparta explain (text, with the stack limits)', ms(wideText), ratio(wideText, wideTsc), ''],
  ]);
  await sdkService();
}

if (require.main === module) bench().catch((error) => {
  console.error(error);
  process.exit(1);
});
