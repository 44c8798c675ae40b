// Where the decorators record their options at run time. reflect-metadata
// would cost 13.6 KB minified in every Lambda archive (bench/runtime.ts) for
// two calls, so sparta keeps its own store. When the application loads
// reflect-metadata itself (for a DI container, say), the options are written
// there too, under the same keys, so `Reflect.getMetadata` sees them.

type Property = string | symbol | undefined;

const store = new WeakMap<object, Map<Property, Map<string, unknown>>>();

interface ReflectWithMetadata {
  defineMetadata?: (key: string, value: unknown, target: object, property?: string | symbol) => void;
}

function bucket(target: object, property: Property): Map<string, unknown> {
  let byProperty = store.get(target);
  if (!byProperty) store.set(target, (byProperty = new Map()));
  let entries = byProperty.get(property);
  if (!entries) byProperty.set(property, (entries = new Map()));
  return entries;
}

export function defineMetadata(key: string, value: unknown, target: object, property?: string | symbol): void {
  bucket(target, property).set(key, value);
  const reflect = Reflect as unknown as ReflectWithMetadata;
  if (typeof reflect.defineMetadata === 'function') {
    if (property === undefined) reflect.defineMetadata(key, value, target);
    else reflect.defineMetadata(key, value, target, property);
  }
}

/** The value recorded on this very target (no prototype chain), or undefined. */
export function getOwnMetadata<T = unknown>(key: string, target: object, property?: string | symbol): T | undefined {
  return store.get(target)?.get(property)?.get(key) as T | undefined;
}
