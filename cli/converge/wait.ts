// The one way converge waits: poll a probe at a fixed, injectable interval
// until it yields a value, bounded by a client-side deadline (so a command can
// never hang) and cancellable by an AbortSignal (Ctrl-C).
import { interrupted, waitTimeout } from '../errors';

export interface WaitOptions {
  intervalMs: number;
  /** Epoch milliseconds after which waiting gives up with WAIT_TIMEOUT. */
  deadline: number;
  /** What is awaited, for messages: "stack hello to finish UPDATE_IN_PROGRESS". */
  what: string;
  /** Told to the user on timeout or interruption (e.g. how to follow the operation). */
  hint?: string;
  signal?: AbortSignal;
  now?: () => number;
}


export function throwIfAborted(signal: AbortSignal | undefined, what: string, hint?: string): void {
  if (signal?.aborted) throw interrupted(what, hint);
}

/** Resolves after `ms`, or rejects with INTERRUPTED as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, what = 'waiting', hint?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted(what, hint));
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted(what, hint));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `probe` until it returns something other than `undefined`; `undefined` means "not yet". */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  for (;;) {
    throwIfAborted(options.signal, `waiting for ${options.what}`, options.hint);
    const value = await probe();
    if (value !== undefined) return value;
    const remaining = options.deadline - now();
    if (remaining <= 0) {
      throw waitTimeout(options.what, options.hint ?? 'raise --timeout, or run the command again to pick up where it stopped');
    }
    await sleep(Math.min(options.intervalMs, remaining), options.signal, `waiting for ${options.what}`, options.hint);
  }
}
