// The secret key lives in sessionStorage (gone when the tab closes), under the same name the API
// reference page uses, so one key serves both pages. Storage can be off in private windows: the key
// is then kept for this page load only.
const STORAGE_NAME = 'goosed.key';
let memoryKey: string | null = null;

export function readKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_NAME) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

export function saveKey(key: string): void {
  memoryKey = key;
  try {
    sessionStorage.setItem(STORAGE_NAME, key);
  } catch {
    // kept in memory only
  }
}

export function forgetKey(): void {
  memoryKey = null;
  try {
    sessionStorage.removeItem(STORAGE_NAME);
  } catch {
    // nothing stored
  }
}

/**
 * goosed prints `http://host:port/?key=…` when it generated a key. The key is taken once and removed
 * from the address bar at once, so it stays out of history, bookmarks and screen shares.
 */
export function takeKeyFromAddress(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('key')) return;
  const key = url.searchParams.get('key');
  if (key) saveKey(key);
  url.searchParams.delete('key');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
