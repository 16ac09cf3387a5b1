import { liveEventTypes, type EventPayload, type SessionEvent } from '../api/events.js';
import type { Store } from '../store/store.js';

/** One published event with its JSON, serialised once and shared by every subscriber. */
export interface PublishedEvent {
  event: SessionEvent;
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
  private readonly recent: PublishedEvent[] = [];
  private recentStart = 0;
  readonly subscribers = new Set<Subscriber>();
  lastActivity = Date.now();

  constructor(
    readonly sessionId: string,
    private readonly store: Store,
    private readonly replayCapacity: number,
  ) {
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
    if (!liveEventTypes.has(event.type)) this.store.appendEvent(event);
    const published = { event, json: JSON.stringify(event) };
    this.remember(published);
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
    const oldestInMemory = this.recent.length > 0 ? this.recent[this.recentStart].event.seq : this.head + 1;
    const fromMemory = (from: number) => this.recentSince(from);
    if (after + 1 >= oldestInMemory) return fromMemory(after);
    // Older than memory: the store has the durable events; usable only if none are missing.
    const wanted = oldestInMemory - 1 - after;
    const stored = this.store.listEvents(this.sessionId, after, wanted);
    const complete = stored.length === wanted && stored.every((event, index) => event.seq === after + 1 + index);
    if (!complete) return [this.resync(`events after seq ${after} are no longer available`)];
    return [...stored.map((event) => ({ event, json: JSON.stringify(event) })), ...fromMemory(oldestInMemory - 1)];
  }

  /** Not stored and not numbered anew: it carries the current head so the client resumes from it. */
  private resync(reason: string): PublishedEvent {
    const event: SessionEvent = { type: 'resync', reason, seq: this.head, session_id: this.sessionId, created_at: new Date().toISOString() };
    return { event, json: JSON.stringify(event) };
  }

  private remember(published: PublishedEvent): void {
    if (this.recent.length < this.replayCapacity) {
      this.recent.push(published);
      return;
    }
    // A ring: overwrite the oldest.
    this.recent[this.recentStart] = published;
    this.recentStart = (this.recentStart + 1) % this.replayCapacity;
  }

  private recentSince(after: number): PublishedEvent[] {
    const ordered = this.recentStart === 0 ? this.recent : [...this.recent.slice(this.recentStart), ...this.recent.slice(0, this.recentStart)];
    let low = 0;
    let high = ordered.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (ordered[middle].event.seq <= after) low = middle + 1;
      else high = middle;
    }
    return ordered.slice(low);
  }
}
