import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

// scripts/run-tests.js as `npm test` runs it, in a child process, for the tests of the runner itself.

export interface RunnerRun {
  code: number;
  output: string;
  /** The last line, the one CI reads. */
  summary: string;
}

export function runTestRunner(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunnerRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'scripts', 'run-tests.js'), ...args], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const output = stdout + stderr;
      resolve({ code, output, summary: stdout.trimEnd().split('\n').pop() ?? '' });
    });
  });
}

/** An environment whose PATH holds node and nothing else: no cfn-lint, no moto_server. */
export function pathWithOnlyNode(): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-only-node-'));
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  return { env: { ...process.env, PATH: bin }, cleanup: () => fs.rmSync(bin, { recursive: true, force: true }) };
}
