import { useEffect, useState } from 'preact/hooks';

/** How a send went: sent; refused because a reply is running (`busy`); or failed (the chat says why). */
export type SendResult = 'sent' | 'busy' | 'failed';

interface ComposerProps {
  running: boolean;
  /** False while the page is not following the session (sending then could miss the reply's start). */
  connected: boolean;
  /** `queue`: wait for the running reply to finish, then send (the API's `queue: true`). */
  onSend: (content: string, queue: boolean) => Promise<SendResult>;
  onCancel: () => Promise<void>;
}

export function Composer({ running, connected, onSend, onCancel }: ComposerProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [stopping, setStopping] = useState(false);
  /** Set when a send met a running reply: the page says so and offers to send after it. */
  const [busyNote, setBusyNote] = useState(false);
  /** A message waiting for the running reply to finish. */
  const [queued, setQueued] = useState<string | null>(null);
  const hasText = text.trim().length > 0;
  const canSend = connected && !sending && hasText;

  useEffect(() => {
    if (!running) setBusyNote(false);
  }, [running]);

  const send = async () => {
    if (!canSend) return;
    if (running) {
      setBusyNote(true);
      return;
    }
    setSending(true);
    // The text stays until the server took it, so nothing typed is lost to a refusal.
    const result = await onSend(text, false);
    if (result === 'sent') setText('');
    // Another tab started a reply just before: the same offer as for one this tab saw running.
    if (result === 'busy') setBusyNote(true);
    setSending(false);
  };
  const sendWhenDone = async () => {
    if (!canSend || queued !== null) return;
    const content = text;
    setBusyNote(false);
    setQueued(content);
    setText('');
    const result = await onSend(content, true);
    setQueued(null);
    // Not taken: the text comes back (unless something new was typed meanwhile).
    if (result !== 'sent') setText((current) => current || content);
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
      {queued !== null && (
        <p class="composer-note" role="status">
          Waiting to send “<span class="queued-text">{queued.length > 80 ? `${queued.slice(0, 80)}…` : queued}</span>” when the reply finishes.
        </p>
      )}
      {busyNote && running && (
        <p class="composer-note" role="status">
          A reply is still running. Send your message when it finishes, or stop the reply first.
        </p>
      )}
      <textarea
        id="composer-input"
        rows={3}
        value={text}
        placeholder={running ? 'The agent is replying… you can write your next message' : 'Ask the agent to do something'}
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
        <span class="row">
          {running && (
            <button type="button" class="button" onClick={sendWhenDone} disabled={!canSend || queued !== null}>
              Send when it finishes
            </button>
          )}
          {running ? (
            <button type="button" class="button danger" onClick={stop} disabled={stopping}>
              {stopping ? 'Stopping…' : 'Stop'}
            </button>
          ) : (
            <button type="submit" class="button primary" disabled={!canSend}>
              {sending ? 'Sending…' : 'Send'}
            </button>
          )}
        </span>
      </div>
    </form>
  );
}
