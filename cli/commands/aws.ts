import { Option, UsageError } from 'clipanion';
import * as os from 'node:os';
import { checkProfile, createAws, type AwsConnectionOptions } from '../converge/clients';
import { ErrorCode, SpartaError } from '../errors';
import { BaseCommand } from './base';

/** Flags every command that talks to AWS shares. */
export abstract class AwsCommand extends BaseCommand {
  region = Option.String('--region', { description: 'AWS region (default: AWS_REGION or the profile\'s region)' });

  profile = Option.String('--profile', { description: 'Named profile from the AWS config files (default: AWS_PROFILE)' });

  endpointUrl = Option.String('--endpoint-url', {
    description: 'An AWS-compatible endpoint such as moto or LocalStack (default: AWS_ENDPOINT_URL)',
  });

  protected connectionOptions(): AwsConnectionOptions {
    return { region: this.region, profile: this.profile, endpointUrl: this.endpointUrl };
  }

  /** The clients, once the named profile is known to exist. */
  protected async aws() {
    await checkProfile(this.profile);
    return createAws(this.connectionOptions());
  }

  /**
   * Ctrl-C or SIGTERM while working on a stack: say what was left (and how to
   * follow an operation that keeps running) and exit as a process ended by that
   * signal does (130, 143); anything else goes on up.
   */
  protected interrupted(error: unknown): number {
    if (SpartaError.is(error) && error.code === ErrorCode.INTERRUPTED) {
      this.context.stderr.write(this.cli.error(error));
      return 128 + (os.constants.signals[interruptedBy.get(error) ?? 'SIGINT'] ?? os.constants.signals.SIGINT);
    }
    throw error;
  }
}

/** `90s`, `20m`, `1h`, `2d`; a bare number means minutes. `flag` names the option in the error. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new UsageError(`${flag} "${value}" is not a duration; write it like 90s, 20m, 1h or 2d`);
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'm') as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}

/** How long a command waits for a stack: `--timeout`. */
export function parseTimeout(value: string): number {
  return parseDuration(value, '--timeout');
}

/** Which signal stopped the command that threw this INTERRUPTED error. */
const interruptedBy = new WeakMap<SpartaError, NodeJS.Signals>();

const INTERRUPTS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs `body` with an AbortSignal that the first Ctrl-C (SIGINT) or SIGTERM
 * fires, so that a stop from a terminal, a CI runner or `kill` tidies what is
 * ours alike. A second signal falls through to Node's default and ends the
 * process at once; the default handlers are back when `body` settles.
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handlers = INTERRUPTS.map((name) => {
    const handler = () => {
      if (received) return;
      received = name;
      for (const [other, registered] of handlers) process.off(other, registered);
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  try {
    return await body(controller.signal);
  } catch (error) {
    if (received && SpartaError.is(error) && error.code === ErrorCode.INTERRUPTED) interruptedBy.set(error, received);
    throw error;
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}

/** Asks a yes/no question on the terminal; anything but y/yes is no, and so are Ctrl-C and an aborted `signal` (SIGTERM). */
export async function confirmOnTerminal(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, question: string, signal?: AbortSignal): Promise<boolean> {
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input, output });
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  if (signal?.aborted) cancel.abort();
  signal?.addEventListener('abort', () => cancel.abort(), { once: true });
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (cancel.signal.aborted) {
      output.write('\n');
      return false;
    }
    throw error;
  } finally {
    rl.close();
  }
}
