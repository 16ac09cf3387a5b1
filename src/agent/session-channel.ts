import { liveEventTypes, type EventPayload, type SessionEvent } from '../api/events.js';
import type { Store } from '../store/store.js';
import { ReplayWindow, type EventHead, type ReplayLimits } from './replay-window.js';

/** One published event with its JSON, serialised once and shared by every subscriber. */
export interface PublishedEvent {
  /** The event itself when published live; only its head (or the stored event) when replayed. */
  event: EventHead;
  json: string;
  /** The SSE frame, encoded once by the first SSE subscriber and shared by the rest. */
  sseFrame?: Uint8Array;
  /** The WebSocket text frame's UTF-8 bytes, likewise made once by the first WebSocket subscriber. */
  wsFrame?: Buffer;
}

export interface Subscriber {
  deliver(published: PublishedEvent): void;
  /** The session is gone (deleted): the subscriber should end its connection. */
  end?(reason: string): void;
}

const SEQ_BLOCK = 1000;

/**
 * A session's event stream: hands out `seq`, commits durable events to the store before anyone
 * sees them, keeps recent events (text deltas included) for replay, and fans out to subscribers.
 * Everything here is synchronous, so a replay and the switch to live delivery cannot interleave
 * with a publish: a subscriber never misses or repeats an event.
 */
export class SessionChannel {
  private head: number;
  private ceiling: number;
  private readonly recent: ReplayWindow;
  readonly subscribers = new Set<Subscriber>();
  lastActivity = Date.now();

  constructor(
    readonly sessionId: string,
    private readonly store: Store,
    replayLimits: ReplayLimits,
  ) {
    this.recent = new ReplayWindow(replayLimits);
    // Numbers up to the stored ceiling may have gone out before a restart: start above them.
    const { floor, ceiling } = store.reserveSeq(sessionId, SEQ_BLOCK);
    this.head = floor;
    this.ceiling = ceiling;
  }

  get headSeq(): number {
    return this.head;
  }

  publish(payload: EventPayload): PublishedEvent {
    if (this.head >= this.ceiling) this.ceiling = this.store.reserveSeq(this.sessionId, SEQ_BLOCK).ceiling;
    const event = { ...payload, seq: ++this.head, session_id: this.sessionId, created_at: new Date().toISOString() } as SessionEvent;
    const json = JSON.stringify(event);
    if (!liveEventTypes.has(event.type)) this.store.appendEvent(event, json);
    // The head, not the event: a kept message_complete must not hold the whole message twice.
    this.recent.add({ seq: event.seq, type: event.type, message_id: event.message_id }, json);
    const published = { event, json };
    this.lastActivity = Date.now();
    for (const subscriber of this.subscribers) subscriber.deliver(published);
    return published;
  }

  /**
   * Delivers what came after `after` (from memory, else from the store when nothing is missing
   * there), or one `resync` event when the gap cannot be filled; then adds the subscriber.
   * `after === null` means "from now on".
   */
  subscribe(subscriber: Subscriber, after: number | null): () => void {
    if (after !== null && after !== this.head) {
      for (const published of this.replay(after)) subscriber.deliver(published);
    }
    this.subscribers.add(subscriber);
    this.lastActivity = Date.now();
    return () => {
      this.subscribers.delete(subscriber);
      this.lastActivity = Date.now();
    };
  }

  private replay(after: number): PublishedEvent[] {
    if (after > this.head || after < 0) return [this.resync(`seq ${after} is not one this session has handed out`)];
    const gone = () => [this.resync(`events after seq ${after} are no longer available`)];
    const oldestInMemory = this.recent.oldestSeq ?? this.head + 1;
    const replayed: PublishedEvent[] = [];
    if (after + 1 < oldestInMemory) {
      // Older than memory: the store has the durable events; usable only if none are missing.
      const wanted = oldestInMemory - 1 - after;
      const stored = this.store.listEvents(this.sessionId, after, wanted);
      const complete = stored.length === wanted && stored.every((event, index) => event.seq === after + 1 + index);
      if (!complete) return gone();
      for (const event of stored) replayed.push({ event, json: JSON.stringify(event) });
    }
    for (const { event, json } of this.recent.since(after)) {
      const text = json ?? this.storedJson(event);
      if (text === null) return gone();
      // A new object: frames a replaying subscriber makes must not attach to what memory keeps.
      replayed.push({ event, json: text });
    }
    return replayed;
  }

  /** An event that was too big to keep in memory: a durable one is in the store, a live one is gone. */
  private storedJson(event: EventHead): string | null {
    if (liveEventTypes.has(event.type)) return null;
    const [stored] = this.store.listEvents(this.sessionId, event.seq - 1, 1);
    return stored?.seq === event.seq ? JSON.stringify(stored) : null;
  }

  /** Not stored and not numbered anew: it carries the current head so the client resumes from it. */
  private resync(reason: string): PublishedEvent {
    const event: SessionEvent = { type: 'resync', reason, seq: this.head, session_id: this.sessionId, created_at: new Date().toISOString() };
    return { event, json: JSON.stringify(event) };
  }
}
