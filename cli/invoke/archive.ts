import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { LOCAL_ACCOUNT } from './discovery';
import { INIT_LIMIT_MS, type ChildMessage, type InvokeRequest, type LambdaError, type ParentMessage } from './protocol';

// Local invoke: the archive's own bytes, unpacked to a temporary task root and
// run in a separate `node` process with Lambda's environment variables, the
// handler string, a context and the timeout (enforced by killing the process).

export interface InvokeArchiveOptions {
  /** Path of the zip the build stage wrote (the bytes `provision` uploads). */
  archive: string;
  /** Lambda handler string, e.g. `index.handler`. */
  handler: string;
  event: unknown;
  /** Seconds, as configured on the function. */
  timeoutSeconds: number;
  /** MB, as configured on the function. */
  memorySize: number;
  functionName: string;
  /** The function's environment variables (its `@Lambda({ environment })` and any overrides). */
  env?: Record<string, string>;
  region?: string;
  /** `AWS_EXECUTION_ENV` reports it; default nodejs24.x. */
  runtime?: string;
  /** Where the function's stdout and stderr go, with Lambda's START/END/REPORT lines. */
  logs?: NodeJS.WritableStream;
  /** Fixed in tests; a random UUID otherwise. */
  requestId?: string;
}

interface InvokeMetrics {
  requestId: string;
  /** Time spent loading the handler module (Lambda's "Init Duration"). */
  initDurationMs?: number;
  /** Time from sending the event to the outcome. */
  durationMs: number;
  maxMemoryUsedMB?: number;
}

export type InvokeOutcome =
  | ({ status: 'succeeded'; result: unknown } & InvokeMetrics)
  | ({ status: 'failed'; error: LambdaError } & InvokeMetrics)
  | ({ status: 'timed-out'; phase: 'init' | 'invoke'; error: LambdaError } & InvokeMetrics);

const BOOTSTRAP = path.join(__dirname, 'bootstrap.js');

/** Host variables passed through, so a function can reach AWS with the caller's own credentials. */
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'LANG',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];

export async function invokeArchive(options: InvokeArchiveOptions): Promise<InvokeOutcome> {
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-invoke-'));
  try {
    new AdmZip(options.archive).extractAllTo(taskRoot, true);
    return await runInChild(taskRoot, options);
  } finally {
    fs.rmSync(taskRoot, { recursive: true, force: true });
  }
}

/** The variables Lambda sets in every execution environment, then the function's own. */
export function lambdaEnvironment(taskRoot: string, options: InvokeArchiveOptions): Record<string, string> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const host: Record<string, string> = {};
  for (const key of PASS_THROUGH) if (process.env[key] !== undefined) host[key] = process.env[key]!;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    ...host,
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: options.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${options.runtime ?? 'nodejs24.x'}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...options.env,
  };
}

function runInChild(taskRoot: string, options: InvokeArchiveOptions): Promise<InvokeOutcome> {
  const requestId = options.requestId ?? randomUUID();
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const logs = options.logs;
  const child = fork(BOOTSTRAP, [], {
    cwd: taskRoot,
    env: lambdaEnvironment(taskRoot, { ...options, region }),
    // Lambda sizes the V8 heap from the function's memory the same way.
    execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(options.memorySize * 0.9))}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk) => logs?.write(chunk));
  child.stderr?.on('data', (chunk) => logs?.write(chunk));

  return new Promise<InvokeOutcome>((resolve) => {
    let initDurationMs: number | undefined;
    let invokedAt: number | undefined;
    let maxMemoryUsedMB: number | undefined;
    let outcome: InvokeOutcome | undefined;
    const timeoutMs = options.timeoutSeconds * 1000;
    const metrics = (): InvokeMetrics => ({
      requestId,
      initDurationMs,
      durationMs: invokedAt === undefined ? 0 : performance.now() - invokedAt,
      maxMemoryUsedMB,
    });
    const settle = (value: InvokeOutcome, kill: boolean) => {
      if (outcome) return;
      outcome = value;
      clearTimeout(timer);
      stop(child, kill);
    };
    const timeOut = (phase: 'init' | 'invoke') => {
      const seconds = phase === 'init' ? INIT_LIMIT_MS / 1000 : options.timeoutSeconds;
      const errorMessage = `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;
      settle({ status: 'timed-out', phase, error: { errorType: 'Sandbox.Timedout', errorMessage }, ...metrics() }, true);
    };
    let timer = setTimeout(() => timeOut('init'), INIT_LIMIT_MS);

    child.on('message', (message: ChildMessage) => {
      if (message.type === 'init-error') {
        initDurationMs = message.initDurationMs;
        settle({ status: 'failed', error: message.error, ...metrics() }, true);
      } else if (message.type === 'ready') {
        initDurationMs = message.initDurationMs;
        clearTimeout(timer);
        invokedAt = performance.now();
        const request: InvokeRequest = {
          type: 'invoke',
          event: options.event,
          requestId,
          deadline: Date.now() + timeoutMs,
          invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${options.functionName}`,
        };
        child.send(request);
        timer = setTimeout(() => timeOut('invoke'), timeoutMs);
      } else if (message.type === 'result') {
        maxMemoryUsedMB = Math.ceil(message.maxRssKb / 1024);
        settle(
          message.ok
            ? { status: 'succeeded', result: JSON.parse(message.payload), ...metrics() }
            : { status: 'failed', error: message.error, ...metrics() },
          false,
        );
      }
    });
    // Lambda reports a runtime that dies without answering (process.exit, out of memory) this way.
    child.on('exit', (code, signal) => {
      const status = signal ? `signal: ${signal}` : `exit status ${code}`;
      const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${status}`;
      settle({ status: 'failed', error: { errorType: 'Runtime.ExitError', errorMessage }, ...metrics() }, false);
    });
    child.on('error', (error) => {
      settle({ status: 'failed', error: { errorType: 'Runtime.StartError', errorMessage: error.message }, ...metrics() }, true);
    });
    // 'close' comes after the pipes drain, so every log line is out before END and REPORT.
    let finished = false;
    let fallback: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(fallback);
      if (finished) return;
      finished = true;
      if (invokedAt !== undefined) writeReport(logs, outcome!, options.memorySize);
      resolve(outcome!);
    };
    child.on('close', finish);
    // Should a pipe stay open after the exit (a grandchild holding it), do not wait for it forever.
    child.on('exit', () => (fallback = setTimeout(finish, 2000)));
  });
}

/** A graceful stop lets the child flush its output; a timeout kills it at once, as Lambda does. */
function stop(child: ChildProcess, kill: boolean): void {
  if (kill || !child.connected) {
    child.kill('SIGKILL');
    return;
  }
  child.send({ type: 'exit' } satisfies ParentMessage);
  // A child stuck in synchronous code never reads the request.
  setTimeout(() => child.kill('SIGKILL'), 1000).unref();
}

function writeReport(logs: NodeJS.WritableStream | undefined, outcome: InvokeOutcome, memorySize: number): void {
  if (!logs) return;
  const duration = outcome.durationMs.toFixed(2);
  const parts = [
    `REPORT RequestId: ${outcome.requestId}`,
    `Duration: ${duration} ms`,
    `Billed Duration: ${Math.ceil(outcome.durationMs)} ms`,
    `Memory Size: ${memorySize} MB`,
  ];
  if (outcome.maxMemoryUsedMB !== undefined) parts.push(`Max Memory Used: ${outcome.maxMemoryUsedMB} MB`);
  if (outcome.initDurationMs !== undefined) parts.push(`Init Duration: ${outcome.initDurationMs.toFixed(2)} ms`);
  if (outcome.status === 'timed-out') parts.push('Status: timeout');
  logs.write(`END RequestId: ${outcome.requestId}\n${parts.join('\t')}\n`);
}
