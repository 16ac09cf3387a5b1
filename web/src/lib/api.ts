import { createGoosedClient, dataOf, GoosedError } from '../../../src/client/index.js';
import { readKey } from './key-store.js';
import { pageError, type PageError } from './page-error.js';

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

/** A failed call in the page's words (with a link where one helps); a 401 also brings up the key prompt. */
export function problemOf(error: unknown): PageError {
  if (error instanceof GoosedError && error.status === 401) reportKeyNeeded();
  return pageError(error);
}

/** The sentence of problemOf. */
export const describeError = (error: unknown): string => problemOf(error).text;
