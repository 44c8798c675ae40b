// The handler adapter: the generated entry of every function's bundle is
//   export const handler = createHandler(ServiceClass, 'method');
// One instance per container, created on first use, so initialisation in the
// constructor is reused across warm invocations.

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export function createHandler<T extends object>(ServiceClass: new () => T, method: keyof T & string): LambdaHandler {
  let instance: T | undefined;
  return async function handler(event: unknown, context: unknown): Promise<unknown> {
    instance ??= new ServiceClass();
    const fn = instance[method] as unknown as (event: unknown, context: unknown) => unknown;
    return await fn.call(instance, event, context);
  };
}
