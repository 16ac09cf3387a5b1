import type { Store } from '../../src/store/store.js';

/** The store's settings tables: their calls are counted as `providers.get`, `permissions.set`… */
const TABLES = new Set(['providers', 'extensions', 'permissions']);

export interface CountingStore {
  /** For startServer's wrapStore: the store goosed opened, its calls counted on the way through. */
  wrap(store: Store): Store;
  /** Calls of a method (`getSession`, `providers.get`) since the last reset. */
  count(method: string): number;
  /** Every method called since the last reset, with how often. */
  counts(): Record<string, number>;
  reset(): void;
}

/**
 * Counts the calls goosed makes on its real store: a Proxy in front of it (instrumentation, not a
 * mock: every call goes through to the SQLite store unchanged).
 */
export function countingStore(): CountingStore {
  const calls = new Map<string, number>();
  const counted = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        const name = `${prefix}${String(property)}`;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return (value as (...args: unknown[]) => unknown).apply(object, args);
          };
        }
        if (typeof property === 'string' && TABLES.has(property) && value !== null && typeof value === 'object') return counted(value, `${name}.`);
        return value;
      },
    });
  return {
    wrap: (store) => counted(store, ''),
    count: (method) => calls.get(method) ?? 0,
    counts: () => Object.fromEntries(calls),
    reset: () => calls.clear(),
  };
}

/**
 * For startServer's wrapStore: goosed's real store with one method passed through `around` first,
 * which gets the call's arguments and the store's own method (to call, or not, as the test needs).
 */
export function aroundStoreMethod<K extends keyof Store>(
  method: K,
  around: (original: Store[K], ...args: Parameters<Extract<Store[K], (...args: never[]) => unknown>>) => ReturnType<Extract<Store[K], (...args: never[]) => unknown>>,
): (store: Store) => Store {
  return (store) =>
    new Proxy(store, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const bound = value.bind(target);
        return property === method ? (...args: never[]) => (around as (...a: unknown[]) => unknown)(bound, ...args) : bound;
      },
    });
}
