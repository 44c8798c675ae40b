import { PassThrough } from 'node:stream';
import { createCli } from '../../cli/index';
import { withEnv } from './env';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs sparta in-process, the way clipanion's own tests do, and captures its output. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await withEnv(env, () => createCli().run(args, { stdout, stderr, stdin: process.stdin, colorDepth: 1 }));
  return { code, stdout: out, stderr: err };
}
