import { useEffect, useState } from 'preact/hooks';
import type { CurrentProvider, Provider, ProviderName } from '../../../src/client/index.js';
import { api, dataOf, describeError } from '../lib/api.js';
import { Field } from '../lib/field.js';
import { FormSubmitRow, useFormSubmit } from '../lib/form-submit.js';

export function ProvidersScreen({ keyVersion }: { keyVersion: number }) {
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const load = async () => {
    try {
      setProviders(await dataOf(api.GET('/api/providers')));
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  useEffect(() => void load(), [keyVersion]);

  const current = providers?.find((provider) => provider.current) ?? null;
  return (
    <div class="page">
      <h1>Provider</h1>
      <p class="lead">The model goosed talks to. Keys are stored on the server and never shown again; only their last four characters are.</p>
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
      {providers && (
        <>
          <p class="current-provider" role="status">
            {current ? (
              <>
                In use: <strong>{current.display_name}</strong> · <span class="mono">{current.model}</span>
              </>
            ) : (
              'No provider is set up yet: choose one below.'
            )}
          </p>
          <ProviderForm
            providers={providers}
            initial={current ?? providers[0]}
            onSaved={(saved) => {
              const name = providers.find((provider) => provider.name === saved.name)?.display_name ?? saved.name;
              setSaved(`${name} with ${saved.model} is now in use.`);
              void load();
            }}
          />
          {saved && (
            <p class="saved" role="status">
              {saved}
            </p>
          )}
          <h2>Known providers</h2>
          <ul class="provider-list">
            {providers.map((provider) => (
              <li key={provider.name} class="card">
                <div class="card-head">
                  <strong>{provider.display_name}</strong>
                  {provider.current && <span class="badge done">in use</span>}
                  {!provider.current && provider.configured && <span class="badge">configured</span>}
                </div>
                <p class="muted small-text">{provider.description}</p>
                {provider.api_key_hint && (
                  <p class="small-text">
                    Key <span class="mono">{provider.api_key_hint}</span> ({provider.api_key_source === 'environment' ? `from ${provider.api_key_env.join(' or ')}` : 'stored'})
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ProviderForm({ providers, initial, onSaved }: { providers: Provider[]; initial: Provider; onSaved: (saved: CurrentProvider) => void }) {
  const [name, setName] = useState<ProviderName>(initial.name);
  const chosen = providers.find((provider) => provider.name === name) ?? initial;
  const [model, setModel] = useState(initial.model ?? '');
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(initial.base_url ?? '');

  const choose = (next: ProviderName) => {
    const provider = providers.find((candidate) => candidate.name === next)!;
    setName(next);
    setModel(provider.model ?? '');
    setBaseUrl(provider.base_url ?? '');
    setApiKey('');
  };
  const keyNeeded = chosen.requires_api_key && chosen.api_key_source === 'none';
  const keyPlaceholder = chosen.api_key_hint
    ? `keep the ${chosen.api_key_source === 'environment' ? 'key from the environment' : 'stored key'} (${chosen.api_key_hint})`
    : chosen.requires_api_key
      ? chosen.api_key_env.length > 0
        ? `or set ${chosen.api_key_env[0]} on the server`
        : 'required'
      : 'not needed';

  const submit = useFormSubmit(async () => {
    const saved = await dataOf(
      api.POST('/api/providers', {
        body: { name, model: model.trim(), api_key: apiKey.trim() || undefined, base_url: baseUrl.trim() || undefined },
      }),
    );
    setApiKey('');
    onSaved(saved);
  });

  return (
    <form class="card form" onSubmit={submit.onSubmit} aria-labelledby="provider-form-title">
      <h2 id="provider-form-title">Set up a provider</h2>
      <Field id="provider-name" label="Provider" hint={chosen.description}>
        <select id="provider-name" aria-describedby="provider-name-hint" value={name} onChange={(event) => choose(event.currentTarget.value as ProviderName)}>
          {providers.map((provider) => (
            <option value={provider.name}>{provider.display_name}</option>
          ))}
        </select>
      </Field>
      <Field id="provider-model" label="Model">
        <input id="provider-model" value={model} required maxLength={200} spellcheck={false} onInput={(event) => setModel(event.currentTarget.value)} />
      </Field>
      <Field id="provider-key" label="API key">
        <input
          id="provider-key"
          type="password"
          value={apiKey}
          autoComplete="off"
          required={keyNeeded}
          placeholder={keyPlaceholder}
          onInput={(event) => setApiKey(event.currentTarget.value)}
        />
      </Field>
      <Field id="provider-base-url" label="Base URL" hint={chosen.requires_base_url ? undefined : 'Optional: for a proxy or a server of your own.'}>
        <input
          id="provider-base-url"
          aria-describedby={chosen.requires_base_url ? undefined : 'provider-base-url-hint'}
          type="url"
          value={baseUrl}
          required={chosen.requires_base_url}
          spellcheck={false}
          placeholder={chosen.requires_base_url ? 'e.g. http://localhost:1234/v1' : "the provider's default"}
          onInput={(event) => setBaseUrl(event.currentTarget.value)}
        />
      </Field>
      <FormSubmitRow submit={submit} label="Save and use" busyLabel="Saving…" />
    </form>
  );
}
