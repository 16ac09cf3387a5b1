import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExecutionMode, SessionSummary } from '../../../src/client/index.js';
import { describeError } from '../lib/api.js';
import { formatTokens } from '../lib/format.js';
import { navigate } from '../lib/route.js';
import { sessionsChanged } from '../sessions/session-list.js';
import { executionModes } from '../settings/execution-modes.js';
import { deleteSession, updateSession } from './chat-actions.js';
import { ContextMeter } from './context-meter.js';
import { ModelFact, ModelForm, useProviders } from './model-picker.js';

export function ChatHeader({ session, onError }: { session: SessionSummary; onError: (message: string | null) => void }) {
  const [renaming, setRenaming] = useState(false);
  const [choosingModel, setChoosingModel] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const providers = useProviders(session.id);

  const act = async (action: () => Promise<unknown>) => {
    onError(null);
    try {
      await action();
      sessionsChanged();
      return true;
    } catch (error) {
      onError(describeError(error));
      return false;
    }
  };
  const changeMode = (value: string) =>
    act(() => updateSession(session.id, { execution_mode: value === '' ? null : (value as ExecutionMode) }));
  const remove = async () => {
    if (await act(() => deleteSession(session.id))) navigate({ screen: 'home' });
  };

  return (
    <header class="chat-head">
      <div class="chat-title">
        {renaming ? (
          <RenameForm session={session} onDone={() => setRenaming(false)} act={act} />
        ) : (
          <h1 id="chat-title">{session.name}</h1>
        )}
        <p class="muted small-text chat-facts">
          <span class="mono" title="Working directory">
            {session.working_directory}
          </span>
          {session.usage.total_tokens > 0 && <span> · {formatTokens(session.usage.total_tokens)}</span>}
          {providers && (
            <span>
              {' · '}
              <ModelFact session={session} providers={providers} />
            </span>
          )}
        </p>
      </div>
      <div class="chat-tools">
        <ContextMeter session={session} onError={onError} />
        <span class="mode-picker">
          <label for="session-mode" class="muted small-text">
            Tools
          </label>
          <select id="session-mode" value={session.execution_mode ?? ''} onChange={(event) => changeMode(event.currentTarget.value)}>
            <option value="">Server setting</option>
            {executionModes.map((mode) => (
              <option value={mode.value}>{mode.label}</option>
            ))}
          </select>
        </span>
        {providers && !choosingModel && (
          <button type="button" class="button small" onClick={() => setChoosingModel(true)}>
            Model…
          </button>
        )}
        {!renaming && (
          <button type="button" class="button small" onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
        {confirmingDelete ? (
          <span class="confirm" role="group" aria-label="Delete this session?">
            <span class="small-text">Delete?</span>
            <button type="button" class="button small danger" onClick={remove}>
              Delete
            </button>
            <button type="button" class="button small" onClick={() => setConfirmingDelete(false)} autoFocus>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="button small" onClick={() => setConfirmingDelete(true)}>
            Delete…
          </button>
        )}
      </div>
      {choosingModel && providers && <ModelForm session={session} providers={providers} onDone={() => setChoosingModel(false)} act={act} />}
    </header>
  );
}

function RenameForm({ session, onDone, act }: { session: SessionSummary; onDone: () => void; act: (action: () => Promise<unknown>) => Promise<boolean> }) {
  const [name, setName] = useState(session.name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed && trimmed !== session.name && !(await act(() => updateSession(session.id, { name: trimmed })))) return;
    onDone();
  };
  return (
    <form class="rename" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <label class="visually-hidden" for="rename-input">
        Session name
      </label>
      <input id="rename-input" ref={input} value={name} maxLength={500} onInput={(event) => setName(event.currentTarget.value)} />
      <button type="submit" class="button small primary">
        Save
      </button>
      <button type="button" class="button small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
