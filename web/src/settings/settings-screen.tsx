import { useEffect, useState } from 'preact/hooks';
import type { components, Settings } from '../../../src/client/index.js';
import { api, dataOf, describeError } from '../lib/api.js';
import { Field } from '../lib/field.js';
import { executionModes } from './execution-modes.js';

type SettingsPatch = components['schemas']['SettingsPatch'];

export function SettingsScreen({ keyVersion }: { keyVersion: number }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [maxTurns, setMaxTurns] = useState('');
  const [directory, setDirectory] = useState('');

  useEffect(() => {
    dataOf(api.GET('/api/config')).then(
      (loaded) => {
        setSettings(loaded);
        setMaxTurns(String(loaded.max_turns));
        setDirectory(loaded.default_working_directory);
      },
      (error) => setStatus({ text: describeError(error), error: true }),
    );
  }, [keyVersion]);

  // Each change is saved at once (the server writes its config file atomically).
  const save = async (patch: SettingsPatch) => {
    setStatus(null);
    try {
      const updated = await dataOf(api.PATCH('/api/config', { body: patch }));
      setSettings(updated);
      setMaxTurns(String(updated.max_turns));
      setDirectory(updated.default_working_directory);
      setStatus({ text: 'Saved.', error: false });
    } catch (error) {
      setStatus({ text: describeError(error), error: true });
    }
  };

  return (
    <div class="page">
      <h1>Settings</h1>
      <p class="lead">For every session on this server; a session can choose its own tool mode in its header.</p>
      {settings && (
        <form class="card form" onSubmit={(event) => event.preventDefault()} aria-label="Settings">
          <fieldset class="choices">
            <legend>When the agent wants to use a tool</legend>
            {executionModes.map((mode) => (
              <label class="choice described">
                <input
                  type="radio"
                  name="execution-mode"
                  value={mode.value}
                  checked={settings.execution_mode === mode.value}
                  onChange={() => save({ execution_mode: mode.value })}
                />
                <span>
                  <strong>{mode.label}</strong>
                  <span class="muted small-text">{mode.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label class="check">
            <input type="checkbox" checked={settings.auto_save} onChange={(event) => save({ auto_save: event.currentTarget.checked })} />
            Save new sessions to disk (off: they live in memory until the server stops)
          </label>
          <div class="inline">
            <label for="max-turns">Most model calls in one reply</label>
            <input
              id="max-turns"
              type="number"
              min={1}
              max={1000}
              value={maxTurns}
              onInput={(event) => setMaxTurns(event.currentTarget.value)}
              onChange={(event) => {
                const value = Number(event.currentTarget.value);
                if (Number.isInteger(value) && value !== settings.max_turns) void save({ max_turns: value });
              }}
            />
          </div>
          <Field
            id="default-directory"
            label="Default working directory"
            hint="Where new sessions work unless given another; ~ is your home, and a relative path is taken from here."
          >
            <input
              id="default-directory"
              class="mono"
              value={directory}
              spellcheck={false}
              aria-describedby="default-directory-hint"
              onInput={(event) => setDirectory(event.currentTarget.value)}
              onChange={(event) => {
                const value = event.currentTarget.value.trim();
                if (value && value !== settings.default_working_directory) void save({ default_working_directory: value });
              }}
            />
          </Field>
        </form>
      )}
      {status && (
        <p class={status.error ? 'problem' : 'saved'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
    </div>
  );
}
