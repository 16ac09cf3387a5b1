import { useEffect, useRef, useState } from 'preact/hooks';
import { api, dataOf, describeError } from '../lib/api.js';
import { navigate } from '../lib/route.js';
import { sessionsChanged } from './session-list.js';
import { Field } from '../lib/field.js';

export function NewSessionForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [directory, setDirectory] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await dataOf(
        api.POST('/api/sessions', { body: { name: name.trim() || undefined, working_directory: directory.trim() || undefined } }),
      );
      sessionsChanged();
      onDone();
      navigate({ screen: 'session', id: session.id });
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <form class="new-session" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onDone()} aria-label="New session">
      <Field id="new-session-name" label="Name">
        <input id="new-session-name" ref={nameInput} value={name} placeholder="New session" maxLength={500} onInput={(event) => setName(event.currentTarget.value)} />
      </Field>
      <Field id="new-session-directory" label="Working directory">
        <input
          id="new-session-directory"
          value={directory}
          placeholder="the server's current directory"
          spellcheck={false}
          onInput={(event) => setDirectory(event.currentTarget.value)}
        />
      </Field>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="button primary small" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" class="button small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
