import { setRequestContext } from './logger';

// The handler adapter: the generated entry of every function's bundle is
//   export const handler = createHandler(ServiceClass, 'method');
// One instance per container, created on first use, so initialisation in the
// constructor is reused across warm invocations.

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** The part of Lambda's context the adapter reads (a subset of `Context` in @types/aws-lambda). */
interface InvocationContext {
  awsRequestId?: string;
  functionName?: string;
}

export function createHandler<T extends object>(ServiceClass: new () => T, method: keyof T & string): LambdaHandler {
  let instance: T | undefined;
  return async function handler(event: unknown, context: unknown): Promise<unknown> {
    const invocation = (context ?? {}) as InvocationContext;
    setRequestContext({ requestId: invocation.awsRequestId, functionName: invocation.functionName });
    // A thrown error is not logged here: Lambda's runtime logs every failed
    // invocation's error with its stack ("Invoke Error"), and a second entry
    // for the same error would count every failure twice.
    // A constructor that throws is retried on the next invocation, as Lambda retries a failed init.
    instance ??= new ServiceClass();
    const fn = instance[method] as unknown;
    if (typeof fn !== 'function') throw new TypeError(`${ServiceClass.name}.${method} is not a method`);
    // `await` covers both kinds: a sync method's value and an async method's promise.
    return await fn.call(instance, event, context);
  };
}
