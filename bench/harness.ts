import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderTable, type Cell } from '../cli/output/table';

// Shared by every bench: timing, generated projects, and the printed table.
// Benchmarks compare against a baseline measured in the same run, so the
// ratios mean something on any machine.

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Median wall time in ms of `runs` calls (after one warm-up unless `warmup` is 0). */
export async function timeMedian(runs: number, fn: () => unknown, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function runNode(args: string[], cwd: string): string {
  return execFileSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }).toString();
}

/** A scratch project inside the repo, so `import 'sparta'` resolves as in a user's project. */
export function scratchProject(name: string, files: Record<string, string>): string {
  const dir = path.join(REPO_ROOT, 'bench', '.work', name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

export const SCRATCH_TSCONFIG = JSON.stringify(
  {
    compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, experimentalDecorators: true, skipLibCheck: true, types: ['node'], outDir: 'dist', rootDir: 'src' },
    include: ['src'],
  },
  null,
  2,
);

export function printBench(title: string, headers: string[], rows: Cell[][]): void {
  process.stdout.write(`\n${title}\n${renderTable(headers, rows, '  ')}`);
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}x`;
