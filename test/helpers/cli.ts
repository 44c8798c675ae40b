import { PassThrough } from 'node:stream';
import { createCli } from '../../cli/index';

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
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await createCli().run(args, { stdout, stderr, stdin: process.stdin, colorDepth: 1 });
    return { code, stdout: out, stderr: err };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
