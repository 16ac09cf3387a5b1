import { useState } from 'preact/hooks';

interface ComposerProps {
  running: boolean;
  /** False while the page is not following the session (sending then could miss the reply's start). */
  connected: boolean;
  onSend: (content: string) => Promise<boolean>;
  onCancel: () => Promise<void>;
}

export function Composer({ running, connected, onSend, onCancel }: ComposerProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [stopping, setStopping] = useState(false);
  const canSend = connected && !running && !sending && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    // The text stays until the server took it, so nothing typed is lost to a refusal.
    if (await onSend(text)) setText('');
    setSending(false);
  };
  const stop = async () => {
    setStopping(true);
    try {
      await onCancel();
    } finally {
      setStopping(false);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label for="composer-input" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        rows={3}
        value={text}
        placeholder={running ? 'The agent is replying…' : 'Ask the agent to do something'}
        aria-describedby="composer-hint"
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void send();
          } else if (event.key === 'Escape' && running) {
            event.preventDefault();
            void stop();
          }
        }}
      />
      <div class="composer-bar">
        <span id="composer-hint" class="muted small-text">
          Enter sends · Shift+Enter adds a line{running ? ' · Esc stops the reply' : ''}
        </span>
        {running ? (
          <button type="button" class="button danger" onClick={stop} disabled={stopping}>
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" class="button primary" disabled={!canSend}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}
