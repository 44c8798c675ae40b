import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { LAMBDA_LIMITS } from '../../manifest/defaults';
import { BOOTSTRAP, lambdaEnvironment, residentKb, responseTooLarge, stderrFilter, type InvokeArchiveOptions, type InvokeOutcome } from './archive';
import { LOCAL_ACCOUNT } from './discovery';
import { INIT_LIMIT_MS, type ChildMessage, type InvokeRequest, type ParentMessage } from './protocol';

// A Lambda execution environment kept warm: the same bootstrap and environment
// as `sparta invoke`'s one-shot child (invokeArchive), but the handler module
// is loaded once and answers one invocation after another, one at a time, as
// Lambda reuses a sandbox. A timeout, a crash or running out of memory ends
// the sandbox as Lambda resets it; the next invocation needs a new one.

export type WarmSandboxOptions = Omit<InvokeArchiveOptions, 'archive' | 'event' | 'requestId'> & {
  /** The archive already unpacked: every sandbox of a function shares it. */
  taskRoot: string;
};

interface Pending {
  requestId: string;
  startedAt: number;
  timer: NodeJS.Timeout;
  resolve(outcome: InvokeOutcome): void;
}

export class WarmSandbox {
  readonly child: ChildProcess;
  private readyPromise: Promise<InvokeOutcome | undefined>;
  private pending: Pending | undefined;
  private dead = false;
  private initDurationMs: number | undefined;
  private reportedInit = false;
  private peakKb = 0;
  private readonly sampler: NodeJS.Timeout;
  private readonly limitKb: number;
  private readonly region: string;

  constructor(private readonly options: WarmSandboxOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.limitKb = options.memorySize * 1024;
    const env = lambdaEnvironment(options.taskRoot, { ...options, archive: '', event: undefined, region: this.region });
    const ownHeap = /(^|\s)--max-old-space-size[=\s]/.test(env.NODE_OPTIONS ?? '');
    this.child = fork(BOOTSTRAP, [], {
      cwd: options.taskRoot,
      env,
      execArgv: ownHeap ? [] : [`--max-old-space-size=${Math.max(16, Math.floor(options.memorySize * 0.9))}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const logs = options.logs;
    this.child.stdout?.on('data', (chunk) => logs?.write(chunk));
    const stderr = stderrFilter(
      (text) => logs?.write(text),
      () => this.fail('Runtime.OutOfMemory', 'Runtime exited with error: JavaScript heap out of memory'),
    );
    this.child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    this.child.stderr?.on('end', () => stderr.end());
    this.sampler = setInterval(() => {
      const kb = residentKb(this.child.pid);
      if (kb === undefined) return;
      this.peakKb = Math.max(this.peakKb, kb);
      if (kb > this.limitKb) this.fail('Runtime.OutOfMemory', 'Runtime exited with error: signal: killed');
    }, 50);
    this.sampler.unref();

    this.readyPromise = new Promise((resolve) => {
      const initTimer = setTimeout(() => {
        resolve(this.ended({ status: 'timed-out', phase: 'init', error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds` }, requestId: '', durationMs: 0 }));
      }, INIT_LIMIT_MS);
      this.child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(initTimer);
          this.initDurationMs = message.initDurationMs;
          resolve(undefined);
        } else if (message.type === 'init-error') {
          clearTimeout(initTimer);
          this.initDurationMs = message.initDurationMs;
          resolve(this.ended({ status: 'failed', error: message.error, requestId: '', durationMs: 0, initDurationMs: message.initDurationMs }));
        } else if (message.type === 'result') {
          this.answer(message);
        }
      });
      this.child.on('exit', (code, signal) => {
        clearTimeout(initTimer);
        const status = signal ? `signal: ${signal}` : `exit status ${code}`;
        resolve(this.ended({ status: 'failed', error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${status}` }, requestId: '', durationMs: 0 }));
        this.fail('Runtime.ExitError', `Runtime exited with error: ${status}`);
      });
      this.child.on('error', (error) => {
        clearTimeout(initTimer);
        resolve(this.ended({ status: 'failed', error: { errorType: 'Runtime.StartError', errorMessage: error.message }, requestId: '', durationMs: 0 }));
      });
    });
  }

  /** Gone (crashed, timed out, stopped): it takes no more invocations. */
  get alive(): boolean {
    return !this.dead;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one invocation; the sandbox must be idle (a pool hands it out one request at a time). */
  async invoke(event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    if (this.pending) throw new Error('a sandbox runs one invocation at a time');
    const initFailure = await this.readyPromise;
    if (initFailure) return { ...initFailure, requestId };
    if (this.dead) return { status: 'failed', error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' }, requestId, durationMs: 0 };
    const timeoutMs = this.options.timeoutSeconds * 1000;
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        const errorMessage = `${new Date().toISOString()} ${requestId} Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`;
        this.settle({ status: 'timed-out', phase: 'invoke', error: { errorType: 'Sandbox.Timedout', errorMessage }, ...this.metrics() });
        this.stop(true);
      }, timeoutMs);
      this.pending = { requestId, startedAt: performance.now(), timer, resolve };
      const request: InvokeRequest = {
        type: 'invoke',
        event,
        requestId,
        deadline: Date.now() + timeoutMs,
        invokedFunctionArn: `arn:aws:lambda:${this.region}:${LOCAL_ACCOUNT}:function:${this.options.functionName}`,
      };
      this.child.send(request);
    });
  }

  /** Ends the sandbox: asks the bootstrap to exit once idle, or kills it. */
  stop(kill = false): void {
    this.dead = true;
    clearInterval(this.sampler);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (kill || !this.child.connected) {
      this.child.kill('SIGKILL');
      return;
    }
    this.child.send({ type: 'exit' } satisfies ParentMessage);
    // A bootstrap stuck in synchronous code never reads the request.
    setTimeout(() => this.child.kill('SIGKILL'), 1000).unref();
  }

  /** Resolves once the process has exited. */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private answer(message: Extract<ChildMessage, { type: 'result' }>): void {
    const pending = this.pending;
    if (!pending || (message.requestId !== undefined && message.requestId !== pending.requestId)) return;
    this.peakKb = Math.max(this.peakKb, message.maxRssKb);
    if (this.peakKb > this.limitKb) return this.fail('Runtime.OutOfMemory', 'Runtime exited with error: signal: killed');
    if (!message.ok) return this.settle({ status: 'failed', error: message.error, ...this.metrics() });
    if (Buffer.byteLength(message.payload) > LAMBDA_LIMITS.syncPayloadBytes) return this.settle({ status: 'failed', error: responseTooLarge(), ...this.metrics() });
    this.settle({ status: 'succeeded', result: JSON.parse(message.payload), ...this.metrics() });
  }

  private metrics() {
    const pending = this.pending!;
    const initDurationMs = this.reportedInit ? undefined : this.initDurationMs;
    return {
      requestId: pending.requestId,
      initDurationMs,
      durationMs: performance.now() - pending.startedAt,
      maxMemoryUsedMB: this.peakKb > 0 ? Math.ceil(this.peakKb / 1024) : undefined,
    };
  }

  private settle(outcome: InvokeOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.reportedInit = true;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  /** The sandbox is lost: the invocation in flight (if any) fails with `errorType`. */
  private fail(errorType: 'Runtime.OutOfMemory' | 'Runtime.ExitError', cause: string): void {
    const wasDead = this.dead;
    this.dead = true;
    if (this.pending) {
      const errorMessage = `RequestId: ${this.pending.requestId} Error: ${cause}`;
      const outcome: InvokeOutcome =
        errorType === 'Runtime.OutOfMemory'
          ? { status: 'out-of-memory', error: { errorType, errorMessage }, ...this.metrics() }
          : { status: 'failed', error: { errorType, errorMessage }, ...this.metrics() };
      this.settle(outcome);
    }
    if (!wasDead || errorType === 'Runtime.OutOfMemory') this.stop(true);
  }

  private ended(outcome: InvokeOutcome): InvokeOutcome {
    this.dead = true;
    clearInterval(this.sampler);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return outcome;
  }
}
