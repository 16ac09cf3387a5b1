// Where the running reply began, per session, kept in sessionStorage. After a reload the page asks
// `/events` to replay from just before that reply's `message_start` and rebuilds the reply from its
// events: the stored message lags the stream by up to a flush interval, the events do not.

interface ReplyAnchor {
  messageId: string;
  /** The seq before the reply's message_start. */
  after: number;
}

const storageName = (sessionId: string) => `goosed.reply.${sessionId}`;

export function saveAnchor(sessionId: string, anchor: ReplyAnchor): void {
  try {
    sessionStorage.setItem(storageName(sessionId), JSON.stringify(anchor));
  } catch {
    // without storage a reload falls back to the stored message plus live events
  }
}

export function readAnchor(sessionId: string): ReplyAnchor | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(storageName(sessionId)) ?? 'null') as ReplyAnchor | null;
    return value && typeof value.messageId === 'string' && Number.isInteger(value.after) ? value : null;
  } catch {
    return null;
  }
}

export function clearAnchor(sessionId: string): void {
  try {
    sessionStorage.removeItem(storageName(sessionId));
  } catch {
    // nothing stored
  }
}
