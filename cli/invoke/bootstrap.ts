import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { ChildMessage, InvokeRequest, LambdaError, ParentMessage } from './protocol';

// Runs in the child process that `invokeArchive` forks, in place of Lambda's
// runtime interface client: it resolves the handler string against the task
// root the way Lambda does, builds the context, runs one invocation and sends
// the outcome back over IPC. Only node builtins here: it must start fast.

type Handler = (event: unknown, context: unknown, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** Errors Lambda reports before the handler runs carry these `errorType`s. */
class RuntimeError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lambda's handler string: `[dir/]module.export[.nested]`, the module resolved
 * against the task root (`.js`, `.cjs` or `.mjs`).
 */
export async function loadHandler(taskRoot: string, handlerString: string): Promise<Handler> {
  if (handlerString.includes('..')) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const slash = handlerString.lastIndexOf('/');
  const moduleRoot = handlerString.slice(0, slash + 1);
  const match = /^([^.]*)\.(.*)$/.exec(handlerString.slice(slash + 1));
  if (!match || match[2] === '') throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, exportPath] = match;

  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
  if (file === undefined) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  let exported: unknown;
  try {
    exported = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : await loadCommonJsOrEsm(file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    throw error;
  }

  let handler: unknown = exported;
  for (const key of exportPath.split('.')) handler = (handler as Record<string, unknown> | undefined)?.[key];
  if (handler === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return handler as Handler;
}

async function loadCommonJsOrEsm(file: string): Promise<unknown> {
  try {
    return require(file);
  } catch (error) {
    // A `.js` file in a `"type": "module"` package.
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(file).href);
    throw error;
  }
}

/** Lambda's payload for an error: the name as type, the stack as an array of lines. */
export function toLambdaError(error: unknown): LambdaError {
  if (error instanceof RuntimeError) return { errorType: error.errorType, errorMessage: error.message };
  if (error instanceof Error) {
    // This file's frames and Node's are the stand-in runtime's, not the function's.
    const trace = (error.stack ?? '').split('\n').filter((line) => !line.includes(__filename) && !line.includes('(node:'));
    return { errorType: error.name, errorMessage: error.message, trace };
  }
  return { errorType: typeof error, errorMessage: String(error) };
}

/** Runs the handler; a callback-style handler (three parameters, nodejs22.x) settles through its callback. */
function run(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    try {
      const returned = handler.length >= 3 ? handler(event, context, callback) : handler(event, context);
      if (handler.length < 3 || (returned !== undefined && typeof (returned as Promise<unknown>).then === 'function')) {
        Promise.resolve(returned).then(resolve, reject);
      }
    } catch (error) {
      reject(error);
    }
  });
}

/** Lambda's text log format for console.*: time, request ID, level, message. */
function patchConsole(requestId: () => string | undefined): void {
  const levels = { debug: 'DEBUG', info: 'INFO', log: 'INFO', warn: 'WARN', error: 'ERROR', trace: 'TRACE' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      process.stdout.write(`${new Date().toISOString()}\t${requestId() ?? 'undefined'}\t${level}\t${format(...args)}\n`);
    };
  }
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * This process's peak resident memory. On Linux, getrusage's maxRSS survives
 * exec: a sandbox forked from a CLI that has just bundled in-process (several
 * hundred MB) would report the CLI's size as its own and fail as out of
 * memory. VmHWM belongs to the process image, so it starts afresh at exec.
 */
function maxRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/**
 * process.exit drops what is still queued for a pipe: a function that logged
 * 200,000 lines reached the parent as about 600. Exit once both streams have
 * handed every earlier write to the OS (write callbacks run in order).
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function main(): Promise<void> {
  // The parent going away (or asking us to stop) ends the sandbox.
  process.on('disconnect', () => exitAfterFlush(0));
  let requestId: string | undefined;
  patchConsole(() => requestId);

  const started = performance.now();
  let handler: Handler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? 'index.handler');
  } catch (error) {
    send({ type: 'init-error', error: toLambdaError(error), initDurationMs: performance.now() - started });
    return;
  }
  send({ type: 'ready', initDurationMs: performance.now() - started });

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'exit') exitAfterFlush(0);
    else void invoke(handler, message);
  });

  // Registered once: a warm sandbox (`sparta serve`) runs many invocations, each failing its own request.
  const fail = (error: unknown, errorType?: string) => {
    const payload = toLambdaError(error);
    if (errorType) payload.errorType = errorType;
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`);
    send({ type: 'result', ok: false, error: payload, maxRssKb: maxRssKb(), requestId });
  };
  process.on('uncaughtException', (error) => fail(error, 'Runtime.UncaughtException'));
  process.on('unhandledRejection', (reason) => fail(reason, 'Runtime.UnhandledPromiseRejection'));

  async function invoke(handler: Handler, request: InvokeRequest): Promise<void> {
    requestId = request.requestId;
    // Written here, not by the parent, so it lands after the init logs in the same pipe.
    process.stdout.write(`START RequestId: ${requestId} Version: ${process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST'}\n`);

    const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
      invokedFunctionArn: request.invokedFunctionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
      awsRequestId: request.requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    };
    try {
      const result = await run(handler, request.event, context);
      // Lambda serialises the value with JSON.stringify; `undefined` comes back as null.
      send({ type: 'result', ok: true, payload: JSON.stringify(result) ?? 'null', maxRssKb: maxRssKb(), requestId: request.requestId });
    } catch (error) {
      fail(error);
    }
  }
}

if (require.main === module) void main();
