import * as fs from 'node:fs';
import { UsageError } from 'clipanion';
import { eventInvalid } from '../errors';

/** The event for `--event FILE`, `--event -` (standard input) or none (`{}`). */
export async function readEvent(source: string | undefined, stdin: NodeJS.ReadableStream): Promise<unknown> {
  if (source === undefined) return {};
  let text: string;
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = fs.readFileSync(source, 'utf8');
    } catch (error) {
      throw eventInvalid(`cannot read the event file ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const from = source === '-' ? 'standard input' : source;
    throw eventInvalid(`the event in ${from} is not JSON: ${(error as Error).message}`);
  }
}

/** `KEY=VALUE` pairs from repeated `--env` flags; the value may hold `=`. */
export function parseEnvAssignments(assignments: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new UsageError(`--env expects KEY=VALUE, got "${assignment}"`);
    env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return env;
}
