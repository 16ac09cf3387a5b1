import { useEffect, useRef, useState } from 'preact/hooks';
import { api, dataOf } from '../lib/api.js';
import { navigate } from '../lib/route.js';
import { sessionsChanged } from './session-list.js';
import { Field } from '../lib/field.js';
import { FormSubmitRow, useFormSubmit } from '../lib/form-submit.js';

/** Directories recent sessions worked in, newest first, each once. */
function useRecentDirectories(limit = 4): string[] {
  const [directories, setDirectories] = useState<string[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    // The list is ordered by last activity; a failure only means no suggestions.
    dataOf(api.GET('/api/sessions', { params: { query: { limit: 50 } }, signal: controller.signal })).then(
      (sessions) => setDirectories([...new Set(sessions.map((session) => session.working_directory))].slice(0, limit)),
      () => {},
    );
    return () => controller.abort();
  }, []);
  return directories;
}

/** The default_working_directory setting, shown where the form leaves the directory empty. */
function useDefaultDirectory(): string | null {
  const [directory, setDirectory] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    dataOf(api.GET('/api/config', { signal: controller.signal })).then(
      (settings) => setDirectory(settings.default_working_directory),
      () => {},
    );
    return () => controller.abort();
  }, []);
  return directory;
}

export function NewSessionForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [directory, setDirectory] = useState('');
  const recent = useRecentDirectories();
  const defaultDirectory = useDefaultDirectory();
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);

  const submit = useFormSubmit(async () => {
    const session = await dataOf(
      api.POST('/api/sessions', { body: { name: name.trim() || undefined, working_directory: directory.trim() || undefined } }),
    );
    sessionsChanged();
    onDone();
    navigate({ screen: 'session', id: session.id });
  });

  // Esc closes the form only, not the menu around it.
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onDone();
  };

  return (
    <form class="new-session" onSubmit={submit.onSubmit} onKeyDown={closeOnEscape} aria-label="New session">
      <Field id="new-session-name" label="Name">
        <input id="new-session-name" ref={nameInput} value={name} placeholder="New session" maxLength={500} onInput={(event) => setName(event.currentTarget.value)} />
      </Field>
      <Field id="new-session-directory" label="Working directory" hint="~ is your home; a relative path is under the default.">
        <input
          id="new-session-directory"
          value={directory}
          placeholder={defaultDirectory === null ? 'the default directory' : `${defaultDirectory} (the default)`}
          spellcheck={false}
          aria-describedby="new-session-directory-hint"
          onInput={(event) => setDirectory(event.currentTarget.value)}
        />
      </Field>
      {recent.length > 0 && (
        <div class="recent-directories" role="group" aria-label="Recent directories">
          <span class="muted small-text">Recent:</span>
          {recent.map((path) => (
            <button type="button" class="directory-chip mono" title={path} aria-pressed={directory === path} onClick={() => setDirectory(path)}>
              {path}
            </button>
          ))}
        </div>
      )}
      <FormSubmitRow submit={submit} label="Create" busyLabel="Creating…" small>
        <button type="button" class="button small" onClick={onDone}>
          Cancel
        </button>
      </FormSubmitRow>
    </form>
  );
}
