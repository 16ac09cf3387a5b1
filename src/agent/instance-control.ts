import type { Notifications } from '../store/shared-store.js';

/**
 * Messages for whichever instance runs a session's reply: stop it, or an approval of it was
 * answered; and for all: the session was deleted (its reply, followers and extensions go).
 */
export type ControlMessage =
  | { kind: 'cancel'; session_id: string }
  | { kind: 'approval'; session_id: string; id: string }
  | { kind: 'deleted'; session_id: string };

/** The channel instances tell each other what the owner of a reply must do. */
export const CONTROL_CHANNEL = 'goosed_control';

/**
 * Cancel and approval answers that reach an instance not running the reply: sent on a channel every
 * instance hears (NOTIFY); the owner acts, the others find nothing of theirs and ignore it.
 */
export class InstanceControl {
  private readonly handlers = new Set<(message: ControlMessage) => void>();
  private stop: (() => Promise<void>) | null = null;

  constructor(
    private readonly notifications: Notifications,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  on(handler: (message: ControlMessage) => void): void {
    this.handlers.add(handler);
  }

  async open(): Promise<void> {
    this.stop = await this.notifications.subscribe(CONTROL_CHANNEL, (payload) => {
      let message: ControlMessage;
      try {
        message = JSON.parse(payload) as ControlMessage;
      } catch (error) {
        this.onError(error);
        return;
      }
      for (const handler of this.handlers) handler(message);
    });
  }

  send(message: ControlMessage): Promise<void> {
    return this.notifications.notify(CONTROL_CHANNEL, JSON.stringify(message));
  }

  async close(): Promise<void> {
    await this.stop?.();
  }
}
