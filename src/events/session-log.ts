import { liveEventTypes, type EventPayload, type SessionEvent } from '../api/events.js';
import type { EventBackbone, SeqBlock } from './event-backbone.js';
import type { FollowEnd, Follower, PublishedEvent } from './follower.js';
import { stampedEvent } from './stamped-event.js';
import { ReplayWindow, type EventHead, type KeptEvent, type ReplayLimits } from './replay-window.js';

/** An event waiting to be numbered, and its publisher. */
export interface Queued {
  payload: EventPayload;
  resolve(event: SessionEvent): void;
  reject(error: unknown): void;
}

/** One follow() call; `held` collects live events while its replay is read from the store. */
export interface Subscription {
  follower: Follower;
  held: PublishedEvent[] | null;
  closed: boolean;
}

/** When fewer numbers than this are left, the next block is reserved in the background. */
const RESERVE_AHEAD = 500;

const ignore = () => {};
const COMMITTED = Promise.resolve();

/**
 * A session's event stream: hands out `seq`, commits durable events before anyone sees them, keeps
 * recent events (text deltas included) for replay, and fans out to followers, in seq order.
 *
 * A live event with nothing waiting ahead of it is numbered and delivered at once, in the caller's
 * turn: a text delta costs no promise hop. Everything else waits its turn in a queue: the log's
 * opening (its first numbers), a block of numbers, or a durable event being committed.
 */
export class SessionLog {
  /** The last seq numbered, and the last delivered (a durable event is committed in between). */
  private numbered = 0;
  private delivered = 0;
  private block: SeqBlock | null = null;
  private readonly nextBlocks: SeqBlock[] = [];
  private reserving: Promise<void> | null = null;
  private readonly queue: Queued[] = [];
  private draining = false;
  /** Work that needs the log's first numbers; null once they came. */
  private waitingForOpen: (() => void)[] | null = [];
  private readonly recent: ReplayWindow;
  private readonly followers = new Set<Subscription>();
  /** Why the log could not open (the store is gone): it is replaced on next use. */
  failure: unknown = null;
  lastActivity = Date.now();

  constructor(
    readonly sessionId: string,
    private readonly backbone: EventBackbone,
    limits: ReplayLimits,
  ) {
    this.recent = new ReplayWindow(limits);
    this.reserving = this.reserveBlock().then(
      () => {
        const waiting = this.waitingForOpen ?? [];
        this.waitingForOpen = null;
        for (const work of waiting) work();
      },
      (error: unknown) => {
        this.failure = error;
        for (const queued of this.queue.splice(0)) queued.reject(error);
      },
    );
  }

  get followerCount(): number {
    return this.followers.size;
  }

  /** Whether the log holds nothing in flight: it may be let go (its durable events stay in the store). */
  get idle(): boolean {
    return this.followers.size === 0 && this.queue.length === 0 && this.reserving === null;
  }

  /**
   * Numbers the event, commits it when durable, and delivers it. Resolves with the event once it
   * has been delivered; a live event with nothing ahead of it is delivered before this returns.
   */
  publish(payload: EventPayload): Promise<SessionEvent> {
    this.lastActivity = Date.now();
    if (this.queue.length === 0 && this.block !== null && this.numbered < this.block.last && liveEventTypes.has(payload.type)) {
      const event = this.number(payload);
      this.deliver(event, JSON.stringify(event));
      return Promise.resolve(event);
    }
    const published = new Promise<SessionEvent>((resolve, reject) => {
      if (this.failure !== null) reject(this.failure);
      else this.queue.push({ payload, resolve, reject });
    });
    // A caller that does not wait for its event must not turn a failed commit into a crash.
    published.catch(ignore);
    void this.drain();
    return published;
  }

  /**
   * Delivers what came after `after` (from memory, else from the store when nothing is missing
   * there), or one `resync` event when the gap cannot be filled; then live events. `after === null`
   * means "from now on". Returns the way to stop following.
   */
  follow(follower: Follower, after: number | null): () => void {
    const subscription: Subscription = { follower, held: null, closed: false };
    this.lastActivity = Date.now();
    this.whenOpen(() => this.attach(subscription, after));
    return () => {
      subscription.closed = true;
      this.followers.delete(subscription);
      this.lastActivity = Date.now();
    };
  }

  /** The seq of the last event delivered: following from it gives what comes next. */
  head(): Promise<number> {
    return new Promise((resolve) => this.whenOpen(() => resolve(this.delivered)));
  }

  /**
   * An event only for the one who asks (a reply's end, a refused frame): not stored and not
   * numbered anew, it carries the seq of the last event delivered, so the client resumes from it.
   */
  unnumbered(payload: EventPayload): Promise<PublishedEvent> {
    return new Promise((resolve) => this.whenOpen(() => resolve(this.unnumberedAt(payload, this.delivered))));
  }

  /** The session was deleted: every follower is told, and nothing more is delivered. */
  end(reason: FollowEnd): void {
    const followers = [...this.followers];
    this.followers.clear();
    for (const { follower } of followers) follower.end?.(reason);
  }

  private whenOpen(work: () => void): void {
    if (this.waitingForOpen === null) work();
    else this.waitingForOpen.push(work);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        if (!this.hasNumber()) {
          try {
            await this.moreNumbers();
          } catch (error) {
            this.queue.shift()!.reject(error);
            continue;
          }
        }
        // Every event waiting now is numbered and committed at once (a store that batches writes
        // commits them together), then delivered in one run: a reply's start costs one commit and
        // one socket write per client, not one per event.
        const run: { queued: Queued; event: SessionEvent; json: string }[] = [];
        const commits: Promise<void>[] = [];
        while (run.length < this.queue.length && this.hasNumber()) {
          const queued = this.queue[run.length];
          const event = this.number(queued.payload);
          const json = JSON.stringify(event);
          run.push({ queued, event, json });
          commits.push(liveEventTypes.has(event.type) ? COMMITTED : this.backbone.commit(event, json));
        }
        const outcomes = await Promise.allSettled(commits);
        this.queue.splice(0, run.length);
        run.forEach(({ queued, event, json }, index) => {
          const outcome = outcomes[index];
          // A failed commit leaves its number unused: a follower replaying across it gets a resync.
          if (outcome.status === 'rejected') return queued.reject(outcome.reason);
          this.deliver(event, json);
          queued.resolve(event);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  private hasNumber(): boolean {
    return (this.block !== null && this.numbered < this.block.last) || this.nextBlocks.length > 0;
  }

  /** Waits for the reservation in flight, or makes one (also the first, while the log opens). */
  private async moreNumbers(): Promise<void> {
    while (!this.hasNumber()) {
      if (this.failure !== null) throw this.failure;
      await (this.reserving ?? (this.reserving = this.reserveBlock()));
    }
  }

  private async reserveBlock(): Promise<void> {
    try {
      const block = await this.backbone.reserve(this.sessionId);
      if (this.block === null) {
        this.block = block;
        this.numbered = this.delivered = block.first - 1;
      } else {
        this.nextBlocks.push(block);
      }
    } finally {
      this.reserving = null;
    }
  }

  private number(payload: EventPayload): SessionEvent {
    if (this.numbered >= this.block!.last) {
      this.block = this.nextBlocks.shift()!;
      this.numbered = this.block.first - 1;
    }
    const seq = ++this.numbered;
    if (this.block!.last - seq < RESERVE_AHEAD && this.nextBlocks.length === 0 && this.reserving === null) {
      this.reserving = this.reserveBlock().catch(ignore);
    }
    return this.stamped(payload, seq);
  }

  private stamped(payload: EventPayload, seq: number): SessionEvent {
    return stampedEvent(payload, seq, this.sessionId);
  }

  private deliver(event: SessionEvent, json: string): void {
    this.delivered = event.seq;
    // The head, not the event: a kept message_complete must not hold the whole message twice.
    this.recent.add({ seq: event.seq, type: event.type, message_id: event.message_id }, json);
    const published: PublishedEvent = { event, json };
    for (const subscription of this.followers) {
      if (subscription.held) subscription.held.push(published);
      else subscription.follower.deliver(published);
    }
  }

  private attach(subscription: Subscription, after: number | null): void {
    if (subscription.closed) return;
    this.followers.add(subscription);
    if (after === null || after === this.delivered) return;
    const replay = this.replay(after);
    if (Array.isArray(replay)) {
      subscription.follower.replay(replay);
      return;
    }
    // Read from the store: what is delivered meanwhile waits, to follow the replay in order.
    subscription.held = [];
    void replay.then((events) => {
      const held = subscription.held ?? [];
      subscription.held = null;
      if (subscription.closed) return;
      subscription.follower.replay(events);
      for (const published of held) subscription.follower.deliver(published);
    });
  }

  private replay(after: number): PublishedEvent[] | Promise<PublishedEvent[]> {
    const head = this.delivered;
    if (after > head || after < 0) return [this.resync(`seq ${after} is not one this session has handed out`, head)];
    const oldestInMemory = this.recent.oldestSeq ?? head + 1;
    const kept = this.recent.since(after);
    const older = Math.max(0, oldestInMemory - 1 - after);
    if (older === 0 && kept.every((entry) => entry.json !== null)) {
      // New objects: what a follower attaches must not land on what memory keeps.
      return kept.map(({ event, json }) => ({ event, json: json! }));
    }
    return this.replayFromStore(after, older, kept, head).catch(() => [this.resync(`events after seq ${after} could not be read`, head)]);
  }

  /** Older than memory, or too big to keep: the store has the durable events; usable only if none are missing. */
  private async replayFromStore(after: number, older: number, kept: KeptEvent[], head: number): Promise<PublishedEvent[]> {
    const gone = [this.resync(`events after seq ${after} are no longer available`, head)];
    const replayed: PublishedEvent[] = [];
    if (older > 0) {
      const stored = await this.backbone.read(this.sessionId, after, older);
      if (stored.length !== older || !stored.every((event, index) => event.seq === after + 1 + index)) return gone;
      for (const event of stored) replayed.push({ event, json: JSON.stringify(event) });
    }
    for (const { event, json } of kept) {
      const text = json ?? (await this.storedJson(event));
      if (text === null) return gone;
      replayed.push({ event, json: text });
    }
    return replayed;
  }

  /** An event that was too big to keep in memory: a durable one is in the store, a live one is gone. */
  private async storedJson(event: EventHead): Promise<string | null> {
    if (liveEventTypes.has(event.type)) return null;
    const [stored] = await this.backbone.read(this.sessionId, event.seq - 1, 1);
    return stored?.seq === event.seq ? JSON.stringify(stored) : null;
  }

  private resync(reason: string, head: number): PublishedEvent {
    return this.unnumberedAt({ type: 'resync', reason }, head);
  }

  private unnumberedAt(payload: EventPayload, head: number): PublishedEvent {
    const event = this.stamped(payload, head);
    return { event, json: JSON.stringify(event) };
  }
}
