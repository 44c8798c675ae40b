import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateService } from './build-service';
import { ms, printBench, REPO_ROOT, runNode, timeMedian } from './harness';

// `sparta build` of the bench's generated service at 500 functions (SDK
// external, no type-check: the build stage alone), which nests into child
// stacks; beside it the same at 100 functions, one stack, for the per-function cost.

const SIZES = [100, 500];

export async function bench(): Promise<void> {
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
  const rows: string[][] = [];
  for (const count of SIZES) {
    const dir = path.join(REPO_ROOT, 'bench', '.work', `scale-${count}`);
    fs.rmSync(dir, { recursive: true, force: true });
    generateService(dir, count);
    const build = () => runNode([cli, 'build', '--project', path.join(dir, 'tsconfig.json'), '--external-aws-sdk', '--no-typecheck'], dir);
    const time = await timeMedian(1, build, 0);
    const nested = fs.existsSync(path.join(dir, '.sparta', 'nested')) ? fs.readdirSync(path.join(dir, '.sparta', 'nested')).length : 0;
    rows.push([`${count} functions`, ms(time), ms(time / count), nested === 0 ? 'one stack' : `${nested} nested stacks`]);
  }
  printBench('build: sparta build --external-aws-sdk --no-typecheck, cold (one run each)', ['SERVICE', 'TIME', 'PER FUNCTION', 'STACKS'], rows);
}

if (require.main === module) bench().catch((error) => {
  console.error(error);
  process.exit(1);
});
