// A real moto_server for end-to-end tests (and the demo and bench): started on
// a free loopback port, reset between tests, stopped by PID. A detached
// watchdog kills it if this process dies without cleaning up (SIGKILL, crash),
// so a killed test run never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Test } from 'uvu';
import { createAwsApis, type AwsApis, type SdkClients } from '../../cli/converge/api';
import { createSdkClients } from '../../cli/converge/clients';
import { setup } from './setup';

export interface MotoServer {
  /** `http://127.0.0.1:PORT` (not localhost: moto's S3 treats that host specially). */
  endpoint: string;
  port: number;
  pid: number;
  /** POST /moto-api/reset: forget every resource. */
  reset(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The tail of moto's own log (request lines), for failure messages. */
  log(): string;
}

// The SDK warns about Node 20 on every first client; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const MOTO_REGION = 'us-east-1';
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

// Runs as a separate detached node process: argv = [parentPid, motoPid].
const WATCHDOG = `
const [parent, moto] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const timer = setInterval(() => {
  if (!alive(moto)) process.exit(0);
  if (alive(parent)) return;
  clearInterval(timer);
  try { process.kill(moto, 'SIGTERM'); } catch {}
  setTimeout(() => { try { process.kill(moto, 'SIGKILL'); } catch {} process.exit(0); }, 3000);
}, 250);
`;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A normal exit (also process.exit after a failed test) kills what is left synchronously.
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto_server at ${endpoint} did not answer /moto-api/data.json within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startMoto(options: { startTimeoutMs?: number; command?: string } = {}): Promise<MotoServer> {
  const command = options.command ?? 'moto_server';
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  installExitHook();
  const child = spawn(command, ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto_server printed no port within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new Error(`moto_server is not installed or not on PATH: these tests need it (pip install "moto[server]")`)
          : error,
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited (code ${code}) before printing its port:\n${log}`));
    });
  });
  const pid = child.pid as number;
  spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(pid)], { detached: true, stdio: 'ignore' }).unref();

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    endpoint,
    port,
    pid,
    log: () => log,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`moto reset answered ${response.status}`);
    },
    async stop(graceMs = 4000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

export interface MotoContext {
  moto: MotoServer;
}

/** One server per suite (file), reset before each test; if it cannot start, every test fails with the reason. */
export function withMoto<T extends MotoContext>(suite: Test<T>): void {
  setup(suite, async (context) => {
    context.moto = await startMoto();
  });
  suite.before.each(async (context) => {
    await context.moto.reset();
  });
  suite.after(async (context) => {
    await context.moto?.stop();
  });
}

/** Counts the SDK commands that reach the wire, by name without the `Command` suffix. */
export interface CommandCounter {
  /** Every command in order. */
  readonly calls: string[];
  count(name: string): number;
  total(): number;
  reset(): void;
}

type MiddlewareClient = { middlewareStack: { add: (middleware: never, options: { step: 'initialize'; name: string }) => void } };

export function countCommands(...clients: MiddlewareClient[]): CommandCounter {
  const calls: string[] = [];
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    calls.push((context.commandName ?? 'Unknown').replace(/Command$/, ''));
    return next(args);
  };
  for (const client of clients) {
    client.middlewareStack.add(middleware as never, { step: 'initialize', name: `spartaCommandCounter${Math.random()}` });
  }
  return {
    calls,
    count: (name) => calls.filter((call) => call === name).length,
    total: () => calls.length,
    reset: () => void calls.splice(0, calls.length),
  };
}

/** Client config for any other SDK client (Lambda, EventBridge…) pointed at moto. */
export function motoClientConfig(moto: Pick<MotoServer, 'endpoint'>) {
  return { endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true };
}

export interface MotoAws {
  sdk: SdkClients;
  apis: AwsApis;
  counter: CommandCounter;
}

/** sparta's own clients pointed at moto, with a command counter attached. */
export function motoAws(moto: Pick<MotoServer, 'endpoint'>): MotoAws {
  const sdk = createSdkClients({ endpointUrl: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  const counter = countCommands(sdk.cloudFormation, sdk.s3, sdk.iam, sdk.lambda, sdk.sts, sdk.logs);
  return { sdk, apis: createAwsApis(sdk), counter };
}
