import { createGoosedClient, dataOf, GoosedError } from '../../../src/client/index.js';
import { readKey } from './key-store.js';

/** The typed client for this page: same origin, the key from sessionStorage on every request. */
export const api = createGoosedClient({ baseUrl: location.origin, key: readKey });

export { dataOf, GoosedError };

type Listener = () => void;
const keyListeners = new Set<Listener>();

/** Screens call this on a 401: the app then asks for the key. */
export function reportKeyNeeded(): void {
  for (const listener of keyListeners) listener();
}

export function onKeyNeeded(listener: Listener): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

/** A sentence for a failed call; a 401 also brings up the key prompt. */
export function describeError(error: unknown): string {
  if (error instanceof GoosedError) {
    if (error.status === 401) reportKeyNeeded();
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
