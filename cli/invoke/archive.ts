import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { LAMBDA_LIMITS } from '../../manifest/defaults';
import { eventTooLarge } from '../errors';
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
  | ({ status: 'timed-out'; phase: 'init' | 'invoke'; error: LambdaError } & InvokeMetrics)
  | ({ status: 'out-of-memory'; error: LambdaError } & InvokeMetrics);

export const BOOTSTRAP = path.join(__dirname, 'bootstrap.js');

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
  // Lambda refuses such a request before any code runs (RequestEntityTooLargeException).
  const eventBytes = Buffer.byteLength(JSON.stringify(options.event) ?? 'null');
  if (eventBytes > LAMBDA_LIMITS.syncPayloadBytes) {
    throw eventTooLarge(eventBytes, LAMBDA_LIMITS.syncPayloadBytes);
  }
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

/** Lambda's payload for a result over the synchronous limit, word for word. */
export function responseTooLarge(): LambdaError {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_LIMITS.syncPayloadBytes} bytes).`,
  };
}

/** How often the parent reads the child's resident memory. */
const RSS_SAMPLE_MS = 50;

/** The child's resident set in KB (VmRSS), or undefined where /proc is missing (not Linux) or the child is gone. */
export function residentKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Passes the child's stderr through line by line, except V8's fatal
 * out-of-memory report (GC trace, JS stack, native backtrace): from its first
 * line on, the rest is swallowed and `onHeapExhausted` is called once, so the
 * invocation ends with one clean line instead.
 */
export function stderrFilter(write: (text: string) => void, onHeapExhausted: () => void): { push(chunk: Buffer): void; end(): void } {
  let partial = '';
  let blankLines = '';
  let swallowing = false;
  const line = (text: string) => {
    if (swallowing) return;
    if (text === '') {
      blankLines += '\n';
      return;
    }
    if (text.startsWith('<--- Last few GCs --->') || /^FATAL ERROR: .*heap out of memory/.test(text)) {
      swallowing = true;
      onHeapExhausted();
      return;
    }
    write(`${blankLines}${text}\n`);
    blankLines = '';
  };
  return {
    push(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const text of lines) line(text);
    },
    end() {
      if (!swallowing && (blankLines || partial)) write(blankLines + partial);
      partial = blankLines = '';
    },
  };
}

function runInChild(taskRoot: string, options: InvokeArchiveOptions): Promise<InvokeOutcome> {
  const requestId = options.requestId ?? randomUUID();
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const logs = options.logs;
  const limitKb = options.memorySize * 1024;
  const env = lambdaEnvironment(taskRoot, { ...options, region });
  // Lambda sizes the V8 heap from the function's memory the same way; a heap
  // size in the function's own NODE_OPTIONS is the user's choice and wins.
  const ownHeap = /(^|\s)--max-old-space-size[=\s]/.test(env.NODE_OPTIONS ?? '');
  const child = fork(BOOTSTRAP, [], {
    cwd: taskRoot,
    env,
    execArgv: ownHeap ? [] : [`--max-old-space-size=${Math.max(16, Math.floor(options.memorySize * 0.9))}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let lastOutputAt = 0;
  child.stdout?.on('data', (chunk) => {
    lastOutputAt = performance.now();
    logs?.write(chunk);
  });

  return new Promise<InvokeOutcome>((resolve) => {
    let initDurationMs: number | undefined;
    let invokedAt: number | undefined;
    let peakKb = 0;
    let outcome: InvokeOutcome | undefined;
    const timeoutMs = options.timeoutSeconds * 1000;
    const metrics = (): InvokeMetrics => ({
      requestId,
      initDurationMs,
      durationMs: invokedAt === undefined ? 0 : performance.now() - invokedAt,
      maxMemoryUsedMB: peakKb > 0 ? Math.ceil(peakKb / 1024) : undefined,
    });
    const settle = (value: InvokeOutcome, kill: boolean) => {
      if (outcome) return;
      outcome = value;
      clearTimeout(timer);
      clearInterval(sampler);
      stop(child, kill, () => lastOutputAt);
    };
    const timeOut = (phase: 'init' | 'invoke') => {
      const seconds = phase === 'init' ? INIT_LIMIT_MS / 1000 : options.timeoutSeconds;
      const errorMessage = `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;
      settle({ status: 'timed-out', phase, error: { errorType: 'Sandbox.Timedout', errorMessage }, ...metrics() }, true);
    };
    // Lambda kills a sandbox whose memory passes the function's memorySize, wherever it was
    // allocated (Buffers live outside the V8 heap), and reports Runtime.OutOfMemory.
    const outOfMemory = (cause: string) => {
      if (outcome) return;
      const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${cause}`;
      logs?.write(`${errorMessage}\n`);
      settle({ status: 'out-of-memory', error: { errorType: 'Runtime.OutOfMemory', errorMessage }, ...metrics() }, true);
    };
    let timer = setTimeout(() => timeOut('init'), INIT_LIMIT_MS);
    const sampler = setInterval(() => {
      const kb = residentKb(child.pid);
      if (kb === undefined) return;
      peakKb = Math.max(peakKb, kb);
      if (kb > limitKb) outOfMemory('signal: killed');
    }, RSS_SAMPLE_MS);

    const stderr = stderrFilter(
      (text) => logs?.write(text),
      // Lambda's heap limit sits below memorySize: running out of heap is running out of memory.
      () => outOfMemory('JavaScript heap out of memory'),
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      lastOutputAt = performance.now();
      stderr.push(chunk);
    });
    child.stderr?.on('end', () => stderr.end());

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
        // A timer may fire a little early against performance.now() (libuv counts from the start of
        // the loop's turn): the sandbox is out of time only once the whole timeout has passed.
        const expire = () => {
          const left = timeoutMs - (performance.now() - invokedAt!);
          if (left > 0) timer = setTimeout(expire, Math.ceil(left));
          else timeOut('invoke');
        };
        timer = setTimeout(expire, timeoutMs);
      } else if (message.type === 'result') {
        // The child's own peak catches what a sample may have missed between two reads.
        peakKb = Math.max(peakKb, message.maxRssKb);
        if (peakKb > limitKb) return outOfMemory('signal: killed');
        if (!message.ok) return settle({ status: 'failed', error: message.error, ...metrics() }, false);
        if (Buffer.byteLength(message.payload) > LAMBDA_LIMITS.syncPayloadBytes) {
          return settle({ status: 'failed', error: responseTooLarge(), ...metrics() }, false);
        }
        settle({ status: 'succeeded', result: JSON.parse(message.payload), ...metrics() }, false);
      }
    });
    // Lambda reports a runtime that dies without answering (process.exit, a crash) this way.
    // Decided once the pipes have closed: V8's out-of-memory report may still be in them.
    let exitStatus: string | undefined;
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      exitStatus = signal ? `signal: ${signal}` : `exit status ${code}`;
    });
    const exitError = () => {
      const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${exitStatus}`;
      settle({ status: 'failed', error: { errorType: 'Runtime.ExitError', errorMessage }, ...metrics() }, false);
    };
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
      if (!outcome) exitError();
      if (invokedAt !== undefined) writeReport(logs, outcome!, options.memorySize);
      resolve(outcome!);
    };
    child.on('close', finish);
    // Should a pipe stay open after the exit (a grandchild holding it), do not
    // wait for it forever: only once it has been silent for a while, since a
    // busy machine may take seconds to drain a chatty function's last lines.
    const finishWhenQuiet = () => {
      const idle = performance.now() - lastOutputAt;
      if (idle >= PIPE_GRACE_MS) finish();
      else fallback = setTimeout(finishWhenQuiet, PIPE_GRACE_MS - idle);
    };
    child.on('exit', () => (fallback = setTimeout(finishWhenQuiet, PIPE_GRACE_MS)));
  });
}

/** How long the pipes of an exited child may stay silent before its logs count as complete. */
const PIPE_GRACE_MS = 2000;

/** How long a child asked to exit may stay silent before it counts as stuck. */
const STUCK_MS = 10000;

/**
 * A graceful stop lets the child flush its output; a timeout kills it at once,
 * as Lambda does. A child stuck in synchronous code never reads the request:
 * it is killed once its pipes have been quiet for STUCK_MS (a child still
 * flushing a long log keeps them busy).
 */
function stop(child: ChildProcess, kill: boolean, lastOutputAt: () => number): void {
  if (kill || !child.connected) {
    child.kill('SIGKILL');
    return;
  }
  child.send({ type: 'exit' } satisfies ParentMessage);
  const asked = performance.now();
  const watch = setInterval(() => {
    if (child.exitCode !== null || child.signalCode !== null) clearInterval(watch);
    else if (performance.now() - Math.max(asked, lastOutputAt()) > STUCK_MS) {
      clearInterval(watch);
      child.kill('SIGKILL');
    }
  }, STUCK_MS / 4);
  watch.unref();
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
  if (outcome.status === 'out-of-memory') parts.push('Status: error', `Error Type: ${outcome.error.errorType}`);
  logs.write(`END RequestId: ${outcome.requestId}\n${parts.join('\t')}\n`);
}
