import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import type { InvokeOutcome } from '../invoke';
import { WarmSandbox, type WarmSandboxOptions } from '../invoke/warm';

// The warm sandboxes of one build of one function, as Lambda keeps them: an
// idle one takes the next request, a request that finds none idle starts
// another (one invocation at a time a sandbox). `retire` ends the pool when a
// new build replaces it: idle sandboxes stop at once, busy ones once they
// have answered, and the unpacked archive goes with the last of them.

export type FunctionSettings = Omit<WarmSandboxOptions, 'taskRoot'> & { archive: string };

export class FunctionPool {
  private readonly idle: WarmSandbox[] = [];
  private readonly busy = new Set<WarmSandbox>();
  private retired = false;
  readonly taskRoot: string;

  constructor(private readonly settings: FunctionSettings) {
    this.taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-serve-'));
    new AdmZip(settings.archive).extractAllTo(this.taskRoot, true);
  }

  async invoke(event: unknown, requestId: string = randomUUID() as string): Promise<{ outcome: InvokeOutcome; pid: number | undefined }> {
    const sandbox = this.acquire();
    this.busy.add(sandbox);
    try {
      const outcome = await sandbox.invoke(event, requestId);
      return { outcome, pid: sandbox.pid };
    } finally {
      this.busy.delete(sandbox);
      if (sandbox.alive && !this.retired) this.idle.push(sandbox);
      else {
        sandbox.stop();
        this.cleanUpWhenDone();
      }
    }
  }

  /** Every live process of this pool (tests and shutdown read them). */
  get pids(): number[] {
    return [...this.idle, ...this.busy].map((sandbox) => sandbox.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Starts one sandbox ahead of the first request (loads the handler, as a provisioned environment would). */
  warm(): void {
    if (this.idle.length === 0 && this.busy.size === 0 && !this.retired) this.idle.push(new WarmSandbox({ ...this.settings, taskRoot: this.taskRoot }));
  }

  private acquire(): WarmSandbox {
    while (this.idle.length > 0) {
      const sandbox = this.idle.pop()!;
      if (sandbox.alive) return sandbox;
    }
    return new WarmSandbox({ ...this.settings, taskRoot: this.taskRoot });
  }

  /** Stops the idle sandboxes now and the busy ones once they answer. */
  retire(): void {
    this.retired = true;
    for (const sandbox of this.idle.splice(0)) sandbox.stop();
    this.cleanUpWhenDone();
  }

  /** Kills every sandbox now (the server is stopping) and waits until each has exited. */
  async kill(): Promise<void> {
    this.retired = true;
    const all = [...this.idle.splice(0), ...this.busy];
    for (const sandbox of all) sandbox.stop(true);
    await Promise.all(all.map((sandbox) => sandbox.exited()));
    fs.rmSync(this.taskRoot, { recursive: true, force: true });
  }

  private cleanUpWhenDone(): void {
    if (this.retired && this.busy.size === 0) fs.rmSync(this.taskRoot, { recursive: true, force: true });
  }
}
