import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import { hrefOf, type Route } from '../lib/route.js';
import { timeAgo } from '../lib/format.js';
import { ExtensionsIcon, ProviderIcon, SettingsIcon } from '../lib/icons.js';
import { NewSessionForm } from './new-session-form.js';
import { useSessionList } from './session-list.js';

const screens = [
  { screen: 'providers', label: 'Provider', Icon: ProviderIcon },
  { screen: 'extensions', label: 'Extensions', Icon: ExtensionsIcon },
  { screen: 'settings', label: 'Settings', Icon: SettingsIcon },
] as const;

export function SessionSidebar({ route, keyVersion, panel }: { route: Route; keyVersion: number; panel: RefObject<HTMLElement | null> }) {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const { sessions, error } = useSessionList(query, keyVersion);
  const currentId = route.screen === 'session' ? route.id : null;

  return (
    <aside class="sidebar" id="sidebar" ref={panel}>
      <div class="brand">
        <a href="#/" class="brand-link">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          goosed
        </a>
      </div>
      <nav aria-label="Setup" class="setup-nav">
        {screens.map(({ screen, label, Icon }) => (
          <a href={hrefOf({ screen })} aria-current={route.screen === screen ? 'page' : undefined}>
            <Icon />
            {label}
          </a>
        ))}
      </nav>

      <section class="sessions" aria-labelledby="sessions-heading">
        <div class="sessions-head">
          <h2 id="sessions-heading">Sessions</h2>
          <button type="button" class="button small" onClick={() => setCreating(true)} aria-expanded={creating} disabled={creating}>
            New session
          </button>
        </div>
        {creating && <NewSessionForm onDone={() => setCreating(false)} />}
        <label class="visually-hidden" for="session-search">
          Search sessions
        </label>
        <input
          id="session-search"
          type="search"
          class="search"
          placeholder="Search sessions"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        {error && <p class="error-text">{error}</p>}
        {sessions && sessions.length === 0 && <p class="muted small-text">{query ? 'No session matches.' : 'No sessions yet: click New session to start one.'}</p>}
        <ul class="session-list">
          {sessions?.map((session) => (
            <li key={session.id}>
              <a
                href={hrefOf({ screen: 'session', id: session.id })}
                class="session-link"
                aria-current={session.id === currentId ? 'page' : undefined}
              >
                <span class="session-name">{session.name}</span>
                <span class="session-meta">
                  {session.status !== 'idle' && (
                    <span class={`dot ${session.status}`} title={session.status === 'running' ? 'Replying' : 'Waiting for approval'}>
                      <span class="visually-hidden">{session.status === 'running' ? 'replying, ' : 'waiting for approval, '}</span>
                    </span>
                  )}
                  {timeAgo(session.updated_at)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <a class="docs-link" href="/api/docs">
        API reference
      </a>
    </aside>
  );
}
