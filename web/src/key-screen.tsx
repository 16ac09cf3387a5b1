import { useEffect, useRef, useState } from 'preact/hooks';
import { forgetKey, readKey, saveKey } from './lib/key-store.js';
import { Field } from './lib/field.js';

/** The server wants its secret key: goosed prints it (and a link holding it) when it starts. */
export function KeyScreen({ onSaved }: { onSaved: () => void }) {
  // A key that was stored and still got a 401 is wrong (or the server was restarted with another).
  const [rejected] = useState(() => readKey() !== null);
  const [key, setKey] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    forgetKey();
    input.current?.focus();
  }, []);

  return (
    <main class="key-screen">
      <form
        class="card form"
        aria-labelledby="key-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (!key.trim()) return;
          saveKey(key.trim());
          onSaved();
        }}
      >
        <span class="brand-link">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          goosed
        </span>
        <h1 id="key-title">This server needs its key</h1>
        <p class="muted">
          goosed printed it when it started (or use the <span class="mono nowrap">/?key=…</span> link it printed). It is kept in this tab only.
        </p>
        <Field id="secret-key" label="Secret key">
          <input id="secret-key" ref={input} type="password" autoComplete="current-password" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        </Field>
        {rejected && (
          <p class="error-text" role="alert">
            That key was not accepted.
          </p>
        )}
        <div class="row">
          <button type="submit" class="button primary">
            Continue
          </button>
        </div>
      </form>
    </main>
  );
}
