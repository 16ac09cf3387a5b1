import { useEffect, useState } from 'preact/hooks';
import type { SessionSummary } from '../../../src/client/index.js';
import { api, dataOf, describeError } from '../lib/api.js';

// The sidebar's list is fetched again whenever a screen says sessions changed (created, renamed,
// deleted, a reply started or ended): a tiny bus instead of a state library.
const listeners = new Set<() => void>();
export function sessionsChanged(): void {
  for (const listener of listeners) listener();
}

export function useSessionList(query: string, keyVersion: number): { sessions: SessionSummary[] | null; error: string | null } {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let latest = 0;
    const load = async () => {
      const call = ++latest;
      try {
        const list = await dataOf(api.GET('/api/sessions', { params: { query: { q: query.trim() || undefined, limit: 200 } }, signal: controller.signal }));
        // Answers can overtake each other while the user types; only the newest counts.
        if (call === latest) {
          setSessions(list);
          setError(null);
        }
      } catch (caught) {
        if (!controller.signal.aborted && call === latest) setError(describeError(caught));
      }
    };
    // Searching waits for a pause in typing.
    const timer = setTimeout(load, query ? 200 : 0);
    listeners.add(load);
    return () => {
      clearTimeout(timer);
      listeners.delete(load);
      controller.abort();
    };
  }, [query, keyVersion]);
  return { sessions, error };
}
