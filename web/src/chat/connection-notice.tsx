import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../src/client/index.js';
import type { Connection } from './use-chat.js';

/**
 * Whether to say, once reconnected, that the server restarted. A reply only ever ends `interrupted`
 * when the server stopped under it, so a reply this page saw running that is now interrupted means
 * a restart, whether its end came just before the connection dropped or after the page came back.
 */
export function useRestartNotice(messages: Message[], connection: Connection): { shown: boolean; dismiss: () => void } {
  const seenRunning = useRef(new Set<string>());
  const told = useRef(new Set<string>());
  const [lostConnection, setLostConnection] = useState(false);
  const [, setDismissals] = useState(0);

  for (const message of messages) if (message.status === 'running') seenRunning.current.add(message.id);
  const interrupted = messages.filter((message) => message.status === 'interrupted' && seenRunning.current.has(message.id) && !told.current.has(message.id));

  useEffect(() => {
    if (connection.state === 'reconnecting') setLostConnection(true);
  }, [connection.state]);

  return {
    shown: lostConnection && connection.state === 'open' && interrupted.length > 0,
    dismiss: () => {
      if (interrupted.length === 0) return;
      for (const message of interrupted) told.current.add(message.id);
      setDismissals((count) => count + 1);
    },
  };
}

/** The state of the connection, in flow above the conversation (never over it), and only what is true. */
export function ConnectionNotice({ connection, restarted, onDismiss }: { connection: Connection; restarted: boolean; onDismiss: () => void }) {
  if (connection.state === 'reconnecting') {
    return (
      <p class="notice" role="status">
        Connection lost — reconnecting…
      </p>
    );
  }
  if (connection.state === 'failed') {
    return (
      <p class="notice error" role="alert">
        {connection.message}
      </p>
    );
  }
  if (restarted) {
    return (
      <p class="notice" role="status">
        Reconnected. The server restarted meanwhile: the reply that was running was interrupted, and what it wrote is kept.{' '}
        <button type="button" class="button small" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
    );
  }
  return null;
}
