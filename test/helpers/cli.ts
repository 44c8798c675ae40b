import { PassThrough } from 'node:stream';
import { createCli } from '../../cli/index';
import { withEnv } from './env';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stdin that is not a terminal and has nothing to read, as `sparta ... </dev/null` gets. */
export function noTerminal(): NodeJS.ReadableStream {
  const stdin = new PassThrough();
  stdin.end();
  return stdin;
}

/**
 * Runs sparta in-process, the way clipanion's own tests do, and captures its
 * output. stdin is never the runner's own (which may be a terminal): by
 * default it is not a terminal.
 */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, stdin: NodeJS.ReadableStream = noTerminal()): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await withEnv(env, () => createCli().run(args, { stdout, stderr, stdin: stdin as NodeJS.ReadStream, colorDepth: 1 }));
  return { code, stdout: out, stderr: err };
}
