import { useEffect, useState } from 'preact/hooks';
import type { CurrentProvider, Extension } from '../../src/client/index.js';
import { api, describeError, reportKeyNeeded } from './lib/api.js';

/** Where a new user starts: what is set up, and what to do next. */
export function HomeScreen({ keyVersion }: { keyVersion: number }) {
  const [provider, setProvider] = useState<CurrentProvider | null | undefined>(undefined);
  const [extensions, setExtensions] = useState<Extension[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.GET('/api/providers/current').then(
      ({ data, response }) => {
        // 404 means none is set up yet.
        if (response.status === 401) reportKeyNeeded();
        else setProvider(data ?? null);
      },
      (caught) => setError(describeError(caught)),
    );
    api.GET('/api/extensions').then(({ data }) => setExtensions(data ?? null), () => setExtensions(null));
  }, [keyVersion]);

  const enabled = extensions?.filter((extension) => extension.enabled) ?? [];
  return (
    <div class="page home">
      <h1>Welcome to goosed</h1>
      <p class="lead">An agent that works in your projects: it reads and edits files and runs commands, asking you first when you want it to.</p>
      {error && <p class="problem">{error}</p>}
      <ol class="steps">
        <li class={provider ? 'done' : ''}>
          <a class="step-title" href="#/providers">
            {provider ? 'Provider' : 'Set up a provider'}
          </a>
          <span class="muted">
            {provider === undefined ? '…' : provider ? `${provider.name} · ${provider.model}` : 'Anthropic, OpenAI, Ollama, Google or any OpenAI-compatible server.'}
          </span>
        </li>
        <li class={enabled.length > 0 ? 'done' : ''}>
          <a class="step-title" href="#/extensions">
            {enabled.length > 0 ? 'Extensions' : 'Add tools'}
          </a>
          <span class="muted">{enabled.length > 0 ? enabled.map((extension) => extension.name).join(', ') : 'The developer extension gives the agent a shell and a file editor.'}</span>
        </li>
        <li>
          <span class="step-title">Start a session</span>
          <span class="muted">Click “New session” in the session list (under Menu on a narrow screen); each session works in one directory.</span>
        </li>
      </ol>
    </div>
  );
}
