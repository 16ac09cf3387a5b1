import { liveEventTypes, type EventPayload, type SessionEvent } from '../api/events.js';
import type { FollowEnd, Follower, PublishedEvent } from './follower.js';
import { isoNow, stampedEvent } from './stamped-event.js';
import type { Queued, Subscription as LocalSubscription } from './session-log.js';
import type { SharedBackbone } from './shared-backbone.js';

interface Subscription extends LocalSubscription {
  /** Events up to this seq were had elsewhere (a follower that rejoins ahead of this instance). */
  skipThrough: number;
}

/** Events numbered and stored by one statement at most; more wait for the next. */
const MOST_PER_APPEND = 500;
/** Rows read per trip when catching up or replaying. */
const READ_PAGE = 1000;

const ignore = () => {};

/**
 * A session's event stream on a database that several instances share (SharedBackbone): the same
 * surface as SessionLog, but numbers come from the database and every event, wherever it was
 * published, reaches local followers by the rows after the last seq delivered here, in order and
 * without gaps. Events published in one turn go in one statement (text deltas come in bursts).
 */
export class SharedSessionLog {
  /** The last seq delivered to this instance's followers, and the highest heard of. */
  private delivered = 0;
  private heard = 0;
  private readonly opened: Promise<void>;
  private isOpen = false;
  private readonly pending: Queued[] = [];
  private flushScheduled = false;
  private appending = false;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private readonly followers = new Set<Subscription>();
  failure: unknown = null;
  lastActivity = Date.now();

  constructor(
    readonly sessionId: string,
    private readonly backbone: SharedBackbone,
    private readonly onError: (error: unknown) => void = ignore,
  ) {
    // Listening first: what is committed after the head is read is announced, not missed.
    this.opened = backbone.listening
      .then(() => backbone.last(sessionId))
      .then(
        (last) => {
          this.delivered = this.heard = last;
          this.isOpen = true;
        },
        (error: unknown) => {
          this.failure = error;
          for (const queued of this.pending.splice(0)) queued.reject(error);
          throw error;
        },
      );
    this.opened.catch(ignore);
  }

  get followerCount(): number {
    return this.followers.size;
  }

  get idle(): boolean {
    return this.followers.size === 0 && this.pending.length === 0 && !this.appending && this.catchingUp === null;
  }

  /** Numbers and stores the event (with whatever else is published this turn); resolves once it is committed. */
  publish(payload: EventPayload): Promise<SessionEvent> {
    this.lastActivity = Date.now();
    const published = new Promise<SessionEvent>((resolve, reject) => {
      if (this.failure !== null) reject(this.failure);
      else this.pending.push({ payload, resolve, reject });
    });
    published.catch(ignore);
    if (!this.flushScheduled && !this.appending) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
    return published;
  }

  /** As SessionLog.follow: replays what came after `after` (null: nothing), then follows live. */
  follow(follower: Follower, after: number | null): () => void {
    const subscription: Subscription = { follower, held: null, skipThrough: 0, closed: false };
    this.lastActivity = Date.now();
    this.opened.then(() => this.attach(subscription, after), ignore);
    return () => {
      subscription.closed = true;
      this.followers.delete(subscription);
      this.lastActivity = Date.now();
    };
  }

  /** The seq of the last event delivered here. */
  async head(): Promise<number> {
    await this.opened;
    return this.delivered;
  }

  async unnumbered(payload: EventPayload): Promise<PublishedEvent> {
    await this.opened;
    return this.unnumberedAt(payload, this.delivered);
  }

  end(reason: FollowEnd): void {
    const followers = [...this.followers];
    this.followers.clear();
    for (const { follower } of followers) follower.end?.(reason);
  }

  /** Another instance (or this one) committed events up to `lastSeq`. */
  news(lastSeq: number): void {
    if (lastSeq > this.heard) this.heard = lastSeq;
    if (this.isOpen && lastSeq > this.delivered) this.catchUp();
  }

  /** News may have been lost (the listening connection was): read the head again. */
  recheck(): void {
    if (!this.isOpen) return;
    this.backbone.last(this.sessionId).then((last) => this.news(last), this.onError);
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.appending) return;
    this.appending = true;
    try {
      await this.opened.catch(ignore);
      while (this.pending.length > 0 && this.failure === null) {
        const batch = this.pending.splice(0, MOST_PER_APPEND);
        const createdAt = isoNow();
        const bodies = batch.map(({ payload }) => JSON.stringify(Object.assign({}, payload, { session_id: this.sessionId, created_at: createdAt })));
        let last: number;
        try {
          last = await this.backbone.append(
            this.sessionId,
            bodies.map((json, index) => ({ json, live: liveEventTypes.has(batch[index].payload.type) })),
          );
        } catch (error) {
          // Nothing of the batch was numbered (one statement): the counter has not moved.
          for (const queued of batch) queued.reject(error);
          continue;
        }
        const first = last - batch.length + 1;
        // As the database stored them: the seq first, then the rest (shared-store.ts).
        const published = batch.map(({ payload }, index): PublishedEvent & { event: SessionEvent } => {
          const seq = first + index;
          // Object.assign, not a spread followed by fields: see stampedEvent.
          const event = Object.assign({ seq }, payload, { session_id: this.sessionId, created_at: createdAt }) as SessionEvent;
          return { event, json: `{"seq":${seq},${bodies[index].slice(1)}` };
        });
        if (last > this.heard) this.heard = last;
        // Nothing of another instance's between: delivered now, no trip back to the database.
        if (this.catchingUp === null && this.delivered === first - 1) for (const each of published) this.deliver(each);
        else this.catchUp();
        batch.forEach((queued, index) => queued.resolve(published[index].event));
      }
      for (const queued of this.pending.splice(0)) queued.reject(this.failure);
    } finally {
      this.appending = false;
    }
  }

  /** Reads and delivers the rows after the last seq delivered, up to the highest heard of. */
  private catchUp(): void {
    if (this.catchingUp !== null) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        while (this.delivered < this.heard) {
          const rows = await this.backbone.read(this.sessionId, this.delivered, READ_PAGE);
          if (rows.length === 0) {
            // Live events pruned at the end (or the session deleted): followers reload.
            this.skipTo(this.heard);
            break;
          }
          for (const { seq, json } of rows) {
            if (seq !== this.delivered + 1) this.skipTo(seq - 1);
            this.deliver({ event: JSON.parse(json) as SessionEvent, json });
          }
        }
      } while (this.catchUpAgain);
    })()
      .catch((error: unknown) => {
        this.onError(error);
        // Tried again at the next news.
      })
      .finally(() => {
        this.catchingUp = null;
      });
  }

  /** Events between were pruned (live ones kept a while only): a `resync` tells followers to reload. */
  private skipTo(seq: number): void {
    const resync = this.unnumberedAt({ type: 'resync', reason: `events after seq ${this.delivered} are no longer available` }, seq);
    for (const subscription of this.followers) {
      if (subscription.held) subscription.held.push(resync);
      else subscription.follower.deliver(resync);
    }
    this.delivered = seq;
  }

  private deliver(published: PublishedEvent): void {
    this.delivered = published.event.seq;
    for (const subscription of this.followers) {
      if (subscription.held) subscription.held.push(published);
      else if (published.event.seq > subscription.skipThrough) subscription.follower.deliver(published);
    }
  }

  private attach(subscription: Subscription, after: number | null): void {
    if (subscription.closed) return;
    this.followers.add(subscription);
    if (after === null || after === this.delivered) return;
    subscription.held = [];
    const upTo = this.delivered;
    void this.replay(after, upTo).then((replayed) => {
      const held = subscription.held ?? [];
      subscription.held = null;
      if (subscription.closed) return;
      subscription.follower.replay(replayed);
      for (const published of held) if (published.event.seq > subscription.skipThrough) subscription.follower.deliver(published);
    });
    // Ahead of this instance (it had them elsewhere): what it had is not sent again.
    if (after > upTo) subscription.skipThrough = after;
  }

  /** The rows after `after` up to `upTo`, or a `resync` when they cannot all be had. */
  private async replay(after: number, upTo: number): Promise<PublishedEvent[]> {
    const resync = (reason: string, head: number) => [this.unnumberedAt({ type: 'resync', reason }, head)];
    try {
      if (after < 0) return resync(`seq ${after} is not one this session has handed out`, upTo);
      if (after > upTo) {
        // Delivered on another instance and not yet here: this one catches up to it.
        const last = await this.backbone.last(this.sessionId);
        if (after > last) return resync(`seq ${after} is not one this session has handed out`, last);
        this.news(last);
        return [];
      }
      const replayed: PublishedEvent[] = [];
      for (let from = after; from < upTo; ) {
        const rows = await this.backbone.read(this.sessionId, from, Math.min(READ_PAGE, upTo - from));
        for (const { seq, json } of rows) {
          if (seq !== from + 1) return resync(`events after seq ${after} are no longer available`, upTo);
          replayed.push({ event: JSON.parse(json) as SessionEvent, json });
          from = seq;
        }
        if (rows.length === 0) return resync(`events after seq ${after} are no longer available`, upTo);
      }
      return replayed;
    } catch {
      return resync(`events after seq ${after} could not be read`, upTo);
    }
  }

  private unnumberedAt(payload: EventPayload, head: number): PublishedEvent {
    const event = stampedEvent(payload, head, this.sessionId);
    return { event, json: JSON.stringify(event) };
  }
}
