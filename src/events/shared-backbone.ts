import { EVENTS_CHANNEL, type SharedStore, type StoredEventText, type UnnumberedEvent } from '../store/shared-store.js';

/** Live events (text deltas) stay in the database this long for followers who rejoin; durable ones for good. */
export const LIVE_EVENTS_KEPT_MS = 10 * 60_000;

/** Where news of a session's events goes: `onNews` with the last seq committed, `onMissed` after a lost connection. */
export interface EventNews {
  onNews(sessionId: string, lastSeq: number): void;
  onMissed(): void;
}

/**
 * The event backbone of several instances on one database (store/shared-store.ts): every event,
 * live ones too, is numbered and stored by the database, and each commit is announced to every
 * instance as `<session> <seq>`; followers anywhere read the rows after the last seq they got.
 */
export class SharedBackbone {
  /** Resolves once this instance listens for news: a log opened after it misses nothing. */
  readonly listening: Promise<void>;
  private stop: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: Pick<SharedStore, 'sharedEvents' | 'notifications'>,
    news: EventNews,
  ) {
    this.listening = store.notifications
      .subscribe(
        EVENTS_CHANNEL,
        (payload) => {
          // `<session id> <seq>`: the id may hold spaces, the seq never does.
          const space = payload.lastIndexOf(' ');
          const seq = Number(payload.slice(space + 1));
          if (space > 0 && Number.isSafeInteger(seq)) news.onNews(payload.slice(0, space), seq);
        },
        () => news.onMissed(),
      )
      .then((stop) => {
        this.stop = stop;
      });
    // A failure shows where a log waits for it (its opening fails, and is tried again on next use).
    this.listening.catch(() => {});
  }

  /** Numbers and stores the events; the seq of the last. */
  append(sessionId: string, events: readonly UnnumberedEvent[]): Promise<number> {
    return this.store.sharedEvents.append(sessionId, events);
  }

  read(sessionId: string, after: number, limit: number): Promise<StoredEventText[]> {
    return this.store.sharedEvents.read(sessionId, after, limit);
  }

  /** The session's last committed seq (0 for a session that is gone: nothing more will come). */
  async last(sessionId: string): Promise<number> {
    return (await this.store.sharedEvents.last(sessionId)) ?? 0;
  }

  prune(): Promise<number> {
    return this.store.sharedEvents.pruneLive(LIVE_EVENTS_KEPT_MS);
  }

  async close(): Promise<void> {
    await this.stop?.();
  }
}
