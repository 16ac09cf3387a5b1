import { useEffect, useRef, useState } from 'preact/hooks';
import type { Provider, ProviderName, SessionSummary } from '../../../src/client/index.js';
import { api, dataOf } from '../lib/api.js';
import { updateSession } from './chat-actions.js';

/** The providers as goosed lists them, fetched again when the session shown changes; null until then. */
export function useProviders(sessionId: string): Provider[] | null {
  const [providers, setProviders] = useState<Provider[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Without the list the header shows no model; the chat itself does not need it.
    dataOf(api.GET('/api/providers', { signal: controller.signal })).then(setProviders, () => {});
    return () => controller.abort();
  }, [sessionId]);
  return providers;
}

/** What the session's replies use: its own provider, else the server's current one, each with its model. */
export function modelInUse(session: SessionSummary, providers: Provider[]): { provider: Provider; model: string | null } | null {
  const provider = providers.find((candidate) => (session.provider ? candidate.name === session.provider : candidate.current));
  return provider ? { provider, model: session.model ?? provider.model } : null;
}

const label = (provider: Provider, model: string | null) => `${provider.display_name} · ${model ?? 'no model'}`;

/** The header's line about the model: what the session uses, and whether it is the session's own choice. */
export function ModelFact({ session, providers }: { session: SessionSummary; providers: Provider[] | null }) {
  if (!providers) return null;
  const inUse = modelInUse(session, providers);
  return (
    <span class="model-fact" title="Provider and model of this session's replies">
      {inUse ? label(inUse.provider, inUse.model) : 'No provider yet'}
      {inUse && !session.provider && <span class="muted"> (server's)</span>}
    </span>
  );
}

/** Chooses the session's provider and model; saved with PATCH, applied from the next reply. */
export function ModelForm(props: {
  session: SessionSummary;
  providers: Provider[];
  onDone: () => void;
  act: (action: () => Promise<unknown>) => Promise<boolean>;
}) {
  const { session, providers, onDone, act } = props;
  const [provider, setProvider] = useState<ProviderName | ''>(session.provider ?? '');
  const [model, setModel] = useState(session.model ?? '');
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);

  const current = providers.find((candidate) => candidate.current);
  // Configured providers, and the session's own even if it was forgotten since (so the select shows it).
  const choices = providers.filter((candidate) => candidate.configured || candidate.name === session.provider);
  const chosen = providers.find((candidate) => candidate.name === provider);

  const choose = (value: ProviderName | '') => {
    setProvider(value);
    // A model belongs to its provider.
    setModel(value !== '' && value === session.provider ? (session.model ?? '') : '');
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const change = provider === '' ? { provider: null } : { provider, model: model.trim() || null };
    if (await act(() => updateSession(session.id, change))) onDone();
  };

  return (
    <form class="model-form" aria-label="Provider and model" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <label for="session-provider" class="small-text">
        Provider
      </label>
      <select id="session-provider" ref={select} value={provider} onChange={(event) => choose(event.currentTarget.value as ProviderName | '')}>
        <option value="">{current ? `Server's current: ${label(current, current.model)}` : "Server's current (none yet)"}</option>
        {choices.map((candidate) => (
          <option value={candidate.name}>{candidate.display_name}</option>
        ))}
      </select>
      <label for="session-model" class="small-text">
        Model
      </label>
      <input
        id="session-model"
        class="mono"
        value={model}
        maxLength={200}
        spellcheck={false}
        disabled={provider === ''}
        placeholder={provider === '' ? "the server's" : (chosen?.model ?? 'model name')}
        onInput={(event) => setModel(event.currentTarget.value)}
      />
      <button type="submit" class="button small primary">
        Use
      </button>
      <button type="button" class="button small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
