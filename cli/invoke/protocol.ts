// Messages between `invokeArchive` (parent) and the bootstrap (a separate
// `node` process standing in for Lambda's runtime interface client). They go
// over the IPC channel so the function's stdout and stderr stay pure logs.

/** Lambda's shape for a failed invocation's payload. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** What Lambda knows about an invocation before it starts; the bootstrap builds the context from it. */
export interface InvokeRequest {
  type: 'invoke';
  event: unknown;
  requestId: string;
  /** Epoch milliseconds: the context's getRemainingTimeInMillis() counts down to it. */
  deadline: number;
  invokedFunctionArn: string;
}

/** Asks the child to exit once it has answered (a parent-side disconnect would leave 'close' unfired on Node 20). */
export interface ExitRequest {
  type: 'exit';
}

export type ParentMessage = InvokeRequest | ExitRequest;

export type ChildMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init-error'; error: LambdaError; initDurationMs: number }
  // `requestId`: the invocation answered, so a warm sandbox never takes a late answer for the next request's.
  | { type: 'result'; ok: true; payload: string; maxRssKb: number; requestId?: string }
  | { type: 'result'; ok: false; error: LambdaError; maxRssKb: number; requestId?: string };

/** Lambda's own limit for a function's init phase. */
export const INIT_LIMIT_MS = 10_000;
